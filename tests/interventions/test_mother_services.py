"""The services with a mother as the target: assigning her, recording a delivery with a check
of her, and the status changes and obstacles that work as for a child."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from interventions.models import Delivery, Intervention
from interventions.services import (
    KIND_FOR_CHILDREN_MESSAGE,
    KIND_FOR_MOTHERS_MESSAGE,
    NO_MOTHER_STATUS_MESSAGE,
    DuplicateAssignment,
    ObstacleValues,
    TransitionError,
    delivery_record,
    intervention_assign,
    intervention_change_status,
    obstacle_record,
)
from registrations.models import Mother, MotherCheck
from tests.builders import (
    KELAS_IBU,
    PMT,
    PMT_IBU,
    PUSKESMAS,
    TIMAH,
    TODAY,
    kecamatan_user,
    kind,
    make_child,
    make_intervention,
    make_mother,
    make_mother_check,
    mother_check_values,
    partner,
    partner_user,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def mother(village):
    return make_mother(village)


def assign(*, kind_name=PMT_IBU, partner_name=TIMAH, **targets):
    return intervention_assign(
        partner=partner(partner_name),
        kind=kind(kind_name),
        start_date=today(),
        planned_end=today() + timedelta(days=120),
        note="Pantau LiLA tiap bulan",
        user=kecamatan_user(),
        **targets,
    )


# --- assigning -----------------------------------------------------------------


def test_it_assigns_a_mother(mother):
    [created] = assign(mothers=[mother])
    created.refresh_from_db()
    assert created.mother == mother and created.child is None
    assert created.target == mother
    assert created.kind.name == PMT_IBU
    assert created.status == Intervention.Status.PLANNED
    assert created.history.get().history_user == kecamatan_user()


def test_it_refuses_a_childs_kind_for_a_mother(mother):
    with pytest.raises(ValidationError) as e:
        assign(mothers=[mother], kind_name=PMT)
    assert e.value.message_dict == {"kind": [KIND_FOR_CHILDREN_MESSAGE]}
    assert not Intervention.objects.exists()


def test_it_refuses_a_mothers_kind_for_a_child(village):
    with pytest.raises(ValidationError) as e:
        assign(children=[make_child(village)], kind_name=KELAS_IBU)
    assert e.value.message_dict == {"kind": [KIND_FOR_MOTHERS_MESSAGE]}
    assert not Intervention.objects.exists()


def test_it_refuses_the_same_kind_by_the_same_partner_still_open(mother):
    existing = make_intervention(mother, status=Intervention.Status.RUNNING)
    with pytest.raises(DuplicateAssignment) as e:
        assign(mothers=[mother])
    assert e.value.existing == [existing]
    assert Intervention.objects.count() == 1


def test_it_assigns_the_same_kind_by_another_partner(mother):
    make_intervention(mother, PUSKESMAS)
    [created] = assign(mothers=[mother])
    assert created.partner.name == TIMAH
    assert Intervention.objects.filter(mother=mother).count() == 2


def test_it_assigns_again_after_the_same_help_ended(mother):
    make_intervention(mother, status=Intervention.Status.DONE, finished_on=today())
    assert len(assign(mothers=[mother])) == 1


def test_a_childs_open_help_is_no_duplicate_of_a_mothers(mother, village):
    make_intervention(make_child(village), kind=PMT)
    assert len(assign(mothers=[mother])) == 1


# --- status changes and obstacles ------------------------------------------------


def test_status_changes_work_for_a_mother(mother):
    intervention = make_intervention(mother)
    user = kecamatan_user()
    intervention_change_status(intervention=intervention, status="running", user=user)
    intervention_change_status(intervention=intervention, status="done", user=user)
    intervention.refresh_from_db()
    assert intervention.status == Intervention.Status.DONE
    assert intervention.finished_on == TODAY


def test_obstacles_work_for_a_mother(mother):
    intervention = make_intervention(mother)
    obstacle = obstacle_record(
        intervention=intervention,
        values=ObstacleValues(kind="refused", date=today()),
        user=partner_user("timah"),
    )
    assert obstacle.intervention.mother == mother


# --- deliveries with a check -----------------------------------------------------


def test_a_delivery_records_a_check_that_becomes_her_latest(mother):
    user = partner_user("timah")
    intervention = make_intervention(mother)
    delivery = delivery_record(
        intervention=intervention,
        date=today(),
        description="Paket PMT ibu",
        quantity=Decimal("2"),
        mother_check=mother_check_values(muac_cm="24.1", hb_g_dl="11.2", weight_kg="54.5"),
        user=user,
    )
    check = Delivery.objects.get(pk=delivery.pk).mother_check
    assert (check.mother, check.source, check.recorded_by) == (
        mother,
        MotherCheck.Source.PARTNER,
        user,
    )
    assert (check.muac_cm, check.hb_g_dl, check.weight_kg) == (
        Decimal("24.1"),
        Decimal("11.2"),
        Decimal("54.5"),
    )
    # Her status carries over from the earlier check.
    assert check.mother_status == Mother.MotherStatus.PREGNANT
    mother = Mother.objects.get(pk=mother.pk)
    assert mother.latest_check == check
    assert (mother.is_kek, mother.is_anaemic) == (False, False)
    assert intervention.status == Intervention.Status.RUNNING


def test_a_check_moves_the_month_of_pregnancy_on(clock, village):
    mother = make_mother(village, check=False)
    make_mother_check(mother, checked_on=today() - timedelta(days=62), pregnancy_month=5)
    intervention = make_intervention(mother, start_date=today() - timedelta(days=62))
    delivery = delivery_record(
        intervention=intervention,
        date=today(),
        description="Kunjungan",
        quantity=Decimal("1"),
        mother_check=mother_check_values(hb_g_dl=None),
        user=partner_user("timah"),
    )
    assert delivery.mother_check.pregnancy_month == 7
    assert delivery.mother_check.hb_g_dl is None


def test_an_older_check_does_not_replace_the_latest(mother):
    latest = mother.latest_check
    intervention = make_intervention(mother)
    delivery_record(
        intervention=intervention,
        date=today() - timedelta(days=3),
        description="Kunjungan",
        quantity=Decimal("1"),
        mother_check=mother_check_values(checked_on=today() - timedelta(days=3)),
        user=partner_user("timah"),
    )
    assert Mother.objects.get(pk=mother.pk).latest_check == latest
    assert mother.checks.count() == 2


def test_a_check_needs_her_status_and_keeps_nothing_without_it(village):
    mother = make_mother(village, check=False)
    intervention = make_intervention(mother)
    with pytest.raises(ValidationError) as e:
        delivery_record(
            intervention=intervention,
            date=today(),
            description="Kunjungan",
            quantity=Decimal("1"),
            mother_check=mother_check_values(),
            user=partner_user("timah"),
        )
    assert e.value.message_dict == {"muac_cm": [NO_MOTHER_STATUS_MESSAGE]}
    assert not Delivery.objects.exists() and not MotherCheck.objects.exists()
    intervention.refresh_from_db()
    assert intervention.status == Intervention.Status.PLANNED


def test_a_delivery_without_a_check_records_none(mother):
    delivery = delivery_record(
        intervention=make_intervention(mother, kind=KELAS_IBU),
        date=today(),
        description="Kelas ibu hamil pertemuan 1",
        user=partner_user("timah"),
    )
    assert delivery.mother_check is None
    assert mother.checks.count() == 1


def test_a_delivery_on_a_finished_help_of_a_mother_is_refused(mother):
    intervention = make_intervention(mother, status=Intervention.Status.DONE)
    with pytest.raises(TransitionError):
        delivery_record(
            intervention=intervention,
            date=today(),
            description="Kunjungan",
            mother_check=mother_check_values(),
            user=partner_user("timah"),
        )
    assert mother.checks.count() == 1
