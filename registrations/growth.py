"""Anthropometric z-scores for children under five (WHO Child Growth Standards 2006).

Indonesia adopted these standards in Permenkes No. 2 Tahun 2020 (Standar Antropometri Anak).
The module computes length/height-for-age (TB/U), weight-for-age (BB/U) and
weight-for-length/height (BB/TB) z-scores the way WHO's Anthro software does.

Hand-written because every PyPI package examined gets one of the rules wrong (no 0.7 cm
adjustment before weight-for-length, a day-730 off-by-one, month-level tables, a corrupt table row).

The LMS tables in ``who/`` are the WHO ones by day of age and by 0.1 cm. They are read once,
on first use, so importing this module stays cheap and needs neither Django nor a database.

Flag semantics (see FLAG_LABELS for the wording a kader sees):

- ``haz_implausible``, ``waz_implausible``, ``whz_implausible``: the rounded z-score is outside
  WHO's plausibility limits (TB/U beyond ±6, BB/U below -6 or above +5, BB/TB beyond ±5). The
  z-score is still returned; the flag asks for a re-measurement.
- ``height_outside_wh_table``: a weight was given but the (adjusted) length/height is outside the
  weight-for-length (45-110 cm, under 731 days) or weight-for-height (65-120 cm) table, so there is
  no BB/TB z-score. Without a weight nobody asked for BB/TB, so the flag is not raised.
- ``standing_under_9_months``: measured standing (``lying=False``) before 9 completed months,
  when a baby cannot reliably stand for a height board. Only raised when a height was given.
- ``height_adjusted``: the 0.7 cm position adjustment was applied to the length/height.
- ``age_60_months_or_more``: 1827 days or older (60 months as WHO counts them); no z-score is computed and the height is
  returned as measured, since the under-five standards (and their adjustment) no longer apply.
"""

import math
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from registrations.dates import completed_months

WHO_DIR = Path(__file__).parent / "who"

# From this age (in days) the standing tables apply: height-for-age and weight-for-height.
FIRST_HEIGHT_DAY = 731
# No z-score from this age on: WHO Anthro scores while age_days / 30.4375 < 60 months, so
# day 1826 (the tables' last row) is still scored.
NO_ZSCORE_FROM_DAY = 1827
# Younger than this (completed months), a child measured standing is flagged.
STANDING_FROM_MONTHS = 9
# First rows of the weight-for-length (45-110 cm) and weight-for-height (65-120 cm) tables.
WFL_FIRST_CM = 45
WFH_FIRST_CM = 65

STUNTED = {"pendek", "sangat_pendek"}

HAZ_LABELS = {
    "sangat_pendek": "Sangat pendek",
    "pendek": "Pendek",
    "normal": "Normal",
    "tinggi": "Tinggi",
}

WAZ_LABELS = {
    "bb_sangat_kurang": "Berat badan sangat kurang",
    "bb_kurang": "Berat badan kurang",
    "normal": "Berat badan normal",
    "risiko_bb_lebih": "Risiko berat badan lebih",
}

WHZ_LABELS = {
    "gizi_buruk": "Gizi buruk",
    "gizi_kurang": "Gizi kurang",
    "gizi_baik": "Gizi baik",
    "berisiko_gizi_lebih": "Berisiko gizi lebih",
    "gizi_lebih": "Gizi lebih",
    "obesitas": "Obesitas",
}

FLAG_LABELS = {
    "haz_implausible": (
        "Nilai TB/U di luar batas wajar (±6 SD): periksa dan ukur ulang panjang/tinggi badan."
    ),
    "waz_implausible": (
        "Nilai BB/U di luar batas wajar (-6 s.d. +5 SD): periksa dan timbang ulang berat badan."
    ),
    "whz_implausible": (
        "Nilai BB/TB di luar batas wajar (±5 SD): periksa ulang berat badan "
        "dan panjang/tinggi badan."
    ),
    "height_outside_wh_table": (
        "Panjang/tinggi badan di luar tabel BB/TB (45-110 cm di bawah 2 tahun, 65-120 cm "
        "sejak 2 tahun): status gizi BB/TB tidak dapat dihitung, periksa hasil pengukuran."
    ),
    "standing_under_9_months": (
        "Anak di bawah 9 bulan diukur berdiri: ukur ulang panjang badan dengan posisi terlentang."
    ),
    "age_60_months_or_more": (
        "Umur anak sudah 60 bulan atau lebih: z-score balita tidak dihitung, periksa tanggal lahir."
    ),
    "height_adjusted": (
        "Panjang/tinggi badan dikoreksi 0,7 cm karena posisi ukur tidak sesuai umur "
        "(terlentang sejak 2 tahun, berdiri di bawah 2 tahun)."
    ),
}

_SEX_INDEX = {"L": 0, "M": 0, "P": 1, "F": 1}

# Heights are handled as integers in units of 0.0001 cm: 71.9 + 0.7 must land exactly on the
# 72.6 row, and 45.7 - 0.7 must not drop just below the first row of the table.
_UNITS_PER_CM = 10_000
_UNITS_PER_ROW = 1_000
_ADJUSTMENT_UNITS = 7_000

