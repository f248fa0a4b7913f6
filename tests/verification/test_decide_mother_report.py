"""The decision forms on a mother's report page."""

from datetime import timedelta

import pytest

from registrations.models import Mother, MotherCheck, MotherReport
from tests.builders import (
    TODAY,
    login_redirect,
    make_child,
    make_mother,
    make_mother_report,
    messages_of,
)
from verification.models import Decision

pytestmark = pytest.mark.django_db


def url(report):
    return f"/verifikasi/laporan-ibu/{report.pk}/putuskan/"


def post(client, report, action, **data):
    return client.post(url(report), {"action": action, "version": report.version, **data})


def test_it_rejects_get(client, village, verifikator):
    report = make_mother_report(village)
    client.force_login(verifikator)
    assert client.get(url(report)).status_code == 405


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    report = make_mother_report(village)
    r = post(client, report, "verified_new")
    assert r.status_code == 302 and r.url == login_redirect(url(report))
    report.refresh_from_db()
    assert report.status == MotherReport.Status.PENDING


@pytest.mark.parametrize("who", ["pimpinan", "outsider", "mitra_user", "desa_user"])
def test_only_the_verifikator_decides(client, request, who, village):
    report = make_mother_report(village)
    client.force_login(request.getfixturevalue(who))
    assert post(client, report, "verified_new").status_code == 403
    report.refresh_from_db()
    assert report.status == MotherReport.Status.PENDING
    assert not Mother.objects.exists() and not Decision.objects.exists()


def test_it_verifies_a_new_mother(client, village, verifikator):
    report = make_mother_report(village)
    client.force_login(verifikator)
    r = post(client, report, "verified_new")
    assert r.status_code == 302 and r.url == f"/verifikasi/laporan-ibu/{report.pk}/"
    assert messages_of(r) == ["Tersimpan: diverifikasi sebagai kasus baru."]
    mother = Mother.objects.get()
    report.refresh_from_db()
    assert report.status == MotherReport.Status.VERIFIED and report.mother == mother
    assert mother.checks.get().report == report
    html = client.get(r.url).content.decode()
    assert f'href="/verifikasi/ibu/{mother.pk}/" id="registered-mother"' in html


def test_it_links_the_chosen_baby(client, village, verifikator):
    born = TODAY - timedelta(days=20)
    baby = make_child(village, birth_date=born, mother_name="Siti Aminah")
    report = make_mother_report(
        village, mother_status="breastfeeding", pregnancy_month=None, baby_birth_date=born
    )
    client.force_login(verifikator)
    post(client, report, "verified_new", baby=baby.pk)
    assert MotherCheck.objects.get().baby == baby
    mother = Mother.objects.get()
    html = client.get(f"/verifikasi/ibu/{mother.pk}/").content.decode()
    assert f'<a href="/verifikasi/anak/{baby.pk}/">#{baby.pk} {baby.name}</a>' in html


def test_it_merges_into_the_chosen_mother(client, village, verifikator):
    mother = make_mother(village)
    report = make_mother_report(village)
    client.force_login(verifikator)
    r = post(client, report, "merged", mother=mother.pk)
    assert messages_of(r) == ["Tersimpan: digabungkan dengan ibu yang sudah terdaftar."]
    assert Mother.objects.count() == 1
    assert mother.checks.count() == 2
    report.refresh_from_db()
    assert report.mother == mother
    assert Decision.objects.get().mother == mother


def test_a_merge_chosen_after_a_search_keeps_the_search(client, village, verifikator):
    report = make_mother_report(village, nik="")
    found = make_mother(village, name="Siti Rohani", nik="")
    client.force_login(verifikator)
    r = client.post(url(report) + "?cari=rohani", {"action": "merged", "version": 1, "note": ""})
    assert r.status_code == 400
    assert r.context["merge_results"] == [found]
    r = client.post(
        url(report) + "?cari=rohani", {"action": "merged", "version": 1, "mother": found.pk}
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.mother == found


def test_a_merge_needs_a_mother(client, village, verifikator):
    report = make_mother_report(village)
    client.force_login(verifikator)
    r = post(client, report, "merged")
    assert r.status_code == 400
    assert "Pilih ibu terdaftar yang akan digabungkan." in r.content.decode()
    r = post(client, report, "merged", mother=9999)
    assert "Tidak ada ibu terdaftar dengan nomor ini." in r.content.decode()
    report.refresh_from_db()
    assert report.status == MotherReport.Status.PENDING


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("needs_correction", "Tulis pesan untuk kader: apa yang perlu diperbaiki."),
        ("rejected", "Alasan penolakan wajib diisi."),
    ],
)
def test_sending_back_or_rejecting_needs_a_note(client, village, verifikator, action, message):
    report = make_mother_report(village)
    client.force_login(verifikator)
    r = post(client, report, action, note=" ")
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html
    assert f'<details class="decision" id="decide-{action}" open>' in html
    report.refresh_from_db()
    assert report.status == MotherReport.Status.PENDING
    assert not Decision.objects.exists()


def test_it_sends_the_report_back_with_the_message(client, village, verifikator):
    report = make_mother_report(village)
    client.force_login(verifikator)
    post(client, report, "needs_correction", note="Foto KK tidak terbaca.")
    report.refresh_from_db()
    assert report.status == MotherReport.Status.NEEDS_CORRECTION
    assert report.status_message == "Foto KK tidak terbaca."
    assert report.first_decided_at is not None


def test_it_refuses_a_decision_on_a_stale_page(client, village, verifikator):
    report = make_mother_report(village)
    client.force_login(verifikator)
    r = client.post(url(report), {"action": "verified_new", "version": 0})
    assert r.status_code == 302
    assert messages_of(r) == [
        "Keputusan tidak disimpan: laporan ini sudah diputuskan petugas lain atau sudah "
        "diperbaiki kader (status sekarang: Menunggu verifikasi)."
    ]
    assert not Mother.objects.exists()
