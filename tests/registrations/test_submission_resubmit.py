"""submission_resubmit: the kader's corrected values in, the next version out, pending
again, or nothing changed at all."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError

from registrations import growth
from registrations.models import Document, Submission, SubmissionVersion
from registrations.services import StaleSubmission, submission_resubmit
from tests.builders import (
    clean_jpeg,
    make_submission,
    measurement_values,
    report_values,
    stored_files,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_back(village):
    return make_submission(
        village,
        documents=("kk", "akta"),
        status=Submission.Status.NEEDS_CORRECTION,
        status_message="Tanggal lahir tidak sesuai akta.",
    )


def resubmit(submission, *, documents=None, **report):
    report.setdefault("birth_date", submission.birth_date - timedelta(days=30))
    return submission_resubmit(
        submission=submission,
        report=report_values(submission.village, **report),
        measurement=measurement_values(weight_kg="8.4", height_cm="71.0"),
        documents=documents or {},
    )


def state(media_root):
    """The report as stored: fields, measurement, versions, documents and files."""
    s = Submission.objects.get()
    return {
        "report": (s.status, s.version, s.status_message, s.snapshot()),
        "measurement": (s.measurement.height_cm, s.measurement.haz),
        "versions": list(SubmissionVersion.objects.values_list("number", "document_ids")),
        "documents": list(Document.objects.values_list("pk", "superseded_at", "file")),
        "files": sorted(stored_files(media_root)),
    }


def test_it_saves_the_correction_as_the_next_version(sent_back):
    old_birth = sent_back.birth_date
    resubmit(sent_back, child_name="Putri Ayu Lestari")

    s = Submission.objects.get()
    assert (s.status, s.version, s.status_message) == ("pending", 2, "")
    assert (s.child_name, s.birth_date) == ("Putri Ayu Lestari", old_birth - timedelta(days=30))
    assert (s.weight_kg, s.height_cm) == (Decimal("8.4"), Decimal("71.0"))
    v1, v2 = SubmissionVersion.objects.order_by("number")
    assert (v1.data["child_name"], v1.data["birth_date"]) == ("Putri Ayu", old_birth.isoformat())
    assert v2.data == s.snapshot()


def test_the_kaders_measurement_follows_the_correction(sent_back):
    m = sent_back.measurement
    resubmit(sent_back)
    s = Submission.objects.get()
    m.refresh_from_db()
    assert s.measurement == m  # the same row, corrected
    assert (m.weight_kg, m.height_cm, m.source) == (Decimal("8.4"), Decimal("71.0"), "kader")
    expected = growth.assess("P", s.birth_date, s.measured_on, 71.0, 8.4, lying=True)
    assert m.haz == expected.haz


def test_a_new_file_replaces_only_its_kind(sent_back, media_root):
    old = {d.kind: d for d in sent_back.documents.all()}
    new_kk = clean_jpeg("kk-baru.jpg", color=(0, 0, 255))
    resubmit(sent_back, documents={"kk": new_kk})

    s = Submission.objects.get()
    current = {d.kind: d for d in s.documents.current()}
    assert current["akta"] == old["akta"]
    assert current["kk"] != old["kk"]
    assert (current["kk"].version, current["kk"].original_name) == (2, "kk-baru.jpg")
    assert current["kk"].file.read() == new_kk.content
    old["kk"].refresh_from_db()
    assert old["kk"].superseded_at is not None and old["kk"].file  # kept, not current
    v1, v2 = SubmissionVersion.objects.order_by("number")
    assert sorted(v1.document_ids) == sorted(d.pk for d in old.values())
    assert sorted(v2.document_ids) == sorted(d.pk for d in current.values())
    assert len(stored_files(media_root)) == 3


def test_it_refuses_a_report_that_is_not_sent_back(village, media_root):
    pending = make_submission(village)
    with pytest.raises(StaleSubmission):
        resubmit(pending, documents={"kk": clean_jpeg()})
    pending.refresh_from_db()
    assert (pending.status, pending.version) == ("pending", 1)
    assert SubmissionVersion.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_only_the_first_of_two_corrections_of_a_version_wins(sent_back):
    twice = Submission.objects.get(pk=sent_back.pk)
    resubmit(sent_back, child_name="Pertama")
    with pytest.raises(StaleSubmission):
        resubmit(twice, child_name="Kedua")
    s = Submission.objects.get()
    assert (s.child_name, s.version) == ("Pertama", 2)
    assert SubmissionVersion.objects.count() == 2


def test_a_storage_failure_changes_nothing(sent_back, media_root, monkeypatch):
    before = state(media_root)
    real_save = FileSystemStorage._save
    saved = []

    def save(self, name, content):
        saved.append(name)
        if len(saved) == 2:
            raise OSError(28, "No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    with pytest.raises(OSError):
        resubmit(sent_back, documents={"kk": clean_jpeg(), "akta": clean_jpeg("akta.jpg")})
    assert len(saved) == 2  # the first new file was written, then removed
    assert state(media_root) == before


def test_a_database_failure_after_the_files_changes_nothing(sent_back, media_root, monkeypatch):
    before = state(media_root)

    def fail(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SubmissionVersion.objects, "create", fail)
    with pytest.raises(OperationalError):
        resubmit(sent_back, documents={"kk": clean_jpeg()})
    assert state(media_root) == before