_NO_FLAGS: frozenset[str] = frozenset()
_OLD_AGE_FLAGS = frozenset({"age_60_months_or_more"})

# A row of L, M and S; the length/height-for-age rows end with "L" (length, lying) or
# "H" (height, standing).
_LMS = tuple[float, float, float]
_LMSWithPosition = tuple[float, float, float, str]


class Assessment(NamedTuple):
    age_days: int
    age_months: int
    height_used_cm: float | None
    haz: float | None
    waz: float | None
    whz: float | None
    haz_category: str | None
    waz_category: str | None
    whz_category: str | None
    flags: frozenset[str]


class _Tables(NamedTuple):
    # Each a pair of lists indexed by sex (0 boys, 1 girls), the lists indexed by day of age
    # or, for the weight-for-length/height tables, by 0.1 cm from their first row.
    length_for_age: tuple[list[_LMSWithPosition], list[_LMSWithPosition]]
    weight_for_age: tuple[list[_LMS], list[_LMS]]
    weight_for_length: tuple[list[_LMS], list[_LMS]]
    weight_for_height: tuple[list[_LMS], list[_LMS]]


# Filled on first use by _load_tables().
_tables: _Tables | None = None


def _read_rows(name: str) -> list[list[str]]:
    with open(WHO_DIR / name, encoding="utf-8") as f:
        lines = f.read().splitlines()
    return [line.split("\t") for line in lines[1:] if line.strip()]


# Rows of _LMS, or of _LMSWithPosition for a file with the "loh" column.
def _by_day(name: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    tables: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] = ([], [])
    for row in _read_rows(name):
        rows = tables[int(row[0]) - 1]
        # The list index is the day, so a missing or shuffled row would shift every age.
        if int(row[1]) != len(rows):
            raise RuntimeError(f"{name}: unexpected row {row!r}")
        rows.append((float(row[2]), float(row[3]), float(row[4])) + tuple(row[5:6]))
    return tables


def _by_tenth_cm(name: str, first_cm: int) -> tuple[list[_LMS], list[_LMS]]:
    tables: tuple[list[_LMS], list[_LMS]] = ([], [])
    for row in _read_rows(name):
        rows = tables[int(row[0]) - 1]
        if round(float(row[1]) * 10) != first_cm * 10 + len(rows):
            raise RuntimeError(f"{name}: unexpected row {row!r}")
        rows.append((float(row[2]), float(row[3]), float(row[4])))
    return tables


def _load_tables() -> _Tables:
    global _tables
    if _tables is None:
        _tables = _Tables(
            length_for_age=_by_day("lenanthro.txt"),
            weight_for_age=_by_day("weianthro.txt"),
            weight_for_length=_by_tenth_cm("wflanthro.txt", WFL_FIRST_CM),
            weight_for_height=_by_tenth_cm("wfhanthro.txt", WFH_FIRST_CM),
        )
    return _tables


def length_for_age_rows(sex: str) -> list[tuple[int, float, float, float, str]]:
    """(day, L, M, S, "L" or "H") for days 0-1826, for drawing the length/height-for-age chart."""
    rows = _load_tables().length_for_age[_sex_index(sex)]
    return [(day, L, M, S, loh) for day, (L, M, S, loh) in enumerate(rows)]


def weight_for_age_rows(sex: str) -> list[tuple[int, float, float, float]]:
    """(day, L, M, S) for days 0-1826, for drawing the weight-for-age chart."""
    rows = _load_tables().weight_for_age[_sex_index(sex)]
    return [(day, L, M, S) for day, (L, M, S) in enumerate(rows)]


def _sex_index(sex: str) -> int:
    try:
        return _SEX_INDEX[sex]
    except (KeyError, TypeError):
        raise ValueError("Jenis kelamin harus L (laki-laki) atau P (perempuan).") from None


def _positive(value: float | Decimal, message: str) -> float:
    value = float(value)
    # Also rejects NaN and infinity, which would otherwise leak into the z-scores.
    if not 0 < value < math.inf:
        raise ValueError(message)
    return value


def _zscore(y: float, L: float, M: float, S: float) -> float:
    if L == 0:
        return math.log(y / M) / S
    # y / M is positive, so the power is a real number (typeshed leaves float ** float as Any).
    power: float = (y / M) ** L
    return (power - 1) / (L * S)


def _restricted_zscore(y: float, L: float, M: float, S: float) -> float:
    # WHO's "restricted application of the LMS method": beyond ±3 SD the skewed distribution
    # is replaced by a linear one, measured in units of the distance between 2 and 3 SD.
    z = _zscore(y, L, M, S)
    if -3 <= z <= 3:
        return z
    if L == 0:
        sd2, sd3 = M * math.exp(2 * S), M * math.exp(3 * S)
        sd2neg, sd3neg = M * math.exp(-2 * S), M * math.exp(-3 * S)
    else:
        LS = L * S
        p = 1 / L
        sd2, sd3 = M * (1 + 2 * LS) ** p, M * (1 + 3 * LS) ** p
        sd2neg, sd3neg = M * (1 - 2 * LS) ** p, M * (1 - 3 * LS) ** p
    if z > 3:
        return 3 + (y - sd3) / (sd3 - sd2)
    return -3 + (y - sd3neg) / (sd2neg - sd3neg)


