"""The services behind a mother's page: a check, her identity, her programme status."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from registrations.models import Mother
from registrations.services import ProgrammeStatusConflict
from tests.builders import TODAY, make_mother
from verification.services import (
    mother_check_create,
    mother_set_programme_status,
    mother_update,
)

pytestmark = pytest.mark.django_db

CONDITION = {
    "mother_status": "pregnant",
    "pregnancy_month": 7,
    "due_date": None,
    "baby_birth_date": None,
    "muac_cm": Decimal("25.0"),
    "hb_g_dl": None,
    "weight_kg": None,
    "height_cm": None,
}


def test_an_older_check_does_not_become_her_latest(village, verifikator):
    mother = make_mother(village)
    latest = mother.latest_check
    older = mother_check_create(
        mother=mother,
        values=CONDITION,
        checked_on=TODAY - timedelta(days=30),
        source="puskesmas",
        user=verifikator,
    )
    mother.refresh_from_db()
    assert mother.latest_check == latest != older
    assert mother.is_kek


def test_a_newer_check_changes_her_stored_condition_without_a_history_entry(village, verifikator):
    mother = make_mother(village)
    mother_check_create(
        mother=mother, values=CONDITION, checked_on=TODAY, source="kecamatan", user=verifikator
    )
    mother.refresh_from_db()
    assert (mother.is_kek, mother.is_anaemic) == (False, False)
    assert mother.history.count() == 1


def test_a_check_takes_only_condition_fields(village, verifikator):
    mother = make_mother(village)
    with pytest.raises(ValueError):
        mother_check_create(
            mother=mother,
            values={**CONDITION, "name": "X"},
            checked_on=TODAY,
            source="kecamatan",
            user=verifikator,
        )
    assert mother.checks.count() == 1


def test_an_update_with_the_same_values_saves_nothing(village, verifikator):
    mother = make_mother(village)
    mother_update(mother=mother, changes={"name": "Siti Aminah"}, user=verifikator)
    assert mother.history.count() == 1
    mother_update(mother=mother, changes={"name": "Siti Amina"}, user=verifikator)
    assert mother.history.count() == 2
    assert Mother.objects.get().name == "Siti Amina"


def test_an_exit_is_checked_and_compared_with_the_stored_status(village, verifikator, clock):
    mother = make_mother(village)
    with pytest.raises(ValidationError) as e:
        mother_set_programme_status(
            mother=mother, status="exited", reason="other", date=TODAY, user=verifikator
        )
    assert e.value.message_dict == {"note": ["Tulis keterangan untuk alasan Lainnya."]}
    with pytest.raises(ProgrammeStatusConflict):
        mother_set_programme_status(
            mother=mother,
            status="exited",
            reason="died",
            date=TODAY,
            user=verifikator,
            expected_status="exited",
        )
    mother.refresh_from_db()
    assert mother.programme_status == "active"
