"""The rules that read the Google Form's export: ages, villages, columns, timestamps."""

from datetime import date, datetime

import pytest

from registrations import google_form as gf
from registrations.google_form import Age, ImportFileError, PlaceRef, RowError

VILLAGES = [
    PlaceRef("19.01.01.1001", "Sungailiat"),
    PlaceRef("19.01.01.1002", "Sri Menanti"),
    PlaceRef("19.01.01.1004", "Sinar Baru"),
    PlaceRef("19.01.01.1008", "Sinar Jaya Jelutung"),
    PlaceRef("19.01.01.1009", "Matras"),
    PlaceRef("19.01.01.1012", "Lubuk Kelik"),
    PlaceRef("19.01.01.2007", "Rebo"),
]


@pytest.mark.parametrize(
    "text, months, days",
    [
        ("2 tahun 3 bulan", 27, 0),
        ("27 bln", 27, 0),
        ("27 bulan", 27, 0),
        ("1,5 tahun", 18, 0),
        ("1.5 th", 18, 0),
        ("8 bulan", 8, 0),
        ("3 thn", 36, 0),
        ("2th 6bl", 30, 0),
        ("2 Tahun, 3 Bulan", 27, 0),
        ("2 tahun dan 3 bulan", 27, 0),
        ("4 tahun lebih", 48, 0),
        ("0 bulan", 0, 0),
        ("3 minggu", 0, 21),
        ("10 hari", 0, 10),
        ("1 tahun 2 bulan 10 hari", 14, 10),
        ("2,5 bulan", 2, 15),
    ],
)
def test_it_reads_ages(text, months, days):
    assert gf.parse_age(text) == Age(months=months, days=days)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "umur anak kosong"),
        ("27", 'umur "27" tanpa satuan tahun/bulan'),
        ("2", 'umur "2" tanpa satuan tahun/bulan'),
        ("dua tahun", 'umur "dua tahun" tidak dapat dibaca'),
        ("2 tahun 3 tahun", 'umur "2 tahun 3 tahun" tidak dapat dibaca'),
        ("2 dekade", 'umur "2 dekade" tidak dapat dibaca'),
        ("sekitar 2 tahun", 'umur "sekitar 2 tahun" tidak dapat dibaca'),
    ],
)
def test_it_refuses_ages_it_cannot_read(text, reason):
    with pytest.raises(RowError) as e:
        gf.parse_age(text)
    assert str(e.value).startswith(reason)
    if text:
        assert "contoh: 2 tahun 3 bulan, 27 bulan, 1,5 tahun" in str(e.value)


@pytest.mark.parametrize(
    "age, on, born",
    [
        # 27 completed months on 15-12-2024: born 16-08-2022 … 15-09-2022; the middle.
        (Age(months=27), date(2024, 12, 15), date(2022, 8, 31)),
        (Age(months=18), date(2025, 1, 7), date(2023, 6, 22)),
        # The day clamps to the month's end: 31 March less 1 month is 28 February.
        (Age(months=1), date(2025, 3, 31), date(2025, 2, 13)),
        (Age(months=0), date(2025, 3, 31), date(2025, 3, 16)),
        # Days and weeks are taken as they are.
        (Age(days=21), date(2025, 3, 31), date(2025, 3, 10)),
        (Age(months=14, days=10), date(2025, 3, 31), date(2024, 1, 21)),
    ],
)
def test_it_estimates_the_birth_date_in_the_middle_of_the_possible_days(age, on, born):
    assert gf.estimate_birth_date(age, on) == born


@pytest.mark.parametrize(
    "text, code",
    [
        ("Kel. Sungailiat", "19.01.01.1001"),
        ("sungai liat", "19.01.01.1001"),
        ("SUNGAILIAT", "19.01.01.1001"),
        ("Kelurahan Sri Menanti", "19.01.01.1002"),
        ("srimenanti", "19.01.01.1002"),
        ("Desa Rebo", "19.01.01.2007"),
        ("Ds. Rebo", "19.01.01.2007"),
        ("rebo", "19.01.01.2007"),
        ("Matras, Sungailiat", "19.01.01.1009"),
        ("Kel/Desa: Lubuk Kelik", "19.01.01.1012"),
        ("Sinar Jaya", "19.01.01.1008"),
        ("Jelutung", "19.01.01.1008"),
        ("19.01.01.1009", "19.01.01.1009"),
    ],
)
def test_it_matches_common_spellings_of_a_village(text, code):
    assert gf.match_village(text, VILLAGES).code == code


@pytest.mark.parametrize("text", ["Desa Sukamaju", "Sinar", "Kelurahan", "", "Kel. Matraz"])
def test_it_matches_no_village_for_unknown_or_ambiguous_names(text):
    # "Sinar" fits both Sinar Baru and Sinar Jaya Jelutung.
    assert gf.match_village(text, VILLAGES) is None


def test_it_matches_headers_ignoring_case_spacing_and_punctuation():
    headers = [
        "Stempel waktu",
        "Email Address",
        "NAMA KADER",
        "Kelurahan / Desa",
        "Nama  Anak",
        "Umur anak:",
        "Nama Orang Tua",
        "Pekerjaan Orang Tua",
        "Alamat",
        "Upload Dokumen (KK/Akta Kelahiran)",
    ]
    matched = gf.match_headers(headers, {})
    assert matched.columns == {
        "waktu": 0,
        "nama_kader": 2,
        "kelurahan": 3,
        "nama_anak": 4,
        "umur": 5,
        "nama_orang_tua": 6,
        "pekerjaan": 7,
        "alamat": 8,
        "dokumen": 9,
    }
    assert matched.unused == ["Email Address"]


