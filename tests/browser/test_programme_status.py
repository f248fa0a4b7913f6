"""The verifikator marks a child as having left the programme, with the form as shown."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from registrations.models import Child, Village
from tests.builders import browser_login, make_child, make_user, page_width

pytestmark = pytest.mark.django_db(transaction=True)

# Midday, so the date the page fills in cannot roll over during the test.
NOON = datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_the_verifikator_marks_a_child_as_moved_away(live_server, phone):
    with time_machine.travel(NOON, tick=True):
        matras = Village.objects.get(code="19.01.01.1009")
        make_user("verifikator", "Verifikator Kecamatan")
        child = make_child(matras, name="Putri Ayu", birth_date=date(2024, 1, 10))

        browser_login(phone, live_server, "verifikator")
        phone.goto(f"{live_server.url}/verifikasi/anak/{child.pk}/")
        assert phone.inner_text("#programme-status .badge") == "Aktif"
        phone.click("text=Tandai keluar dari program")
        phone.wait_for_url(f"**/verifikasi/anak/{child.pk}/status-program/")
        assert page_width(phone) <= 360
        # The date is filled in with today; the verifikator keeps it.
        assert phone.input_value("[name=date]") == "2026-06-15"

        phone.check("label:has-text('Pindah') input[name=reason]")
        phone.fill("[name=note]", "Pindah ke Pangkalpinang ikut orang tua")
        phone.click("#exit-form button[type=submit]")
        phone.wait_for_url(f"**/verifikasi/anak/{child.pk}/")

        assert "Anak ditandai keluar dari program (pindah)." in phone.content()
        assert phone.inner_text("#programme-status .badge") == "Keluar"
        assert "alasan pindah" in phone.inner_text("#programme-status")
        assert "status program: “Aktif” → “Keluar”" in phone.inner_text("#history")

    child = Child.objects.get(pk=child.pk)
    assert child.programme_status == "exited"
    assert child.exit_reason == "moved"
    assert child.exit_date == date(2026, 6, 15)
    assert child.exit_note == "Pindah ke Pangkalpinang ikut orang tua"
    assert child.history.latest().history_user.username == "verifikator"
