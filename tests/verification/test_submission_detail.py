import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from registrations.models import Submission
from tests.builders import make_child, make_submission
from verification.models import Decision
from verification.services import submission_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(posyandu):
    return make_submission(
        posyandu.village,
        posyandu,
        documents=("kk", "akta"),
        child_name="Putri Ayu",
        child_nik="1901015003250001",  # a girl born 10-03-2025
    )


def url(s):
    return f"/verifikasi/laporan/{s.pk}/"


def test_it_requires_login(client, submission):
    r = client.get(url(submission))
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next={url(submission)}"


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, submission, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(submission)).status_code == 403


def test_it_returns_404_for_unknown_report(client, verifikator, db):
    client.force_login(verifikator)
    assert client.get("/verifikasi/laporan/999999/").status_code == 404


def test_it_shows_data_documents_status_and_decisions(client, verifikator, submission):
    client.force_login(verifikator)
    r = client.get(url(submission))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Putri Ayu" in html and "Rina" in html and "Jl. Mawar RT 1" in html
    for doc in submission.documents.all():
        assert f'<img src="/dokumen/{doc.pk}/"' in html
    assert submission.measurement.summary in html
    assert "<svg" in html
    assert 'id="decide-verified_new"' in html
    assert 'id="decide-rejected"' in html
    assert "Laporan dikirim kader" in html


def test_pimpinan_reads_without_documents_or_decisions(client, pimpinan, submission):
    client.force_login(pimpinan)
    html = client.get(url(submission)).content.decode()
    assert "/dokumen/" not in html
    assert "hanya dapat dibuka oleh verifikator" in html
    assert 'id="decide-' not in html


def test_it_warns_about_a_nik_that_does_not_match(client, verifikator, village):
    s = make_submission(village, child_sex="L", child_nik="1901015003250001")
    client.force_login(verifikator)
    html = client.get(url(s)).content.decode()
    checks = re.search(r'<section class="card" id="checks">(.*?)</section>', html, re.S).group(1)
    assert 'class="warning"' in checks


def test_it_lists_possible_duplicates(client, verifikator, village, submission):
    twin = make_child(
        village,
        name="Putri Ayu",
        birth_date=submission.birth_date,
        sex="P",
        mother_name="Rina",
    )
    other_report = make_submission(
        village, child_name="Putri Ayuu", birth_date=submission.birth_date, mother_name="Rina"
    )
    unrelated = make_child(village, name="Budi", sex="L", birth_date=submission.birth_date)
    client.force_login(verifikator)
    r = client.get(url(submission))
    assert [c for c, _ in r.context["duplicate_children"]] == [twin]
    assert [s for s, _ in r.context["duplicate_reports"]] == [other_report]
    html = r.content.decode()
    assert f'href="/verifikasi/anak/{twin.pk}/"' in html
    assert f'href="/verifikasi/laporan/{other_report.pk}/"' in html
    assert f"/verifikasi/anak/{unrelated.pk}/" not in html
    # The merge form offers the likely child, chosen; the unrelated one is not offered.
    assert f'<input type="radio" name="child" value="{twin.pk}" checked>' in html
    assert f'name="child" value="{unrelated.pk}"' not in html


def test_it_finds_a_duplicate_by_nik_alone(client, verifikator, village, submission):
    same_nik = make_child(village, name="Lain", nik=submission.child_nik, mother_name="Siti")
    client.force_login(verifikator)
    r = client.get(url(submission))
    assert [(c, reason) for c, reason in r.context["duplicate_children"]] == [
        (same_nik, "NIK sama")
    ]


@pytest.mark.parametrize(
    "action,note,expected",
    [
        ("needs_correction", "Foto KK buram.", "perlu diperbaiki: Foto KK buram."),
        ("verified_new", "", "sudah diverifikasi"),
        (
            Decision.Action.REJECTED,
            "Anak sudah berumur 6 tahun.",
            "Alasan: Anak sudah berumur 6 tahun.",
        ),
    ],
)
def test_it_offers_a_whatsapp_message_to_the_kader(
    client, verifikator, submission, action, note, expected
):
    submission_decide(submission=submission, action=action, user=verifikator, version=1, note=note)
    client.force_login(verifikator)
    r = client.get(url(submission))
    link = r.context["whatsapp"]
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    text = parse_qs(parts.query)["text"][0]
    assert expected in text
    assert f"https://gasken.example.go.id/lapor/status/{submission.code}/" in text
    assert 'id="whatsapp"' in r.content.decode()


