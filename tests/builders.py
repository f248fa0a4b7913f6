"""The test builders, imported from one place."""

from tests.conftest import intake_data, make_image_bytes, make_pdf_bytes, make_user
from tests.interventions.helpers import (
    gps_jpeg_bytes,
    jpeg_upload,
    kecamatan_user,
    kind,
    login_redirect,
    make_delivery,
    make_intervention,
    messages_of,
    partner,
    partner_user,
    stored_files,
    village_user,
)
from tests.registrations.helpers import make_child, make_submission

__all__ = [
    "gps_jpeg_bytes",
    "intake_data",
    "jpeg_upload",
    "kecamatan_user",
    "kind",
    "login_redirect",
    "make_child",
    "make_delivery",
    "make_image_bytes",
    "make_intervention",
    "make_pdf_bytes",
    "make_submission",
    "make_user",
    "messages_of",
    "partner",
    "partner_user",
    "stored_files",
    "village_user",
]
