from datetime import date
from types import SimpleNamespace

import pytest

from verification.checks import (
    INFO,
    OK,
    WARNING,
    Check,
    check_kk_number,
    check_nik,
    duplicate_reason,
    kk_issue_date,
    mother_duplicate_reason,
    names_similar,
    nik_gender_and_date,
)

BOY_BIRTH = date(2021, 3, 12)
GIRL_BIRTH = date(2022, 7, 5)
BOY_NIK = "1901011203210001"
GIRL_NIK = "1901014507220002"  # day 05 + 40


def levels(checks):
    return [c.level for c in checks]


# --- NIK ----------------------------------------------------------------------


def test_it_accepts_a_valid_boys_nik():
    assert check_nik(BOY_NIK, BOY_BIRTH, "L") == [
        Check(OK, "NIK cocok dengan tanggal lahir dan jenis kelamin.")
    ]


def test_it_accepts_a_valid_girls_nik_with_day_plus_40():
    assert check_nik(GIRL_NIK, GIRL_BIRTH, "P") == [
        Check(OK, "NIK cocok dengan tanggal lahir dan jenis kelamin.")
    ]


def test_it_reads_sex_and_date_from_the_nik():
    assert nik_gender_and_date(BOY_NIK) == ("L", BOY_BIRTH)
    assert nik_gender_and_date(GIRL_NIK) == ("P", GIRL_BIRTH)
    assert nik_gender_and_date("1901013102210001") is None
    assert nik_gender_and_date("") is None


def test_it_picks_the_last_century_for_years_in_the_future():
    assert nik_gender_and_date("1901011203950001", today=date(2025, 1, 1)) == (
        "L",
        date(1995, 3, 12),
    )


def test_it_warns_when_the_date_differs_from_the_birth_date():
    checks = check_nik(BOY_NIK, date(2021, 3, 13), "L")
    assert checks == [
        Check(
            WARNING,
            "Tanggal lahir pada NIK (12-03-21) tidak cocok dengan "
            "tanggal lahir yang dilaporkan (13-03-2021).",
        )
    ]


def test_it_compares_only_the_last_two_year_digits():
    # The NIK cannot tell 1921 from 2021, so that is not a mismatch.
    assert levels(check_nik(BOY_NIK, date(1921, 3, 12), "L")) == [OK]


def test_it_warns_when_the_year_differs():
    assert levels(check_nik(BOY_NIK, date(2022, 3, 12), "L")) == [WARNING]


@pytest.mark.parametrize(
    "ddmmyy",
    [
        "310221",  # 31 February
        "350321",  # day 35 is neither a boy's nor a girl's day
        "711121",  # girl's day 31 in November
        "121321",  # month 13
        "120021",  # month 00
        "000321",  # day 00
        "400321",  # day 40 (girl's day 00)
        "290221",  # not a leap year
    ],
)
def test_it_warns_about_impossible_dates(ddmmyy):
    checks = check_nik(f"190101{ddmmyy}0001", BOY_BIRTH, "L")
    assert checks == [
        Check(
            WARNING,
            f"Digit ke-7 sampai ke-12 NIK ({ddmmyy[0:2]}-{ddmmyy[2:4]}-{ddmmyy[4:6]}) "
            "bukan tanggal yang ada.",
        )
    ]


def test_it_accepts_29_february_in_a_leap_year():
    assert levels(check_nik("1901016902200001", date(2020, 2, 29), "P")) == [OK]
    assert levels(check_nik("1901012902000001", date(2000, 2, 29), "L")) == [OK]


def test_it_warns_when_a_girls_nik_is_reported_as_a_boy():
    assert check_nik(GIRL_NIK, GIRL_BIRTH, "L") == [
        Check(
            WARNING, "NIK menunjukkan jenis kelamin perempuan, tetapi laporan mencatat laki-laki."
        )
    ]


