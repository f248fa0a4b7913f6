"""measurement_create: a registered child's measurement in, with its z-scores, and the
child's latest measurement and TB/U category kept in step, or nothing at all."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import OperationalError

from registrations import growth
from registrations.models import Child, Measurement
from registrations.services import measurement_create
from tests.builders import (
    VERIFIKATOR_GROUP,
    make_child,
    make_measurement,
    make_user,
    measurement_values,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(village):
    return make_child(village, sex="L", birth_date=date(2024, 1, 10))


def test_it_saves_the_measurement_with_its_z_scores(child):
    user = make_user("petugas", VERIFIKATOR_GROUP)
    m = measurement_create(
        child=child,
        values=measurement_values(
            measured_on=date(2025, 3, 1), weight_kg="8.9", height_cm="72.5", position="lying"
        ),
        source=Measurement.Source.PUSKESMAS,
        user=user,
    )
    m = Measurement.objects.get(pk=m.pk)
    assert (m.child, m.submission, m.source, m.recorded_by) == (child, None, "puskesmas", user)
    assert (m.measured_on, m.weight_kg, m.height_cm, m.position) == (
        date(2025, 3, 1),
        Decimal("8.9"),
        Decimal("72.5"),
        "lying",
    )
    expected = growth.assess("L", child.birth_date, date(2025, 3, 1), 72.5, 8.9, lying=True)
    assert (m.haz, m.waz, m.whz, m.haz_category) == (
        expected.haz,
        expected.waz,
        expected.whz,
        expected.haz_category,
    )


def test_the_child_follows_its_latest_measurement(child):
    stunted = measurement_create(
        child=child,
        values=measurement_values(measured_on=date(2025, 3, 1), height_cm="66.0"),
        source=Measurement.Source.PARTNER,
        user=None,
    )
    child = Child.objects.get(pk=child.pk)
    assert child.latest_measurement == stunted
    assert child.latest_haz_category == stunted.haz_category == "sangat_pendek"

    normal = measurement_create(
        child=child,
        values=measurement_values(measured_on=date(2025, 6, 1), height_cm="78.0"),
        source=Measurement.Source.PUSKESMAS,
        user=None,
    )
    child = Child.objects.get(pk=child.pk)
    assert (child.latest_measurement, child.latest_haz_category) == (normal, "normal")


def test_an_older_measurement_does_not_become_the_latest(child):
    latest = make_measurement(child, date(2025, 6, 1), "78.0")
    measurement_create(
        child=child,
        values=measurement_values(measured_on=date(2025, 3, 1), height_cm="66.0"),
        source=Measurement.Source.PUSKESMAS,
        user=None,
    )
    child = Child.objects.get(pk=child.pk)
    assert child.measurements.count() == 2
    assert (child.latest_measurement, child.latest_haz_category) == (latest, "normal")


def test_nothing_is_kept_when_the_child_cannot_be_updated(child, monkeypatch):
    before = make_measurement(child, date(2025, 3, 1), "66.0")

    def fail(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Child, "refresh_latest_measurement", fail)
    with pytest.raises(OperationalError):
        measurement_create(
            child=child,
            values=measurement_values(measured_on=date(2025, 6, 1), height_cm="78.0"),
            source=Measurement.Source.PUSKESMAS,
            user=None,
        )
    assert list(Measurement.objects.all()) == [before]
    child = Child.objects.get(pk=child.pk)
    assert (child.latest_measurement, child.latest_haz_category) == (before, "sangat_pendek")
