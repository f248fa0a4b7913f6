from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.models import Document, Measurement, Submission


def create_submission(*, form, idempotency_key=None):
    """Save a valid intake form and its documents as one unit.

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


def measurement_from_submission(submission, measurement=None):
    """The kader's measurement of a report, as a (new or updated) unsaved Measurement."""
    measurement = measurement or Measurement(submission=submission)
    measurement.measured_on = submission.measured_on
    measurement.weight_kg = submission.weight_kg
    measurement.height_cm = submission.height_cm
    measurement.position = submission.measurement_position
    measurement.source = Measurement.Source.KADER
    return measurement


def _store_document(submission, kind, clean, stored):
    doc = Document(
        submission=submission,
        kind=kind,
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
