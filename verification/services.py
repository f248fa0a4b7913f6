from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registrations.models import AccessLog, Child, Submission
from verification.checks import duplicate_reason
from verification.models import Decision

NEW_STATUS: dict[str, str] = {
    Decision.Action.VERIFIED_NEW: Submission.Status.VERIFIED,
    Decision.Action.MERGED: Submission.Status.VERIFIED,
    Decision.Action.NEEDS_CORRECTION: Submission.Status.NEEDS_CORRECTION,
    Decision.Action.REJECTED: Submission.Status.REJECTED,
}


_MESSAGE_TO_KADER: set[str] = {Decision.Action.NEEDS_CORRECTION, Decision.Action.REJECTED}


class DecisionConflict(Exception):
    """Someone else decided, or the kader corrected, the report since the page was loaded."""


def submission_decide(
    *,
    submission: Submission,
    action: str,
    user: User,
    note: str = "",
    child: Child | None = None,
    version: int | None = None,
) -> Decision:
    """Record a verifikator's decision (a Decision.Action value) on a pending report and
    carry it out: verified as a new case creates the child; merged links the report to the
    registered `child`, which only a merge names. Sending back and rejecting show `note` to
    the kader.

    `version` is the version of the report the decision was made on, as the deciding page
    showed it; by default, the version of `submission` as the caller read it. Raises
    DecisionConflict, changing nothing, when the report is no longer pending at that
    version (someone else decided, or the kader corrected it, meanwhile)."""
    if (action == Decision.Action.MERGED) != (child is not None):
        raise ValueError("A merge names the registered child; no other decision does.")
    version = submission.version if version is None else version
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
            child = _child_from_submission(submission)
            child._history_user = user
            child.save()
        if child is not None:
            Submission.objects.filter(pk=submission.pk).update(child=child)
            measurement = submission.measurement
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


def _child_from_submission(submission: Submission) -> Child:
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


def find_duplicates(
    submission: Submission, limit: int = 20
) -> tuple[list[tuple[Child, str]], list[tuple[Submission, str]]]:
    """Registered children and other reports that may be the same child, with the reason."""
    same = Q(birth_date=submission.birth_date)
    if submission.child_nik:
        same |= Q(nik=submission.child_nik)
    candidates = Child.objects.filter(same)
    if submission.child_id is not None:
        candidates = candidates.exclude(pk=submission.child_id)
    children = candidates.select_related("village")[: limit * 5]
    found: list[tuple[Child, str]] = []
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
    reports: list[tuple[Submission, str]] = []
    for other in others:
        reason = duplicate_reason(submission, other)
        if reason:
            reports.append((other, reason))
    return found[:limit], reports[:limit]


# Who opened a page that shows a child's full NIK and KK number is logged like a document.


def submission_log_view(*, submission: Submission, user: User, ip_address: str | None) -> None:
    """Log that `user` opened a report's staff page."""
    _log_view(user, f"Laporan {submission.formatted_code} ({submission.child_name})", ip_address)


def child_log_view(*, child: Child, user: User, ip_address: str | None) -> None:
    """Log that `user` opened a registered child's staff page."""
    _log_view(user, f"Data anak #{child.pk} ({child.name})", ip_address)


def _log_view(user: User, detail: str, ip_address: str | None) -> None:
    AccessLog.objects.create(
        user=user,
        action=AccessLog.Action.VIEW_CHILD,
        detail=detail[:255],
        ip_address=ip_address,
    )
