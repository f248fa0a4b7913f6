"""Stored files: how they are handed out, and how they are removed after a failure."""

import logging
from collections.abc import Iterable

from django.core.files.storage import Storage
from django.http import FileResponse

logger = logging.getLogger(__name__)

# A stored file is shown as a picture or downloaded, never run as a page of this site: even
# if a browser took it for HTML or a PDF viewer for a program, it has no origin, no script
# and nothing to load.
SANDBOX_CSP = "sandbox; default-src 'none'"


def private_file_response(field_file, *, content_type, filename, as_attachment=False):
    """Stream a stored file (local disk or object storage) to a user who may see it."""
    response = FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        as_attachment=as_attachment,
        filename=filename,
    )
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response


def delete_stored(stored: Iterable[tuple[Storage, str]]) -> None:
    """Remove files, given as (storage, name) pairs, never raising.

    Used after a workflow failed (while its error is on its way up) and by retention:
    every file is tried, and one that cannot be removed is logged, for sweep_storage to
    remove later, instead of hiding the error that matters."""
    for storage, name in stored:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not remove %s from storage; sweep_storage will", name)
