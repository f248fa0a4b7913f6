"""delivery_record: a partner's delivery values in, the delivery, its photo and measurement
out, the intervention started, or nothing at all."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import OperationalError

from interventions.models import Delivery, Intervention
from interventions.services import TransitionError, delivery_record
from registrations import growth
from registrations.models import Child, Measurement
from tests.builders import (
    PEMANTAUAN,
    clean_jpeg,
    make_child,
    make_intervention,
    measurement_values,
    partner_user,
    stored_files,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def user(db):
    return partner_user("timah")


@pytest.fixture
def child(village):
    return make_child(village, sex="P", birth_date=today() - timedelta(days=500))


@pytest.fixture
def planned(child):
    return make_intervention(child)


def state(intervention, media_root):
    """Every record a delivery may touch."""
    intervention = Intervention.objects.get(pk=intervention.pk)
    child = Child.objects.get(pk=intervention.child_id)
    return {
        "intervention": (
            intervention.status,
            intervention.started_on,
            intervention.history.count(),
        ),
        "child": (child.latest_measurement_id, child.latest_haz_category),
        "deliveries": Delivery.objects.count(),
        "measurements": Measurement.objects.count(),
        "files": stored_files(media_root),
    }


def test_it_records_the_delivery_and_starts_the_intervention(planned, user):
    day = today() - timedelta(days=2)
    delivery = delivery_record(
        intervention=planned,
        date=day,
        description="Paket PMT biskuit dan susu",
        quantity=Decimal("2.5"),
        note="Diterima ibu",
        internal=True,
        user=user,
    )
    d = Delivery.objects.get(pk=delivery.pk)
    assert (d.intervention, d.date, d.recorded_by) == (planned, day, user)
    assert (d.description, d.quantity, d.note, d.internal) == (
        "Paket PMT biskuit dan susu",
        Decimal("2.5"),
        "Diterima ibu",
        True,
    )
    assert (d.measurement, bool(d.photo)) == (None, False)
    assert d.history.get().history_user == user
    planned.refresh_from_db()
    assert (planned.status, planned.started_on) == (Intervention.Status.RUNNING, day)
    assert planned.history.latest().history_user == user
    assert not Measurement.objects.exists()


def test_a_visit_without_quantity_keeps_a_running_intervention_as_it_is(child, user):
    started = today() - timedelta(days=8)
    running = make_intervention(
        child, kind=PEMANTAUAN, status=Intervention.Status.RUNNING, started_on=started
    )
    delivery = delivery_record(
        intervention=running, date=today(), description="Kunjungan rumah", user=user
    )
    assert (delivery.quantity, delivery.note, delivery.internal) == (None, "", False)
    running.refresh_from_db()
    assert (running.status, running.started_on) == (Intervention.Status.RUNNING, started)


def test_it_stores_the_photo(planned, user, media_root):
    photo = clean_jpeg("bukti layanan.jpg")
    delivery = delivery_record(
        intervention=planned, date=today(), description="Paket PMT", photo=photo, user=user
    )
    delivery.refresh_from_db()
    assert delivery.photo.read() == photo.content
    assert delivery.photo_original_name == "bukti layanan.jpg"
    assert delivery.photo_sha256 == hashlib.sha256(photo.content).hexdigest()
    assert len(stored_files(media_root)) == 1


def test_it_records_the_childs_measurement_with_it(planned, child, user):
    day = today() - timedelta(days=1)
    delivery = delivery_record(
        intervention=planned,
        date=day,
        description="Paket PMT",
        measurement=measurement_values(
            measured_on=day, weight_kg="8.6", height_cm="74.0", position="lying"
        ),
        user=user,
    )
    m = Measurement.objects.get()
    assert delivery.measurement == m
    assert (m.child, m.source, m.recorded_by, m.measured_on) == (child, "partner", user, day)
    assert (m.weight_kg, m.height_cm, m.position) == (Decimal("8.6"), Decimal("74.0"), "lying")
    expected = growth.assess("P", child.birth_date, day, 74.0, 8.6, lying=True)
    assert m.haz == expected.haz
    child.refresh_from_db()
    assert (child.latest_measurement, child.latest_haz_category) == (m, m.haz_category)


@pytest.mark.parametrize("status", [Intervention.Status.DONE, Intervention.Status.CANCELLED])
def test_it_refuses_a_closed_intervention(child, user, media_root, status):
    closed = make_intervention(child, status=status, finished_on=today())
    before = state(closed, media_root)
    with pytest.raises(TransitionError):
        delivery_record(
            intervention=closed,
            date=today(),
            description="Paket PMT",
            photo=clean_jpeg(),
            measurement=measurement_values(),
            user=user,
        )
    assert state(closed, media_root) == before


def test_a_failure_half_way_leaves_nothing_behind(planned, user, media_root, monkeypatch):
    """The intervention was started, the measurement and the photo saved, then the delivery
    could not be: all of it is undone."""
    before = state(planned, media_root)

    def fail(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Delivery, "save", fail)
    with pytest.raises(OperationalError):
        delivery_record(
            intervention=planned,
            date=today(),
            description="Paket PMT",
            photo=clean_jpeg(),
            measurement=measurement_values(),
            user=user,
        )
    assert state(planned, media_root) == before
    assert before["intervention"][0] == Intervention.Status.PLANNED
