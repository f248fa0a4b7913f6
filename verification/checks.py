"""Plain checks shown to verifikators next to a kader's report.

Nothing here blocks a report: a mismatch becomes a visible warning and a
person decides. The functions are pure (no models, no database) so the staff
pages, the admin and the tests can all call them with whatever they have.
"""

import difflib
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

OK = "ok"
WARNING = "warning"
INFO = "info"

# Kabupaten Bangka (19.01), Kecamatan Sungailiat (01).
BANGKA_REGION = "1901"
SUNGAILIAT_REGION = BANGKA_REGION + "01"

SEX_LABELS = {"L": "laki-laki", "P": "perempuan"}


class Check(NamedTuple):
    level: str  # OK, WARNING or INFO
    message: str


# --- NIK and KK ---------------------------------------------------------------


def nik_gender_and_date(nik: str | None, today: date | None = None) -> tuple[str, date] | None:
    """Return (sex, birth_date) encoded in a 16-digit NIK, or None if there is none.

    The NIK only stores two year digits; we take the most recent century that
    does not put the birth in the future, which is right for children under five.
    """
    nik = (nik or "").strip()
    if not re.fullmatch(r"[0-9]{16}", nik):
        return None
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        # Women and girls are registered with the day of birth plus 40.
        sex = "P"
        day -= 40
    today = today or date.today()
    for year in (2000 + yy, 1900 + yy):
        try:
            born = date(year, month, day)
        except ValueError:
            continue
        if born <= today:
            return sex, born
    return None


def check_nik(
    nik: str | None, birth_date: date | None = None, sex: str | None = None
) -> list[Check]:
    """Compare a NIK with the reported birth date and sex; return a list of Check."""
    nik = (nik or "").strip()
    if not nik:
        return [Check(INFO, "NIK tidak diisi.")]
    if not re.fullmatch(r"[0-9]{16}", nik):
        return [Check(WARNING, f"NIK harus tepat 16 angka (sekarang {len(nik)} karakter).")]

    checks = []
    encoded = nik_gender_and_date(nik)
    sex = (sex or "").strip().upper() or None
    if sex not in SEX_LABELS:
        sex = None

    if encoded is None:
        checks.append(
            Check(
                WARNING,
                f"Digit ke-7 sampai ke-12 NIK ({nik[6:8]}-{nik[8:10]}-{nik[10:12]}) "
                "bukan tanggal yang ada.",
            )
        )
    else:
        nik_sex, nik_date = encoded
        if sex and sex != nik_sex:
            checks.append(
                Check(
                    WARNING,
                    f"NIK menunjukkan jenis kelamin {SEX_LABELS[nik_sex]}, "
                    f"tetapi laporan mencatat {SEX_LABELS[sex]}.",
                )
            )
        # Only day, month and the last two year digits are in the NIK, so the
        # century guessed by nik_gender_and_date must not take part here.
        if birth_date and (nik_date.day, nik_date.month, nik_date.year % 100) != (
            birth_date.day,
            birth_date.month,
            birth_date.year % 100,
        ):
            checks.append(
                Check(
                    WARNING,
                    f"Tanggal lahir pada NIK ({nik_date:%d-%m-%y}) tidak cocok dengan "
                    f"tanggal lahir yang dilaporkan ({birth_date:%d-%m-%Y}).",
                )
            )
        if not checks:
            checks.append(Check(OK, _nik_ok_message(birth_date, sex)))

    region = nik[:6]
    if region != SUNGAILIAT_REGION:
        checks.append(
            Check(
                INFO,
                "NIK diterbitkan di luar Kecamatan Sungailiat "
                f"(kode wilayah {region[0:2]}.{region[2:4]}.{region[4:6]}).",
            )
        )
    return checks


def _nik_ok_message(birth_date: date | None, sex: str | None) -> str:
    # Say what was actually compared, so an "ok" never claims more than it checked.
    if birth_date and sex:
        return "NIK cocok dengan tanggal lahir dan jenis kelamin."
    if birth_date:
        return "NIK cocok dengan tanggal lahir (jenis kelamin belum diisi, tidak dibandingkan)."
    if sex:
        return "NIK cocok dengan jenis kelamin (tanggal lahir belum diisi, tidak dibandingkan)."
    return "Format NIK benar (tanggal lahir dan jenis kelamin belum diisi, tidak dibandingkan)."


