from datetime import date, datetime
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from gasken.pages import search
from registrations.models import (
    AccessLog,
    Child,
    Measurement,
    Mother,
    MotherCheck,
    MotherReport,
    Submission,
)
from registrations.services import ProgrammeStatusConflict
from registrations.validators import DATE_INPUT_FORMATS
from verification.checks import duplicate_reason, mother_duplicate_reason, names_similar
from verification.models import VIEW_CHILD, VIEW_MOTHER, Decision

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
    birth_date: date | None = None,
    child_sex: str = "",
) -> Decision:
    """Record a verifikator's decision (a Decision.Action value) on a pending report and
    carry it out: verified as a new case creates the child; merged links the report to the
    registered `child`, which only a merge names, and adds why the report was sent to the
    child's reason (ReportReason.gather_reason). Sending back and rejecting show `note` to
    the kader.

    `version` is the version of the report the decision was made on, as the deciding page
    showed it; by default, the version of `submission` as the caller read it. Raises
    DecisionConflict, changing nothing, when the report is no longer pending at that
    version (someone else decided, or the kader corrected it, meanwhile).

    A report imported from the Google Form has an estimated birth date and may have no sex:
    a new case from it takes `birth_date` as confirmed by the verifikator, and `child_sex`
    when the report has none; without them it is refused (ValidationError)."""
    if (action == Decision.Action.MERGED) != (child is not None):
        raise ValueError("A merge names the registered child; no other decision does.")
    if action == Decision.Action.VERIFIED_NEW:
        if submission.birth_date_estimated and birth_date is None:
            raise ValidationError("Tanggal lahir perkiraan harus dipastikan.", "birth_date")
        if not (submission.child_sex or child_sex):
            raise ValidationError("Jenis kelamin anak belum diisi.", "child_sex")
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
            if submission.birth_date_estimated and birth_date is not None:
                child.birth_date = birth_date
                child._change_reason = "Tanggal lahir perkiraan (impor Google Form) dipastikan"
            child.sex = submission.child_sex or child_sex
            child._history_user = user
            child.save()
        elif child is not None:
            child = _gather_reason(child, submission, user)
        if child is not None:
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


def _gather_reason(child: Child, submission: Submission, user: User) -> Child:
    """Add why the report was sent to the registered child it is merged into (see
    ReportReason.gather_reason), in the child's history."""
    locked = Child.objects.select_for_update().get(pk=child.pk)
    changed = locked.gather_reason(submission)
    if changed:
        locked._history_user = user
        locked._change_reason = f"Alasan dari laporan {submission.formatted_code}"
        locked.save(update_fields=changed)
    return locked