def test_it_names_the_columns_it_cannot_find():
    headers = ["Timestamp", "Nama Kader", "Kelurahan", "Nama Balita Yang Diukur", "Umur"]
    with pytest.raises(ImportFileError) as e:
        gf.match_headers(headers, {})
    message = str(e.value)
    assert message.startswith("Kolom wajib tidak ditemukan: nama anak, nama orang tua.")
    assert "'Nama Balita Yang Diukur'" in message
    assert '--map "judul kolom=nama_isian"' in message


def test_map_matches_a_header_and_can_ignore_one():
    headers = ["Timestamp", "Kader", "Nama kader", "Desa", "Nama Balita Yang Diukur", "Usia", "Ibu"]
    mapping = gf.parse_map(["nama balita yang diukur=nama_anak", "Ibu=nama_orang_tua", "Kader=-"])
    matched = gf.match_headers(headers, mapping)
    assert matched.columns["nama_anak"] == 4
    assert matched.columns["nama_orang_tua"] == 6
    assert matched.columns["nama_kader"] == 2
    assert matched.unused == ["Kader"]


def test_two_columns_for_one_field_need_a_map():
    headers = ["Timestamp", "Kader", "Nama kader", "Desa", "Nama anak", "Usia", "Nama ibu"]
    with pytest.raises(ImportFileError) as e:
        gf.match_headers(headers, {})
    assert str(e.value) == (
        'Dua kolom untuk nama kader: "Kader" dan "Nama kader". '
        'Abaikan salah satu dengan --map "Nama kader=-".'
    )


@pytest.mark.parametrize(
    "value, message",
    [
        ("Nama anak", '--map "Nama anak": tulis sebagai "judul kolom=nama_isian".'),
        ("=nama_anak", '--map "=nama_anak": tulis sebagai "judul kolom=nama_isian".'),
        ("Nama anak=child", '--map "Nama anak=child": isian "child" tidak dikenal.'),
    ],
)
def test_it_refuses_a_bad_map(value, message):
    with pytest.raises(ImportFileError) as e:
        gf.parse_map([value])
    assert str(e.value).startswith(message)


def test_a_map_must_name_a_column_of_the_file():
    with pytest.raises(ImportFileError) as e:
        gf.match_headers(["Timestamp"], gf.parse_map(["Nama Balita=nama_anak"]))
    assert str(e.value) == "--map menyebut kolom yang tidak ada di berkas: namabalita."


@pytest.mark.parametrize(
    "values, order",
    [
        (["15/12/2024 9:03:12", "2/1/2025 8:00:00"], "dmy"),
        (["12/15/2024 9:03:12", "2/1/2025 8:00:00"], "mdy"),
        (["2/1/2025 8:00:00", "3/1/2025 8:00:00"], "dmy"),  # undecided: Indonesian order
        ([datetime(2024, 12, 15, 9, 3), None, ""], "dmy"),
    ],
)
def test_it_reads_the_date_order_of_the_export(values, order):
    assert gf.date_order(values) == order


def test_it_refuses_mixed_date_orders():
    with pytest.raises(ImportFileError):
        gf.date_order(["15/12/2024 9:03:12", "12/15/2024 9:03:12"])


@pytest.mark.parametrize(
    "value, order, expected",
    [
        ("15/12/2024 9:03:12", "dmy", datetime(2024, 12, 15, 9, 3, 12)),
        ("12/15/2024 9:03:12", "mdy", datetime(2024, 12, 15, 9, 3, 12)),
        ("15/12/2024 09.03.12", "dmy", datetime(2024, 12, 15, 9, 3, 12)),
        ("2024-12-15 09:03:12", "mdy", datetime(2024, 12, 15, 9, 3, 12)),
        (datetime(2024, 12, 15, 9, 3, 12, 500), "dmy", datetime(2024, 12, 15, 9, 3, 12)),
    ],
)
def test_it_reads_timestamps(value, order, expected):
    assert gf.parse_timestamp(value, order) == expected


def test_it_refuses_a_timestamp_it_cannot_read():
    with pytest.raises(RowError, match='waktu kirim "kemarin" tidak dapat dibaca'):
        gf.parse_timestamp("kemarin", "dmy")


def test_it_keeps_only_the_google_drive_links_of_the_uploads():
    text = (
        "https://drive.google.com/open?id=AAA, https://docs.google.com/document/d/BBB;"
        " javascript:alert(1) foto.jpg http://drive.google.com/open?id=CCC"
        " https://drive.google.com.evil.example/open?id=DDD https://bit.ly/xyz"
    )
    assert gf.split_links(text) == (
        ["https://drive.google.com/open?id=AAA", "https://docs.google.com/document/d/BBB"],
        3,
    )


def test_the_key_ignores_case_and_spacing_of_the_names():
    at = datetime(2024, 12, 15, 9, 3, 12)
    assert gf.import_key(at, "Siti  Rahmawati", "Nabila Putri") == gf.import_key(
        at, "siti rahmawati", "NABILA PUTRI "
    )
    assert gf.import_key(at, "Siti Rahmawati", "Nabila Putri") != gf.import_key(
        at.replace(second=13), "Siti Rahmawati", "Nabila Putri"
    )
