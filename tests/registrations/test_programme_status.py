"""The service that moves a child in and out of the programme, and the aged-out closing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from registrations.models import Child
from registrations.services import (
    ProgrammeStatusConflict,
    child_close_aged_out,
    child_set_programme_status,
)
from tests.builders import make_child

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 6, 15)


def at(day, hour=9):
    """A pinned clock at `hour` o'clock Jakarta time on `day`."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA), tick=False
    )


@pytest.fixture
def child(village):
    # Registered on 2 January 2026, born 10 January 2024, checked on 15 June 2026.
    with at(date(2026, 1, 2)):
        child = make_child(village, name="Putri Ayu", birth_date=date(2024, 1, 10))
    with at(TODAY):
        yield child


def stored(child):
    return Child.objects.values("programme_status", "exit_reason", "exit_date", "exit_note").get(
        pk=child.pk
    )


def exit_child(child, user, **fields):
    values = {"status": "exited", "reason": "moved", "date": date(2026, 6, 1), "note": ""}
    values.update(fields)
    return child_set_programme_status(child=child, user=user, **values)


# --- transitions --------------------------------------------------------------


def test_it_marks_a_child_exited_with_reason_date_and_note(child, verifikator):
    result = exit_child(child, verifikator, note="  Pindah ke Pangkalpinang  ")

    assert result is child
    assert (child.programme_status, child.exit_reason) == ("exited", "moved")
    assert stored(child) == {
        "programme_status": "exited",
        "exit_reason": "moved",
        "exit_date": date(2026, 6, 1),
        "exit_note": "Pindah ke Pangkalpinang",
    }
    assert child.history.count() == 2
    record = child.history.latest()
    assert record.history_type == "~"
    assert record.history_user == verifikator
    assert (record.programme_status, record.exit_reason) == ("exited", "moved")
    assert record.exit_date == date(2026, 6, 1)
    assert record.history_change_reason is None


def test_it_sets_an_exited_child_active_again_and_clears_the_exit(child, verifikator):
    exit_child(child, verifikator, reason="other", note="Salah data")
    child_set_programme_status(child=child, status="active", user=verifikator)

    assert stored(child) == {
        "programme_status": "active",
        "exit_reason": "",
        "exit_date": None,
        "exit_note": "",
    }
    assert child.is_active
    statuses = list(child.history.order_by("history_date").values_list("programme_status"))
    assert statuses == [("active",), ("exited",), ("active",)]


def test_it_ignores_exit_values_given_with_the_active_status(child, verifikator):
    exit_child(child, verifikator)
    child_set_programme_status(
        child=child, status="active", reason="died", date=TODAY, note="x", user=verifikator
    )
    assert stored(child)["exit_reason"] == ""
    assert stored(child)["exit_date"] is None


def test_it_corrects_the_exit_of_an_exited_child(child, verifikator, pimpinan):
    exit_child(child, verifikator)
    exit_child(child, pimpinan, reason="died", date=date(2026, 5, 20))

    assert stored(child)["exit_reason"] == "died"
    assert stored(child)["exit_date"] == date(2026, 5, 20)
    assert child.history.count() == 3
    assert child.history.latest().history_user == pimpinan


def test_it_saves_nothing_when_nothing_changes(child, verifikator):
    child_set_programme_status(child=child, status="active", user=verifikator)
    assert child.history.count() == 1

    exit_child(child, verifikator, note="Ke Jakarta")
    exit_child(child, verifikator, note="Ke Jakarta ")
    assert child.history.count() == 2


def test_it_changes_only_the_programme_fields(child, verifikator):
    # A stale copy must not write back its old name over an edit made meanwhile.
    Child.objects.filter(pk=child.pk).update(name="Putri Ayu Lestari")
    exit_child(child, verifikator)
    fresh = Child.objects.get(pk=child.pk)
    assert fresh.name == "Putri Ayu Lestari"
    assert child.history.latest().name == "Putri Ayu Lestari"