def _child_from_submission(submission: Submission) -> Child:
    child = Child(
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
    child.gather_reason(submission)
    return child


def find_duplicates(
    submission: Submission, limit: int = 20
) -> tuple[list[tuple[Child, str]], list[tuple[Submission, str]]]:
    """Registered children and other reports that may be the same child, with the reason."""
    same = Q(birth_date=submission.birth_date)
    if submission.child_nik:
        same |= Q(nik=submission.child_nik)
    candidates = Child.objects.current().filter(same)
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
    AccessLog.record(
        user=user,
        action=VIEW_CHILD,
        ip_address=ip_address,
        target=submission,
        detail=f"Laporan {submission.formatted_code} ({submission.child_name})",
    )


def child_log_view(*, child: Child, user: User, ip_address: str | None) -> None:
    """Log that `user` opened a registered child's staff page."""
    AccessLog.record(
        user=user,
        action=VIEW_CHILD,
        ip_address=ip_address,
        target=child,
        detail=f"Data anak #{child.pk} ({child.name})",
    )


def find_child_duplicates(child: Child, limit: int = 20) -> list[tuple[Child, str]]:
    """Other registered children that may be this same child, with the reason."""
    same = Q(birth_date=child.birth_date)
    if child.nik:
        same |= Q(nik=child.nik)
    others = (
        Child.objects.current()
        .filter(same)
        .exclude(pk=child.pk)
        .select_related("village")
        .order_by("pk")[: limit * 5]
    )
    found: list[tuple[Child, str]] = []
    for other in others:
        reason = duplicate_reason(child, other)
        if reason:
            found.append((other, reason))
    return found[:limit]


def _as_date(word: str) -> date | None:
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(word, fmt).date()
        except ValueError:
            continue
    return None


def search_children(children: QuerySet[Child], text: str, limit: int = 20) -> list[Child]:
    """The children of `children` that match every word of `text`: a date (31-12-2024,
    31/12/2024, 2024-12-31) matches the birth date, #12 the child's number, any other word
    the name, the mother's name or the NIK. At most `limit`, by name."""
    return _search_people(children, text, ["name", "mother_name", "nik"], limit)


def search_mothers(mothers: QuerySet[Mother], text: str, limit: int = 20) -> list[Mother]:
    """The mothers of `mothers` that match every word of `text`, as search_children: a
    date matches her birth date, #12 her number, any other word her name or NIK."""
    return _search_people(mothers, text, ["name", "nik"], limit)


_P = TypeVar("_P", Child, Mother)


def _search_people(people: QuerySet[_P], text: str, fields: list[str], limit: int) -> list[_P]:
    words = text.split()
    if not words:
        return []
    q = people
    for word in words:
        day = _as_date(word)
        if day is not None:
            q = q.filter(birth_date=day)
        elif word.startswith("#") and word[1:].isdigit() and len(word) < 19:
            q = q.filter(pk=int(word[1:]))
        else:
            q = search(q, word, fields)
    return list(q.select_related("village").order_by("name", "pk")[:limit])


class MergeConflict(Exception):
    """One of the two children (or mothers) was merged into another one since the page was
    loaded."""


# Identity fields that a merge fills in on the kept child when they are empty there.
FILLED_BY_MERGE = ["nik", "father_name", "parent_occupation", "parent_phone", "kk_number"]


def child_merge(*, kept: Child, merged: Child, user: User | None, note: str = "") -> Child:
    """Merge `merged` into `kept`: two registrations of one real child.

    Reports, measurements, decisions and every other record naming the merged child
    (interventions with their deliveries, children merged into it before) move to the kept
    child; the moved measurements' z-scores are computed again from the kept child's birth
    date and sex, and its latest measurement follows. Identity fields empty on the kept
    child are filled from the merged one, and the merged child's reason for being reported
    is added to the kept one's (ReportReason.gather_reason). The merged child stays, as
    "digabungkan ke #N", for its history; both children's histories record the merge with
    `user` and `note`.
    Raises ValidationError for one child merged with itself, MergeConflict when either
    child was merged meanwhile."""
    if kept.pk == merged.pk:
        raise ValidationError("Pilih dua anak yang berbeda untuk digabungkan.", "same_child")
    note = note.strip()
    with transaction.atomic():
        kept, merged = _lock_pair(Child, kept, merged)
        into_kept, into_other = _merge_reasons("Anak", "anak", kept, merged, note)

        Submission.objects.filter(child=merged).update(child=kept)
        Decision.objects.filter(child=merged).update(child=kept)
        for measurement in Measurement.objects.filter(child=merged):
            measurement.child = kept
            measurement.save()
        _move_other_records(
            merged,
            kept,
            user,
            f"Anak #{merged.pk} digabungkan ke #{kept.pk}",
            moved_above={Submission, Measurement, Decision},
        )

        _fill_empty(kept, merged, FILLED_BY_MERGE)
        kept.gather_reason(merged)
        kept.refresh_latest_measurement()
        kept._history_user = user
        kept._change_reason = into_kept
        kept.save()

        merged.merged_into = kept
        merged._history_user = user
        merged._change_reason = into_other
        merged.save(update_fields=["merged_into"])
        merged.refresh_latest_measurement()
    return kept


def _lock_pair(model: type[_P], kept: _P, merged: _P) -> tuple[_P, _P]:
    """Both registrations fresh from the database and locked, in id order so that two merges
    of the same pair cannot deadlock. Raises MergeConflict when either is merged already."""
    locked = model.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])
    rows = {p.pk: p for p in locked.order_by("pk")}
    kept, merged = rows[kept.pk], rows[merged.pk]
    if kept.merged_into_id is not None or merged.merged_into_id is not None:
        raise MergeConflict
    return kept, merged


