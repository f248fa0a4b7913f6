from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registrations.models import Child, Submission
from verification.checks import duplicate_reason
from verification.models import Decision

NEW_STATUS = {
    Decision.Action.VERIFIED_NEW: Submission.Status.VERIFIED,
    Decision.Action.MERGED: Submission.Status.VERIFIED,
    Decision.Action.NEEDS_CORRECTION: Submission.Status.NEEDS_CORRECTION,
    Decision.Action.REJECTED: Submission.Status.REJECTED,
}


_MESSAGE_TO_KADER = {Decision.Action.NEEDS_CORRECTION, Decision.Action.REJECTED}


class DecisionConflict(Exception):
    """Someone else decided, or the kader corrected, the report since the page was loaded."""


def decide(
    *, submission, action, user, version, note="", child=None, birth_date=None, child_sex=""
):
    """Record a verifikator's decision on one version of a report and carry it out.

    A report imported from the Google Form has an estimated birth date and may have no sex:
    a new case from it takes `birth_date` as confirmed by the verifikator, and `child_sex`
    when the report has none; without them it is refused (ValidationError)."""
    if action == Decision.Action.VERIFIED_NEW:
        if submission.birth_date_estimated and birth_date is None:
            raise ValidationError("Tanggal lahir perkiraan harus dipastikan.", "birth_date")
        if not (submission.child_sex or child_sex):
            raise ValidationError("Jenis kelamin anak belum diisi.", "child_sex")
    with transaction.atomic():
        # Compare-and-set on status and version: of two staff deciding at once, or a
        # decision on a page that went stale, only the first one changes anything.
        claimed = Submission.objects.filter(
            pk=submission.pk, status=Submission.Status.PENDING, version=version
        ).update(
            status=NEW_STATUS[action],
            status_message=note if action in _MESSAGE_TO_KADER else "",
            updated_at=timezone.now(),
        )
        if not claimed:
            raise DecisionConflict

        if action == Decision.Action.VERIFIED_NEW:
            child = child_from_submission(submission)
            if submission.birth_date_estimated:
                child.birth_date = birth_date
                child._change_reason = "Tanggal lahir perkiraan (impor Google Form) dipastikan"
            child.sex = submission.child_sex or child_sex
            child._history_user = user
            child.save()
        if action in (Decision.Action.VERIFIED_NEW, Decision.Action.MERGED):
            Submission.objects.filter(pk=submission.pk).update(child=child)
            # Reports imported from the Google Form come without a measurement.
            measurement = getattr(submission, "measurement", None)
            if measurement is not None:
                measurement.child = child
                measurement.save()

        decision = Decision.objects.create(
            submission=submission,
            version=version,
            action=action,
            child=child,
            note=note,
            decided_by=user,
        )
        Submission.objects.filter(pk=submission.pk, first_decided_at__isnull=True).update(
            first_decided_at=decision.decided_at
        )
    submission.refresh_from_db()
    return decision


def child_from_submission(submission):
    return Child(
        name=submission.child_name,
        nik=submission.child_nik,
        sex=submission.child_sex,
        birth_date=submission.birth_date,
        mother_name=submission.mother_name,
        father_name=submission.father_name,
        parent_occupation=submission.parent_occupation,
        parent_phone=submission.parent_phone,
        address=submission.address,
        kk_number=submission.kk_number,
        village=submission.village,
        posyandu=submission.posyandu,
    )


def find_duplicates(submission, limit=20):
    """Registered children and other reports that may be the same child, with the reason."""
    same = Q(birth_date=submission.birth_date)
    if submission.child_nik:
        same |= Q(nik=submission.child_nik)
    children = (
        Child.objects.filter(same)
        .exclude(pk=submission.child_id)
        .select_related("village")[: limit * 5]
    )
    found = []
    for child in children:
        reason = duplicate_reason(submission, child)
        if reason:
            found.append((child, reason))

    same = Q(birth_date=submission.birth_date)
    if submission.child_nik:
        same |= Q(child_nik=submission.child_nik)
    others = (
        Submission.objects.filter(same)
        .exclude(pk=submission.pk)
        .select_related("village", "child")[: limit * 5]
    )
    reports = []
    for other in others:
        reason = duplicate_reason(submission, other)
        if reason:
            reports.append((other, reason))
    return found[:limit], reports[:limit]
