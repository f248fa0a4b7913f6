import logging
from datetime import date as Date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gasken.files import delete_stored
from registrations.google_form import ParsedRow
from registrations.models import (
    Child,
    Document,
    Measurement,
    Posyandu,
    Submission,
    SubmissionVersion,
    Village,
)

logger = logging.getLogger(__name__)

ProgrammeStatus = Child.ProgrammeStatus
ExitReason = Child.ExitReason


class StaleSubmission(Exception):
    """The report changed (decided, corrected) since the page was loaded."""


class ProgrammeStatusConflict(Exception):
    """The child's programme status changed since the caller read it."""


def create_submission(*, form, idempotency_key=None):
    """Save a valid intake form, its measurement and documents as one unit.

    Either the submission and all its files are stored, or nothing is: files already
    written are removed again when anything fails (and if the process dies before that,
    sweep_storage removes them later)."""
    submission = form.save(commit=False)
    submission.consent_at = timezone.now()
    submission.idempotency_key = idempotency_key
    stored = []
    try:
        with transaction.atomic():
            submission.save()
            measurement_from_submission(submission).save()
            for kind, clean in form.documents:
                _store_document(submission, kind, clean, stored)
            record_version(submission)
    except IntegrityError:
        delete_stored(stored)
        # Two sends of the same report raced each other: the first one wins.
        existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if idempotency_key and existing:
            return existing
        raise
    except BaseException:
        delete_stored(stored)
        raise
    return submission


def resubmit_submission(*, form):
    """Save the kader's correction of a report sent back, as its next version.

    The old version's data and files are kept; a new file of a kind replaces the old one
    in the current version only."""
    submission = form.instance
    stored = []
    try:
        with transaction.atomic():
            # Compare-and-set: only one correction of this version can win, and not after
            # staff changed the report's status in the meantime.
            claimed = Submission.objects.filter(
                pk=submission.pk,
                status=Submission.Status.NEEDS_CORRECTION,
                version=submission.version,
            ).update(version=submission.version + 1)
            if not claimed:
                raise StaleSubmission
            submission.version += 1
            submission.status = Submission.Status.PENDING
            submission.status_message = ""
            form.save()
            measurement_from_submission(submission, submission.measurement).save()
            now = timezone.now()
            for kind, clean in form.documents:
                submission.documents.current().filter(kind=kind).update(superseded_at=now)
                _store_document(submission, kind, clean, stored)
            record_version(submission)
    except BaseException:
        delete_stored(stored)
        raise
    return submission


def measurement_from_submission(submission, measurement=None):
    """The kader's measurement of a report, as a (new or updated) unsaved Measurement."""
    measurement = measurement or Measurement(submission=submission)
    measurement.measured_on = submission.measured_on
    measurement.weight_kg = submission.weight_kg
    measurement.height_cm = submission.height_cm
    measurement.position = submission.measurement_position
    measurement.source = Measurement.Source.KADER
    return measurement


def record_version(submission):
    return SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version,
        data=submission.snapshot(),
        document_ids=list(submission.documents.current().values_list("pk", flat=True)),
    )


def submissions_import_google_form(*, rows: list[ParsedRow]) -> list[Submission]:
    """Save rows of the Google Form's export as reports waiting for verification, with the
    time each was sent on the form; all of them or, when anything fails, none.

    A row whose key is already stored (the same export imported again) is skipped, so is a
    second row with the same key. Returns the reports created."""
    villages = Village.objects.in_bulk(field_name="code")
    posyandu = Posyandu.objects.in_bulk(field_name="code")
    now = timezone.now()
    created = []
    with transaction.atomic():
        known = set(
            Submission.objects.filter(import_key__in=[r.key for r in rows]).values_list(
                "import_key", flat=True
            )
        )
        for row in rows:
            if row.key in known:
                continue
            known.add(row.key)
            submission = Submission.objects.create(
                source=Submission.Source.GOOGLE_FORM,
                import_key=row.key,
                imported_at=now,
                kader_name=row.kader_name,
                kader_phone=row.kader_phone,
                village=villages[row.village_code],
                posyandu=posyandu.get(row.posyandu_code),
                posyandu_other=row.posyandu_other,
                child_name=row.child_name,
                child_nik=row.child_nik,
                child_sex=row.child_sex,
                birth_date=row.birth_date,
                birth_date_estimated=row.birth_date_estimated,
                mother_name=row.mother_name,
                father_name=row.father_name,
                parent_occupation=row.parent_occupation,
                address=row.address,
                file_links=row.links,
                imported_row=row.original,
            )
            # created_at is set on insert; the report keeps the time the kader sent it.
            sent_at = timezone.make_aware(row.created_at)
            Submission.objects.filter(pk=submission.pk).update(created_at=sent_at)
            submission.created_at = sent_at
            version = record_version(submission)
            SubmissionVersion.objects.filter(pk=version.pk).update(created_at=sent_at)
            created.append(submission)
    return created


