"""Reading the Google Form's response export (CSV or XLSX, as Google Sheets downloads it).

Before this app, kader reported children through a Google Form (guideline G.2-G.3): a
timestamp, the kader's name, kelurahan/desa, the child's name and age, the parent's name and
occupation, the address and a KK/akta upload. This module turns each row of its export into
the values of a report, or into the reasons it cannot become one. No database and no
network: villages and posyandu are passed in, Drive links are kept as text.
"""

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zipfile import BadZipFile

import openpyxl  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError

from registrations.dates import AGE_LIMIT_MONTHS, completed_months, months_before
from registrations.validators import normalize_phone

# --- Columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # what --map names
    label: str  # in messages
    headers: tuple[str, ...]  # header texts that match, compared by normalize()


COLUMNS = (
    Column("waktu", "waktu kirim", ("Timestamp", "Stempel waktu", "Cap waktu", "Waktu")),
    Column("nama_kader", "nama kader", ("Nama kader", "Nama kader posyandu", "Kader")),
    Column(
        "hp_kader",
        "nomor HP kader",
        ("No HP kader", "Nomor HP kader", "No HP/WA kader", "Nomor HP/WhatsApp kader"),
    ),
    Column(
        "kelurahan",
        "kelurahan/desa",
        (
            "Kelurahan/desa",
            "Kelurahan",
            "Desa",
            "Desa/kelurahan",
            "Kel/desa",
            "Asal kelurahan/desa",
        ),
    ),
    Column("posyandu", "posyandu", ("Posyandu", "Nama posyandu")),
    Column(
        "nama_anak",
        "nama anak",
        ("Nama anak", "Nama balita", "Nama anak yang mengalami stunting", "Nama balita stunting"),
    ),
    Column("nik_anak", "NIK anak", ("NIK anak", "NIK balita", "NIK")),
    Column("jenis_kelamin", "jenis kelamin", ("Jenis kelamin", "Jenis kelamin anak", "L/P")),
    Column("tanggal_lahir", "tanggal lahir", ("Tanggal lahir", "Tanggal lahir anak", "Tgl lahir")),
    Column("umur", "umur anak", ("Umur anak", "Umur", "Usia anak", "Usia", "Umur balita")),
    Column(
        "nama_orang_tua",
        "nama orang tua",
        ("Nama orang tua", "Nama orang tua/wali", "Nama ortu", "Orang tua"),
    ),
    Column("nama_ibu", "nama ibu", ("Nama ibu", "Nama ibu kandung")),
    Column("nama_ayah", "nama ayah", ("Nama ayah",)),
    Column(
        "pekerjaan",
        "pekerjaan orang tua",
        ("Pekerjaan orang tua", "Pekerjaan", "Pekerjaan ortu", "Pekerjaan orang tua/wali"),
    ),
    Column("alamat", "alamat", ("Alamat", "Alamat lengkap", "Alamat rumah", "Alamat (RT/RW)")),
    Column(
        "dokumen",
        "dokumen KK/akta",
        (
            "Dokumen",
            "Dokumen pendukung",
            "Dokumen (KK/akta)",
            "Dokumen KK/akta",
            "Dokumen pendukung (KK/akta kelahiran)",
            "Kartu keluarga/akta kelahiran",
            "Upload KK/akta",
            "Upload KK/akta kelahiran",
            "Upload dokumen",
            "Upload dokumen (KK/akta kelahiran)",
            "Unggah dokumen (KK/akta kelahiran)",
            "Foto KK/akta",
            "KK/akta",
        ),
    ),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
# Without these a row is not a report. The age may come as a birth date instead.
REQUIRED_KEYS = ("waktu", "nama_kader", "kelurahan", "nama_anak")
IGNORE = "-"


def normalize(text: object) -> str:
    """Lower case, letters and digits only: "Kel. Sungai-Liat " → "kelsungailiat"."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


_HEADERS = {normalize(h): c.key for c in COLUMNS for h in c.headers}


class ImportFileError(Exception):
    """The file cannot be read, or its columns cannot be matched (Indonesian message)."""


def parse_map(values: Iterable[str]) -> dict[str, str]:
    """--map "header=field" options as {normalized header: field key or "-"}."""
    mapping = {}
    for value in values:
        header, sep, key = value.rpartition("=")
        key = key.strip()
        if not sep or not normalize(header):
            raise ImportFileError(f'--map "{value}": tulis sebagai "judul kolom=nama_isian".')
        if key != IGNORE and key not in COLUMNS_BY_KEY:
            raise ImportFileError(
                f'--map "{value}": isian "{key}" tidak dikenal. Pilih salah satu: '
                f"{', '.join(COLUMNS_BY_KEY)}, atau {IGNORE} untuk mengabaikan kolom."
            )
        mapping[normalize(header)] = key
    return mapping


@dataclass
class HeaderMatch:
    columns: dict[str, int]  # field key → column index
    unused: list[str]  # headers matched to nothing


def match_headers(headers: Sequence[str], mapping: dict[str, str]) -> HeaderMatch:
    """Which column holds which field: --map first, then the known header texts."""
    columns: dict[str, int] = {}
    unused = []
    for index, header in enumerate(headers):
        norm = normalize(header)
        key = mapping.get(norm, _HEADERS.get(norm)) if norm else None
        if key is None or key == IGNORE:
            if norm:
                unused.append(header)
            continue
        if key in columns:
            first = headers[columns[key]]
            raise ImportFileError(
                f'Dua kolom untuk {COLUMNS_BY_KEY[key].label}: "{first}" dan "{header}". '
                f'Abaikan salah satu dengan --map "{header}={IGNORE}".'
            )
        columns[key] = index
    unknown = set(mapping) - {normalize(h) for h in headers}
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ImportFileError(f"--map menyebut kolom yang tidak ada di berkas: {names}.")
    missing = [COLUMNS_BY_KEY[k].label for k in REQUIRED_KEYS if k not in columns]
    if "nama_orang_tua" not in columns and "nama_ibu" not in columns:
        missing.append(COLUMNS_BY_KEY["nama_orang_tua"].label)
    if "umur" not in columns and "tanggal_lahir" not in columns:
        missing.append(COLUMNS_BY_KEY["umur"].label)
    if missing:
        raise ImportFileError(
            f"Kolom wajib tidak ditemukan: {', '.join(missing)}. "
            f"Kolom di berkas: {', '.join(repr(h) for h in headers if h)}. "
            'Tunjukkan kolomnya dengan --map "judul kolom=nama_isian" '
            f"(nama isian: {', '.join(COLUMNS_BY_KEY)})."
        )
    return HeaderMatch(columns, unused)


# --- Reading the file -------------------------------------------------------------------

Cell = str | datetime | date | int | float | Decimal | None


def read_table(path: Path) -> tuple[list[str], list[list[Cell]]]:
    """The header row and the data rows of a .csv or .xlsx export (first sheet)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise ImportFileError(f"Berkas {path.name}: hanya .csv atau .xlsx (unduhan Google Sheets).")


def _read_csv(path: Path) -> tuple[list[str], list[list[Cell]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportFileError(
            f"Berkas {path.name} bukan teks UTF-8: unduh ulang dari Google Sheets sebagai "
            "CSV (File → Download → Comma-separated values)."
        ) from e
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Cell]] = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    return _split_header(path, rows)


def _read_xlsx(path: Path) -> tuple[list[str], list[list[Cell]]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as e:
        raise ImportFileError(
            f"Berkas {path.name} bukan berkas Excel (.xlsx) yang dapat dibaca."
        ) from e
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Cell]] = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _split_header(path, rows)


