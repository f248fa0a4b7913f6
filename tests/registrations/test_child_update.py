"""registrations.services.child_update: the one way a child's data is changed (the staff edit
page and the admin both call it)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from registrations.models import Child
from registrations.services import child_update
from tests.builders import make_child, make_measurement

pytestmark = pytest.mark.django_db


def test_it_saves_the_changes_with_who_and_why(village, verifikator):
    child = make_child(village, name="Putri Ayu")
    child_update(
        child=child, changes={"name": "Putri Ayu L."}, user=verifikator, change_reason="Ejaan"
    )
    assert child.name == "Putri Ayu L."
    record = child.history.latest()
    assert (record.name, record.history_user, record.history_change_reason) == (
        "Putri Ayu L.",
        verifikator,
        "Ejaan",
    )


def test_it_saves_nothing_for_values_already_stored(village, verifikator):
    child = make_child(village, name="Putri Ayu")
    child_update(child=child, changes={"name": "Putri Ayu", "sex": "P"}, user=verifikator)
    assert child.history.count() == 1


def test_a_new_birth_date_recomputes_every_measurement_and_the_latest(village, verifikator):
    child = make_child(village, sex="P", birth_date=date(2024, 1, 10))
    first = make_measurement(child, date(2024, 7, 10), "64.0")
    latest = make_measurement(child, date(2025, 1, 10), "72.0")
    old = {m.pk: m.haz for m in (first, latest)}
    child_update(child=child, changes={"birth_date": date(2024, 4, 10)}, user=verifikator)
    for m in (first, latest):
        m.refresh_from_db()
        assert m.haz > old[m.pk]  # younger for the same length
    stored = Child.objects.get(pk=child.pk)
    assert stored.latest_measurement == latest
    assert stored.latest_haz_category == latest.haz_category


def test_it_refuses_a_birth_date_the_measurements_cannot_have(village, verifikator):
    child = make_child(village, birth_date=date(2024, 1, 10))
    m = make_measurement(child, date(2024, 7, 10), "64.0")
    with pytest.raises(ValidationError) as raised:
        child_update(child=child, changes={"birth_date": date(2024, 8, 1)}, user=verifikator)
    assert raised.value.message_dict == {
        "birth_date": ["Tanggal lahir tidak boleh setelah pengukuran pertama (10-07-2024)."]
    }
    assert Child.objects.get(pk=child.pk).birth_date == date(2024, 1, 10)
    assert Child.objects.get(pk=child.pk).history.count() == 1
    haz = m.haz
    m.refresh_from_db()
    assert m.haz == haz