def test_it_warns_when_a_boys_nik_is_reported_as_a_girl():
    assert check_nik(BOY_NIK, BOY_BIRTH, "P") == [
        Check(
            WARNING, "NIK menunjukkan jenis kelamin laki-laki, tetapi laporan mencatat perempuan."
        )
    ]


def test_it_reports_both_sex_and_date_mismatches():
    assert levels(check_nik(GIRL_NIK, BOY_BIRTH, "L")) == [WARNING, WARNING]


@pytest.mark.parametrize(
    ("nik", "length"),
    [
        ("190101120321000", 15),
        ("19010112032100011", 17),
        ("19010112032100AB", 16),
        ("1901-0112-0321-0001", 19),
    ],
)
def test_it_warns_about_a_nik_that_is_not_16_digits(nik, length):
    assert check_nik(nik, BOY_BIRTH, "L") == [
        Check(WARNING, f"NIK harus tepat 16 angka (sekarang {length} karakter).")
    ]


@pytest.mark.parametrize("nik", ["", None, "   "])
def test_it_notes_an_empty_nik(nik):
    assert check_nik(nik, BOY_BIRTH, "L") == [Check(INFO, "NIK tidak diisi.")]


def test_it_ignores_surrounding_spaces():
    assert levels(check_nik(f" {BOY_NIK} ", BOY_BIRTH, "L")) == [OK]


def test_it_notes_a_nik_from_outside_sungailiat_as_info():
    checks = check_nik("1901021203210001", BOY_BIRTH, "L")
    assert checks == [
        Check(OK, "NIK cocok dengan tanggal lahir dan jenis kelamin."),
        Check(INFO, "NIK diterbitkan di luar Kecamatan Sungailiat (kode wilayah 19.01.02)."),
    ]


def test_it_notes_the_region_even_when_the_date_is_wrong():
    assert levels(check_nik("3174013102210001", BOY_BIRTH, "L")) == [WARNING, INFO]


def test_it_skips_comparisons_when_birth_date_and_sex_are_unknown():
    assert check_nik(GIRL_NIK, None, None) == [
        Check(
            OK,
            "Format NIK benar (tanggal lahir dan jenis kelamin belum diisi, tidak dibandingkan).",
        )
    ]


def test_it_skips_the_date_comparison_without_birth_date():
    assert check_nik(BOY_NIK, None, "L") == [
        Check(OK, "NIK cocok dengan jenis kelamin (tanggal lahir belum diisi, tidak dibandingkan).")
    ]
    assert levels(check_nik(BOY_NIK, None, "P")) == [WARNING]


def test_it_skips_the_sex_comparison_without_sex():
    assert check_nik(GIRL_NIK, GIRL_BIRTH, "") == [
        Check(OK, "NIK cocok dengan tanggal lahir (jenis kelamin belum diisi, tidak dibandingkan).")
    ]
    assert levels(check_nik(GIRL_NIK, BOY_BIRTH, None)) == [WARNING]


def test_it_still_checks_the_calendar_without_birth_date_or_sex():
    assert levels(check_nik("1901013102210001", None, None)) == [WARNING]


# --- KK -----------------------------------------------------------------------


def test_it_accepts_a_16_digit_kk_number_of_kabupaten_bangka():
    assert check_kk_number("1901010101200001") == [
        Check(OK, "Nomor KK berisi 16 angka, diterbitkan 01-01-2020.")
    ]


def test_it_says_nothing_about_another_kecamatan_of_kabupaten_bangka():
    # 19.01.05 is in Kabupaten Bangka too: no note, only the NIK speaks of Sungailiat.
    assert check_kk_number("1901051507190003", today=date(2026, 3, 16)) == [
        Check(OK, "Nomor KK berisi 16 angka, diterbitkan 15-07-2019.")
    ]


def test_it_notes_a_kk_number_from_outside_kabupaten_bangka():
    assert check_kk_number("1971012003150002", today=date(2026, 3, 16)) == [
        Check(OK, "Nomor KK berisi 16 angka, diterbitkan 20-03-2015."),
        Check(INFO, "Nomor KK dari luar Kabupaten Bangka (kode wilayah 19.71.01)."),
    ]


