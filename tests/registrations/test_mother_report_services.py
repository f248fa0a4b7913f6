"""mother_report_create and mother_report_resubmit: a kader's values about a mother in,
one report with its documents and versions out, or nothing at all."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError

from registrations.models import Document, MotherReport, MotherReportVersion
from registrations.services import (
    StaleSubmission,
    mother_report_create,
    mother_report_resubmit,
)
from tests.builders import (
    NOW,
    clean_jpeg,
    make_mother_report,
    mother_values,
    stored_files,
)

pytestmark = pytest.mark.django_db


def create(village, posyandu=None, *, documents=None, key=None, **report):
    return mother_report_create(
        report=mother_values(village, posyandu, **report),
        documents={"kk": clean_jpeg("kk.jpg")} if documents is None else documents,
        idempotency_key=key,
    )


def assert_nothing_kept(media_root):
    assert MotherReport.objects.count() == 0
    assert Document.objects.count() == 0
    assert MotherReportVersion.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_saves_the_report_as_given(clock, posyandu, media_root):
    key = uuid.uuid4()
    r = create(posyandu.village, posyandu, key=key)

    r = MotherReport.objects.get(pk=r.pk)
    assert (r.status, r.version, r.status_message, r.mother) == ("pending", 1, "", None)
    assert r.idempotency_key == key
    assert NOW <= r.consent_at < NOW + timedelta(minutes=1)
    assert (r.kader_name, r.kader_phone) == ("Bu Sari", "6281234567890")
    assert (r.village, r.posyandu, r.posyandu_other) == (posyandu.village, posyandu, "")
    assert (r.name, r.nik, r.birth_date, r.phone) == (
        "Siti Aminah",
        "1901014507950001",
        date(1995, 7, 5),
        "6281377889900",
    )
    assert (r.mother_status, r.pregnancy_month, r.due_date, r.baby_birth_date) == (
        "pregnant",
        5,
        None,
        None,
    )
    assert (r.muac_cm, r.hb_g_dl, r.weight_kg, r.height_cm) == (
        Decimal("22.8"),
        Decimal("10.5"),
        Decimal("52.0"),
        Decimal("151.0"),
    )
    assert r.is_kek and r.is_anaemic


def test_it_stores_the_kk_photo_and_keeps_version_one(village, media_root):
    kk = clean_jpeg("foto kk.jpg")
    r = create(village, documents={"kk": kk})

    doc = Document.objects.get()
    assert (doc.mother_report, doc.submission, doc.report) == (r, None, r)
    assert (doc.kind, doc.version, doc.superseded_at) == ("kk", 1, None)
    assert doc.file.read() == kk.content
    assert len(stored_files(media_root)) == 1

    version = MotherReportVersion.objects.get()
    assert (version.report, version.number) == (r, 1)
    assert version.data == r.snapshot()
    assert version.data["muac_cm"] == "22.8" and version.data["village"] == village.code
    assert version.document_ids == [doc.pk]


def test_it_keeps_only_the_values_of_the_status_chosen(village):
    r = create(
        village,
        mother_status="breastfeeding",
        pregnancy_month=5,
        due_date=date(2026, 6, 1),
        baby_birth_date=date(2025, 12, 1),
    )
    r.refresh_from_db()
    assert (r.pregnancy_month, r.due_date, r.baby_birth_date) == (None, None, date(2025, 12, 1))

    r = create(village, baby_birth_date=date(2025, 12, 1), due_date=date(2026, 6, 1))
    r.refresh_from_db()
    assert (r.pregnancy_month, r.due_date, r.baby_birth_date) == (5, date(2026, 6, 1), None)


def test_a_repeated_key_returns_the_first_report(village, media_root):
    key = uuid.uuid4()
    first = create(village, key=key)
    again = create(village, key=key, name="Ibu Lain")
    assert again.pk == first.pk and again.name == "Siti Aminah"
    assert MotherReport.objects.count() == Document.objects.count() == 1
    assert len(stored_files(media_root)) == 1


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

    monkeypatch.setattr(MotherReportVersion.objects, "create", fail)
    with pytest.raises(OperationalError):
        create(village)
    assert_nothing_kept(media_root)


# --- the correction ------------------------------------------------------------------


@pytest.fixture
def sent_back(village):
    return make_mother_report(
        village,
        status=MotherReport.Status.NEEDS_CORRECTION,
        status_message="LiLA diukur ulang.",
    )


def resubmit(mother_report, *, documents=None, **report):
    report.setdefault("muac_cm", Decimal("24.1"))
    return mother_report_resubmit(
        mother_report=mother_report,
        report=mother_values(mother_report.village, **report),
        documents=documents or {},
    )


def state(media_root):
    r = MotherReport.objects.get()
    return {
        "report": (r.status, r.version, r.status_message, r.snapshot()),
        "versions": list(MotherReportVersion.objects.values_list("number", "document_ids")),
        "documents": list(Document.objects.values_list("pk", "superseded_at", "file")),
        "files": sorted(stored_files(media_root)),
    }


def test_it_saves_the_correction_as_the_next_version(sent_back, media_root):
    old_kk = Document.objects.get()
    resubmit(sent_back, documents={"kk": clean_jpeg("kk-baru.jpg")})

    r = MotherReport.objects.get()
    assert (r.status, r.version, r.status_message) == ("pending", 2, "")
    assert (r.muac_cm, r.is_kek) == (Decimal("24.1"), False)
    old_kk.refresh_from_db()
    assert old_kk.superseded_at is not None
    new_kk = r.documents.current().get()
    assert (new_kk.version, new_kk.original_name) == (2, "kk-baru.jpg")
    v1, v2 = MotherReportVersion.objects.order_by("number")
    assert (v1.data["muac_cm"], v1.document_ids) == ("22.8", [old_kk.pk])
    assert (v2.data["muac_cm"], v2.document_ids) == ("24.1", [new_kk.pk])
    assert len(stored_files(media_root)) == 2


def test_a_correction_without_files_keeps_the_stored_one(sent_back):
    kk = Document.objects.get()
    resubmit(sent_back)
    assert list(MotherReport.objects.get().documents.current()) == [kk]
    assert MotherReportVersion.objects.get(number=2).document_ids == [kk.pk]


def test_it_refuses_a_report_not_sent_back(village):
    r = make_mother_report(village)
    with pytest.raises(StaleSubmission):
        resubmit(r)
    assert MotherReport.objects.get().version == 1


def test_it_refuses_a_stale_version(sent_back):
    stale = MotherReport.objects.get()
    resubmit(sent_back)
    MotherReport.objects.update(status=MotherReport.Status.NEEDS_CORRECTION)
    with pytest.raises(StaleSubmission):
        resubmit(stale)
    assert MotherReport.objects.get().version == 2


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
    assert len(saved) == 2
    assert state(media_root) == before


def test_a_database_failure_after_the_files_changes_nothing(sent_back, media_root, monkeypatch):
    before = state(media_root)

    def fail(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(MotherReportVersion.objects, "create", fail)
    with pytest.raises(OperationalError):
        resubmit(sent_back, documents={"kk": clean_jpeg()})
    assert state(media_root) == before
