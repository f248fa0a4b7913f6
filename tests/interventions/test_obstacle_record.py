"""obstacle_record and obstacle_handle, and an obstacle recorded with a delivery."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError

from interventions.models import Delivery, Intervention, Obstacle
from interventions.services import (
    ObstacleAlreadyHandled,
    ObstacleValues,
    TransitionError,
    delivery_record,
    obstacle_handle,
    obstacle_record,
)
from tests.builders import (
    NOW,
    clean_jpeg,
    make_child,
    make_intervention,
    make_obstacle,
    partner_user,
    stored_files,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def intervention(village):
    return make_intervention(make_child(village), status=Intervention.Status.RUNNING)


def errors_of(excinfo):
    return {
        field: [e.message for e in errors] for field, errors in excinfo.value.error_dict.items()
    }


def test_it_records_an_open_obstacle(intervention, timah_user):
    obstacle = obstacle_record(
        intervention=intervention,
        values=ObstacleValues(
            kind=Obstacle.Kind.FAMILY_MOVED, date=today(), description=" Pindah ke Pangkalpinang "
        ),
        user=timah_user,
    )
    obstacle.refresh_from_db()
    assert obstacle.kind == Obstacle.Kind.FAMILY_MOVED == "family_moved"
    assert obstacle.get_kind_display() == "Keluarga pindah"
    assert obstacle.status == Obstacle.Status.OPEN == "open"
    assert obstacle.description == "Pindah ke Pangkalpinang"
    assert (obstacle.intervention, obstacle.delivery) == (intervention, None)
    assert obstacle.reported_by == timah_user
    assert (obstacle.handled_by, obstacle.handled_at, obstacle.handling_note) == (None, None, "")
    assert obstacle.history.get().history_user == timah_user


def test_it_records_one_on_a_planned_assignment(village, timah_user):
    planned = make_intervention(make_child(village))
    obstacle = make_obstacle(planned, kind=Obstacle.Kind.UNREACHABLE, reported_by=timah_user)
    assert obstacle.intervention == planned
    planned.refresh_from_db()
    assert planned.status == Intervention.Status.PLANNED


@pytest.mark.parametrize("status", [Intervention.Status.DONE, Intervention.Status.CANCELLED])
def test_it_refuses_a_closed_assignment(village, timah_user, status):
    closed = make_intervention(make_child(village), status=status)
    with pytest.raises(TransitionError):
        make_obstacle(closed, reported_by=timah_user)
    assert Obstacle.objects.count() == 0


def test_other_needs_words(intervention, timah_user):
    with pytest.raises(ValidationError) as excinfo:
        make_obstacle(intervention, kind=Obstacle.Kind.OTHER, description="   ")
    assert errors_of(excinfo) == {"description": ["Tuliskan kendalanya bila memilih lainnya."]}
    assert Obstacle.objects.count() == 0


def test_it_refuses_a_date_in_the_future(intervention):
    with pytest.raises(ValidationError) as excinfo:
        make_obstacle(intervention, date=today() + timedelta(days=1))
    assert errors_of(excinfo) == {"date": ["Tanggal tidak boleh di masa depan."]}
    assert Obstacle.objects.count() == 0


# --- handling -------------------------------------------------------------------------


def test_it_marks_an_obstacle_handled(intervention, verifikator):
    obstacle = make_obstacle(intervention)
    obstacle_handle(obstacle=obstacle, note=" Dirujuk ke Puskesmas ", user=verifikator)
    obstacle.refresh_from_db()
    assert obstacle.status == Obstacle.Status.HANDLED
    assert obstacle.handled_by == verifikator
    assert NOW <= obstacle.handled_at < NOW + timedelta(minutes=1)
    assert obstacle.handling_note == "Dirujuk ke Puskesmas"
    latest = obstacle.history.latest()
    assert (latest.history_user, latest.status) == (verifikator, Obstacle.Status.HANDLED)


def test_it_needs_a_note(intervention, verifikator):
    obstacle = make_obstacle(intervention)
    with pytest.raises(ValidationError) as excinfo:
        obstacle_handle(obstacle=obstacle, note="  ", user=verifikator)
    assert errors_of(excinfo) == {"note": ["Tuliskan tindak lanjutnya."]}
    obstacle.refresh_from_db()
    assert obstacle.status == Obstacle.Status.OPEN


def test_the_first_to_handle_it_wins(intervention, verifikator):
    obstacle = make_obstacle(intervention)
    stale = Obstacle.objects.get(pk=obstacle.pk)
    other = partner_user("lain")
    obstacle_handle(obstacle=obstacle, note="Sudah dikunjungi", user=other)
    with pytest.raises(ObstacleAlreadyHandled):
        obstacle_handle(obstacle=stale, note="Ditelepon", user=verifikator)
    obstacle.refresh_from_db()
    assert (obstacle.handled_by, obstacle.handling_note) == (other, "Sudah dikunjungi")


# --- with a delivery ------------------------------------------------------------------


def test_a_delivery_records_the_obstacle_met_then(intervention, timah_user):
    day = today() - timedelta(days=1)
    delivery = delivery_record(
        intervention=intervention,
        date=day,
        description="Kunjungan rumah",
        obstacle=ObstacleValues(kind=Obstacle.Kind.CHILD_ILL, date=day, description="Demam"),
        user=timah_user,
    )
    obstacle = Obstacle.objects.get()
    assert (obstacle.delivery, obstacle.intervention) == (delivery, intervention)
    assert (obstacle.kind, obstacle.date, obstacle.description) == (
        Obstacle.Kind.CHILD_ILL,
        day,
        "Demam",
    )
    assert obstacle.reported_by == timah_user


def test_a_bad_obstacle_keeps_the_delivery_and_its_photo_out(intervention, timah_user, media_root):
    with pytest.raises(ValidationError):
        delivery_record(
            intervention=intervention,
            date=today(),
            description="Kunjungan rumah",
            photo=clean_jpeg("bukti.jpg"),
            obstacle=ObstacleValues(kind=Obstacle.Kind.OTHER, date=today()),
            user=timah_user,
        )
    assert Delivery.objects.count() == Obstacle.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_failing_obstacle_leaves_no_delivery(intervention, timah_user, media_root, monkeypatch):
    def save(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Obstacle, "save", save)
    with pytest.raises(OperationalError):
        delivery_record(
            intervention=intervention,
            date=today(),
            description="Kunjungan rumah",
            photo=clean_jpeg("bukti.jpg"),
            obstacle=ObstacleValues(kind=Obstacle.Kind.REFUSED, date=today()),
            user=timah_user,
        )
    assert Delivery.objects.count() == 0
    assert stored_files(media_root) == []