def _split_header(path: Path, rows: list[list[Cell]]) -> tuple[list[str], list[list[Cell]]]:
    if not rows or not any(_text(c) for c in rows[0]):
        raise ImportFileError(f"Berkas {path.name} kosong: tidak ada baris judul kolom.")
    headers = [_text(c) for c in rows[0]]
    return headers, rows[1:]


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # an XLSX number typed as 12 comes back as 12.0
    return " ".join(str(cell).split())


# --- Values -----------------------------------------------------------------------------


class RowError(Exception):
    """A value that keeps the row from being imported (Indonesian message)."""


_TIMESTAMP_FORMATS = {
    "dmy": ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M.%S", "%d/%m/%Y"),
    "mdy": ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y"),
}
_ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")


def date_order(values: Iterable[Cell]) -> str:
    """ "dmy" or "mdy": how the export writes its timestamps. Google Sheets writes them in
    the spreadsheet's locale (Indonesia: 15/12/2024 9:03:12; United States: 12/15/2024);
    a first number above 12 means day first, a second one above 12 month first. Without
    either, the Indonesian order."""
    day_first = month_first = False
    for value in values:
        m = _SLASHED.match(value) if isinstance(value, str) else None
        if m:
            day_first |= int(m.group(1)) > 12
            month_first |= int(m.group(2)) > 12
    if day_first and month_first:
        raise ImportFileError(
            "Kolom waktu kirim mencampur urutan tanggal (hari/bulan dan bulan/hari): "
            "unduh ulang berkasnya dari Google Sheets."
        )
    return "mdy" if month_first else "dmy"