def _merge_reasons(who: str, whom: str, kept: _P, merged: _P, note: str) -> tuple[str, str]:
    """The reasons both histories record: ("Anak #2 digabungkan ke anak ini: …",
    "Digabungkan ke anak #1: …")."""
    suffix = f": {note}" if note else ""
    into_kept = f"{who} #{merged.pk} digabungkan ke {whom} ini{suffix}"[:100]
    into_other = f"Digabungkan ke {whom} #{kept.pk}{suffix}"[:100]
    return into_kept, into_other


def _fill_empty(kept: _P, merged: _P, names: list[str]) -> None:
    """Fill the kept registration's empty `names` from the merged one, and its posyandu when
    it has none and the merged one's is of the same village."""
    for name in names:
        if not getattr(kept, name) and getattr(merged, name):
            setattr(kept, name, getattr(merged, name))
    if kept.posyandu_id is None and merged.posyandu_id and merged.village_id == kept.village_id:
        kept.posyandu_id = merged.posyandu_id


def _move_other_records(
    merged: Model, kept: Model, user: User | None, reason: str, *, moved_above: set[type[Model]]
) -> None:
    """Point every other record that names the merged child or mother at the kept one: those
    of the apps to the right of this one (interventions), which this app does not import,
    and the registrations merged into it before. One row at a time, so that a model with a
    history (interventions) records the move there. `moved_above` are the models the merge
    moved itself."""
    for rel in type(merged)._meta.related_objects:
        if rel.related_model in moved_above:
            continue
        name = rel.field.name
        rows = rel.related_model._base_manager.select_for_update().filter(**{name: merged})
        for row in rows:
            setattr(row, name, kept)
            # Read by django-simple-history where the model keeps a history.
            setattr(row, "_history_user", user)  # noqa: B010
            setattr(row, "_change_reason", reason)  # noqa: B010
            row.save(update_fields=[name])


# --- pregnant and breastfeeding mothers ------------------------------------------------

STALE_MOTHER_REPORT = (
    "Keputusan tidak disimpan: laporan ini sudah diputuskan petugas lain atau sudah "
    "diperbaiki kader."
)

# What a mother's report gives her registration, and what a later report fills in when the
# registered mother has it empty.
MOTHER_IDENTITY_FROM_REPORT = [
    "name",
    "nik",
    "birth_date",
    "phone",
    "address",
    "kk_number",
    "husband_name",
    "village",
    "posyandu",
]
FILLED_BY_MOTHER_REPORT = ["nik", "phone", "kk_number", "husband_name"]
CONDITION_FIELDS = [
    "mother_status",
    "pregnancy_month",
    "due_date",
    "baby_birth_date",
    "muac_cm",
    "hb_g_dl",
    "weight_kg",
    "height_cm",
]


