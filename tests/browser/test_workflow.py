"""The loop in a browser: a report is verified, assigned, and a partner records a delivery."""

import pytest

from interventions.models import Delivery, Intervention, Partner, PartnerMember
from registrations.models import Child, Submission
from tests.builders import browser_login, make_image_bytes, make_submission, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_report_becomes_a_child_that_a_partner_serves(live_server, phone, browser, tmp_path):
    from registrations.models import Village

    report = make_submission(Village.objects.get(code="19.01.01.1009"), child_name="Putri Ayu")
    make_user("verifikator", "Verifikator Kecamatan")
    partner_user = make_user("mitra", "Mitra")
    PartnerMember.objects.create(
        user=partner_user, partner=Partner.objects.get(name="PT Timah Tbk")
    )

    browser_login(phone, live_server, "verifikator")
    phone.click("text=Putri Ayu")
    phone.click("#decide-verified_new summary")
    phone.click("#decide-verified_new button[type=submit]")
    phone.wait_for_selector("#whatsapp")
    assert phone.inner_text("#status") == "Terverifikasi"
    report.refresh_from_db()
    child = Child.objects.get()
    assert report.child == child

    phone.goto(f"{live_server.url}/verifikasi/anak/{child.pk}/")
    phone.click("text=Tugaskan ke mitra")
    phone.select_option("[name=partner]", label="PT Timah Tbk")
    phone.select_option("[name=kind]", label="PMT")
    phone.click("button[type=submit]:has-text('Tugaskan')")
    phone.wait_for_url(f"**/verifikasi/anak/{child.pk}/")
    intervention = Intervention.objects.get()
    assert (intervention.child, intervention.partner.name) == (child, "PT Timah Tbk")

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    browser_login(page, live_server, "mitra")
    page.click("text=Putri Ayu")
    page.click("text=Catat layanan")
    page.fill("[name=description]", "Paket biskuit dan susu")
    page.fill("[name=quantity]", "4")
    photo = tmp_path / "bukti.jpg"
    photo.write_bytes(make_image_bytes(size=(800, 600)))
    page.set_input_files("[name=photo]", str(photo))
    page.click("button[type=submit]:has-text('Simpan')")
    page.wait_for_url(f"**/mitra/anak/{child.pk}/")
    assert "Layanan dicatat." in page.content()
    context.close()

    delivery = Delivery.objects.get()
    assert (delivery.description, delivery.quantity) == ("Paket biskuit dan susu", 4)
    assert delivery.photo
    intervention.refresh_from_db()
    assert intervention.status == "running"
    assert Submission.objects.get().status == "verified"
