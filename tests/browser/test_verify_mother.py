"""The verifikator verifies a breastfeeding mother's report in a browser: the queue filtered
to mothers' reports, the report, the baby already registered, the new mother's page."""

from datetime import timedelta
from decimal import Decimal

import pytest

from registrations.models import Mother, MotherReport, Village
from tests.builders import (
    browser_login,
    make_child,
    make_mother_report,
    make_submission,
    make_user,
    page_width,
    today,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_verifikator_verifies_a_mother_from_the_queue(live_server, phone):
    matras = Village.objects.get(code="19.01.01.1009")
    make_user("verifikator", "Verifikator Kecamatan")
    born = today() - timedelta(days=45)
    baby = make_child(matras, name="Bayi Nur", birth_date=born, mother_name="Siti Aminah")
    report = make_mother_report(
        matras,
        mother_status=MotherReport.MotherStatus.BREASTFEEDING,
        pregnancy_month=None,
        baby_birth_date=born,
        measured_on=today(),
        muac_cm=Decimal("22.5"),
    )
    make_submission(matras, child_name="Putri Ayu")

    browser_login(phone, live_server, "verifikator")
    phone.goto(f"{live_server.url}/verifikasi/")
    assert "Putri Ayu" in phone.inner_text("#queue")
    phone.click("#report-kinds >> text=Ibu hamil/menyusui")
    phone.wait_for_url("**/verifikasi/?jenis=ibu")
    queue = phone.inner_text("#queue")
    assert "Putri Ayu" not in queue
    assert "Siti Aminah" in queue and "KEK" in queue and "Menyusui" in queue

    phone.click("#queue >> text=Siti Aminah")
    phone.wait_for_url(f"**/verifikasi/laporan-ibu/{report.pk}/")
    assert page_width(phone) <= 360
    assert "Bayi Nur" in phone.inner_text("#babies")

    phone.click("#decide-verified_new summary")
    phone.check(f"#decide-verified_new input[name=baby][value='{baby.pk}']")
    phone.click("#decide-verified_new button[type=submit]")
    phone.wait_for_selector("#registered-mother")
    assert "Tersimpan: diverifikasi sebagai kasus baru." in phone.inner_text("main")
    assert phone.inner_text("#status") == "Terverifikasi"

    mother = Mother.objects.get()
    assert mother.name == "Siti Aminah" and mother.is_kek
    assert mother.latest_check.baby == baby

    phone.click("#registered-mother")
    phone.wait_for_url(f"**/verifikasi/ibu/{mother.pk}/")
    assert "Bayi Nur" in phone.inner_text("#condition")
    assert "KEK" in phone.inner_text("#checks-history")