def mother_report_decide(
    *,
    report: MotherReport,
    version: int,
    action: str,
    user: User,
    note: str = "",
    mother: Mother | None = None,
    baby: Child | None = None,
) -> Decision:
    """Record a verifikator's decision (a Decision.Action value) on a pending mother's
    report, made on `version` of it, and carry it out.

    Verified as new registers the mother from the report, with the report's condition as
    her first check (source kader); merged adds that check to the registered `mother`
    (which only a merge names) and fills her empty identity fields from the report. `baby`,
    for a breastfeeding mother, is the registered child the check links to. Sending back
    needs a message to the kader and rejecting a reason (`note`, shown to the kader); both
    raise ValidationError without one.

    Raises DecisionConflict, changing nothing, when the report is no longer pending at
    `version` (someone else decided, or the kader corrected it, meanwhile)."""
    if (action == Decision.Action.MERGED) != (mother is not None):
        raise ValueError("A merge names the registered mother; no other decision does.")
    note = note.strip()
    if action in _MESSAGE_TO_KADER and not note:
        message = (
            "Tulis pesan untuk kader: apa yang perlu diperbaiki."
            if action == Decision.Action.NEEDS_CORRECTION
            else "Alasan penolakan wajib diisi."
        )
        raise ValidationError({"note": ValidationError(message, "note_required")})
    if baby is not None:
        if action not in (Decision.Action.VERIFIED_NEW, Decision.Action.MERGED):
            raise ValueError("Only a verification links the baby.")
        if report.mother_status != Mother.MotherStatus.BREASTFEEDING:
            raise ValidationError(
                {"baby": ValidationError("Hanya ibu menyusui yang dihubungkan dengan bayi.")}
            )
    with transaction.atomic():
        # Compare-and-set, as for a child's report: only the first of two decisions counts.
        claimed = MotherReport.objects.filter(
            pk=report.pk, status=MotherReport.Status.PENDING, version=version
        ).update(
            status=NEW_STATUS[action],
            status_message=note if action in _MESSAGE_TO_KADER else "",
            updated_at=timezone.now(),
        )
        if not claimed:
            raise DecisionConflict(STALE_MOTHER_REPORT)
        fresh = MotherReport.objects.get(pk=report.pk)

        if action == Decision.Action.VERIFIED_NEW:
            mother = Mother(**{name: getattr(fresh, name) for name in MOTHER_IDENTITY_FROM_REPORT})
            mother._history_user = user  # type: ignore[attr-defined]
            mother._change_reason = f"Dari laporan {fresh.formatted_code}"  # type: ignore[attr-defined]
            mother.save()
        elif mother is not None:
            mother = _fill_from_report(mother, fresh, user)
        if mother is not None:
            check = MotherCheck(
                mother=mother,
                report=fresh,
                checked_on=fresh.measured_on,
                source=MotherCheck.Source.KADER,
                recorded_by=user,
                **{name: getattr(fresh, name) for name in CONDITION_FIELDS},
            )
            check.baby = baby or fresh.baby
            check.save()
            mother.refresh_latest_check()
            MotherReport.objects.filter(pk=report.pk).update(mother=mother)

        decision = Decision.objects.create(
            mother_report=fresh,
            version=version,
            action=action,
            mother=mother,
            note=note,
            decided_by=user,
        )
        MotherReport.objects.filter(pk=report.pk, first_decided_at__isnull=True).update(
            first_decided_at=decision.decided_at
        )
    report.refresh_from_db()
    return decision


def _fill_from_report(mother: Mother, report: MotherReport, user: User) -> Mother:
    locked = Mother.objects.select_for_update().get(pk=mother.pk)
    if locked.merged_into_id is not None:
        raise ValidationError(
            {"mother": ValidationError("Ibu ini sudah digabungkan ke ibu lain: pilih ibu itu.")}
        )
    changed = [
        name
        for name in FILLED_BY_MOTHER_REPORT
        if not getattr(locked, name) and getattr(report, name)
    ]
    for name in changed:
        setattr(locked, name, getattr(report, name))
    if changed:
        locked._history_user = user  # type: ignore[attr-defined]
        locked._change_reason = f"Dilengkapi dari laporan {report.formatted_code}"  # type: ignore[attr-defined]
        locked.save(update_fields=changed)
    return locked


def find_mother_duplicates(
    report: MotherReport, limit: int = 20
) -> tuple[list[tuple[Mother, str]], list[tuple[MotherReport, str]]]:
    """Registered mothers and other reports that may be the same woman, with the reason:
    the same NIK, or the same birth date and the same (or a similar) name."""
    same = Q(birth_date=report.birth_date)
    if report.nik:
        same |= Q(nik=report.nik)
    mothers = Mother.objects.current().filter(same)
    if report.mother_id is not None:
        mothers = mothers.exclude(pk=report.mother_id)
    found: list[tuple[Mother, str]] = []
    for mother in mothers.select_related("village").order_by("pk")[: limit * 5]:
        reason = mother_duplicate_reason(report, mother)
        if reason:
            found.append((mother, reason))
    others = (
        MotherReport.objects.filter(same)
        .exclude(pk=report.pk)
        .select_related("village", "mother")
        .order_by("-created_at", "-pk")[: limit * 5]
    )
    reports: list[tuple[MotherReport, str]] = []
    for other in others:
        reason = mother_duplicate_reason(report, other)
        if reason:
            reports.append((other, reason))
    return found[:limit], reports[:limit]


