from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.indicators import village_rows
from registrations.models import Village
from tests.monitoring.dataset import MATRAS, REBO, build, measure

YEAR = {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)}

MATRAS_ROW = {
    "code": MATRAS,
    "name": "Matras",
    "posyandu_count": 2,  # Melati, Mawar (Kamboja is inactive)
    "reports": 11,  # S1-S11; S0 was sent in 2025
    "verified_reports": 7,  # S1-S7, Bunga's two reports counted as reports
    "active_children": 7,  # Andi, Bunga, Citra, Dodi, Fajar, Gilang, Hana (Eka exited)
    "measured_children": 6,  # Gilang has no measurement
    "severely_stunted_m": 1,  # Andi
    "severely_stunted_f": 0,
    "stunted_m": 1,  # Fajar
    "stunted_f": 2,  # Citra, Hana
    "stunted_total": 4,
    "prevalence": 66.7,  # 4 / 6
    "intervened": 3,  # Andi, Fajar, Hana (running)
    "not_intervened": 1,  # Citra: her only PMT was cancelled
    "left_stunting": 1,  # Bunga
}
REBO_ROW = {
    "code": REBO,
    "name": "Rebo",
    "posyandu_count": 1,
    "reports": 2,
    "verified_reports": 1,
    "active_children": 1,
    "measured_children": 1,
    "severely_stunted_m": 1,
    "severely_stunted_f": 0,
    "stunted_m": 0,
    "stunted_f": 0,
    "stunted_total": 1,
    "prevalence": 100.0,
    "intervened": 0,
    "not_intervened": 1,  # a planned PMT is not help yet
    "left_stunting": 0,
}


def _without_village(row):
    return {key: value for key, value in row.items() if key != "village"}


def test_it_counts_each_village(dataset):
    rows, total = village_rows(villages=Village.objects.all(), **YEAR)
    assert [row["code"] for row in rows] == sorted(Village.objects.values_list("code", flat=True))
    by_code = {row["code"]: row for row in rows}
    assert by_code[MATRAS]["village"] == dataset.matras
    assert _without_village(by_code[MATRAS]) == MATRAS_ROW
    assert _without_village(by_code[REBO]) == REBO_ROW
    empty = by_code["19.01.01.1001"]  # Sungailiat: nothing reported
    assert empty["active_children"] == 0 and empty["prevalence"] is None


def test_its_total_sums_the_rows_and_recomputes_the_prevalence(dataset):
    rows, total = village_rows(villages=Village.objects.all(), **YEAR)
    assert total == {
        "village": None,
        "code": "",
        "name": "",
        "posyandu_count": 3,
        "reports": 13,
        "verified_reports": 8,
        "active_children": 8,
        "measured_children": 7,
        "severely_stunted_m": 2,
        "severely_stunted_f": 0,
        "stunted_m": 1,
        "stunted_f": 2,
        "stunted_total": 5,
        "prevalence": 71.4,  # 5 / 7, not the mean of the villages' prevalences
        "intervened": 3,
        "not_intervened": 2,
        "left_stunting": 1,
    }
    assert list(total) == list(rows[0])


def test_it_covers_only_the_villages_given(dataset):
    rows, total = village_rows(villages=Village.objects.filter(code=MATRAS), **YEAR)
    assert len(rows) == 1
    assert _without_village(total) | {"code": MATRAS, "name": "Matras"} == MATRAS_ROW


def test_it_honours_the_period(dataset):
    rows, _ = village_rows(
        villages=Village.objects.filter(code=MATRAS),
        date_from=date(2026, 1, 1),
        date_to=date(2026, 3, 31),
    )
    row = rows[0]
    assert row["reports"] == 6  # S1, S2, S3, S4, S6, S7
    assert row["verified_reports"] == 6
    # Bunga's last measurement in the quarter (28 Feb) is still pendek.
    assert row["left_stunting"] == 0
    # The status of the children is today's, whatever the period.
    assert row["active_children"] == 7


@pytest.mark.parametrize("extra", [0, 27])
def test_it_runs_a_fixed_number_of_queries(db, clock, village, extra):
    build()
    for i in range(extra):
        child = Village.objects.get(code=MATRAS).children.create(
            name=f"Anak {i}",
            sex="L",
            birth_date=date(2024, 1, 1),
            mother_name="Ibu",
            address="Jl. Contoh",
        )
        measure(child, date(2026, 3, 1), -2.5 if i % 2 else -1.0)
    with CaptureQueriesContext(connection) as ctx:
        village_rows(villages=Village.objects.all(), **YEAR)
    assert len(ctx.captured_queries) == 5
