"""submission_create: a kader's values in, one report with its measurement, documents and
first version out, or nothing at all."""

import hashlib
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError

from registrations import growth
from registrations.models import Document, Measurement, Submission, SubmissionVersion
from registrations.services import submission_create
from registrations.uploads import CleanFile
from tests.builders import (
    NOW,
    clean_jpeg,
    make_pdf_bytes,
    measurement_values,
    report_values,
    stored_files,
)

pytestmark = pytest.mark.django_db


def create(village, posyandu=None, *, documents=None, key=None, **report):
    return submission_create(
        report=report_values(village, posyandu, **report),
        measurement=measurement_values(weight_kg="9.8", height_cm="79.5", position="standing"),
        documents={"kk": clean_jpeg("kk.jpg")} if documents is None else documents,
        idempotency_key=key,
    )


def assert_nothing_kept(media_root):
    assert Submission.objects.count() == 0
    assert Measurement.objects.count() == 0
    assert Document.objects.count() == 0
    assert SubmissionVersion.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_saves_the_report_as_given(clock, posyandu, media_root):
    key = uuid.uuid4()
    s = create(posyandu.village, posyandu, key=key, child_nik="1901015003250001")

    s = Submission.objects.get(pk=s.pk)
    assert (s.status, s.version, s.status_message) == ("pending", 1, "")
    assert s.idempotency_key == key
    assert NOW <= s.consent_at < NOW + timedelta(minutes=1)
    assert (s.kader_name, s.kader_phone) == ("Siti Aminah", "6281234567890")
    assert (s.village, s.posyandu, s.posyandu_other) == (posyandu.village, posyandu, "")
    assert (s.child_name, s.child_nik, s.child_sex) == ("Putri Ayu", "1901015003250001", "P")
    assert (s.mother_name, s.father_name, s.parent_phone, s.kk_number) == ("Rina", "", "", "")
    assert (s.measured_on, s.weight_kg, s.height_cm, s.measurement_position) == (
        NOW.date(),
        Decimal("9.8"),
        Decimal("79.5"),
        "standing",
    )


def test_it_saves_the_kaders_measurement_with_its_z_scores(clock, village):
    s = create(village)
    m = Measurement.objects.get()
    assert (m.submission, m.child, m.source, m.recorded_by) == (s, None, "kader", None)
    assert (m.measured_on, m.weight_kg, m.height_cm, m.position) == (
        s.measured_on,
        Decimal("9.8"),
        Decimal("79.5"),
        "standing",
    )
    expected = growth.assess("P", s.birth_date, s.measured_on, 79.5, 9.8, lying=False)
    assert (m.haz, m.waz, m.whz, m.haz_category) == (
        expected.haz,
        expected.waz,
        expected.whz,
        expected.haz_category,
    )


def test_it_stores_each_document_and_keeps_version_one(village, media_root):
    pdf = make_pdf_bytes()
    kk = clean_jpeg("foto kk.jpg")
    akta = CleanFile(pdf, "application/pdf", "akta.pdf", 1234)
    s = create(village, documents={"kk": kk, "akta": akta})

    docs = {d.kind: d for d in s.documents.all()}
    assert set(docs) == {"kk", "akta"}
    for doc, clean in ((docs["kk"], kk), (docs["akta"], akta)):
        assert (doc.version, doc.superseded_at, doc.content_type) == (1, None, clean.content_type)
        assert (doc.original_name, doc.original_size) == (clean.original_name, clean.original_size)
        assert doc.file.read() == clean.content
        assert (doc.size, doc.sha256) == (
            len(clean.content),
            hashlib.sha256(clean.content).hexdigest(),
        )
    assert docs["akta"].file.name.endswith(".pdf") and docs["kk"].file.name.endswith(".jpg")
    assert len(stored_files(media_root)) == 2

    version = SubmissionVersion.objects.get()
    assert (version.submission, version.number) == (s, 1)
    assert version.data == s.snapshot()
    assert sorted(version.document_ids) == sorted(d.pk for d in docs.values())


def test_it_keeps_another_posyandu_by_name(village):
    s = create(village, None, posyandu_other="Anggrek Baru")
    s.refresh_from_db()
    assert (s.posyandu, s.posyandu_other) == (None, "Anggrek Baru")
    assert SubmissionVersion.objects.get().data["posyandu"] is None


def test_a_repeated_key_returns_the_first_report(village, media_root):
    key = uuid.uuid4()
    first = create(village, key=key)
    again = create(village, key=key, child_name="Anak Lain")
    assert again.pk == first.pk and again.child_name == "Putri Ayu"
    assert Submission.objects.count() == Document.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_reports_without_a_key_are_all_kept(village):
    create(village)
    create(village)
    assert Submission.objects.count() == 2
    assert list(Submission.objects.values_list("idempotency_key", flat=True)) == [None, None]


def test_a_storage_failure_leaves_nothing_behind(village, media_root, monkeypatch):
    real_save = FileSystemStorage._save
    saved = []

    def save(self, name, content):
        saved.append(name)
        if len(saved) == 2:
            raise OSError(28, "No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    with pytest.raises(OSError):
        create(village, documents={"kk": clean_jpeg("kk.jpg"), "akta": clean_jpeg("akta.jpg")})
    assert len(saved) == 2  # the first file was written, then removed
    assert_nothing_kept(media_root)


def test_a_database_failure_after_the_files_leaves_nothing_behind(village, media_root, monkeypatch):
    def fail(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SubmissionVersion.objects, "create", fail)
    with pytest.raises(OperationalError):
        create(village, documents={"kk": clean_jpeg("kk.jpg"), "akta": clean_jpeg("akta.jpg")})
    assert_nothing_kept(media_root)
