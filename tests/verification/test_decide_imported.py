"""Deciding on a report imported from the Google Form: its birth date is an estimate from
the child's age and must be confirmed (or corrected) before the child is registered."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from registrations.models import Child, Submission
from tests.builders import make_child, make_imported_submission
from verification.models import Decision
from verification.services import submission_decide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

SENT = datetime(2024, 12, 15, 9, 3, 12)  # "27 bln" that day: born ±31-08-2022


@pytest.fixture
def report(village):
    return make_imported_submission(village, sent_at=SENT)


def post(client, s, **data):
    data.setdefault("version", s.version)
    return client.post(f"/verifikasi/laporan/{s.pk}/putuskan/", data)


def test_the_form_asks_to_confirm_the_estimated_birth_date_and_the_sex(client, verifikator, report):
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/laporan/{report.pk}/").content.decode()
    assert 'name="birth_date" id="birth-date-verified_new" value="2022-08-31"' in html
    assert 'name="birth_date_confirmed"' in html
    assert '<select name="child_sex" id="child-sex-verified_new">' in html
    # Nobody can act on a message to a kader who has no receipt code.
    assert 'id="decide-needs_correction"' not in html
    assert 'id="decide-rejected"' in html


def test_it_registers_the_child_with_the_confirmed_birth_date_and_sex(client, verifikator, report):
    client.force_login(verifikator)
    r = post(
        client,
        report,
        action="verified_new",
        birth_date="2022-09-03",
        birth_date_confirmed="on",
        child_sex="P",
    )
    assert r.status_code == 302

    report.refresh_from_db()
    assert report.status == Submission.Status.VERIFIED
    child = Child.objects.get()
    assert report.child == child
    assert (child.name, child.birth_date, child.sex) == ("Nabila Putri", date(2022, 9, 3), "P")
    assert child.mother_name == "Sri Wahyuni"
    # The report stays as it was sent: the estimate, still marked so.
    assert (report.birth_date, report.birth_date_estimated) == (date(2022, 8, 31), True)
    # No measurement came with it: the child waits for its first one.
    assert child.latest_measurement is None and not child.measurements.exists()
    record = child.history.get()
    assert record.history_user == verifikator
    assert record.history_change_reason == "Tanggal lahir perkiraan (impor Google Form) dipastikan"
    assert Decision.objects.get().action == Decision.Action.VERIFIED_NEW


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"birth_date": "2022-08-31", "child_sex": "L"},
            "birth_date_confirmed",
            "Tanggal lahir laporan ini hanya perkiraan dari umur: pastikan dengan KK/akta "
            "atau orang tua, lalu centang.",
        ),
        (
            {"birth_date": "", "birth_date_confirmed": "on", "child_sex": "L"},
            "birth_date",
            "Isi tanggal lahir anak.",
        ),
        (
            {"birth_date": "2024-12-16", "birth_date_confirmed": "on", "child_sex": "L"},
            "birth_date",
            "Tanggal lahir tidak boleh setelah laporan dikirim (15-12-2024).",
        ),
        (
            {"birth_date": "2019-12-15", "birth_date_confirmed": "on", "child_sex": "L"},
            "birth_date",
            "Dengan tanggal lahir ini anak sudah berumur 60 bulan atau lebih saat "
            "dilaporkan; GASKEN hanya untuk balita.",
        ),
        (
            {"birth_date": "15-13-2022", "birth_date_confirmed": "on", "child_sex": "L"},
            "birth_date",
            "Masukkan tanggal yang valid.",
        ),
        (
            {"birth_date": "2022-08-31", "birth_date_confirmed": "on"},
            "child_sex",
            "Pilih jenis kelamin anak: laporan ini tidak mencatatnya.",
        ),
    ],
)
def test_it_refuses_to_register_without_a_confirmed_birth_date_and_sex(
    client, verifikator, report, data, field, message
):
    client.force_login(verifikator)
    r = post(client, report, action="verified_new", **data)
    assert r.status_code == 400
    assert r.context["form"].errors[field] == [message]
    html = r.content.decode()
    assert 'id="decide-verified_new" open' in html
    report.refresh_from_db()
    assert report.status == Submission.Status.PENDING
    assert not Child.objects.exists() and not Decision.objects.exists()


def test_it_keeps_what_was_typed_after_an_error(client, verifikator, report):
    client.force_login(verifikator)
    r = post(client, report, action="verified_new", birth_date="2022-09-03", child_sex="P")
    html = r.content.decode()
    assert 'id="birth-date-verified_new" value="2022-09-03"' in html
    assert '<option value="P" selected>Perempuan</option>' in html


def test_it_does_not_ask_for_what_the_report_has(client, verifikator, village):
    report = make_imported_submission(
        village, birth_date=date(2023, 1, 5), birth_date_estimated=False, child_sex="L"
    )
    client.force_login(verifikator)
    html = client.get(f"/verifikasi/laporan/{report.pk}/").content.decode()
    assert 'name="birth_date"' not in html and 'name="child_sex"' not in html

    assert post(client, report, action="verified_new").status_code == 302
    child = Child.objects.get()
    assert (child.birth_date, child.sex) == (date(2023, 1, 5), "L")


def test_it_merges_an_imported_report_into_a_registered_child(client, verifikator, report):
    child = make_child(report.village, name="Nabila Putri", birth_date=date(2022, 9, 3))
    client.force_login(verifikator)
    assert post(client, report, action="merged", child=child.pk).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.child) == (Submission.Status.VERIFIED, child)
    assert Child.objects.count() == 1 and not child.measurements.exists()


def test_it_does_not_send_an_imported_report_back_to_the_kader(client, verifikator, report):
    client.force_login(verifikator)
    r = post(client, report, action="needs_correction", note="Foto KK buram.")
    assert r.status_code == 400
    assert "Laporan impor Google Form tidak dapat dikembalikan ke kader" in r.content.decode()
    report.refresh_from_db()
    assert report.status == Submission.Status.PENDING


def test_it_rejects_an_imported_report(client, verifikator, report):
    client.force_login(verifikator)
    post(client, report, action="rejected", note="Sudah dilaporkan lewat formulir baru.")
    report.refresh_from_db()
    assert report.status == Submission.Status.REJECTED


def test_the_service_refuses_an_unconfirmed_estimate(report, verifikator):
    with pytest.raises(ValidationError):
        submission_decide(
            submission=report,
            action=Decision.Action.VERIFIED_NEW,
            user=verifikator,
            version=report.version,
            child_sex="L",
        )
    with pytest.raises(ValidationError):
        submission_decide(
            submission=report,
            action=Decision.Action.VERIFIED_NEW,
            user=verifikator,
            version=report.version,
            birth_date=date(2022, 9, 3),
        )
    report.refresh_from_db()
    assert report.status == Submission.Status.PENDING
    assert not Child.objects.exists()