def test_it_records_the_system_and_a_change_reason_without_a_user(child):
    exit_child(child, None, change_reason="Ditutup otomatis")
    record = child.history.latest()
    assert record.history_user is None
    assert record.history_change_reason == "Ditutup otomatis"


@pytest.mark.parametrize(
    "reason,day",
    [
        ("not_stunted", TODAY),  # today is allowed
        ("died", date(2026, 1, 2)),  # the registration day is allowed
        ("aged_out", TODAY),
    ],
)
def test_it_accepts_the_edge_dates(village, verifikator, reason, day):
    with at(date(2026, 1, 2)):
        child = make_child(village, birth_date=date(2021, 6, 15))
    with at(TODAY):
        exit_child(child, verifikator, reason=reason, date=day)
    assert stored(child)["exit_date"] == day


# --- refusals -----------------------------------------------------------------


@pytest.mark.parametrize(
    "fields,field,message",
    [
        pytest.param({"reason": ""}, "reason", "Pilih alasan keluar.", id="no-reason"),
        pytest.param({"reason": "bosan"}, "reason", "Pilih alasan keluar.", id="unknown-reason"),
        pytest.param({"date": None}, "date", "Isi tanggal keluar.", id="no-date"),
        pytest.param(
            {"date": date(2026, 6, 16)},
            "date",
            "Tanggal keluar tidak boleh di masa depan.",
            id="tomorrow",
        ),
        pytest.param(
            {"date": date(2024, 1, 9)},
            "date",
            "Tanggal keluar tidak boleh sebelum tanggal lahir anak (10-01-2024).",
            id="before-birth",
        ),
        pytest.param(
            {"date": date(2026, 1, 1)},
            "date",
            "Tanggal keluar tidak boleh sebelum anak terdaftar (02-01-2026).",
            id="before-registration",
        ),
        pytest.param(
            {"reason": "aged_out"},
            "date",
            "Anak baru genap 60 bulan pada 10-01-2029; alasan “Usia 5 tahun” berlaku mulai "
            "tanggal itu.",
            id="aged-out-too-young",
        ),
        pytest.param(
            {"reason": "other", "note": "   "},
            "note",
            "Tulis keterangan untuk alasan Lainnya.",
            id="other-without-note",
        ),
        pytest.param(
            {"note": "x" * 201},
            "note",
            "Keterangan paling banyak 200 karakter (sekarang 201).",
            id="long-note",
        ),
        pytest.param(
            {"status": "pause"}, "status", "Pilih status program: Aktif atau Keluar.", id="status"
        ),
    ],
)
def test_it_refuses_values_that_break_the_rules(child, verifikator, fields, field, message):
    with pytest.raises(ValidationError) as e:
        exit_child(child, verifikator, **fields)
    assert e.value.message_dict == {field: [message]}
    assert stored(child)["programme_status"] == "active"
    assert child.is_active
    assert child.history.count() == 1


def test_it_reports_every_broken_rule_at_once(child, verifikator):
    with pytest.raises(ValidationError) as e:
        exit_child(child, verifikator, reason="", date=None)
    assert e.value.message_dict == {
        "reason": ["Pilih alasan keluar."],
        "date": ["Isi tanggal keluar."],
    }


def test_it_refuses_a_change_made_on_a_status_that_changed_meanwhile(child, verifikator):
    exit_child(child, verifikator, reason="died")
    with pytest.raises(ProgrammeStatusConflict):
        exit_child(child, verifikator, reason="moved", expected_status="active")
    assert stored(child)["exit_reason"] == "died"
    assert child.history.count() == 2


# --- the aged-out closing -----------------------------------------------------


