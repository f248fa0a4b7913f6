import re
from datetime import date
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
    assert "Putri Ayu" in html
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


def test_it_shows_the_nutrition_status(client, village):
    s = make_submission(
        village,
        child_sex="P",
        birth_date=date(2024, 1, 10),
        measured_on=date(2025, 1, 10),
        height_cm=Decimal("68.0"),
        weight_kg=Decimal("7.9"),
    )
    expected = growth.assess("P", date(2024, 1, 10), date(2025, 1, 10), 68.0, 7.9, True)
    html = client.get(s.get_absolute_url()).content.decode()
    assert (
        "Hasil ukur menunjukkan anak pendek menurut TB/U.</strong> "
        "Petugas kecamatan akan memverifikasi." in html
    )
    assert "TB/U" in html and "BB/U" in html and "BB/TB" in html
    assert f"{expected.haz:+.2f}".replace(".", ",").replace("-", "−") in html
    assert growth.WAZ_LABELS[expected.waz_category] in html
    assert growth.WHZ_LABELS[expected.whz_category] in html
    assert "Umur saat diukur: 12 bulan" in html
    assert 'id="measurement-flags"' not in html


def test_it_points_out_a_value_to_measure_again(client, village):
    s = make_submission(
        village,
        birth_date=date(2024, 1, 10),
        measured_on=date(2024, 6, 10),
        height_cm=Decimal("62.0"),
        weight_kg=Decimal("25.0"),
        measurement_position="standing",
    )
    html = client.get(s.get_absolute_url()).content.decode()
    assert 'id="measurement-flags"' in html
    assert "ukur ulang panjang badan dengan posisi terlentang" in html
    assert "timbang ulang berat badan" in html
    assert "dikoreksi menjadi 62,7 cm" in html


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
