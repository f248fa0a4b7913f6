"""Calendar-month arithmetic for ages, shared by the forms, lists and the aged-out job.

Age in completed months follows WHO Anthro and the KMS: a child born on 31 January is
0 months old on 28 February and 1 month old on 1 March. The three helpers agree with each
other on every date, so a filter written with one gives the same children as a check
written with another. Pure functions: no Django, no database.
"""

import calendar
from datetime import date, timedelta

# GASKEN is for balita: children under 60 completed months.
AGE_LIMIT_MONTHS = 60


def completed_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (negative when `end` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def months_before(day: date, months: int) -> date:
    """The latest birth date that is `months` completed months old on `day`.

    `completed_months(birth, day) >= months` exactly when `birth <= months_before(day, months)`.
    The day of the month is clamped to the target month's last day (31 March → 28/29 February).
    """
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def date_at_months(birth: date, months: int) -> date:
    """The first day on which a child born on `birth` is `months` completed months old.

    When the birth day does not exist in the target month (born 31 January, 1 month later),
    that is the first day of the month after: 1 March.
    """
    year, month = divmod(birth.year * 12 + birth.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    if birth.day <= last_day:
        return date(year, month + 1, birth.day)
    return date(year, month + 1, last_day) + timedelta(days=1)