def test_it_closes_the_children_who_reached_60_months(village, verifikator):
    with at(date(2025, 1, 1)):
        born = {
            "60 bulan hari ini": make_child(village, birth_date=date(2021, 3, 1)),
            "60 bulan kemarin": make_child(village, birth_date=date(2021, 2, 28)),
            "59 bulan": make_child(village, birth_date=date(2021, 3, 2)),
            "lahir 31 Januari": make_child(village, birth_date=date(2021, 1, 31)),
            "lahir 29 Februari": make_child(village, birth_date=date(2020, 2, 29)),
            "sudah keluar": make_child(village, birth_date=date(2020, 1, 1)),
        }
    with at(date(2025, 8, 1)):
        # Registered two months after turning 60 months: it leaves on its registration day.
        born["terdaftar terlambat"] = make_child(village, birth_date=date(2020, 6, 1))
        exit_child(born["sudah keluar"], verifikator, reason="died", date=date(2025, 8, 1))

    with at(date(2026, 3, 1), hour=0):
        closed = child_close_aged_out(today=date(2026, 3, 1), change_reason="Otomatis")

    assert {c.pk for c in closed} == {
        born[name].pk
        for name in [
            "60 bulan hari ini",
            "60 bulan kemarin",
            "lahir 31 Januari",
            "lahir 29 Februari",
            "terdaftar terlambat",
        ]
    }
    exits = {
        name: (c.programme_status, c.exit_reason, c.exit_date)
        for name, c in born.items()
        for c in [Child.objects.get(pk=c.pk)]
    }
    assert exits == {
        "60 bulan hari ini": ("exited", "aged_out", date(2026, 3, 1)),
        "60 bulan kemarin": ("exited", "aged_out", date(2026, 2, 28)),
        "59 bulan": ("active", "", None),
        "lahir 31 Januari": ("exited", "aged_out", date(2026, 1, 31)),
        "lahir 29 Februari": ("exited", "aged_out", date(2025, 3, 1)),
        "sudah keluar": ("exited", "died", date(2025, 8, 1)),
        "terdaftar terlambat": ("exited", "aged_out", date(2025, 8, 1)),
    }
    record = born["60 bulan hari ini"].history.latest()
    assert (record.history_user, record.history_change_reason) == (None, "Otomatis")
    assert born["sudah keluar"].history.count() == 2

    with at(date(2026, 3, 1), hour=23):
        assert child_close_aged_out(today=date(2026, 3, 1)) == []
    assert sum(c.history.count() for c in born.values()) == 7 + 5 + 1


def test_the_aged_out_query_follows_completed_months(village):
    with at(date(2025, 1, 1)):
        on_the_day = make_child(village, birth_date=date(2021, 2, 28))
        make_child(village, birth_date=date(2021, 3, 1))
    # 28 February 2026: born 28 February 2021 is 60 months, born 1 March is 59.
    assert list(Child.objects.aged_out(date(2026, 2, 28))) == [on_the_day]
    assert Child.objects.aged_out(date(2026, 3, 1)).count() == 2
    assert Child.objects.aged_out(date(2026, 2, 27)).count() == 0


def test_it_leaves_alone_a_child_whose_birth_date_changed_during_the_run(village, monkeypatch):
    with at(date(2025, 1, 1)):
        corrected = make_child(village, birth_date=date(2021, 3, 1))
        other = make_child(village, birth_date=date(2021, 2, 1))
    real_get = Child.objects.select_for_update

    def corrected_meanwhile():
        # The birth date is corrected between the list and the lock of this child.
        Child.objects.filter(pk=corrected.pk).update(birth_date=date(2021, 4, 1))
        return real_get()

    monkeypatch.setattr(Child.objects, "select_for_update", corrected_meanwhile)
    with at(date(2026, 3, 1)):
        closed = child_close_aged_out(today=date(2026, 3, 1))
    assert [c.pk for c in closed] == [other.pk]
    assert stored(corrected)["programme_status"] == "active"
    assert stored(other)["exit_date"] == date(2026, 2, 1)
