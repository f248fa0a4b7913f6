from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from registrations.validators import validate_not_future
from tests.builders import TODAY


def test_today_and_earlier_are_not_in_the_future():
    validate_not_future(TODAY, today=TODAY)
    validate_not_future(date(1900, 1, 1), today=TODAY)


def test_tomorrow_is_refused_with_what_the_date_is():
    with pytest.raises(ValidationError) as e:
        validate_not_future(TODAY + timedelta(days=1), what="Tanggal ukur", today=TODAY)
    assert (e.value.messages, e.value.code) == (
        ["Tanggal ukur tidak boleh di masa depan."],
        "future",
    )


def test_without_today_it_is_the_local_date_in_jakarta(clock):
    # 17:30 UTC on the 15th is already 00:30 on the 16th in Jakarta.
    clock.move_to("2026-03-15 17:30:00+00:00")
    validate_not_future(TODAY)
    with pytest.raises(ValidationError, match="Tanggal tidak boleh di masa depan."):
        validate_not_future(TODAY + timedelta(days=1))