def kk_issue_date(kk: str | None, today: date | None = None) -> date | None:
    """The issue date encoded in a 16-digit KK number (digits 7-12, DDMMYY), or None.

    Like the NIK, only two year digits: the most recent century that does not put the
    date in the future."""
    kk = (kk or "").strip()
    if not re.fullmatch(r"[0-9]{16}", kk):
        return None
    day, month, yy = int(kk[6:8]), int(kk[8:10]), int(kk[10:12])
    today = today or date.today()
    for year in (2000 + yy, 1900 + yy):
        try:
            issued = date(year, month, day)
        except ValueError:
            continue
        if issued <= today:
            return issued
    return None


def check_kk_number(kk: str | None, today: date | None = None) -> list[Check]:
    """Check a KK number's parts: region code (6 digits), issue date (DDMMYY), serial (4)."""
    kk = (kk or "").strip()
    if not kk:
        return [Check(INFO, "Nomor KK tidak diisi.")]
    if not re.fullmatch(r"[0-9]{16}", kk):
        return [Check(WARNING, f"Nomor KK harus tepat 16 angka (sekarang {len(kk)} karakter).")]

    checks = []
    issued = kk_issue_date(kk, today)
    if issued is None:
        checks.append(
            Check(
                WARNING,
                f"Digit ke-7 sampai ke-12 nomor KK ({kk[6:8]}-{kk[8:10]}-{kk[10:12]}) "
                "bukan tanggal terbit yang ada.",
            )
        )
    else:
        checks.append(Check(OK, f"Nomor KK berisi 16 angka, diterbitkan {issued:%d-%m-%Y}."))

    region = kk[:6]
    if region[:4] != BANGKA_REGION:
        checks.append(
            Check(
                INFO,
                "Nomor KK dari luar Kabupaten Bangka "
                f"(kode wilayah {region[0:2]}.{region[2:4]}.{region[4:6]}).",
            )
        )
    return checks


# --- Names and duplicates -----------------------------------------------------

_MUHAMMAD = {
    "muhammad",
    "muhamad",
    "muhammat",
    "muhamat",
    "mohammad",
    "mohamad",
    "mohammed",
    "mochammad",
    "mochamad",
    "muchammad",
    "muchamad",
}
# Abbreviations only mean Muhammad in front: "M. Rizki", but "Rizki M." is anyone.
_MUHAMMAD_ABBREVIATIONS = {"m", "mhd", "moch", "moh", "muh", "md"}
_NUR = {"nur", "noor", "nurul", "nuur"}

# Old (pre-1972) spellings and everyday variants, applied inside each token.
_SPELLING = [
    ("oe", "u"),  # Soekarno / Sukarno
    ("dj", "j"),  # Djoko / Joko
    ("ch", "kh"),  # Chairul / Khairul
    ("tj", "c"),  # Tjahya / Cahya
    ("ph", "f"),  # Stephanie / Stefanie
]

# Tokens so common that sharing them says nothing about being the same person.
_GENERIC_TOKENS = {"muhamad", "nur", "siti"}

# Compared after folding. A SequenceMatcher ratio of 0.85 tolerates about one
# typo per 7 letters ("Kurniawan"/"Kurniawn" is 0.94) but keeps short names that
# differ by a letter apart ("Rina"/"Rini" is 0.75, "Rizki"/"Rizqi" 0.80), and
# "Muhammad Rizki"/"Muhammad Rizal" (0.846) just below it.
SIMILARITY_THRESHOLD = 0.85


