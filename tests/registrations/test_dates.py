from datetime import date, timedelta

import pytest

from registrations.dates import completed_months, date_at_months, months_before

ONE_DAY = timedelta(days=1)


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


@pytest.mark.parametrize(
    "start,end,months",
    [
        (date(2024, 1, 10), date(2024, 1, 10), 0),
        (date(2024, 1, 10), date(2024, 2, 9), 0),
        (date(2024, 1, 10), date(2024, 2, 10), 1),
        (date(2024, 1, 31), date(2024, 2, 29), 0),
        (date(2024, 1, 31), date(2024, 3, 1), 1),
        (date(2020, 2, 29), date(2025, 2, 28), 59),
        (date(2020, 2, 29), date(2025, 3, 1), 60),
        (date(2021, 6, 15), date(2026, 6, 14), 59),
        (date(2021, 6, 15), date(2026, 6, 15), 60),
        (date(2024, 3, 10), date(2024, 1, 10), -2),
    ],
)
def test_completed_months(start, end, months):
    assert completed_months(start, end) == months


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (date(2026, 6, 15), 60, date(2021, 6, 15)),
        (date(2025, 3, 31), 1, date(2025, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2025, 2, 28), 60, date(2020, 2, 28)),
        (date(2025, 3, 1), 60, date(2020, 3, 1)),
        (date(2025, 1, 15), 0, date(2025, 1, 15)),
        (date(2025, 1, 15), 13, date(2023, 12, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


@pytest.mark.parametrize(
    "birth,months,expected",
    [
        (date(2021, 6, 15), 60, date(2026, 6, 15)),
        (date(2024, 1, 31), 1, date(2024, 3, 1)),
        (date(2023, 1, 31), 1, date(2023, 3, 1)),
        (date(2024, 1, 30), 1, date(2024, 3, 1)),
        (date(2024, 1, 29), 1, date(2024, 2, 29)),
        # Born on a leap day: 60 months later there is no 29 February.
        (date(2020, 2, 29), 60, date(2025, 3, 1)),
        (date(2021, 12, 31), 60, date(2026, 12, 31)),
        (date(2021, 3, 31), 59, date(2026, 3, 1)),
        (date(2024, 5, 5), 0, date(2024, 5, 5)),
    ],
)
def test_date_at_months(birth, months, expected):
    assert date_at_months(birth, months) == expected


@pytest.mark.parametrize("months", [0, 1, 6, 11, 12, 24, 59, 60])
def test_date_at_months_is_the_first_day_of_that_age(months):
    # Every birth date of a leap year and the year after: month ends, leap day, year end.
    for birth in days(date(2020, 1, 1), date(2021, 12, 31)):
        reached = date_at_months(birth, months)
        assert completed_months(birth, reached) == months, birth
        assert completed_months(birth, reached - ONE_DAY) == months - 1, birth


@pytest.mark.parametrize("months", [0, 1, 5, 6, 12, 23, 24, 59, 60])
def test_months_before_is_the_last_birth_date_of_that_age(months):
    for day in days(date(2024, 1, 1), date(2025, 12, 31)):
        birth = months_before(day, months)
        assert completed_months(birth, day) == months, day
        assert completed_months(birth + ONE_DAY, day) == months - 1, day
        # The two helpers describe the same boundary from both sides.
        assert date_at_months(birth, months) <= day
