import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from registrations import growth
from registrations.messages import (
    BUILD_WORDS,
    HEIGHT_WORDS,
    WEIGHT_WORDS,
    kader_decision_text,
    long_date,
    parent_status_text,
    receipt_share_text,
    whatsapp_link,
    whatsapp_share_link,
)
from registrations.models import Submission

RECEIPT = "https://gasken.example.go.id/lapor/status/ABCD2345EFGH/"

# --- links ----------------------------------------------------------------------------


def test_it_builds_a_whatsapp_link():
    text = "Halo Bu Siti,\nlaporan Rizki & adiknya? Lihat https://gasken.example.go.id/lapor/?a=1"
    assert whatsapp_link("6281234567890", text) == (
        "https://wa.me/6281234567890?text="
        "Halo%20Bu%20Siti%2C%0Alaporan%20Rizki%20%26%20adiknya%3F%20Lihat%20"
        "https%3A%2F%2Fgasken.example.go.id%2Flapor%2F%3Fa%3D1"
    )


def test_it_links_to_the_chat_without_text():
    assert whatsapp_link("6281234567890", "") == "https://wa.me/6281234567890"


def test_it_links_a_number_written_the_local_way_in_its_international_form():
    assert whatsapp_link("0812-3456-7890") == "https://wa.me/6281234567890"


@pytest.mark.parametrize("phone", ["", None])
def test_it_gives_no_whatsapp_link_without_a_phone(phone):
    assert whatsapp_link(phone, "Halo") is None


def test_it_shares_a_text_to_a_chat_of_the_senders_choice():
    assert whatsapp_share_link("Kode: A & B") == "https://wa.me/?text=Kode%3A%20A%20%26%20B"


def test_it_formats_dates_the_indonesian_way():
    assert long_date(date(2026, 1, 10)) == "10 Januari 2026"
    assert long_date(date(2025, 8, 1)) == "1 Agustus 2025"


# --- to the kader -----------------------------------------------------------------------


def test_the_receipt_text_names_the_code_and_the_status_page_but_not_the_child():
    assert receipt_share_text(code="ABCD-2345-EFGH", status_url=RECEIPT) == (
        f"Tanda terima laporan GASKEN\nKode: ABCD-2345-EFGH\nCek status: {RECEIPT}"
    )


def decision_text(status, message=""):
    return kader_decision_text(
        status=status,
        kader_name="Siti Aminah",
        child_name="Putri Ayu",
        code="ABCD-2345-EFGH",
        message=message,
        receipt_url=RECEIPT,
    )


def test_it_tells_the_kader_her_report_was_verified():
    assert decision_text(Submission.Status.VERIFIED) == (
        "Halo Siti Aminah, laporan GASKEN untuk Putri Ayu (kode ABCD-2345-EFGH) sudah "
        "diverifikasi dan anak terdaftar sebagai sasaran program.\n"
        f"Status: {RECEIPT}\nTerima kasih. – Kecamatan Sungailiat"
    )


def test_it_tells_the_kader_what_to_correct_and_where():
    assert decision_text(Submission.Status.NEEDS_CORRECTION, "Foto KK buram.") == (
        "Halo Siti Aminah, laporan GASKEN untuk Putri Ayu (kode ABCD-2345-EFGH) perlu "
        "diperbaiki: Foto KK buram.\n"
        f"Silakan perbaiki di {RECEIPT}\nTerima kasih. – Kecamatan Sungailiat"
    )


def test_it_tells_the_kader_her_report_was_rejected_and_why():
    text = decision_text(Submission.Status.REJECTED, "Anak sudah berumur 6 tahun.")
    assert text == (
        "Halo Siti Aminah, laporan GASKEN untuk Putri Ayu (kode ABCD-2345-EFGH) tidak dapat "
        "kami terima.\n"
        "Alasan: Anak sudah berumur 6 tahun.\n"
        f"Status: {RECEIPT}\n"
        "Bila ada pertanyaan, balas pesan ini. Terima kasih. – Kecamatan Sungailiat"
    )


def test_it_has_nothing_to_tell_the_kader_while_her_report_waits():
    assert decision_text(Submission.Status.PENDING) is None


# --- to the parents ------------------------------------------------------------------------


def parent_text(height="normal", weight="normal", build="gizi_baik", **kwargs):
    values = {
        "mother_name": "Rina",
        "child_name": "Putri Ayu",
        "measured_on": date(2026, 3, 2),
        "height_category": height,
        "weight_category": weight,
        "build_category": build,
    }
    values.update(kwargs)
    return parent_status_text(**values)


def test_every_category_has_plain_words_for_the_parents():
    assert set(HEIGHT_WORDS) == set(growth.HAZ_LABELS)
    assert set(WEIGHT_WORDS) == set(growth.WAZ_LABELS)
    assert set(BUILD_WORDS) == set(growth.WHZ_LABELS)


