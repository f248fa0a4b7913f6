"""submission_decide: a verifikator's decision in, the report's new status, the child and the
decision out, or nothing changed at all."""

from datetime import date

import pytest
from django.db import OperationalError

from registrations.models import Child, Submission
from tests.builders import (
    VERIFIKATOR_GROUP,
    make_child,
    make_measurement,
    make_submission,
    make_user,
)
from verification.models import Decision
from verification.services import DecisionConflict, submission_decide

pytestmark = pytest.mark.django_db

VERIFIED_NEW = Decision.Action.VERIFIED_NEW
MERGED = Decision.Action.MERGED
NEEDS_CORRECTION = Decision.Action.NEEDS_CORRECTION
REJECTED = Decision.Action.REJECTED


@pytest.fixture
def user(db):
    return make_user("petugas", VERIFIKATOR_GROUP)


@pytest.fixture
def submission(posyandu):
    return make_submission(
        posyandu.village,
        posyandu,
        child_nik="1901015003250001",
        father_name="Budi",
        kk_number="1901010101200001",
    )


def state():
    """Every record a decision may touch."""
    return {
        "reports": list(Submission.objects.values_list("status", "status_message", "child")),
        "children": list(Child.objects.values_list("pk", "latest_measurement")),
        "measurements": list(Submission.objects.values_list("measurement__child")),
        "decisions": Decision.objects.count(),
    }


def test_verified_as_new_it_registers_the_child(submission, user):
    decision = submission_decide(submission=submission, action=VERIFIED_NEW, user=user)

    child = Child.objects.get()
    assert (child.name, child.nik, child.sex, child.birth_date) == (
        "Putri Ayu",
        "1901015003250001",
        "P",
        submission.birth_date,
    )
    assert (child.father_name, child.kk_number, child.village, child.posyandu) == (
        "Budi",
        "1901010101200001",
        submission.village,
        submission.posyandu,
    )
    assert child.history.get().history_user == user
    assert (submission.status, submission.child) == ("verified", child)  # refreshed
    assert submission.measurement.child == child
    assert (child.latest_measurement, child.latest_haz_category) == (
        submission.measurement,
        submission.measurement.haz_category,
    )
    decision = Decision.objects.get(pk=decision.pk)
    assert (decision.submission, decision.version, decision.action) == (
        submission,
        1,
        "verified_new",
    )
    assert (decision.child, decision.decided_by, decision.note) == (child, user, "")


def test_merged_it_adds_the_report_to_the_registered_child(village, user):
    child = make_child(village, birth_date=date(2024, 1, 10))
    earlier = make_measurement(child, date(2024, 6, 1), "60.0")
    report = make_submission(village, birth_date=child.birth_date, measured_on=date(2025, 3, 1))

    submission_decide(submission=report, action=MERGED, child=child, user=user, note="Sama.")

    assert Child.objects.count() == 1
    assert (report.status, report.child) == ("verified", child)
    assert set(child.measurements.all()) == {earlier, report.measurement}
    child.refresh_from_db()
    assert child.latest_measurement == report.measurement
    decision = Decision.objects.get()
    assert (decision.action, decision.child, decision.note) == ("merged", child, "Sama.")
    assert report.status_message == ""  # a note on a merge is for the staff only


@pytest.mark.parametrize(
    "action,status", [(NEEDS_CORRECTION, "needs_correction"), (REJECTED, "rejected")]
)
def test_sent_back_or_rejected_it_tells_the_kader_why(submission, user, action, status):
    submission_decide(submission=submission, action=action, note="Foto KK buram.", user=user)
    assert (submission.status, submission.status_message, submission.child) == (
        status,
        "Foto KK buram.",
        None,
    )
    assert not Child.objects.exists()
    assert submission.measurement.child is None
    assert Decision.objects.get().action == action


def test_it_decides_on_the_version_that_was_read(submission, user):
    # Corrected by the kader after this copy of the report was read.
    Submission.objects.filter(pk=submission.pk).update(version=2)
    before = state()
    with pytest.raises(DecisionConflict):
        submission_decide(submission=submission, action=VERIFIED_NEW, user=user)
    assert state() == before

    decision = submission_decide(submission=submission, action=VERIFIED_NEW, user=user, version=2)
    assert (decision.version, submission.status) == (2, "verified")


def test_a_decided_report_cannot_be_decided_again(submission, user):
    submission_decide(submission=submission, action=REJECTED, note="Ganda.", user=user)
    before = state()
    with pytest.raises(DecisionConflict):
        submission_decide(submission=submission, action=VERIFIED_NEW, user=user, version=1)
    assert state() == before


@pytest.mark.parametrize(
    "action,with_child", [(MERGED, False), (VERIFIED_NEW, True), (REJECTED, True)]
)
def test_only_a_merge_names_a_child(submission, village, user, action, with_child):
    child = make_child(village)
    before = state()
    with pytest.raises(ValueError):
        submission_decide(
            submission=submission,
            action=action,
            note="x",
            child=child if with_child else None,
            user=user,
        )
    assert state() == before


def test_a_failure_half_way_changes_nothing(submission, user, monkeypatch):
    before = state()

    def fail(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Decision.objects, "create", fail)
    with pytest.raises(OperationalError):
        submission_decide(submission=submission, action=VERIFIED_NEW, user=user)
    assert state() == before
    assert Submission.objects.get().status == "pending"
    assert not Child.objects.exists()
