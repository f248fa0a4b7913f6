from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from registrations.models import Child, Document, Submission
from registrations.services import measurement_from_submission, record_version
from tests.conftest import make_image_bytes


def make_submission(village, posyandu=None, *, documents=("kk",), **fields):
    values = {
        "kader_name": "Siti Aminah",
        "kader_phone": "6281234567890",
        "village": village,
        "posyandu": posyandu,
        "posyandu_other": "" if posyandu else "Anggrek",
        "child_name": "Putri Ayu",
        "child_sex": "P",
        "birth_date": timezone.localdate() - timedelta(days=400),
        "mother_name": "Rina",
        "parent_occupation": "Buruh",
        "address": "Jl. Mawar RT 1",
        "measured_on": timezone.localdate(),
        "weight_kg": "8.1",
        "height_cm": "70.2",
        "measurement_position": "lying",
        "consent_at": timezone.now(),
    }
    values.update(fields)
    submission = Submission.objects.create(**values)
    measurement_from_submission(submission).save()
    for kind in documents:
        doc = Document(
            submission=submission,
            kind=kind,
            original_name=f"{kind}.jpg",
            original_size=100,
            content_type="image/jpeg",
            size=100,
            sha256="0" * 64,
        )
        doc.file.save("x.jpg", ContentFile(make_image_bytes()), save=False)
        doc.save()
    record_version(submission)
    return submission


def make_child(village, **fields):
    values = {
        "name": "Putri Ayu",
        "sex": "P",
        "birth_date": date(2024, 1, 10),
        "mother_name": "Rina",
        "address": "Jl. Mawar",
        "village": village,
    }
    values.update(fields)
    return Child.objects.create(**values)
