import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape
from urllib.parse import unquote

import pytest

from registrations import growth
from registrations.models import RECEIPT_ALPHABET, Submission, make_receipt_code
from tests.builders import make_submission

pytestmark = pytest.mark.django_db


def test_it_shows_status_and_summary(client, posyandu):
    s = make_submission(posyandu.village, posyandu, documents=("kk", "akta"))
    r = client.get(f"/lapor/status/{s.code}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert s.formatted_code in html
    assert "Menunggu verifikasi" in html
    assert "Putri A." in html
    assert "Posyandu Melati" in html
    assert "Akta kelahiran, Kartu Keluarga" in html
    assert "Laporkan anak lain" in html
    assert f'href="/lapor/?dari={s.code}"' in html
    # No document images or links on a page anyone with the code can open.
    assert "<img" not in html
    assert "/dokumen/" not in html
    assert r["Cache-Control"].startswith("max-age=0")


def test_it_shows_the_other_posyandu_name(client, village):
    s = make_submission(village)
    assert "Anggrek (posyandu lain)" in client.get(s.get_absolute_url()).content.decode()


def test_it_shows_the_current_status(client, village):
    s = make_submission(village, status=Submission.Status.REJECTED)
    assert "Ditolak" in client.get(s.get_absolute_url()).content.decode()


def test_it_returns_404_for_unknown_code(client, db):
    assert client.get("/lapor/status/AAAABBBBCCCC/").status_code == 404


def test_it_does_not_accept_the_primary_key(client, village):
    s = make_submission(village)
    assert client.get(f"/lapor/status/{s.pk}/").status_code == 404


def test_receipt_codes_are_random_and_not_sequential(village):
    codes = [make_submission(village, documents=()).code for _ in range(20)]
    assert len(set(codes)) == 20
    for code in codes:
        assert re.fullmatch(f"[{RECEIPT_ALPHABET}]{{12}}", code)
    # Codes carry no order: sorting them does not give creation order.
    assert codes != sorted(codes)
    ids = list(Submission.objects.order_by("pk").values_list("code", flat=True))
    assert ids == codes


def test_receipt_code_space_is_large():
    # 31 symbols, 12 positions: about 8 × 10^17 codes; guessing one of even a million
    # reports takes ~10^11 tries.
    assert len(RECEIPT_ALPHABET) ** 12 > 10**17
    sample = {make_receipt_code() for _ in range(10_000)}
    assert len(sample) == 10_000
    # Every symbol is used in every position (no fixed prefix or counter).
    for position in range(12):
        assert len({c[position] for c in sample}) == len(RECEIPT_ALPHABET)


def test_it_shows_only_what_the_kader_needs(client, village):
    s = make_submission(
        village,
        child_name="Muhammad Rizki Pratama",
        child_sex="L",
        birth_date=date(2024, 1, 10),
        measured_on=date(2025, 1, 10),
        height_cm=Decimal("68.0"),
        weight_kg=Decimal("7.9"),
        mother_name="Rina Wati",
        child_nik="1901015001240007",
        kk_number="1901010101240001",
        address="Jl. Mawar RT 1",
    )
    s.created_at = datetime(2025, 1, 10, 2, 30, tzinfo=UTC)
    s.save(update_fields=["created_at"])
    html = client.get(s.get_absolute_url()).content.decode()
    summary = html.split('id="report-summary"')[1].split("</dl>")[0]
    labels = re.findall(r"<dt>([^<]+)</dt>", summary)
    assert labels == ["Dikirim", "Kelurahan/desa", "Posyandu", "Anak", "Dokumen"]
    assert "<dd>10 Januari 2025, 09:30 WIB</dd>" in summary
    assert "<dd>Muhammad R.</dd>" in summary
    assert "<dd>Kartu Keluarga</dd>" in summary
    assert "Menunggu verifikasi" in html
    # Nothing that identifies the child or tells its nutrition status.
    for absent in (
        "Rizki",
        "Pratama",
        "Rina Wati",
        "Siti Aminah",
        "Laki-laki",
        "Tanggal lahir",
        "10 Januari 2024",
        "Nama ibu",
        "1901015001240007",
        "1901010101240001",
        "Jl. Mawar",
        "6281234567890",
        "081234567890",
        "68,0",
        "7,9",
        "TB/U",
        "BB/U",
        "BB/TB",
        "Z-score",
        "pendek",
        "Hasil penilaian",
        "Umur saat diukur",
    ):
        assert absent not in html, absent
    assert 'id="measurement-flags"' not in html


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Muhammad Rizki", "Muhammad R."),
        ("Putri ayu lestari", "Putri A."),
        ("  Bunga  ", "Bunga"),
        ("Bunga", "Bunga"),
    ],
)
def test_the_short_child_name(name, short):
    assert Submission(child_name=name).short_child_name == short


def test_it_points_out_a_value_to_measure_again(client, village):
    s = make_submission(
        village,
        birth_date=date(2024, 1, 10),
        measured_on=date(2024, 6, 10),
        height_cm=Decimal("62.0"),
        weight_kg=Decimal("25.0"),
        measurement_position="standing",
    )
    assert "height_adjusted" in s.measurement.flags
    html = client.get(s.get_absolute_url()).content.decode()
    flags = html.split('id="measurement-flags"')[1].split("</div>")[0]
    assert "Periksa lagi hasil ukur" in flags
    assert growth.FLAG_LABELS["standing_under_9_months"] in flags
    assert growth.FLAG_LABELS["waz_implausible"] in flags
    # The routine position correction is no mistake, and the values stay off the page.
    assert growth.FLAG_LABELS["height_adjusted"] not in html
    assert "62,7" not in html and "62,0" not in html and "25,0" not in html


@pytest.mark.parametrize(
    ("status", "shown"),
    [("pending", True), ("needs_correction", True), ("verified", False), ("rejected", False)],
)
def test_the_measuring_advice_is_shown_while_the_kader_can_act(client, village, status, shown):
    s = make_submission(
        village,
        birth_date=date(2024, 1, 10),
        measured_on=date(2024, 6, 10),
        weight_kg=Decimal("25.0"),
        status=status,
    )
    html = client.get(s.get_absolute_url()).content.decode()
    assert ('id="measurement-flags"' in html) is shown


def test_it_offers_to_keep_the_code_in_a_whatsapp_chat(client, village):
    s = make_submission(village, code="AEDVGE7UKE2D")
    html = client.get(s.get_absolute_url()).content.decode()
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*id="share-whatsapp">([^<]+)</a>', html)
    assert link.group(2) == "Bagikan lewat WhatsApp"
    url = unescape(link.group(1))
    assert url.startswith("https://wa.me/?text=")
    text = unquote(url.removeprefix("https://wa.me/?text="))
    assert text == (
        "Tanda terima laporan GASKEN\n"
        "Kode: AEDV-GE7U-KE2D\n"
        "Cek status: https://gasken.example.go.id/lapor/status/AEDVGE7UKE2D/"
    )
    assert "Putri" not in text
