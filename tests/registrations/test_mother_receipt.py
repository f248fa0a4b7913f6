"""The receipt, status and correction of a mother's report: the same pages and code as a
child's report."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.models import Document, MotherReport, MotherReportVersion
from tests.builders import (
    make_image_bytes,
    make_mother_report,
    mother_correction_data,
)

pytestmark = pytest.mark.django_db


def url(report):
    return f"/lapor/status/{report.code}/perbaiki/"


def pass_gate(client, report, phone="0812-3456-7890"):
    r = client.post(url(report), {"nomor_hp": phone})
    assert r.status_code == 302 and r.url == url(report)
    return client


@pytest.fixture
def sent_back(posyandu):
    return make_mother_report(
        posyandu.village,
        posyandu,
        status=MotherReport.Status.NEEDS_CORRECTION,
        status_message="LiLA diukur ulang, hasilnya meragukan.",
    )


def test_the_receipt_shows_the_code_status_and_kek(client, posyandu):
    report = make_mother_report(posyandu.village, posyandu)
    r = client.get(f"/lapor/status/{report.code}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Tanda terima laporan ibu" in html
    assert report.formatted_code in html
    assert 'id="status">Menunggu verifikasi</span>' in html
    assert "LiLA 22,8 cm: <strong>KEK</strong>" in html
    assert "Hb 10,5 g/dL: <strong>anemia</strong>" in html
    assert "<dd>Siti A.</dd>" in html and "<dd>Hamil</dd>" in html
    # Only the short name: the code travels in chats.
    assert "Siti Aminah" not in html and report.nik not in html
    assert f'href="/lapor/ibu/?dari={report.code}" id="next"' in html
    assert f'href="/lapor/?dari={report.code}" id="child-form-link"' in html
    assert r["Cache-Control"].startswith("no-store") or "no-store" in r["Cache-Control"]


def test_the_receipt_says_nothing_of_kek_or_anaemia_when_there_is_none(client, village):
    report = make_mother_report(village, muac_cm=Decimal("24.0"), hb_g_dl=None)
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'id="mother-flags"' not in html
    assert "<dd>24,0 cm</dd>" in html and "<dt>Hb</dt>" not in html


def test_a_childs_receipt_links_to_the_mothers_form(client, village):
    from tests.builders import make_submission

    s = make_submission(village)
    html = client.get(s.get_absolute_url()).content.decode()
    assert f'href="/lapor/ibu/?dari={s.code}" id="mother-form-link"' in html


def test_the_lookup_by_code_finds_a_mothers_report(client, village):
    report = make_mother_report(village)
    r = client.get("/lapor/status/", {"kode": report.formatted_code.lower()})
    assert r.status_code == 302 and r.url == f"/lapor/status/{report.code}/"


def test_the_status_list_answers_for_mothers_reports_too(client, village):
    from tests.builders import make_submission

    mother = make_mother_report(village, status=MotherReport.Status.VERIFIED)
    child = make_submission(village)
    r = client.get("/lapor/status/kode.json", {"kode": [mother.code, child.code, "XXXX"]})
    assert r.json() == {mother.code: "Terverifikasi", child.code: "Menunggu verifikasi"}


def test_an_unknown_code_is_404(client, db):
    assert client.get("/lapor/status/AAAABBBBCCCC/").status_code == 404
    assert client.get("/lapor/status/AAAABBBBCCCC/perbaiki/").status_code == 404


def test_the_receipt_shows_the_staff_message_and_a_correction_link(client, sent_back):
    html = client.get(sent_back.get_absolute_url()).content.decode()
    assert "Laporan perlu diperbaiki." in html
    assert "LiLA diukur ulang, hasilnya meragukan." in html
    assert f'href="{url(sent_back)}"' in html


def test_the_correction_page_asks_for_the_kaders_phone_first(client, sent_back):
    r = client.get(url(sent_back))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="gate-form"' in html and "data lengkap ibu" in html
    assert "Jl. Melati 3" not in html
    r = client.post(url(sent_back), {"nomor_hp": "0811-0000-0000"})
    assert "Nomor HP tidak cocok" in r.content.decode()
    assert "Jl. Melati 3" not in r.content.decode()


def test_a_correction_without_the_gate_saves_nothing(client, sent_back):
    r = client.post(url(sent_back), mother_correction_data(sent_back, muac_cm="24,2"))
    assert r.status_code == 403
    sent_back.refresh_from_db()
    assert (sent_back.version, sent_back.muac_cm) == (1, Decimal("22.8"))


def test_the_correction_form_is_filled_with_the_report(client, sent_back):
    pass_gate(client, sent_back)
    r = client.get(url(sent_back))
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Perbaiki laporan ibu</h1>" in html
    assert 'value="Siti Aminah"' in html and 'value="22,8"' in html
    assert 'value="0812-3456-7890"' in html
    assert 'name="consent"' not in html
    assert "(kosongkan bila tidak diganti)" in html


def test_the_correction_round_trip(client, sent_back, media_root):
    old_kk = Document.objects.get()
    pass_gate(client, sent_back)
    kk = SimpleUploadedFile("kk-baru.jpg", make_image_bytes(), "image/jpeg")
    data = mother_correction_data(sent_back, muac_cm="24,2", kk_file=kk)
    r = client.post(url(sent_back), data)
    assert r.status_code == 302 and r.url == sent_back.get_absolute_url()

    report = MotherReport.objects.get()
    assert (report.status, report.version, report.status_message) == ("pending", 2, "")
    assert (report.muac_cm, report.is_kek) == (Decimal("24.2"), False)
    old_kk.refresh_from_db()
    assert old_kk.superseded_at is not None
    assert report.documents.current().get().version == 2
    assert list(MotherReportVersion.objects.values_list("number", flat=True)) == [1, 2]

    html = client.get(report.get_absolute_url()).content.decode()
    assert "Perbaikan ke-1 sudah diterima." in html
    # Sent: the correction page leads back to the receipt.
    assert client.get(url(report)).url == report.get_absolute_url()


def test_a_correction_with_a_bad_value_keeps_the_report_as_it_was(client, sent_back):
    pass_gate(client, sent_back)
    r = client.post(url(sent_back), mother_correction_data(sent_back, muac_cm="99"))
    assert r.status_code == 200
    assert "antara 15,0 dan 45,0 cm" in r.content.decode()
    sent_back.refresh_from_db()
    assert (sent_back.version, sent_back.status) == (1, "needs_correction")
    assert MotherReportVersion.objects.count() == 1


def test_a_correction_keeps_the_stored_kk_without_a_new_one(client, sent_back):
    kk = Document.objects.get()
    pass_gate(client, sent_back)
    client.post(url(sent_back), mother_correction_data(sent_back, name="Siti Aminah Putri"))
    report = MotherReport.objects.get()
    assert (report.name, report.version) == ("Siti Aminah Putri", 2)
    assert list(report.documents.current()) == [kk]


def test_a_report_not_sent_back_goes_to_its_receipt(client, village):
    report = make_mother_report(village)
    r = client.get(url(report))
    assert r.status_code == 302 and r.url == report.get_absolute_url()