def find_other_mothers(mother: Mother, limit: int = 20) -> list[tuple[Mother, str]]:
    """Other registered mothers that may be this same woman, with the reason."""
    same = Q(birth_date=mother.birth_date)
    if mother.nik:
        same |= Q(nik=mother.nik)
    others = (
        Mother.objects.current()
        .filter(same)
        .exclude(pk=mother.pk)
        .select_related("village")
        .order_by("pk")[: limit * 5]
    )
    found: list[tuple[Mother, str]] = []
    for other in others:
        reason = mother_duplicate_reason(mother, other)
        if reason:
            found.append((other, reason))
    return found[:limit]


def find_candidate_babies(
    *, mother_name: str, baby_birth_date: date | None, village_id: int | None, limit: int = 20
) -> list[Child]:
    """Registered children who may be a breastfeeding mother's baby: born on the day she
    gave, with a mother's name like hers; those of her village first."""
    if baby_birth_date is None:
        return []
    children = Child.objects.current().filter(birth_date=baby_birth_date)
    found = [
        c
        for c in children.select_related("village").order_by("pk")[: limit * 5]
        if names_similar(c.mother_name, mother_name)
    ]
    found.sort(key=lambda c: (c.village_id != village_id, c.name, c.pk))
    return found[:limit]


def mother_report_log_view(*, report: MotherReport, user: User, ip_address: str | None) -> None:
    """Log that `user` opened a mother's report's staff page."""
    AccessLog.record(
        user=user,
        action=VIEW_MOTHER,
        ip_address=ip_address,
        target=report,
        detail=f"Laporan ibu {report.formatted_code} ({report.name})",
    )


def mother_log_view(*, mother: Mother, user: User, ip_address: str | None) -> None:
    """Log that `user` opened a registered mother's staff page."""
    AccessLog.record(
        user=user,
        action=VIEW_MOTHER,
        ip_address=ip_address,
        target=mother,
        detail=f"Data ibu #{mother.pk} ({mother.name})",
    )