def test_it_tells_the_parents_of_a_stunted_child_what_happens_next():
    assert parent_text(height="pendek") == (
        "Halo Ibu Rina, salam dari tim GASKEN Kecamatan Sungailiat.\n"
        "\n"
        "Hasil timbang dan ukur Putri Ayu pada 2 Maret 2026:\n"
        "- Tinggi badan: lebih pendek daripada anak lain seusianya.\n"
        "- Berat badan: sesuai untuk anak seusianya.\n"
        "- Berat dibanding tinggi badan: sesuai dengan tinggi badannya.\n"
        "\n"
        "Putri Ayu perlu dibantu agar tumbuh lebih baik, dan Ibu tidak sendirian. Petugas "
        "kecamatan bersama Puskesmas dan mitra GASKEN akan mendampingi, misalnya dengan makanan "
        "tambahan, pemeriksaan kesehatan, dan kelas untuk orang tua. Kader atau petugas akan "
        "menghubungi Ibu untuk jadwalnya.\n"
        "Bawa Putri Ayu ke posyandu setiap bulan untuk ditimbang dan diukur, supaya "
        "pertumbuhannya terus terpantau.\n"
        "\n"
        "Bila ada pertanyaan, balas pesan ini atau tanyakan kepada kader posyandu. Terima kasih.\n"
        "– Kecamatan Sungailiat"
    )


@pytest.mark.parametrize(
    "categories",
    [
        {"height": "sangat_pendek"},
        {"weight": "bb_sangat_kurang"},
        {"build": "gizi_buruk"},
    ],
)
def test_it_asks_the_parents_to_see_the_puskesmas_soon_when_it_is_serious(categories):
    text = parent_text(**categories)
    assert "perlu dibantu agar tumbuh lebih baik" in text
    assert "Mohon bawa Putri Ayu ke Puskesmas secepatnya untuk diperiksa" in text


@pytest.mark.parametrize(
    "categories", [{"height": "pendek"}, {"weight": "bb_kurang"}, {"build": "gizi_kurang"}]
)
def test_it_offers_help_without_alarm_when_it_is_not_serious(categories):
    text = parent_text(**categories)
    assert "Ibu tidak sendirian" in text
    assert "secepatnya" not in text


def test_it_tells_the_parents_of_a_child_growing_well_to_carry_on():
    text = parent_text(height="tinggi")
    assert "- Tinggi badan: lebih tinggi daripada anak lain seusianya." in text
    assert "Pertumbuhan Putri Ayu baik. Teruskan makanan bergizi seimbang setiap hari." in text
    assert "dibantu" not in text and "Puskesmas secepatnya" not in text
    assert "Bawa Putri Ayu ke posyandu setiap bulan" in text


@pytest.mark.parametrize(
    "categories", [{"weight": "risiko_bb_lebih"}, {"build": "obesitas"}, {"build": "gizi_lebih"}]
)
def test_it_suggests_asking_about_food_for_a_child_above_the_range(categories):
    text = parent_text(**categories)
    assert "porsi dan jenis makanan yang pas untuk Putri Ayu" in text
    assert "Pertumbuhan Putri Ayu baik" not in text


def test_it_leaves_out_what_was_not_measured():
    text = parent_text(height="", build="")
    assert "Berat badan: sesuai" in text
    assert "Tinggi badan" not in text and "Berat dibanding" not in text


def test_it_has_nothing_to_tell_without_any_status():
    assert parent_text(height="", weight="", build="") is None


@pytest.mark.parametrize(
    "height,weight,build",
    [
        (h, w, b)
        for h in growth.HAZ_LABELS
        for w in growth.WAZ_LABELS
        for b in ("gizi_buruk", "gizi_baik", "obesitas")
    ],
)
def test_it_speaks_to_parents_without_numbers_or_jargon(height, weight, build):
    text = parent_text(height=height, weight=weight, build=build)
    # No z-score, no SD, no category names of the staff pages.
    assert not re.search(r"[−+-]?\d+,\d", text)
    words = text.lower()
    for jargon in ["z-score", " sd", "tb/u", "bb/u", "bb/tb", "stunting", "gizi buruk", "obesitas"]:
        assert jargon not in words
    # "Pendek" and "tinggi" are plain words; the staff pages' labels of two words or more
    # ("Sangat pendek", "Berat badan kurang", "Gizi kurang") are categories.
    labels = [*growth.HAZ_LABELS.values(), *growth.WAZ_LABELS.values(), *growth.WHZ_LABELS.values()]
    for label in labels:
        if " " in label:
            assert label.lower() not in words
    # A WhatsApp message opens on the parent's phone: short enough to read there.
    assert len(text) < 1200


def test_the_parent_message_opens_in_whatsapp_to_the_parents_phone():
    link = whatsapp_link("6281311112222", parent_text(height="pendek"))
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("wa.me", "/6281311112222")
    assert parse_qs(parts.query)["text"][0].startswith("Halo Ibu Rina,")
