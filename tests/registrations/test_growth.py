import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from registrations.growth import (
    FLAG_LABELS,
    HAZ_LABELS,
    STUNTED,
    WAZ_LABELS,
    WHZ_LABELS,
    assess,
    length_for_age_rows,
    weight_for_age_rows,
)

SAMPLE_CSV = Path(__file__).parent / "who_reference_sample.csv"
BIRTH = datetime.date(2022, 1, 1)

# Rows copied by hand from registrations/who/*.txt as (L, M, S), so that these tests check the
# module's lookups against the published numbers rather than against themselves.
LENGTH_FOR_AGE = {  # lenanthro.txt: "L" rows up to day 730, "H" rows from day 731
    ("L", 0): (1, 49.8842, 0.03795),
    ("P", 0): (1, 49.1477, 0.0379),
    ("L", 250): (1, 70.8967, 0.03122),
    ("L", 300): (1, 73.096, 0.03118),
    ("L", 365): (1, 75.7391, 0.03137),
    ("L", 700): (1, 86.9392, 0.03445),
    ("L", 730): (1, 87.8018, 0.03479),
    ("P", 730): (1, 86.4008, 0.03733),
    ("L", 731): (1, 87.1303, 0.03508),
    ("P", 731): (1, 85.7299, 0.03764),
    ("L", 800): (1, 89.0391, 0.03586),
    ("P", 800): (1, 87.6853, 0.03814),
    ("L", 1000): (1, 93.9706, 0.03783),
    ("L", 1825): (1, 109.9414, 0.04214),
    ("L", 1826): (1, 109.9593, 0.04214),
}
WEIGHT_FOR_AGE = {  # weianthro.txt
    ("L", 0): (0.3487, 3.3464, 0.14602),
    ("P", 0): (0.3809, 3.2322, 0.14171),
    ("L", 300): (0.0834, 9.1282, 0.10889),
    ("L", 365): (0.0645, 9.646, 0.10925),
    ("P", 365): (-0.2022, 8.9462, 0.12267),
    ("L", 730): (-0.0136, 12.1482, 0.11425),
    ("P", 730): (-0.294, 11.4741, 0.12389),
    ("L", 731): (-0.0137, 12.1548, 0.11427),
    ("P", 731): (-0.2942, 11.4809, 0.1239),
    ("L", 1000): (-0.0558, 13.8057, 0.11945),
    ("L", 1825): (-0.1505, 18.3298, 0.13515),
    ("L", 1826): (-0.1506, 18.3352, 0.13517),
}
WEIGHT_FOR_LENGTH = {  # wflanthro.txt, used below 731 days
    ("L", 49.9): (-0.3521, 3.3075, 0.08896),
    ("P", 49.1): (-0.3833, 3.1749, 0.09061),
    ("L", 72.6): (-0.3521, 9.0005, 0.08263),
    ("L", 87.0): (-0.3521, 11.9916, 0.08111),
    ("P", 87.0): (-0.3833, 11.7201, 0.08895),
    ("L", 87.7): (-0.3521, 12.1645, 0.0809),
    ("P", 85.3): (-0.3833, 11.2939, 0.08897),
    ("P", 85.4): (-0.3833, 11.3187, 0.08897),
    ("L", 107.4): (-0.3521, 17.3909, 0.08592),
    ("L", 107.5): (-0.3521, 17.4237, 0.08599),
}
WEIGHT_FOR_HEIGHT = {  # wfhanthro.txt, used from 731 days
    ("P", 65.0): (-0.3833, 7.2402, 0.09113),
    ("L", 86.3): (-0.3521, 11.9916, 0.08111),
    ("L", 87.0): (-0.3521, 12.1645, 0.0809),
    ("P", 87.0): (-0.3833, 11.8965, 0.08896),
    ("L", 95.2): (-0.3521, 14.1083, 0.08064),
    ("L", 95.3): (-0.3521, 14.1325, 0.08067),
    ("L", 100.0): (-0.3521, 15.3576, 0.08229),
}