def _name_tokens(name: str | None) -> list[str]:
    name = unicodedata.normalize("NFKD", name or "")
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    tokens = re.findall(r"[a-z]+", name)
    folded = []
    for i, token in enumerate(tokens):
        if token in _MUHAMMAD or (i == 0 and token in _MUHAMMAD_ABBREVIATIONS):
            token = "muhammad"
        elif token in _NUR:
            token = "nur"
        for old, new in _SPELLING:
            token = token.replace(old, new)
        token = re.sub(r"(.)\1+", r"\1", token)  # Annisa / Anisa
        if len(token) > 2 and token.endswith("h"):
            token = token[:-1]  # Fatimah / Fatima
        if len(token) > 2 and token.endswith("y"):
            token = token[:-1] + "i"  # Rizky / Rizki
        folded.append(token)
    return folded


def names_similar(a: str | None, b: str | None) -> bool:
    """Whether two names may belong to the same person, despite spelling variants."""
    tokens_a, tokens_b = _name_tokens(a), _name_tokens(b)
    if not tokens_a or not tokens_b:
        return False
    joined_a, joined_b = " ".join(tokens_a), " ".join(tokens_b)
    if joined_a == joined_b:
        return True
    if difflib.SequenceMatcher(None, joined_a, joined_b).ratio() >= SIMILARITY_THRESHOLD:
        return True
    # A kader may write only part of a name ("Aminah" for "Siti Aminah"). Accept
    # that when the shorter name has a real name in it: "Nur" or "Muhammad" alone
    # would otherwise match half the village.
    shorter, longer = sorted((tokens_a, tokens_b), key=len)
    distinctive = [t for t in shorter if len(t) >= 3 and t not in _GENERIC_TOKENS]
    return bool(distinctive) and set(shorter) <= set(longer)


# Reports (Submission) call the fields child_nik/child_sex, verified children
# (Child) call the name just "name"; accept those spellings too.
_FIELD_ALIASES = {
    "nik": ("nik", "child_nik"),
    "sex": ("sex", "child_sex"),
    "child_name": ("child_name", "name"),
    "birth_date": ("birth_date",),
    "mother_name": ("mother_name",),
}


def _field(record: object, name: str) -> Any:
    for key in _FIELD_ALIASES[name]:
        if isinstance(record, Mapping):
            value = record.get(key)
        else:
            value = getattr(record, key, None)
        if value is not None:
            return value
    return None


def duplicate_reason(a: object, b: object) -> str | None:
    """Why two reports/children may be the same child, or None if they look different."""
    nik_a = (_field(a, "nik") or "").strip()
    nik_b = (_field(b, "nik") or "").strip()
    if nik_a and nik_a == nik_b:
        return "NIK sama"

    birth_a, birth_b = _field(a, "birth_date"), _field(b, "birth_date")
    sex_a = (_field(a, "sex") or "").strip().upper()
    sex_b = (_field(b, "sex") or "").strip().upper()
    if (
        birth_a is not None
        and birth_a == birth_b
        and sex_a
        and sex_a == sex_b
        and names_similar(_field(a, "child_name"), _field(b, "child_name"))
        and names_similar(_field(a, "mother_name"), _field(b, "mother_name"))
    ):
        return "Tanggal lahir, jenis kelamin, nama anak dan nama ibu mirip"
    return None


def normalized_name(name: str | None) -> str:
    """A name as compared for duplicates: case and spacing do not count."""
    return " ".join((name or "").split()).casefold()


def mother_duplicate_reason(a: object, b: object) -> str | None:
    """Why two mothers (reports or registered) may be the same woman, or None: the same
    NIK, or the same birth date with the same or a similar name."""
    nik_a = (getattr(a, "nik", "") or "").strip()
    nik_b = (getattr(b, "nik", "") or "").strip()
    if nik_a and nik_a == nik_b:
        return "NIK sama"
    birth_a, birth_b = getattr(a, "birth_date", None), getattr(b, "birth_date", None)
    if birth_a is None or birth_a != birth_b:
        return None
    name_a, name_b = getattr(a, "name", ""), getattr(b, "name", "")
    if normalized_name(name_a) == normalized_name(name_b):
        return "Nama dan tanggal lahir sama"
    if names_similar(name_a, name_b):
        return "Tanggal lahir sama, nama mirip"
    return None