def test_it_warns_about_a_kk_number_that_only_has_16_digits():
    # Counting digits let this through: no issue date in it, and no Bangka region.
    assert check_kk_number("1234567890123456") == [
        Check(
            WARNING, "Digit ke-7 sampai ke-12 nomor KK (78-90-12) bukan tanggal terbit yang ada."
        ),
        Check(INFO, "Nomor KK dari luar Kabupaten Bangka (kode wilayah 12.34.56)."),
    ]


@pytest.mark.parametrize(
    "ddmmyy",
    ["000120", "320120", "310420", "011320", "010020", "290221", "410120"],
)
def test_it_warns_about_an_issue_date_that_does_not_exist(ddmmyy):
    checks = check_kk_number(f"190101{ddmmyy}0001", today=date(2026, 3, 16))
    assert levels(checks) == [WARNING]
    assert f"({ddmmyy[0:2]}-{ddmmyy[2:4]}-{ddmmyy[4:6]})" in checks[0].message


def test_it_reads_the_issue_date_in_the_latest_century_not_in_the_future():
    today = date(2026, 3, 16)
    assert kk_issue_date("1901011603260001", today) == date(2026, 3, 16)
    assert kk_issue_date("1901011703260001", today) == date(1926, 3, 17)
    assert kk_issue_date("1901012902240001", today) == date(2024, 2, 29)
    assert kk_issue_date("1901012902250001", today) is None
    assert kk_issue_date("19010129022500", today) is None


@pytest.mark.parametrize("kk", ["", None])
def test_it_notes_an_empty_kk_number(kk):
    assert check_kk_number(kk) == [Check(INFO, "Nomor KK tidak diisi.")]


@pytest.mark.parametrize(
    ("kk", "length"), [("190101010120000", 15), ("19010101012000011", 17), ("19010101012000AB", 16)]
)
def test_it_warns_about_a_kk_number_that_is_not_16_digits(kk, length):
    assert check_kk_number(kk) == [
        Check(WARNING, f"Nomor KK harus tepat 16 angka (sekarang {length} karakter).")
    ]


# --- names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muhammad Rizki", "Muhamad Rizky"),
        ("M. Rizki", "Muhammad Rizki"),
        ("Moch. Rizki", "Mohammad Rizki"),
        ("Nur Aini", "Noor Aini"),
        ("Nurul Aini", "Nur Aini"),
        ("Annisa", "Anisa"),
        ("Putrii", "Putri"),
        ("Fatimah", "Fatima"),
        ("Aisyah", "Aisya"),
        ("Chairul Anwar", "Khairul Anwar"),
        ("Soekarno", "Sukarno"),
        ("Djoko", "Joko"),
        ("Stephanie", "Stefani"),
        ("Siti Aminah", "aminah"),
        ("Rizki", "Muhammad Rizki"),
        ("SITI   AMINAH,", "siti aminah"),
        ("Kurniawan", "Kurniawn"),  # a typo, caught by the ratio
        # Containment: a first name alone may be the same child. The duplicate
        # rule also needs the same birth date, sex and a similar mother's name.
        ("Ahmad", "Ahmad Fauzi"),
    ],
)
def test_it_finds_similar_names(a, b):
    assert names_similar(a, b)
    assert names_similar(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Rizki", "Rina"),
        ("Rina", "Rini"),
        ("Putri Ayu", "Dewi Lestari"),
        ("Muhammad Rizki", "Muhammad Rizal"),
        ("", "Rizki"),
        ("", ""),
        (None, "Rizki"),
        ("...", "Rizki"),
        # Only a token that is not a real name part: "Nur" is not in
        # "Nurhayati" as a token, and "Nur", "Siti", "Muhammad" alone are too
        # common to count as contained.
        ("Nur", "Nurhayati Siregar"),
        ("Nur", "Nur Hayati"),
        ("Siti", "Siti Aminah"),
        ("M.", "Muhammad Rizki"),
    ],
)
def test_it_keeps_different_names_apart(a, b):
    assert not names_similar(a, b)
    assert not names_similar(b, a)


