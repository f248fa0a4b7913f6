"""A partner on a 360 px phone finds an assigned mother on /mitra/, opens her page and
records a delivery with a check of her."""

from decimal import Decimal

import pytest

from interventions.models import Delivery, Intervention
from registrations.models import Mother, MotherCheck, Village
from tests.builders import (
    browser_login,
    make_child,
    make_intervention,
    make_mother,
    page_width,
    partner_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

KK = "1901010101209999"


def box_inside_screen(locator):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_a_partner_records_a_delivery_with_a_check_of_a_mother(live_server, phone):
    partner_user("mitra", "PT Timah Tbk")
    matras = Village.objects.get(code="19.01.01.1009")
    make_intervention(make_child(matras, name="Bunga Citra"))
    mother = make_mother(matras, name="Siti Aminah Permatasari Kusumawardani", kk_number=KK)
    intervention = make_intervention(mother)

    browser_login(phone, live_server, "mitra")
    phone.goto(f"{live_server.url}/mitra/")
    assert page_width(phone) <= 360
    # The mothers are their own group, one card per assignment, marked new.
    card = phone.locator(f"#mother-interventions #assignment-{intervention.pk}")
    assert phone.locator("h2#mothers").is_visible()
    assert card.is_visible() and box_inside_screen(card)
    assert card.locator(".badge-new").is_visible()
    assert not phone.locator("#mother-interventions thead").is_visible()
    assert KK not in phone.content()

    card.locator(".card-title a").click()
    phone.wait_for_url(f"**/mitra/ibu/{mother.pk}/")
    assert page_width(phone) <= 360
    assert phone.inner_text("#nik") == "190101********01"
    assert "KEK" in phone.inner_text("#muac")
    assert KK not in phone.content()

    phone.click(f"#assignment-{intervention.pk} a:has-text('Catat layanan')")
    phone.wait_for_url(f"**/mitra/tugas/{intervention.pk}/catat/")
    assert page_width(phone) <= 360
    phone.fill("[name=description]", "Paket PMT ibu hamil")
    phone.fill("[name=quantity]", "3")
    phone.fill("[name=muac_cm]", "23,7")
    phone.fill("[name=hb_g_dl]", "11,2")
    phone.fill("[name=mother_weight_kg]", "54,5")
    phone.click("button[type=submit]:has-text('Simpan')")
    phone.wait_for_url(f"**/mitra/ibu/{mother.pk}/")
    assert "Layanan dicatat." in phone.inner_text("main")
    assert "tidak KEK" in phone.inner_text("#muac")

    delivery = Delivery.objects.get()
    assert delivery.intervention == intervention
    assert delivery.description == "Paket PMT ibu hamil"
    check = delivery.mother_check
    assert check.source == MotherCheck.Source.PARTNER
    assert (check.muac_cm, check.hb_g_dl, check.weight_kg) == (
        Decimal("23.7"),
        Decimal("11.2"),
        Decimal("54.5"),
    )
    mother = Mother.objects.get(pk=mother.pk)
    assert mother.latest_check == check and not mother.is_kek
    assert Intervention.objects.get(pk=intervention.pk).status == Intervention.Status.RUNNING