def test_there_is_no_whatsapp_link_while_pending(client, verifikator, submission):
    client.force_login(verifikator)
    assert client.get(url(submission)).context["whatsapp"] is None


def test_the_timeline_shows_decisions_and_versions(client, verifikator, submission):
    submission_decide(
        submission=submission,
        action="needs_correction",
        user=verifikator,
        version=1,
        note="Perbaiki tanggal lahir",
    )
    client.force_login(verifikator)
    html = client.get(url(submission)).content.decode()
    timeline = re.search(r'id="timeline">(.*?)</section>', html, re.S).group(1)
    assert timeline.index("Laporan dikirim kader") < timeline.index("Dikembalikan untuk perbaikan")
    assert "Perbaiki tanggal lahir" in timeline
    assert "verifikator" in timeline
    assert Submission.objects.get().status == "needs_correction"


def test_it_logs_who_opened_the_report(client, submission, pimpinan):
    from registrations.models import AccessLog

    client.force_login(pimpinan)
    r = client.get(url(submission), REMOTE_ADDR="10.1.2.3")
    assert r.status_code == 200
    assert "1901015003250001" in r.content.decode()
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.ip_address) == (pimpinan, "view_child", "10.1.2.3")
    assert log.detail == f"Laporan {submission.formatted_code} (Putri Ayu)"
    assert log.target == submission


def test_it_logs_nothing_for_a_refused_report(client, submission, mitra_user):
    from registrations.models import AccessLog

    client.force_login(mitra_user)
    assert client.get(url(submission)).status_code == 403
    assert AccessLog.objects.count() == 0


def test_it_tells_the_kader_why_her_report_was_rejected(client, verifikator, submission):
    submission_decide(
        submission=submission,
        action=Decision.Action.REJECTED,
        user=verifikator,
        version=1,
        note="Data ganda, anak sudah terdaftar.",
    )
    client.force_login(verifikator)
    r = client.get(url(submission))
    text = parse_qs(urlsplit(r.context["whatsapp"]).query)["text"][0]
    assert text.startswith(
        f"Halo Siti Aminah, laporan GASKEN untuk Putri Ayu (kode {submission.formatted_code}) "
        "tidak dapat kami terima.\nAlasan: Data ganda, anak sudah terdaftar.\n"
    )
    assert 'id="whatsapp">Kirim pesan WhatsApp ke kader</a>' in r.content.decode()


def test_it_shows_phone_numbers_and_the_measurement_as_people_write_them(
    client, verifikator, village
):
    s = make_submission(
        village,
        kader_phone="6281234567890",
        parent_phone="6285712345678",
        height_cm="69.5",
        measurement_position=Submission.Position.LYING,
    )
    client.force_login(verifikator)
    html = client.get(url(s)).content.decode()
    assert "oleh Siti Aminah (0812-3456-7890)" in html
    assert "<dt>HP orang tua</dt><dd>0857-1234-5678</dd>" in html
    assert "<dt>Panjang/tinggi</dt><dd>69,5 cm, terlentang</dd>" in html
    assert "6281234567890" not in html.replace("wa.me/6281234567890", "")
    assert "6285712345678" not in html
    assert "diukur berbaring" not in html


def test_it_shows_a_standing_measurement_in_a_word(client, verifikator, village):
    s = make_submission(
        village,
        birth_date=date(2023, 1, 10),
        measured_on=date(2026, 1, 10),
        height_cm="88.0",
        measurement_position=Submission.Position.STANDING,
    )
    client.force_login(verifikator)
    html = client.get(url(s)).content.decode()
    assert "<dt>Panjang/tinggi</dt><dd>88,0 cm, berdiri</dd>" in html