def _haz_category(z: float) -> str:
    if z < -3:
        return "sangat_pendek"
    if z < -2:
        return "pendek"
    if z <= 3:
        return "normal"
    return "tinggi"


def _waz_category(z: float) -> str:
    if z < -3:
        return "bb_sangat_kurang"
    if z < -2:
        return "bb_kurang"
    if z <= 1:
        return "normal"
    return "risiko_bb_lebih"


def _whz_category(z: float) -> str:
    if z < -3:
        return "gizi_buruk"
    if z < -2:
        return "gizi_kurang"
    if z <= 1:
        return "gizi_baik"
    if z <= 2:
        return "berisiko_gizi_lebih"
    if z <= 3:
        return "gizi_lebih"
    return "obesitas"


def assess(
    sex: str,
    birth_date: date,
    measured_on: date,
    height_cm: float | Decimal | None = None,
    weight_kg: float | Decimal | None = None,
    lying: bool | None = None,
) -> Assessment:
    """Z-scores, categories and flags for one measurement, as an Assessment.

    ``sex`` is "L"/"P" (or "M"/"F"). ``height_cm`` and ``weight_kg`` may be floats, Decimals
    or None when not measured. ``lying`` is True when measured lying down (terlentang), False
    when standing (berdiri) and None when the position was not recorded: no adjustment then.
    Raises ValueError, with an Indonesian message, for an unknown sex, a measurement date
    before the birth date or a length/weight that is not a positive number.
    """
    sex_index = _sex_index(sex)
    age_days = (measured_on - birth_date).days
    if age_days < 0:
        raise ValueError("Tanggal ukur tidak boleh sebelum tanggal lahir.")
    # Completed calendar months: 31 January to 28 February is still 0 months.
    age_months = completed_months(birth_date, measured_on)

    height = weight = None
    if height_cm is not None:
        height = _positive(height_cm, "Panjang/tinggi badan harus berupa angka lebih dari 0.")
    if weight_kg is not None:
        weight = _positive(weight_kg, "Berat badan harus berupa angka lebih dari 0.")

    if age_days >= NO_ZSCORE_FROM_DAY:
        return Assessment(
            age_days, age_months, height, None, None, None, None, None, None, _OLD_AGE_FLAGS
        )

    tables = _tables or _load_tables()
    flags = []
    haz = waz = whz = haz_category = waz_category = whz_category = None
    under_two = age_days < FIRST_HEIGHT_DAY

    if height is not None:
        units = round(height * _UNITS_PER_CM)
        if lying is not None:
            if under_two and not lying:
                units += _ADJUSTMENT_UNITS
                flags.append("height_adjusted")
            elif lying and not under_two:
                units -= _ADJUSTMENT_UNITS
                flags.append("height_adjusted")
            if lying is False and age_months < STANDING_FROM_MONTHS:
                flags.append("standing_under_9_months")
        height = units / _UNITS_PER_CM

        L, M, S, _ = tables.length_for_age[sex_index][age_days]
        # round() is the costliest step here, but it rounds the binary value exactly as R's
        # round() in WHO's software does, and the category must follow the shown value.
        haz = round(_zscore(height, L, M, S), 2)
        haz_category = _haz_category(haz)
        if haz < -6 or haz > 6:
            flags.append("haz_implausible")

    if weight is not None:
        L, M, S = tables.weight_for_age[sex_index][age_days]
        waz = round(_restricted_zscore(weight, L, M, S), 2)
        waz_category = _waz_category(waz)
        if waz < -6 or waz > 5:
            flags.append("waz_implausible")

        if height is not None:
            if under_two:
                rows, first_cm = tables.weight_for_length[sex_index], WFL_FIRST_CM
            else:
                rows, first_cm = tables.weight_for_height[sex_index], WFH_FIRST_CM
            row, rest = divmod(units - first_cm * _UNITS_PER_CM, _UNITS_PER_ROW)
            last_row = len(rows) - 1
            if row < 0 or row > last_row or (row == last_row and rest):
                flags.append("height_outside_wh_table")
            else:
                L, M, S = rows[row]
                if rest:
                    # Between two 0.1 cm rows WHO interpolates L, M and S linearly.
                    L1, M1, S1 = rows[row + 1]
                    f = rest / _UNITS_PER_ROW
                    L += f * (L1 - L)
                    M += f * (M1 - M)
                    S += f * (S1 - S)
                whz = round(_restricted_zscore(weight, L, M, S), 2)
                whz_category = _whz_category(whz)
                if whz < -5 or whz > 5:
                    flags.append("whz_implausible")

    return Assessment(
        age_days,
        age_months,
        height,
        haz,
        waz,
        whz,
        haz_category,
        waz_category,
        whz_category,
        frozenset(flags) if flags else _NO_FLAGS,
    )
