import os
import time
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from interventions.models import Delivery
from registrations.models import Document
from tests.builders import (
    make_child,
    make_delivery,
    make_intervention,
    make_submission,
    partner_user,
    stored_files,
)

pytestmark = pytest.mark.django_db

TWO_HOURS_AGO = time.time() - 2 * 3600


def sweep(*args):
    out = StringIO()
    call_command("sweep_storage", *args, stdout=out)
    return out.getvalue()


def orphan(media_root, folder="documents/2026/03", suffix=".jpg", age=TWO_HOURS_AGO):
    """A file as a worker killed between writing it and committing its row leaves it."""
    name = default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", ContentFile(b"x"))
    os.utime(media_root / name, (age, age))
    return name


def age_everything(media_root):
    for path in stored_files(media_root):
        os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    Document.objects.update(created_at=timezone.now() - timedelta(hours=2))
    Delivery.objects.update(created_at=timezone.now() - timedelta(hours=2))


@pytest.fixture
def report(village, media_root):
    submission = make_submission(village, documents=("kk", "akta"))
    age_everything(media_root)
    return submission


def test_it_lists_orphans_without_deleting_them_by_default(report, media_root):
    name = orphan(media_root)
    out = sweep()
    assert f"Berkas tanpa data: {name}" in out
    assert "Uji coba: 1 berkas tanpa data, 0 data tanpa berkas" in out
    assert (media_root / name).exists()


def test_it_deletes_orphans_older_than_an_hour(report, media_root):
    old_document = orphan(media_root)
    old_photo = orphan(media_root, "deliveries/2025/12")
    young = orphan(media_root, age=time.time() - 30 * 60)  # perhaps being saved right now
    out = sweep("--delete")
    assert "2 berkas tanpa data dihapus; 0 data tanpa berkas ditandai." in out
    assert not (media_root / old_document).exists()
    assert not (media_root / old_photo).exists()
    assert (media_root / young).exists()
    # The report's own files stay.
    for doc in report.documents.all():
        assert default_storage.exists(doc.file.name)
    assert len(stored_files(media_root)) == 3


def test_it_leaves_files_it_did_not_name_alone(report, media_root):
    others = [
        orphan(media_root, "documents/2026/03", ".txt"),
        orphan(media_root, "backup", ".jpg"),
    ]
    (media_root / "notes.txt").write_text("catatan")
    out = sweep("--delete")
    assert "0 berkas tanpa data dihapus" in out
    for name in others + ["notes.txt"]:
        assert (media_root / name).exists()


def test_it_marks_a_document_whose_file_is_missing(client, report, media_root, verifikator):
    lost = report.documents.get(kind="kk")
    name = lost.file.name
    (media_root / name).unlink()

    out = sweep()
    assert f"Data tanpa berkas: dokumen #{lost.pk} ({name})" in out
    lost.refresh_from_db()
    assert not lost.is_purged

    out = sweep("--delete")
    assert "0 berkas tanpa data dihapus; 1 data tanpa berkas ditandai." in out
    lost.refresh_from_db()
    assert lost.purge_reason == Document.PurgeReason.MISSING
    assert lost.purged_at is not None
    assert lost.file.name == ""
    # The report page still works and says so; the document link is gone.
    client.force_login(verifikator)
    r = client.get(f"/verifikasi/laporan/{report.pk}/")
    assert r.status_code == 200
    assert "tidak ditemukan di penyimpanan" in r.content.decode()
    assert client.get(f"/dokumen/{lost.pk}/").status_code == 404
    assert "0 data tanpa berkas" in sweep()


def test_it_clears_a_delivery_photo_that_is_missing(village, media_root):
    user = partner_user("timah")
    delivery = make_delivery(make_intervention(make_child(village)), user, photo=True)
    age_everything(media_root)
    (media_root / delivery.photo.name).unlink()

    out = sweep("--delete")
    assert f"Data tanpa berkas: layanan #{delivery.pk}" in out
    delivery.refresh_from_db()
    assert delivery.photo.name == ""
    assert delivery.description == "Paket PMT biskuit dan susu"


def test_it_leaves_a_young_row_alone(village, media_root):
    submission = make_submission(village)
    (media_root / submission.documents.get().file.name).unlink()
    assert "0 data tanpa berkas" in sweep("--delete")
    assert not submission.documents.get().is_purged


def test_it_works_on_an_empty_storage(db, media_root):
    assert not media_root.exists()
    assert "Uji coba: 0 berkas tanpa data, 0 data tanpa berkas" in sweep()
