import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.utils import timezone

from registrations.models import Document, MotherReport, Submission
from tests.builders import make_mother_report, make_submission, stored_files
from verification.models import Decision

pytestmark = pytest.mark.django_db


def purge(*args):
    out = StringIO()
    call_command("purge_rejected", *args, stdout=out)
    return out.getvalue()


def decided(submission, user, action, days_ago):
    status = {
        Decision.Action.REJECTED: Submission.Status.REJECTED,
        Decision.Action.VERIFIED_NEW: Submission.Status.VERIFIED,
    }[action]
    Submission.objects.filter(pk=submission.pk).update(status=status)
    decision = Decision.objects.create(
        submission=submission, version=1, action=action, decided_by=user
    )
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=timezone.now() - timedelta(days=days_ago)
    )
    return submission


@pytest.fixture
def rejected(village, verifikator):
    submission = make_submission(village, documents=("kk", "akta"))
    return decided(submission, verifikator, Decision.Action.REJECTED, days_ago=91)


def test_it_deletes_the_files_of_reports_rejected_90_days_ago(
    client, rejected, media_root, verifikator
):
    names = list(rejected.documents.values_list("file", flat=True))
    out = purge()
    assert "Berkas 2 dokumen dihapus (laporan ditolak lebih dari 90 hari)." in out
    assert rejected.formatted_code in out
    assert stored_files(media_root) == []
    for doc in rejected.documents.all():
        assert doc.purge_reason == Document.PurgeReason.RETENTION
        assert doc.purged_at is not None
        assert doc.file.name == ""
        # What was sent is still on record.
        assert doc.sha256 and doc.original_name
    assert len(names) == 2

    client.force_login(verifikator)
    r = client.get(f"/verifikasi/laporan/{rejected.pk}/")
    assert r.status_code == 200
    assert "masa simpan laporan ditolak habis" in r.content.decode()
    doc = rejected.documents.first()
    assert client.get(f"/dokumen/{doc.pk}/").status_code == 404


def mother_decided(report, user, action, days_ago):
    status = {
        Decision.Action.REJECTED: Submission.Status.REJECTED,
        Decision.Action.VERIFIED_NEW: Submission.Status.VERIFIED,
    }[action]
    MotherReport.objects.filter(pk=report.pk).update(status=status)
    decision = Decision.objects.create(
        mother_report=report, version=1, action=action, decided_by=user
    )
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=timezone.now() - timedelta(days=days_ago)
    )
    return report


def test_it_deletes_the_kk_photos_of_mothers_reports_rejected_90_days_ago(
    village, verifikator, media_root
):
    old = mother_decided(make_mother_report(village), verifikator, "rejected", days_ago=91)
    mother_decided(make_mother_report(village, name="Baru Ditolak"), verifikator, "rejected", 89)
    mother_decided(make_mother_report(village, name="Terdaftar"), verifikator, "verified_new", 400)
    make_mother_report(village, name="Menunggu")
    child = decided(make_submission(village), verifikator, Decision.Action.REJECTED, 91)
    out = purge()
    assert "Berkas 2 dokumen dihapus" in out
    assert old.formatted_code in out and child.formatted_code in out
    purged = Document.objects.filter(purged_at__isnull=False)
    assert set(purged.values_list("mother_report", "submission")) == {
        (old.pk, None),
        (None, child.pk),
    }
    assert len(stored_files(media_root)) == 3


def test_it_is_safe_to_repeat(rejected, media_root):
    purge()
    assert "Berkas 0 dokumen dihapus" in purge()


def test_it_keeps_reports_rejected_more_recently(village, verifikator, media_root):
    recent = make_submission(village)
    decided(recent, verifikator, Decision.Action.REJECTED, days_ago=89)
    assert "Berkas 0 dokumen dihapus" in purge()
    assert len(stored_files(media_root)) == 1


def test_it_reads_the_number_of_days_from_the_settings(village, verifikator, settings):
    settings.PURGE_REJECTED_AFTER_DAYS = 30
    recent = decided(make_submission(village), verifikator, Decision.Action.REJECTED, 31)
    assert "lebih dari 30 hari" in purge()
    assert recent.documents.get().is_purged


def test_it_never_touches_other_reports(village, verifikator, media_root):
    make_submission(village)  # pending
    old_verified = make_submission(village)
    decided(old_verified, verifikator, Decision.Action.VERIFIED_NEW, days_ago=400)
    assert "Berkas 0 dokumen dihapus" in purge()
    assert len(stored_files(media_root)) == 2


def test_it_changes_nothing_in_a_dry_run(rejected, media_root):
    out = purge("--dry-run")
    assert "Uji coba: berkas 2 dokumen akan dihapus" in out
    assert len(stored_files(media_root)) == 2
    assert not Document.objects.filter(purged_at__isnull=False).exists()


def test_it_marks_the_row_even_when_the_file_cannot_be_deleted(
    rejected, media_root, monkeypatch, caplog
):
    def delete(self, name):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(FileSystemStorage, "delete", delete)
    with caplog.at_level(logging.ERROR):
        purge()
    assert Document.objects.filter(purged_at__isnull=False).count() == 2
    # Left for sweep_storage: no row refers to them any more.
    assert len(stored_files(media_root)) == 2
    assert sum("Could not remove" in r.getMessage() for r in caplog.records) == 2