def parse_timestamp(value: Cell, order: str) -> datetime:
    """A naive local datetime from a cell of the timestamp column."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time.min)
    text = _text(value)
    if not text:
        raise RowError("waktu kirim kosong")
    for fmt in _TIMESTAMP_FORMATS[order] + _ISO_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise RowError(f'waktu kirim "{text}" tidak dapat dibaca')


_DATE_FORMATS = {
    "dmy": ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"),
    "mdy": ("%m/%d/%Y", "%Y-%m-%d"),
}


def parse_date(value: Cell, order: str) -> date:
    """A birth date from a cell, in the export's order of day and month."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in _DATE_FORMATS[order]:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(f'tanggal lahir "{text}" tidak dapat dibaca (contoh: 15/09/2022)')


@dataclass(frozen=True)
class Age:
    months: int = 0
    days: int = 0


_AGE_UNITS = {
    "tahun": "y",
    "thn": "y",
    "th": "y",
    "t": "y",
    "tahunan": "y",
    "bulan": "m",
    "bln": "m",
    "bl": "m",
    "bu": "m",
    "b": "m",
    "minggu": "w",
    "mgg": "w",
    "mg": "w",
    "hari": "d",
    "hr": "d",
    "h": "d",
}
_AGE_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-z]+)")
AGE_EXAMPLES = "contoh: 2 tahun 3 bulan, 27 bulan, 1,5 tahun"


def parse_age(text: str) -> Age:
    """An age as written on the form: "2 tahun 3 bulan", "27 bln", "1,5 tahun", "8 bulan",
    "2th 3bl", "3 minggu". Fractions of a year become whole months (1,5 tahun = 18 bulan).
    Raises RowError for text without a unit or with words it does not know."""
    source = " ".join(text.lower().split())
    if not source:
        raise RowError("umur anak kosong")
    rest = _AGE_PART.sub(" ", source)
    parts = _AGE_PART.findall(source)
    # Left over may be joining words and punctuation ("2 tahun, 3 bulan", "dan", "lebih").
    leftover = [w for w in re.findall(r"[a-z0-9]+", rest) if w not in ("dan", "lebih", "lbh")]
    if not parts or leftover:
        if re.fullmatch(r"\d+(?:[.,]\d+)?", source):
            raise RowError(f'umur "{text}" tanpa satuan tahun/bulan ({AGE_EXAMPLES})')
        raise RowError(f'umur "{text}" tidak dapat dibaca ({AGE_EXAMPLES})')
    months = Decimal(0)
    days = Decimal(0)
    seen = set()
    for number, word in parts:
        unit = _AGE_UNITS.get(word)
        if unit is None or unit in seen:
            raise RowError(f'umur "{text}" tidak dapat dibaca ({AGE_EXAMPLES})')
        seen.add(unit)
        try:
            value = Decimal(number.replace(",", "."))
        except InvalidOperation as e:  # pragma: no cover - the pattern only lets numbers in
            raise RowError(f'umur "{text}" tidak dapat dibaca ({AGE_EXAMPLES})') from e
        if unit == "y":
            months += value * 12
        elif unit == "m":
            months += value
        elif unit == "w":
            days += value * 7
        else:
            days += value
    whole_months = int(months)
    # A fraction of a month that is left ("2,5 bulan") counts as days.
    days += (months - whole_months) * 30
    return Age(months=whole_months, days=int(days))


