"""delivery_record when the database or the storage fails: no photo is left behind."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError

from interventions.models import Delivery
from interventions.services import delivery_record
from registrations.models import Measurement
from tests.builders import (
    clean_jpeg,
    make_child,
    make_intervention,
    measurement_values,
    partner_user,
    stored_files,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def intervention(village):
    return make_intervention(make_child(village))


def record(intervention, user):
    return delivery_record(
        intervention=intervention,
        date=intervention.start_date,
        description="Paket PMT",
        photo=clean_jpeg("bukti.jpg"),
        measurement=measurement_values(
            measured_on=intervention.start_date, weight_kg="9", height_cm="80", position="standing"
        ),
        user=user,
    )


def test_it_removes_the_photo_when_the_database_fails(intervention, media_root, monkeypatch):
    user = partner_user("timah")

    def save(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Delivery, "save", save)
    with pytest.raises(OperationalError):
        record(intervention, user)
    assert stored_files(media_root) == []
    assert Measurement.objects.count() == 0


def test_it_keeps_the_original_error_when_the_photo_cannot_be_removed(
    intervention, media_root, monkeypatch, caplog
):
    user = partner_user("timah")
    monkeypatch.setattr(Delivery, "save", lambda *a, **k: (_ for _ in ()).throw(OperationalError))
    monkeypatch.setattr(
        FileSystemStorage, "delete", lambda self, name: (_ for _ in ()).throw(PermissionError)
    )
    with pytest.raises(OperationalError):
        record(intervention, user)
    [left] = stored_files(media_root)
    assert any("Could not remove" in r.getMessage() for r in caplog.records)
    assert Delivery.objects.count() == 0
    assert left.suffix == ".jpg"
