from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from registrations.models import Child
from tests.builders import make_child

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def run(*args):
    out = StringIO()
    call_command("close_aged_out", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def children(village):
    with time_machine.travel(datetime(2025, 1, 1, 9, tzinfo=JAKARTA), tick=False):
        return {
            "sixty": make_child(village, name="Genap 60 Bulan", birth_date=date(2021, 3, 1)),
            "older": make_child(village, name="Lebih Tua", birth_date=date(2021, 1, 31)),
            "younger": make_child(village, name="59 Bulan", birth_date=date(2021, 3, 2)),
        }


def status_of(child):
    return Child.objects.values_list("programme_status", "exit_reason", "exit_date").get(
        pk=child.pk
    )


# 00:30 on 1 March in Jakarta is still 28 February in UTC: the local date counts.
MARCH_FIRST_JUST_AFTER_MIDNIGHT = datetime(2026, 3, 1, 0, 30, tzinfo=JAKARTA)


def test_it_closes_the_children_who_turned_60_months(children):
    with time_machine.travel(MARCH_FIRST_JUST_AFTER_MIDNIGHT, tick=False):
        out = run()

    assert status_of(children["sixty"]) == ("exited", "aged_out", date(2026, 3, 1))
    assert status_of(children["older"]) == ("exited", "aged_out", date(2026, 1, 31))
    assert status_of(children["younger"]) == ("active", "", None)
    assert "2 anak ditutup (usia 5 tahun)." in out
    older, sixty = children["older"].pk, children["sixty"].pk
    assert f"Anak #{older}: lahir 31-01-2021, genap 60 bulan 31-01-2026" in out
    assert f"Anak #{sixty}: lahir 01-03-2021, genap 60 bulan 01-03-2026" in out
    # No names in the output that cron mails around.
    assert "Genap 60 Bulan" not in out and "Lebih Tua" not in out

    record = children["sixty"].history.latest()
    assert record.history_user is None
    assert record.history_change_reason == "Ditutup otomatis oleh close_aged_out"
    assert record.programme_status == "exited"


def test_it_closes_nobody_twice(children):
    with time_machine.travel(MARCH_FIRST_JUST_AFTER_MIDNIGHT, tick=False):
        run()
        out = run()
    assert "0 anak ditutup (usia 5 tahun)." in out
    assert "Anak #" not in out
    assert children["sixty"].history.count() == 2
    assert children["younger"].history.count() == 1


def test_it_closes_a_child_on_the_day_it_turns_60_months(children):
    with time_machine.travel(datetime(2026, 2, 28, 23, 59, tzinfo=JAKARTA), tick=False):
        run()
    assert status_of(children["sixty"]) == ("active", "", None)
    with time_machine.travel(datetime(2026, 3, 2, 1, tzinfo=JAKARTA), tick=False):
        out = run()
    assert "2 anak ditutup" in out
    assert status_of(children["sixty"]) == ("exited", "aged_out", date(2026, 3, 1))
    assert status_of(children["younger"]) == ("exited", "aged_out", date(2026, 3, 2))


def test_it_changes_nothing_on_a_dry_run(children):
    with time_machine.travel(MARCH_FIRST_JUST_AFTER_MIDNIGHT, tick=False):
        out = run("--dry-run")
    assert "Uji coba: 2 anak akan ditutup (usia 5 tahun); tidak ada yang diubah." in out
    assert f"Anak #{children['sixty'].pk}: lahir 01-03-2021, genap 60 bulan 01-03-2026" in out
    assert all(status_of(c) == ("active", "", None) for c in children.values())
    assert all(c.history.count() == 1 for c in children.values())


def test_the_child_page_names_the_system_and_the_command(client, children, verifikator):
    with time_machine.travel(MARCH_FIRST_JUST_AFTER_MIDNIGHT, tick=False):
        run()
        client.force_login(verifikator)
        html = client.get(f"/verifikasi/anak/{children['sixty'].pk}/").content.decode()
    history = html.split('id="history"')[1]
    assert (
        'Diubah oleh sistem <span class="muted">(Ditutup otomatis oleh close_aged_out)</span>'
    ) in history
    assert "<li>status program: “Aktif” → “Keluar”</li>" in history