def estimate_birth_date(age: Age, on: date) -> date:
    """The middle of the days on which a child `age` old on `on` can have been born.

    "27 bulan" on 15 December 2024 means born from 16 August to 15 September 2022: half a
    month before the latest of those days. An age in days or weeks is taken as exact."""
    born = months_before(on, age.months) - timedelta(days=age.days)
    if not age.days:
        born -= timedelta(days=15)
    return born


# --- Villages, posyandu, the rest -------------------------------------------------------

_VILLAGE_PREFIXES = ("kelurahan", "kel", "desa", "ds", "kelurahandesa", "keldesa")


@dataclass(frozen=True)
class PlaceRef:
    code: str
    name: str
    village_code: str = ""


def match_village(text: str, villages: Sequence[PlaceRef]) -> PlaceRef | None:
    """The village a kader typed: its Kemendagri code, or its name with or without
    "Kelurahan"/"Desa"/"Kel."/"Ds.", in any case and spacing ("sungai liat"), or a part of
    the name that fits one village only ("Jelutung"), also before a comma ("Matras, Sungailiat")."""
    candidates = [text] + [p for p in re.split(r"[,;/()]", text) if p.strip()]
    for candidate in candidates:
        for v in villages:
            if candidate.strip() == v.code:
                return v
        words = re.findall(r"[0-9a-z]+", candidate.lower())
        while words and words[0] in _VILLAGE_PREFIXES:
            words = words[1:]
        key = "".join(words)
        if not key:
            continue
        exact = [v for v in villages if normalize(v.name) == key]
        if len(exact) == 1:
            return exact[0]
        if len(key) >= 5:
            partial = [v for v in villages if key in normalize(v.name)]
            if len(partial) == 1:
                return partial[0]
    return None


def match_posyandu(text: str, posyandu: Sequence[PlaceRef], village_code: str) -> PlaceRef | None:
    key = normalize(re.sub(r"(?i)^\s*(posyandu|pos)\b", "", text))
    found = [p for p in posyandu if p.village_code == village_code and normalize(p.name) == key]
    return found[0] if len(found) == 1 else None


_LINK = re.compile(r"https?://[^\s,;]+")
# Where the form's uploads are: a link elsewhere, typed by anyone, is not offered to staff.
DRIVE_HOSTS = ("drive.google.com", "docs.google.com")


def split_links(text: str) -> tuple[list[str], int]:
    """The Google Drive links of a file-upload answer (Google Forms joins several with
    ", "), and how many other links it holds."""
    links, others = [], 0
    for link in _LINK.findall(text):
        parts = urlsplit(link)
        if parts.scheme == "https" and parts.hostname in DRIVE_HOSTS:
            links.append(link)
        else:
            others += 1
    return links, others


_SEX = {
    "l": "L",
    "lk": "L",
    "laki": "L",
    "lakilaki": "L",
    "pria": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
}


def parse_sex(text: str) -> str:
    return _SEX.get(normalize(text), "")


def import_key(created_at: datetime, kader_name: str, child_name: str) -> str:
    """The same row gives the same key, from the CSV or the XLSX, however it is spaced."""
    raw = f"{created_at:%Y-%m-%dT%H:%M:%S}|{normalize(kader_name)}|{normalize(child_name)}"
    return hashlib.sha256(raw.encode()).hexdigest()


# --- Rows -------------------------------------------------------------------------------

# The longest value each text field of a report holds.
MAX_LENGTHS = {
    "nama_kader": 100,
    "nama_anak": 100,
    "nama_orang_tua": 100,
    "nama_ibu": 100,
    "nama_ayah": 100,
    "pekerjaan": 100,
    "alamat": 300,
    "posyandu": 100,
}


@dataclass
class ParsedRow:
    """A row's values, cleaned; `village_code` and `posyandu_code` name the places."""

    number: int  # the row's number in the spreadsheet (the header is row 1)
    key: str
    created_at: datetime  # naive, local time
    kader_name: str
    kader_phone: str
    village_code: str
    posyandu_code: str
    posyandu_other: str
    child_name: str
    child_nik: str
    child_sex: str
    birth_date: date
    birth_date_estimated: bool
    age_text: str
    mother_name: str
    father_name: str
    parent_occupation: str
    address: str
    links: list[str]
    original: dict[str, str]
    notes: list[str] = field(default_factory=list)  # values left out, the row still imported