def mother_check_create(
    *, mother: Mother, values: dict[str, Any], checked_on: date, source: str, user: User
) -> MotherCheck:
    """Add a check of a registered mother (condition field name -> cleaned value) and make
    her latest condition follow."""
    unknown = set(values) - set(CONDITION_FIELDS)
    if unknown:
        raise ValueError(f"Not condition fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Mother.objects.select_for_update().get(pk=mother.pk)
        check = MotherCheck.objects.create(
            mother=locked, checked_on=checked_on, source=source, recorded_by=user, **values
        )
        locked.refresh_latest_check()
    mother.refresh_from_db()
    return check


def mother_update(
    *, mother: Mother, changes: dict[str, Any], user: User | None, change_reason: str = ""
) -> Mother:
    """Change a mother's identity (field name -> cleaned value), in her audit history.
    Values equal to the stored ones save nothing."""
    unknown = set(changes) - set(Mother.IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"Not identity fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Mother.objects.select_for_update().get(pk=mother.pk)
        changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(locked, name, value)
            locked._history_user = user  # type: ignore[attr-defined]
            locked._change_reason = change_reason[:100] or None  # type: ignore[attr-defined]
            locked.save(update_fields=list(changed))
    mother.refresh_from_db()
    return mother


def mother_merge(*, kept: Mother, merged: Mother, user: User | None, note: str = "") -> Mother:
    """Merge `merged` into `kept`: two registrations of one real mother.

    Her reports, checks, decisions and every other record naming the merged mother
    (interventions with their deliveries, mothers merged into her before) move to the kept
    mother, whose latest check follows. Identity fields empty on the kept mother (NIK, HP,
    KK, husband, posyandu of her village) are filled from the merged one. The merged mother
    stays, as "digabungkan ke #N", for her history, out of every list; both mothers'
    histories record the merge with `user` and `note`.
    Raises ValidationError for one mother merged with herself, MergeConflict when either
    mother was merged meanwhile."""
    if kept.pk == merged.pk:
        raise ValidationError("Pilih dua ibu yang berbeda untuk digabungkan.", "same_mother")
    note = note.strip()
    with transaction.atomic():
        kept, merged = _lock_pair(Mother, kept, merged)
        into_kept, into_other = _merge_reasons("Ibu", "ibu", kept, merged, note)

        MotherReport.objects.filter(mother=merged).update(mother=kept)
        MotherCheck.objects.filter(mother=merged).update(mother=kept)
        Decision.objects.filter(mother=merged).update(mother=kept)
        _move_other_records(
            merged,
            kept,
            user,
            f"Ibu #{merged.pk} digabungkan ke #{kept.pk}",
            moved_above={MotherReport, MotherCheck, Decision},
        )

        _fill_empty(kept, merged, FILLED_BY_MOTHER_REPORT)
        kept.refresh_latest_check(save=False)
        kept._history_user = user  # type: ignore[attr-defined]
        kept._change_reason = into_kept  # type: ignore[attr-defined]
        kept.save()

        merged.merged_into = kept
        merged._history_user = user  # type: ignore[attr-defined]
        merged._change_reason = into_other  # type: ignore[attr-defined]
        merged.save(update_fields=["merged_into"])
        merged.refresh_latest_check()
    return kept


def mother_set_programme_status(
    *,
    mother: Mother,
    status: str,
    reason: str = "",
    date: date | None = None,
    note: str = "",
    user: User | None,
    expected_status: str | None = None,
) -> Mother:
    """Mark a mother as exited from the programme (reason, date, note) or active again, in
    her audit history; active again clears the exit. Raises ValidationError (Indonesian,
    keyed by "status", "reason", "date", "note") when the values break a rule, and
    ProgrammeStatusConflict when `expected_status` is not the stored one."""
    note = note.strip()
    with transaction.atomic():
        locked = Mother.objects.select_for_update().get(pk=mother.pk)
        if expected_status is not None and locked.programme_status != expected_status:
            raise ProgrammeStatusConflict
        if status == Mother.ProgrammeStatus.ACTIVE:
            reason, date, note = "", None, ""
        elif status == Mother.ProgrammeStatus.EXITED:
            _check_mother_exit(locked, reason, date, note)
        else:
            raise ValidationError(
                {"status": ValidationError("Pilih status program: Aktif atau Keluar.", "status")}
            )
        values = {
            "programme_status": status,
            "exit_reason": reason,
            "exit_date": date,
            "exit_note": note,
        }
        if any(getattr(locked, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(locked, name, value)
            locked._history_user = user  # type: ignore[attr-defined]
            locked.save(update_fields=list(values))
    mother.refresh_from_db()
    return mother


def _check_mother_exit(mother: Mother, reason: str, day: date | None, note: str) -> None:
    errors: dict[str, ValidationError] = {}
    if reason not in Mother.ExitReason.values:
        errors["reason"] = ValidationError("Pilih alasan keluar.", "reason_required")
    elif reason == Mother.ExitReason.OTHER and not note:
        errors["note"] = ValidationError("Tulis keterangan untuk alasan Lainnya.", "note_required")
    if len(note) > 200:
        errors["note"] = ValidationError(
            "Keterangan paling banyak 200 karakter (sekarang %(n)s).",
            "note_too_long",
            params={"n": len(note)},
        )
    registered = timezone.localdate(mother.created_at)
    if day is None:
        errors["date"] = ValidationError("Isi tanggal keluar.", "date_required")
    elif day > timezone.localdate():
        errors["date"] = ValidationError("Tanggal keluar tidak boleh di masa depan.", "future")
    elif day < registered:
        errors["date"] = ValidationError(
            f"Tanggal keluar tidak boleh sebelum ibu terdaftar ({registered:%d-%m-%Y}).",
            "before_registration",
        )
    if errors:
        raise ValidationError(errors)