def on_day(days):
    return BIRTH + datetime.timedelta(days=days)


def z_of(y, L, M, S):
    return ((y / M) ** L - 1) / (L * S)


def sd(z, L, M, S):
    return M * (1 + L * S * z) ** (1 / L)


def restricted_z_of(y, L, M, S):
    z = z_of(y, L, M, S)
    if z > 3:
        return 3 + (y - sd(3, L, M, S)) / (sd(3, L, M, S) - sd(2, L, M, S))
    if z < -3:
        return -3 + (y - sd(-3, L, M, S)) / (sd(-2, L, M, S) - sd(-3, L, M, S))
    return z


def restricted_value_at(z, L, M, S):
    """The measurement whose (restricted) z-score is exactly z."""
    if z > 3:
        return sd(3, L, M, S) + (z - 3) * (sd(3, L, M, S) - sd(2, L, M, S))
    if z < -3:
        return sd(-3, L, M, S) + (z + 3) * (sd(-2, L, M, S) - sd(-3, L, M, S))
    return sd(z, L, M, S)


def interpolated(low, high, fraction):
    return tuple(a + fraction * (b - a) for a, b in zip(low, high, strict=True))


# --- WHO reference sample ---------------------------------------------------------------------

# Flags of the sample's generator that have a counterpart here. Its "*_restricted_lms" flags
# only say the restricted method was used, which is not a warning, so they have none.
SAMPLE_FLAG_NAMES = {
    "haz_implausible_abs_gt_6": "haz_implausible",
    "wflh_length_out_of_table_range": "height_outside_wh_table",
}