def parse_row(
    number: int,
    cells: Sequence[Cell],
    *,
    headers: Sequence[str],
    columns: dict[str, int],
    order: str,
    villages: Sequence[PlaceRef],
    posyandu: Sequence[PlaceRef],
    today: date,
) -> ParsedRow:
    """One data row as a report's values; raises RowError with the first reason it cannot
    be one (Indonesian, without the child's or the parents' names)."""

    def cell(key: str) -> Cell:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def text(key: str) -> str:
        value = _text(cell(key))
        limit = MAX_LENGTHS.get(key)
        if limit and len(value) > limit:
            raise RowError(
                f"{COLUMNS_BY_KEY[key].label} lebih dari {limit} karakter ({len(value)})"
            )
        return value

    created_at = parse_timestamp(cell("waktu"), order)
    if created_at.date() > today:
        raise RowError(f"waktu kirim {created_at:%d-%m-%Y} di masa depan")
    for key in REQUIRED_KEYS[1:]:
        if not text(key):
            raise RowError(f"{COLUMNS_BY_KEY[key].label} kosong")
    mother_name = text("nama_ibu") or text("nama_orang_tua")
    if not mother_name:
        raise RowError("nama orang tua kosong")

    village_text = text("kelurahan")
    village = match_village(village_text, villages)
    if village is None:
        raise RowError(
            f'kelurahan/desa "{village_text}" tidak dikenal; tulis salah satu dari: '
            + ", ".join(v.name for v in villages)
        )

    notes = []
    reported_on = created_at.date()
    age_text = text("umur")
    if _text(cell("tanggal_lahir")):
        birth_date, estimated = parse_date(cell("tanggal_lahir"), order), False
    else:
        birth_date = estimate_birth_date(parse_age(age_text), reported_on)
        estimated = True
    if birth_date > reported_on:
        raise RowError("tanggal lahir setelah waktu kirim")
    if completed_months(birth_date, reported_on) >= AGE_LIMIT_MONTHS:
        raise RowError(
            f"umur {completed_months(birth_date, reported_on)} bulan saat dilaporkan: "
            "bukan balita (di bawah 60 bulan)"
        )

    posyandu_text = text("posyandu")
    place = match_posyandu(posyandu_text, posyandu, village.code) if posyandu_text else None

    nik = re.sub(r"\D", "", text("nik_anak"))
    if text("nik_anak") and len(nik) != 16:
        notes.append("NIK anak bukan 16 angka: dikosongkan")
        nik = ""
    sex = parse_sex(text("jenis_kelamin"))
    if text("jenis_kelamin") and not sex:
        notes.append("jenis kelamin tidak dikenal: dikosongkan")
    phone = _phone(text("hp_kader"))
    if text("hp_kader") and not phone:
        notes.append("nomor HP kader tidak dikenal: dikosongkan")

    kader_name, child_name = text("nama_kader"), text("nama_anak")
    links, others = split_links(text("dokumen"))
    if others:
        notes.append(f"{others} tautan bukan Google Drive: tidak disimpan")
    elif text("dokumen") and not links:
        notes.append("kolom dokumen tanpa tautan: tidak ada berkas")
    original = {
        (h or f"kolom {i + 1}"): _text(cells[i]) if i < len(cells) else ""
        for i, h in enumerate(headers)
    }
    return ParsedRow(
        number=number,
        key=import_key(created_at, kader_name, child_name),
        created_at=created_at,
        kader_name=kader_name,
        kader_phone=phone,
        village_code=village.code,
        posyandu_code=place.code if place else "",
        posyandu_other="" if place else posyandu_text,
        child_name=child_name,
        child_nik=nik,
        child_sex=sex,
        birth_date=birth_date,
        birth_date_estimated=estimated,
        age_text=age_text,
        mother_name=mother_name,
        father_name=text("nama_ayah"),
        parent_occupation=text("pekerjaan"),
        address=text("alamat"),
        links=links,
        original=original,
        notes=notes,
    )


def _phone(text: str) -> str:
    if not text:
        return ""
    try:
        return normalize_phone(text)
    except ValidationError:
        return ""


def is_blank(cells: Sequence[Cell]) -> bool:
    return not any(_text(c) for c in cells)