# --- duplicates ---------------------------------------------------------------


def report(**overrides):
    data = {
        "nik": "",
        "birth_date": BOY_BIRTH,
        "sex": "L",
        "child_name": "Muhammad Rizki",
        "mother_name": "Nur Aini",
    }
    data.update(overrides)
    return data


def test_it_calls_the_same_nik_a_duplicate_whatever_the_names():
    a = report(nik=BOY_NIK)
    b = report(nik=BOY_NIK, child_name="Budi", mother_name="Wati", birth_date=GIRL_BIRTH, sex="P")
    assert duplicate_reason(a, b) == "NIK sama"


def test_it_calls_similar_names_born_the_same_day_a_duplicate():
    a = report()
    b = report(child_name="M. Rizky", mother_name="Noor Aini")
    assert duplicate_reason(a, b) == "Tanggal lahir, jenis kelamin, nama anak dan nama ibu mirip"


def test_it_does_not_compare_empty_niks():
    a = report(nik="", child_name="Budi")
    b = report(nik="", child_name="Wati")
    assert duplicate_reason(a, b) is None


def test_it_needs_the_same_birth_date():
    assert duplicate_reason(report(), report(birth_date=date(2021, 3, 13))) is None
    assert duplicate_reason(report(birth_date=None), report(birth_date=None)) is None


def test_it_needs_the_same_sex():
    assert duplicate_reason(report(), report(sex="P")) is None


def test_it_needs_a_similar_mothers_name():
    assert duplicate_reason(report(), report(mother_name="Dewi Lestari")) is None


def test_it_needs_a_similar_childs_name():
    assert duplicate_reason(report(), report(child_name="Putri Ayu")) is None


def test_it_reads_objects_and_the_model_field_names():
    submission = SimpleNamespace(
        child_nik=BOY_NIK,
        child_sex="L",
        birth_date=BOY_BIRTH,
        child_name="Rizki",
        mother_name="Nur Aini",
    )
    child = SimpleNamespace(
        nik=BOY_NIK, sex="L", birth_date=BOY_BIRTH, name="Rizki", mother_name="Nur Aini"
    )
    assert duplicate_reason(submission, child) == "NIK sama"
    child.nik = ""
    assert duplicate_reason(submission, child) == (
        "Tanggal lahir, jenis kelamin, nama anak dan nama ibu mirip"
    )


# --- mothers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        (
            ("Siti Aminah", "1901014507950001", date(1995, 7, 5)),
            ("Dewi", "1901014507950001", date(1990, 1, 1)),
            "NIK sama",
        ),
        (
            ("Siti  Aminah", "", date(1995, 7, 5)),
            ("SITI AMINAH ", "1901014507950001", date(1995, 7, 5)),
            "Nama dan tanggal lahir sama",
        ),
        (
            ("Siti Aminah", "", date(1995, 7, 5)),
            ("Siti Aminnah", "", date(1995, 7, 5)),
            "Tanggal lahir sama, nama mirip",
        ),
        (("Siti Aminah", "", date(1995, 7, 5)), ("Siti Aminah", "", date(1995, 7, 6)), None),
        (("Siti Aminah", "", date(1995, 7, 5)), ("Dewi Lestari", "", date(1995, 7, 5)), None),
        (
            ("Siti Aminah", "1901014507950001", date(1995, 7, 5)),
            ("Dewi Lestari", "1901014507950002", date(1995, 7, 5)),
            None,
        ),
    ],
)
def test_mother_duplicate_reason(a, b, reason):
    def mother(name, nik, birth_date):
        return SimpleNamespace(name=name, nik=nik, birth_date=birth_date)

    assert mother_duplicate_reason(mother(*a), mother(*b)) == reason
    assert mother_duplicate_reason(mother(*b), mother(*a)) == reason
