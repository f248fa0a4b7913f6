from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.models import Document, Submission


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