def sample_params():
    with open(SAMPLE_CSV, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for line, row in enumerate(rows, start=2):
        age_days = (
            datetime.date.fromisoformat(row["measured_on"])
            - datetime.date.fromisoformat(row["birth_date"])
        ).days
        yield pytest.param(row, id=f"line{line}-{row['sex']}-{age_days}d")


@pytest.mark.parametrize("row", list(sample_params()))
def test_it_matches_the_who_reference_sample(row):
    result = assess(
        row["sex"],
        datetime.date.fromisoformat(row["birth_date"]),
        datetime.date.fromisoformat(row["measured_on"]),
        float(row["height_cm"]),
        float(row["weight_kg"]),
        {"true": True, "false": False, "": None}[row["measured_lying"]],
    )

    for indicator in ("haz", "waz", "whz"):
        got = getattr(result, indicator)
        expected = row[indicator]
        if expected == "":
            assert got is None, indicator
        else:
            # The sample has 3 decimals (±0.0005), we show 2 (±0.005): they describe the same
            # z-score exactly when they are at most 0.0055 apart. Comparing with
            # round(expected, 2) instead would fail on ties such as 0.125 (really 0.12507).
            assert got is not None, indicator
            assert abs(got - float(expected)) <= 0.0055 + 1e-9, (indicator, got, expected)
        assert getattr(result, f"{indicator}_category") == (row[f"{indicator}_category"] or None)

    sample_flags = {SAMPLE_FLAG_NAMES.get(f) for f in row["flags"].split(";") if f} - {None}
    warning_flags = set(SAMPLE_FLAG_NAMES.values())
    assert result.flags & warning_flags == sample_flags


# --- ages and the table switch ------------------------------------------------------------------


@pytest.mark.parametrize(
    "birth_date, measured_on, months",
    [
        (datetime.date(2021, 1, 31), datetime.date(2021, 2, 28), 0),
        (datetime.date(2021, 1, 15), datetime.date(2021, 2, 15), 1),
        (datetime.date(2021, 1, 15), datetime.date(2021, 2, 14), 0),
        (datetime.date(2020, 2, 29), datetime.date(2021, 2, 28), 11),
        (datetime.date(2020, 2, 29), datetime.date(2021, 3, 1), 12),
        (datetime.date(2021, 12, 20), datetime.date(2022, 1, 20), 1),
        (datetime.date(2021, 12, 20), datetime.date(2026, 12, 19), 59),
    ],
)
def test_it_counts_completed_calendar_months(birth_date, measured_on, months):
    result = assess("L", birth_date, measured_on)
    assert result.age_months == months
    assert result.age_days == (measured_on - birth_date).days


@pytest.mark.parametrize("sex, height, weight", [("L", 49.9, 3.3), ("P", 49.1, 3.2)])
def test_it_scores_day_zero(sex, height, weight):
    result = assess(sex, BIRTH, BIRTH, height, weight, lying=True)

    assert result.age_days == 0
    assert result.age_months == 0
    assert result.haz == round(z_of(height, *LENGTH_FOR_AGE[sex, 0]), 2)
    assert result.waz == round(restricted_z_of(weight, *WEIGHT_FOR_AGE[sex, 0]), 2)
    assert result.whz == round(restricted_z_of(weight, *WEIGHT_FOR_LENGTH[sex, height]), 2)
    assert result.flags == set()


@pytest.mark.parametrize("sex", ["L", "P"])
def test_it_switches_from_length_to_height_tables_at_day_731(sex):
    # No position recorded: no adjustment, so only the tables change between the two days.
    day_730 = assess(sex, BIRTH, on_day(730), 87.0, 12.0)
    day_731 = assess(sex, BIRTH, on_day(731), 87.0, 12.0)

    assert day_730.haz == round(z_of(87.0, *LENGTH_FOR_AGE[sex, 730]), 2)
    assert day_731.haz == round(z_of(87.0, *LENGTH_FOR_AGE[sex, 731]), 2)
    assert day_730.waz == round(z_of(12.0, *WEIGHT_FOR_AGE[sex, 730]), 2)
    assert day_731.waz == round(z_of(12.0, *WEIGHT_FOR_AGE[sex, 731]), 2)
    assert day_730.whz == round(z_of(12.0, *WEIGHT_FOR_LENGTH[sex, 87.0]), 2)
    assert day_731.whz == round(z_of(12.0, *WEIGHT_FOR_HEIGHT[sex, 87.0]), 2)
    # The height table sits 0.7 cm lower, so the same 87 cm scores higher from day 731.
    assert day_731.haz > day_730.haz
    assert day_730.flags == day_731.flags == set()


@pytest.mark.parametrize(
    "day, lying, used_cm, adjusted",
    [
        (730, True, 87.0, False),
        (730, False, 87.7, True),
        (730, None, 87.0, False),
        (731, False, 87.0, False),
        (731, True, 86.3, True),
        (731, None, 87.0, False),
    ],
)
def test_it_adjusts_for_position_around_24_months(day, lying, used_cm, adjusted):
    result = assess("L", BIRTH, on_day(day), 87.0, 12.0, lying=lying)

    assert result.height_used_cm == used_cm
    assert result.haz == round(z_of(used_cm, *LENGTH_FOR_AGE["L", day]), 2)
    wh_table = WEIGHT_FOR_LENGTH if day < 731 else WEIGHT_FOR_HEIGHT
    assert result.whz == round(z_of(12.0, *wh_table["L", used_cm]), 2)
    assert ("height_adjusted" in result.flags) == adjusted


def test_it_lands_an_adjusted_height_exactly_on_a_table_row():
    # 71.9 + 0.7 is 72.60000000000001 in floating point: it must be row 72.6 as it is,
    # and be shown as 72.6.
    result = assess("L", BIRTH, on_day(300), 71.9, 9.0, lying=False)

    assert result.height_used_cm == 72.6
    assert result.haz == round(z_of(72.6, *LENGTH_FOR_AGE["L", 300]), 2)
    assert result.whz == round(z_of(9.0, *WEIGHT_FOR_LENGTH["L", 72.6]), 2)
    assert result.flags == {"height_adjusted"}


@pytest.mark.parametrize(
    "day, measured, lying, used",
    [
        (300, 44.2, False, 44.9),  # 44.900000000000006 in floating point
        (300, 49.2, False, 49.9),
        (800, 45.9, True, 45.2),  # 45.199999999999996
        (800, 86.4, True, 85.7),
        (800, 65.7, True, 65.0),
        (300, 84.8524, False, 85.5524),
    ],
)
def test_it_reports_the_adjusted_height_without_float_noise(day, measured, lying, used):
    assert assess("P", BIRTH, on_day(day), measured, lying=lying).height_used_cm == used


def test_it_counts_the_first_row_as_inside_the_table():
    result = assess("P", BIRTH, on_day(800), 65.7, 7.5, lying=True)

    assert result.height_used_cm == 65.0
    assert result.whz == round(z_of(7.5, *WEIGHT_FOR_HEIGHT["P", 65.0]), 2)
    assert "height_outside_wh_table" not in result.flags


def test_it_flags_standing_measurements_under_9_months():
    eight_months = assess("L", BIRTH, on_day(250), 70.0, 8.5, lying=False)
    nine_months = assess("L", BIRTH, on_day(300), 73.0, 9.0, lying=False)
    lying_down = assess("L", BIRTH, on_day(250), 70.0, 8.5, lying=True)

    assert eight_months.age_months == 8
    assert eight_months.flags == {"standing_under_9_months", "height_adjusted"}
    assert eight_months.height_used_cm == 70.7
    assert nine_months.age_months == 9
    assert nine_months.flags == {"height_adjusted"}
    assert lying_down.flags == set()


def test_it_accepts_decimals_and_english_sex_codes():
    as_floats = assess("L", BIRTH, on_day(1000), 95.25, 14.0, lying=False)
    as_decimals = assess("M", BIRTH, on_day(1000), Decimal("95.25"), Decimal("14.0"), False)
    assert as_decimals == as_floats
    assert assess("F", BIRTH, on_day(365), 74.0) == assess("P", BIRTH, on_day(365), 74.0)


def test_it_scores_what_was_measured_only():
    height_only = assess("L", BIRTH, on_day(365), 75.0, lying=True)
    weight_only = assess("L", BIRTH, on_day(365), weight_kg=9.6)
    nothing = assess("L", BIRTH, on_day(365))

    assert height_only.haz is not None
    assert (height_only.waz, height_only.whz, height_only.whz_category) == (None, None, None)
    assert (weight_only.haz, weight_only.whz, weight_only.height_used_cm) == (None, None, None)
    assert weight_only.waz == round(z_of(9.6, *WEIGHT_FOR_AGE["L", 365]), 2)
    assert nothing[3:] == (None,) * 6 + (set(),)


# --- interpolation and the restricted LMS method ------------------------------------------------


@pytest.mark.parametrize("height, fraction", [(95.25, 0.5), (95.23, 0.3), (95.29, 0.9)])
def test_it_interpolates_weight_for_height_between_rows(height, fraction):
    L, M, S = interpolated(WEIGHT_FOR_HEIGHT["L", 95.2], WEIGHT_FOR_HEIGHT["L", 95.3], fraction)
    result = assess("L", BIRTH, on_day(1000), height, 14.0, lying=False)
    assert result.whz == round(z_of(14.0, L, M, S), 2)


def test_it_interpolates_weight_for_length_between_rows():
    L, M, S = interpolated(WEIGHT_FOR_LENGTH["P", 85.3], WEIGHT_FOR_LENGTH["P", 85.4], 0.75)
    result = assess("P", BIRTH, on_day(700), 85.375, 10.2, lying=True)
    assert result.whz == round(z_of(10.2, L, M, S), 2)


def test_it_interpolates_s_as_well_as_m():
    # S changes by less than 0.1 % between rows, so it only shows next to a rounding edge:
    # z = 2.9948 rounds to 2.99, but with the lower row's S it would be 2.9960, shown as 3.00.
    L, M, S = interpolated(WEIGHT_FOR_LENGTH["L", 107.4], WEIGHT_FOR_LENGTH["L", 107.5], 0.5)
    weight = sd(2.9948, L, M, S)

    result = assess("L", BIRTH, on_day(700), 107.45, weight, lying=True)

    assert result.whz == 2.99
    assert round(z_of(weight, L, M, WEIGHT_FOR_LENGTH["L", 107.4][2]), 2) == 3.0


@pytest.mark.parametrize("z", [3.5, -3.5, 4.2, -4.2])
def test_it_uses_the_restricted_lms_beyond_3_sd_for_weight_for_age(z):
    lms = WEIGHT_FOR_AGE["L", 365]
    weight = restricted_value_at(z, *lms)

    result = assess("L", BIRTH, on_day(365), weight_kg=weight)

    assert result.waz == z
    # The plain LMS formula would have given something else.
    assert abs(z_of(weight, *lms) - z) > 0.01


@pytest.mark.parametrize("z", [3.5, -3.5, 4.2, -4.2])
def test_it_uses_the_restricted_lms_beyond_3_sd_for_weight_for_height(z):
    lms = WEIGHT_FOR_HEIGHT["L", 95.2]
    weight = restricted_value_at(z, *lms)

    result = assess("L", BIRTH, on_day(1000), 95.2, weight, lying=False)

    assert result.whz == z
    assert abs(z_of(weight, *lms) - z) > 0.01


def test_it_does_not_restrict_length_for_age():
    L, M, S = LENGTH_FOR_AGE["L", 365]
    result = assess("L", BIRTH, on_day(365), M * (1 + S * -4.5), lying=True)
    assert result.haz == -4.5


# --- category boundaries, classified on the z-score rounded to 2 decimals -----------------------

HAZ_BOUNDARIES = [
    (-3.006, "sangat_pendek"),
    (-3.004, "pendek"),
    (-2.996, "pendek"),
    (-2.006, "pendek"),
    (-2.004, "normal"),
    (-1.996, "normal"),
    (2.996, "normal"),
    (3.004, "normal"),
    (3.006, "tinggi"),
]


@pytest.mark.parametrize("z, category", HAZ_BOUNDARIES)
def test_it_classifies_length_for_age_on_the_rounded_z_score(z, category):
    L, M, S = LENGTH_FOR_AGE["L", 365]
    result = assess("L", BIRTH, on_day(365), M * (1 + S * z), lying=True)

    assert result.haz == round(z, 2)
    assert result.haz_category == category
    assert (result.haz_category in STUNTED) == (category in {"pendek", "sangat_pendek"})


WAZ_BOUNDARIES = [
    (-3.006, "bb_sangat_kurang"),
    (-3.004, "bb_kurang"),
    (-2.996, "bb_kurang"),
    (-2.006, "bb_kurang"),
    (-2.004, "normal"),
    (-1.996, "normal"),
    (0.996, "normal"),
    (1.004, "normal"),
    (1.006, "risiko_bb_lebih"),
]


@pytest.mark.parametrize("z, category", WAZ_BOUNDARIES)
def test_it_classifies_weight_for_age_on_the_rounded_z_score(z, category):
    weight = restricted_value_at(z, *WEIGHT_FOR_AGE["P", 365])
    result = assess("P", BIRTH, on_day(365), weight_kg=weight)

    assert result.waz == round(z, 2)
    assert result.waz_category == category


WHZ_BOUNDARIES = [
    (-3.006, "gizi_buruk"),
    (-3.004, "gizi_kurang"),
    (-2.996, "gizi_kurang"),
    (-2.006, "gizi_kurang"),
    (-2.004, "gizi_baik"),
    (-1.996, "gizi_baik"),
    (0.996, "gizi_baik"),
    (1.004, "gizi_baik"),
    (1.006, "berisiko_gizi_lebih"),
    (1.996, "berisiko_gizi_lebih"),
    (2.004, "berisiko_gizi_lebih"),
    (2.006, "gizi_lebih"),
    (2.996, "gizi_lebih"),
    (3.004, "gizi_lebih"),
    (3.006, "obesitas"),
]


@pytest.mark.parametrize("z, category", WHZ_BOUNDARIES)
def test_it_classifies_weight_for_height_on_the_rounded_z_score(z, category):
    weight = restricted_value_at(z, *WEIGHT_FOR_HEIGHT["L", 95.2])
    result = assess("L", BIRTH, on_day(1000), 95.2, weight, lying=False)

    assert result.whz == round(z, 2)
    assert result.whz_category == category


# --- plausibility and out-of-range flags ----------------------------------------------------


@pytest.mark.parametrize(
    "z, flagged", [(-6.006, True), (-6.004, False), (5.996, False), (6.004, False), (6.006, True)]
)
def test_it_flags_implausible_length_for_age(z, flagged):
    L, M, S = LENGTH_FOR_AGE["L", 365]
    result = assess("L", BIRTH, on_day(365), M * (1 + S * z), lying=True)

    assert result.haz == round(z, 2)
    assert ("haz_implausible" in result.flags) == flagged


@pytest.mark.parametrize(
    "z, flagged", [(-6.006, True), (-6.004, False), (5.004, False), (5.006, True), (5.5, True)]
)
def test_it_flags_implausible_weight_for_age(z, flagged):
    weight = restricted_value_at(z, *WEIGHT_FOR_AGE["L", 365])
    result = assess("L", BIRTH, on_day(365), weight_kg=weight)

    assert result.waz == round(z, 2)
    assert ("waz_implausible" in result.flags) == flagged


@pytest.mark.parametrize(
    "z, flagged", [(-5.006, True), (-5.004, False), (5.004, False), (5.006, True)]
)
def test_it_flags_implausible_weight_for_height(z, flagged):
    weight = restricted_value_at(z, *WEIGHT_FOR_HEIGHT["L", 100.0])
    result = assess("L", BIRTH, on_day(1000), 100.0, weight, lying=False)

    assert result.whz == round(z, 2)
    assert result.whz_category == ("gizi_buruk" if z < 0 else "obesitas")
    assert ("whz_implausible" in result.flags) == flagged


@pytest.mark.parametrize(
    "day, height, lying, in_table",
    [
        (365, 44.9, True, False),
        (365, 45.0, True, True),
        (700, 110.0, True, True),
        (700, 110.01, True, False),
        (700, 109.5, False, False),  # 109.5 standing is 110.2 lying
        (800, 64.99, False, False),
        (800, 65.0, False, True),
        (800, 65.6, True, False),  # 65.6 lying is 64.9 standing
        (1000, 120.0, False, True),
        (1000, 120.1, False, False),
    ],
)
def test_it_flags_heights_outside_the_weight_for_height_table(day, height, lying, in_table):
    result = assess("L", BIRTH, on_day(day), height, 10.0, lying=lying)

    assert (result.whz is not None) == in_table
    assert (result.whz_category is not None) == in_table
    assert ("height_outside_wh_table" in result.flags) != in_table
    # Length/height-for-age and weight-for-age do not depend on that table.
    assert result.haz is not None
    assert result.waz is not None


def test_it_does_not_flag_the_wh_table_without_a_weight():
    # 44.5 cm is below the weight-for-length table, yet a plausible length at birth.
    result = assess("L", BIRTH, BIRTH, 44.5, lying=True)
    assert result.haz == round(z_of(44.5, *LENGTH_FOR_AGE["L", 0]), 2)
    assert result.flags == set()


# --- age limits and invalid input -------------------------------------------------------------


@pytest.mark.parametrize("day", [1825, 1826])
def test_it_scores_up_to_day_1826(day):
    # WHO Anthro scores while age_days / 30.4375 < 60 months, the tables' last row included.
    result = assess("L", BIRTH, on_day(day), 110.0, 18.0, lying=False)

    assert result.haz == round(z_of(110.0, *LENGTH_FOR_AGE["L", day]), 2)
    assert result.waz == round(z_of(18.0, *WEIGHT_FOR_AGE["L", day]), 2)
    assert result.whz is not None
    assert result.flags == set()


@pytest.mark.parametrize("day", [1827, 1828, 2500])
def test_it_gives_no_z_score_from_day_1827(day):
    result = assess("P", BIRTH, on_day(day), 110.0, 18.0, lying=True)

    assert result.age_days == day
    assert result.age_months >= 59
    assert result[3:9] == (None,) * 6
    assert result.flags == {"age_60_months_or_more"}
    # No standard applies any more, so neither does the position adjustment.
    assert result.height_used_cm == 110.0


def test_it_refuses_a_measurement_before_birth():
    with pytest.raises(ValueError, match="Tanggal ukur tidak boleh sebelum tanggal lahir."):
        assess("L", BIRTH, BIRTH - datetime.timedelta(days=1), 50.0, 3.3)


@pytest.mark.parametrize("sex", ["X", "l", "", None, 1, ["L"]])
def test_it_refuses_an_unknown_sex(sex):
    with pytest.raises(ValueError, match="Jenis kelamin"):
        assess(sex, BIRTH, on_day(100), 60.0, 6.0)


@pytest.mark.parametrize(
    "height, weight, message",
    [
        (0, 6.0, "Panjang/tinggi badan"),
        (-60.0, 6.0, "Panjang/tinggi badan"),
        (float("nan"), 6.0, "Panjang/tinggi badan"),
        (60.0, 0, "Berat badan"),
        (60.0, float("inf"), "Berat badan"),
    ],
)
def test_it_refuses_impossible_measurements(height, weight, message):
    with pytest.raises(ValueError, match=message):
        assess("L", BIRTH, on_day(100), height, weight)


# --- labels and chart data -----------------------------------------------------------------


def test_it_has_a_label_for_every_category_and_flag():
    haz = {category for z, category in HAZ_BOUNDARIES}
    waz = {category for z, category in WAZ_BOUNDARIES}
    whz = {category for z, category in WHZ_BOUNDARIES}
    assert haz == set(HAZ_LABELS)
    assert waz == set(WAZ_LABELS)
    assert whz == set(WHZ_LABELS)
    assert STUNTED <= haz
    assert set(FLAG_LABELS) == {
        "haz_implausible",
        "waz_implausible",
        "whz_implausible",
        "height_outside_wh_table",
        "standing_under_9_months",
        "age_60_months_or_more",
        "height_adjusted",
    }


def test_it_exposes_the_length_for_age_rows_for_the_chart():
    boys = length_for_age_rows("L")
    girls = length_for_age_rows("P")

    assert len(boys) == len(girls) == 1827
    assert boys[0] == (0, *LENGTH_FOR_AGE["L", 0], "L")
    assert boys[730] == (730, *LENGTH_FOR_AGE["L", 730], "L")
    assert boys[731] == (731, *LENGTH_FOR_AGE["L", 731], "H")
    assert girls[731] == (731, *LENGTH_FOR_AGE["P", 731], "H")
    assert length_for_age_rows("F") == girls


def test_it_exposes_the_weight_for_age_rows_for_the_chart():
    boys = weight_for_age_rows("L")
    girls = weight_for_age_rows("P")

    assert len(boys) == len(girls) == 1827
    for sex, day in WEIGHT_FOR_AGE:
        rows = boys if sex == "L" else girls
        assert rows[day] == (day, *WEIGHT_FOR_AGE[sex, day])
    assert weight_for_age_rows("F") == girls