def _store_document(submission, kind, clean, stored):
    doc = Document(
        submission=submission,
        kind=kind,
        version=submission.version,
        original_name=clean.original_name[-255:],
        original_size=clean.original_size,
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=clean.sha256,
    )
    doc.file.save(f"upload{clean.extension}", ContentFile(clean.content), save=False)
    stored.append((doc.file.storage, doc.file.name))
    doc.save()
    return doc


def documents_purge(*, documents, reason):
    """Delete the files of these documents from storage, keeping each row as the record of
    what was sent, marked with when and why its file went. Returns the documents purged.

    Each row is marked before its file is deleted, so a page never links to a missing
    file; a file that cannot be deleted is logged and left to sweep_storage."""
    purged = []
    for doc in documents:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=doc.pk)
            if locked.is_purged:
                continue
            name, storage = locked.file.name, locked.file.storage
            locked.mark_purged(reason)
        if name:
            delete_stored([(storage, name)])
        logger.info("Purged document #%s (%s): %s", locked.pk, reason, name)
        purged.append(locked)
    return purged


def child_set_programme_status(
    *,
    child: Child,
    status: str,
    reason: str = "",
    date: Date | None = None,
    note: str = "",
    user: AbstractBaseUser | None,
    expected_status: str | None = None,
    change_reason: str = "",
) -> Child:
    """Mark a child as exited (reason, date, note) or active again, in its audit history.

    Active again clears the reason, date and note. Raises ValidationError, with Indonesian
    messages keyed by "status", "reason", "date" and "note", when the values break a rule;
    raises ProgrammeStatusConflict when `expected_status` is given and the stored status is
    another one (someone else changed it meanwhile). Values equal to the stored ones save
    nothing, so no empty history entry appears. `user` None records the change as the
    system's; `change_reason` is kept with the history entry.
    """
    note = note.strip()
    with transaction.atomic():
        locked = Child.objects.select_for_update().get(pk=child.pk)
        if expected_status is not None and locked.programme_status != expected_status:
            raise ProgrammeStatusConflict
        if status == ProgrammeStatus.ACTIVE:
            reason, date, note = "", None, ""
        elif status == ProgrammeStatus.EXITED:
            _check_exit(locked, reason, date, note)
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
            locked._history_user = user
            locked._change_reason = change_reason[:100] or None
            locked.save(update_fields=list(values))
    for name, value in values.items():
        setattr(child, name, value)
    return child


def _check_exit(child, reason, date, note):
    errors = {}
    if reason not in ExitReason.values:
        errors["reason"] = ValidationError("Pilih alasan keluar.", "reason_required")
    elif reason == ExitReason.OTHER and not note:
        errors["note"] = ValidationError("Tulis keterangan untuk alasan Lainnya.", "note_required")
    if len(note) > 200:
        errors["note"] = ValidationError(
            "Keterangan paling banyak 200 karakter (sekarang %(n)s).",
            "note_too_long",
            params={"n": len(note)},
        )

    if date is None:
        errors["date"] = ValidationError("Isi tanggal keluar.", "date_required")
    elif date > timezone.localdate():
        errors["date"] = ValidationError(
            "Tanggal keluar tidak boleh di masa depan.", "date_in_future"
        )
    elif date < child.birth_date:
        errors["date"] = ValidationError(
            "Tanggal keluar tidak boleh sebelum tanggal lahir anak (%(day)s).",
            "date_before_birth",
            params={"day": child.birth_date.strftime("%d-%m-%Y")},
        )
    elif date < child.registered_on:
        errors["date"] = ValidationError(
            "Tanggal keluar tidak boleh sebelum anak terdaftar (%(day)s).",
            "date_before_registration",
            params={"day": child.registered_on.strftime("%d-%m-%Y")},
        )
    elif reason == ExitReason.AGED_OUT and date < child.aged_out_on:
        errors["date"] = ValidationError(
            "Anak baru genap 60 bulan pada %(day)s; alasan “Usia 5 tahun” berlaku mulai "
            "tanggal itu.",
            "date_before_aged_out",
            params={"day": child.aged_out_on.strftime("%d-%m-%Y")},
        )
    if errors:
        raise ValidationError(errors)


def child_close_aged_out(
    *, today: Date, user: AbstractBaseUser | None = None, change_reason: str = ""
) -> list[Child]:
    """Mark every active child who is 60 months old on `today` as exited, reason aged out.

    The exit date is the day the child reached 60 months (or the registration day, for a
    child registered after it). Safe to repeat: closed children are no longer active, and a
    child someone else changed during the run is left alone. Returns the children closed.
    """
    closed = []
    # One transaction per child (inside the service): a long first run locks nobody else
    # for its whole duration, and a run that stops half-way is finished by the next one.
    for child in Child.objects.aged_out(today).order_by("birth_date", "pk"):
        try:
            child_set_programme_status(
                child=child,
                status=ProgrammeStatus.EXITED,
                reason=ExitReason.AGED_OUT,
                date=max(child.aged_out_on, child.registered_on),
                user=user,
                expected_status=ProgrammeStatus.ACTIVE,
                change_reason=change_reason,
            )
        except (ProgrammeStatusConflict, ValidationError):
            # Changed by someone else meanwhile (status, birth date): the next run decides.
            continue
        closed.append(child)
    return closed
