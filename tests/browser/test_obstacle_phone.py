"""A partner records an obstacle on an assignment on a 360 px phone."""

import pytest

from interventions.models import Intervention, Obstacle
from tests.builders import browser_login, make_child, make_intervention, page_width, partner_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_partner_records_an_obstacle(live_server, phone, village):
    user = partner_user("mitra")
    child = make_child(village, name="Bunga Citra")
    pmt = make_intervention(child, status=Intervention.Status.RUNNING)

    browser_login(phone, live_server, "mitra")
    phone.goto(f"{live_server.url}/mitra/anak/{child.pk}/")
    phone.click("text=Catat kendala")
    phone.wait_for_url(f"**/mitra/tugas/{pmt.pk}/kendala/")
    assert page_width(phone) <= 360

    # "Lainnya" without words comes back with the reason, the choice kept.
    phone.check("[name=kind][value=other]")
    phone.click("button[type=submit]:has-text('Simpan')")
    phone.wait_for_selector("#form-errors")
    assert "Tuliskan kendalanya bila memilih lainnya." in phone.inner_text("#field-description")
    assert phone.is_checked("[name=kind][value=other]")
    assert Obstacle.objects.count() == 0

    phone.fill("[name=description]", "Rumah kosong, tetangga bilang keluarga sedang merantau")
    assert page_width(phone) <= 360
    phone.click("button[type=submit]:has-text('Simpan')")
    phone.wait_for_url(f"**/mitra/anak/{child.pk}/")

    obstacle = Obstacle.objects.get()
    assert (obstacle.intervention, obstacle.kind) == (pmt, Obstacle.Kind.OTHER)
    assert obstacle.description == "Rumah kosong, tetangga bilang keluarga sedang merantau"
    assert (obstacle.status, obstacle.reported_by) == (Obstacle.Status.OPEN, user)
    assert "Kendala dicatat" in phone.inner_text("main")
    assert "belum ditangani" in phone.inner_text(f"#assignment-{pmt.pk}")
    assert page_width(phone) <= 360
