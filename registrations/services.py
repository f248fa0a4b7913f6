from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.models import Document, Measurement, Submission, SubmissionVersion


class StaleSubmission(Exception):
    """The report changed (decided, corrected) since the page was loaded."""


def create_submission(*, form, idempotency_key=None):
    """Save a valid intake form, its measurement and documents as one unit.

    Either the submission and all its files are stored, or nothing is: files already
    written are removed again when anything fails."""
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
        _delete_files(stored)
        # Two sends of the same report raced each other: the first one wins.
        existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if idempotency_key and existing:
            return existing
        raise
    except BaseException:
        _delete_files(stored)
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
        _delete_files(stored)
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
    SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version,
        data=submission.snapshot(),
        document_ids=list(submission.documents.current().values_list("pk", flat=True)),
    )


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


def _delete_files(stored):
    for storage, name in stored:
        storage.delete(name)
