"""The WhatsApp messages GASKEN prepares, and their wa.me links.

Nothing is sent from the server: a page offers a wa.me link with the text typed in, and the
person who taps it reads the text and sends it from their own phone. Each builder takes plain
values (no request, no database), so every text is tested as it reads.

Who writes to whom:
- the kader keeps the receipt of a report in a chat of her choice (receipt_share_text);
- the verifikator tells the kader what became of her report (kader_decision_text);
- the verifikator tells the parents how their child is growing and what happens next
  (parent_status_text), in plain words: no z-scores, no category names.
"""

from datetime import date
from typing import NamedTuple
from urllib.parse import quote

from registrations.formats import phone_international
from registrations.models import Submission

SIGNATURE = "– Kecamatan Sungailiat"

_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def long_date(day: date) -> str:
    """10 Januari 2026."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# --- links ----------------------------------------------------------------------------


def whatsapp_link(phone: str | None, text: str = "") -> str | None:
    """A wa.me link that opens a chat with `phone` and `text` typed in; None without a phone.

    `phone` may be stored (62…) or written (0812-…): wa.me needs the international digits."""
    digits = phone_international(phone)
    if not digits:
        return None
    url = f"https://wa.me/{digits}"
    if text:
        url += "?text=" + quote(text, safe="")
    return url


def whatsapp_share_link(text: str) -> str:
    """wa.me with no number: the sender picks the chat (her own, a group)."""
    return "https://wa.me/?text=" + quote(text, safe="")


# --- to the kader -------------------------------------------------------------------------


def receipt_share_text(*, code: str, status_url: str) -> str:
    # No child's name: the link alone opens the receipt for whoever reads the chat.
    return f"Tanda terima laporan GASKEN\nKode: {code}\nCek status: {status_url}"


def kader_decision_text(
    *,
    status: str,
    kader_name: str,
    child_name: str,
    code: str,
    message: str,
    receipt_url: str,
) -> str | None:
    """What the kader is told about her report once it is decided; None while it waits.

    `message` is the verifikator's note to the kader: what to correct, or why the report was
    refused."""
    greeting = f"Halo {kader_name}, laporan GASKEN untuk {child_name} (kode {code})"
    if status == Submission.Status.NEEDS_CORRECTION:
        return (
            f"{greeting} perlu diperbaiki: {message}\n"
            f"Silakan perbaiki di {receipt_url}\nTerima kasih. {SIGNATURE}"
        )
    if status == Submission.Status.VERIFIED:
        return (
            f"{greeting} sudah diverifikasi dan anak terdaftar sebagai sasaran program.\n"
            f"Status: {receipt_url}\nTerima kasih. {SIGNATURE}"
        )
    if status == Submission.Status.REJECTED:
        return (
            f"{greeting} tidak dapat kami terima.\n"
            f"Alasan: {message}\n"
            f"Status: {receipt_url}\n"
            f"Bila ada pertanyaan, balas pesan ini. Terima kasih. {SIGNATURE}"
        )
    return None


# --- to the parents -----------------------------------------------------------------------

# How far a measurement is from what is expected, in the words a parent understands. The
# concern decides what the message says comes next.
FINE, LOW, VERY_LOW, HIGH = "fine", "low", "very_low", "high"


class Plain(NamedTuple):
    words: str
    concern: str


# Keyed by the categories of registrations.growth (HAZ_LABELS, WAZ_LABELS, WHZ_LABELS); a
# test checks that every category has its words.
HEIGHT_WORDS = {
    "sangat_pendek": Plain("jauh lebih pendek daripada anak lain seusianya", VERY_LOW),
    "pendek": Plain("lebih pendek daripada anak lain seusianya", LOW),
    "normal": Plain("sesuai untuk anak seusianya", FINE),
    "tinggi": Plain("lebih tinggi daripada anak lain seusianya", FINE),
}
WEIGHT_WORDS = {
    "bb_sangat_kurang": Plain("jauh di bawah berat anak lain seusianya", VERY_LOW),
    "bb_kurang": Plain("di bawah berat anak lain seusianya", LOW),
    "normal": Plain("sesuai untuk anak seusianya", FINE),
    "risiko_bb_lebih": Plain("sedikit di atas berat anak lain seusianya", HIGH),
}
BUILD_WORDS = {
    "gizi_buruk": Plain("sangat kurus untuk tinggi badannya", VERY_LOW),
    "gizi_kurang": Plain("kurus untuk tinggi badannya", LOW),
    "gizi_baik": Plain("sesuai dengan tinggi badannya", FINE),
    "berisiko_gizi_lebih": Plain("sedikit berlebih untuk tinggi badannya", HIGH),
    "gizi_lebih": Plain("berlebih untuk tinggi badannya", HIGH),
    "obesitas": Plain("jauh berlebih untuk tinggi badannya", HIGH),
}


def parent_status_text(
    *,
    mother_name: str,
    child_name: str,
    measured_on: date,
    height_category: str,
    weight_category: str,
    build_category: str,
) -> str | None:
    """A kind message to a child's parents: how the child measured, in plain words, and what
    happens next. None when the measurement gave no status to tell (no category at all)."""
    lines = [
        (HEIGHT_WORDS.get(height_category), "Tinggi badan"),
        (WEIGHT_WORDS.get(weight_category), "Berat badan"),
        (BUILD_WORDS.get(build_category), "Berat dibanding tinggi badan"),
    ]
    found = [(plain, label) for plain, label in lines if plain is not None]
    if not found:
        return None
    concerns = {plain.concern for plain, _ in found}

    text = [
        f"Halo Ibu {mother_name}, salam dari tim GASKEN Kecamatan Sungailiat.",
        "",
        f"Hasil timbang dan ukur {child_name} pada {long_date(measured_on)}:",
    ]
    text += [f"- {label}: {plain.words}." for plain, label in found]
    text.append("")
    if concerns & {LOW, VERY_LOW}:
        text.append(
            f"{child_name} perlu dibantu agar tumbuh lebih baik, dan Ibu tidak sendirian. "
            "Petugas kecamatan bersama Puskesmas dan mitra GASKEN akan mendampingi, misalnya "
            "dengan makanan tambahan, pemeriksaan kesehatan, dan kelas untuk orang tua. Kader "
            "atau petugas akan menghubungi Ibu untuk jadwalnya."
        )
        if VERY_LOW in concerns:
            text.append(
                f"Mohon bawa {child_name} ke Puskesmas secepatnya untuk diperiksa petugas "
                "kesehatan."
            )
    elif HIGH in concerns:
        text.append(
            f"Tanyakan kepada kader atau petugas Puskesmas tentang porsi dan jenis makanan "
            f"yang pas untuk {child_name}."
        )
    else:
        text.append(
            f"Pertumbuhan {child_name} baik. Teruskan makanan bergizi seimbang setiap hari."
        )
    text += [
        f"Bawa {child_name} ke posyandu setiap bulan untuk ditimbang dan diukur, supaya "
        "pertumbuhannya terus terpantau.",
        "",
        "Bila ada pertanyaan, balas pesan ini atau tanyakan kepada kader posyandu. Terima kasih.",
        SIGNATURE,
    ]
    return "\n".join(text)
