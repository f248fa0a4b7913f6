"""Reports imported from the Google Form on the staff's queue and report page: marked as
such, with their estimated birth date and Drive links (for the verifikator only), and
nowhere public."""

import re
from datetime import datetime

import pytest

from tests.builders import DRIVE_LINK, make_imported_submission, make_submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

SENT = datetime(2024, 12, 15, 9, 3, 12)


@pytest.fixture
def report(village):
    return make_imported_submission(village, sent_at=SENT)


def url(s):
    return f"/verifikasi/laporan/{s.pk}/"


def test_the_report_page_requires_login(client, report):
    r = client.get(url(report))
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next={url(report)}"


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user"])
def test_other_roles_see_neither_page(client, request, report, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(report)).status_code == 403
    assert client.get("/verifikasi/").status_code == 403


def test_the_queue_marks_imported_reports_with_their_estimated_age(client, verifikator, report):
    make_submission(report.village, child_name="Putri Ayu")
    client.force_login(verifikator)
    html = client.get("/verifikasi/").content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    imported = next(r for r in rows if "Nabila Putri" in r)
    other = next(r for r in rows if "Putri Ayu" in r)
    assert "impor Google Form" in imported and "impor Google Form" not in other
    assert "±27 bln (perkiraan)" in imported
    # Oldest first: it was sent on the Google Form in 2024.
    assert html.index("Nabila Putri") < html.index("Putri Ayu")
    assert "15-12-2024 09:03" in imported


def test_the_report_page_marks_the_import_and_the_estimate(client, verifikator, report):
    client.force_login(verifikator)
    html = client.get(url(report)).content.decode()
    assert '<span class="badge badge-imported" id="imported">impor Google Form</span>' in html
    assert "dikirim lewat Google Form 15 Desember 2024 09:03 oleh Siti Rahmawati" in html
    assert "diimpor 16 Maret 2026" in html
    estimate = re.search(r'id="birth-date-estimated">(.*?)</span>', html, re.S).group(1)
    assert "±31-08-2022 (perkiraan)" in estimate
    assert "umur ±27 bulan pada 15-12-2024" in estimate
    assert "belum diketahui" in html  # sex
    assert "Google Form tidak menanyakannya" in html  # no measurement
    assert "Laporan dikirim kader lewat Google Form" in html


def test_the_verifikator_gets_the_drive_links(client, verifikator, report):
    client.force_login(verifikator)
    html = client.get(url(report)).content.decode()
    links = re.search(r'<ul id="file-links">(.*?)</ul>', html, re.S).group(1)
    assert (
        f'<a href="{DRIVE_LINK}" target="_blank" rel="noopener noreferrer">'
        "Berkas 1 di Google Drive</a>"
    ) in links
    row = re.search(r'<details id="original-row">(.*?)</details>', html, re.S).group(1)
    assert "<dt>Umur Anak</dt><dd>27 bln</dd>" in row
    assert DRIVE_LINK in row


def test_pimpinan_sees_the_marking_but_not_the_drive_links(client, pimpinan, report):
    client.force_login(pimpinan)
    html = client.get(url(report)).content.decode()
    assert 'id="imported">impor Google Form' in html
    assert DRIVE_LINK not in html and "drive.google.com" not in html
    assert "1 tautan berkas Google Drive" in html
    row = re.search(r'<details id="original-row">(.*?)</details>', html, re.S).group(1)
    assert "(tautan berkas)" in row


def test_the_public_receipt_shows_no_link_nor_import_detail(client, report):
    html = client.get(f"/lapor/status/{report.code}/").content.decode()
    assert "drive.google.com" not in html
    assert "Google Form" not in html
    assert "Nabila P." in html  # the receipt's usual short name


def test_a_kader_report_shows_no_import_marking(client, verifikator, village):
    s = make_submission(village)
    client.force_login(verifikator)
    html = client.get(url(s)).content.decode()
    assert "impor Google Form" not in html
    assert 'id="original-row"' not in html and 'id="file-links"' not in html
    assert "(perkiraan)" not in html
