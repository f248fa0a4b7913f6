"""Stored files: how they are handed out, and how they are removed after a failure."""

import logging

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


def delete_stored(stored):
    """Remove files written by a workflow that then failed, as (storage, name) pairs.

    Called while another error is on its way up: every file is tried, and a file that
    cannot be removed is logged (sweep_storage removes it later) instead of hiding that
    error."""
    for storage, name in stored:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not remove %s after a failed save", name)
