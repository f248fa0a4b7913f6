"""Documents and delivery photos on S3-compatible object storage (SeaweedFS): saved by the
intake into a private bucket, streamed by the permission-checked views, swept, purged and
cleaned up after a failure through the same storage API as on local disk."""

import time
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from storages.backends.s3 import S3Storage

from registrations.models import Document, Submission, SubmissionVersion
from tests.builders import (
    intake_data,
    jpeg_upload,
    make_child,
    make_intervention,
    make_pdf_bytes,
    partner_user,
)

pytestmark = pytest.mark.django_db


def send_report(client, key=None):
    pdf = SimpleUploadedFile("akta.pdf", make_pdf_bytes(), "application/pdf")
    data = intake_data(kk_file=jpeg_upload("kk.jpg"), akta_file=pdf)
    if key:
        data["idempotency_key"] = key
    return client.post("/lapor/", data)


def test_the_intake_stores_the_documents_in_the_bucket(client, posyandu, s3):
    r = send_report(client)
    assert r.status_code == 302
    documents = Submission.objects.get().documents.order_by("kind")
    assert s3.keys() == sorted(d.file.name for d in documents)
    for doc in documents:
        assert doc.file.name.startswith("documents/")
        content = s3.read(doc.file.name)
        assert doc.size == len(content)
        assert content.startswith(b"%PDF-" if doc.kind == "akta" else b"\xff\xd8")
    assert isinstance(documents[0].file.storage._wrapped, S3Storage)


def test_the_bucket_and_its_objects_are_not_public(client, posyandu, s3):
    send_report(client)
    name = Document.objects.first().file.name
    assert s3.anonymous_get() == 403  # listing the bucket
    assert s3.anonymous_get(f"{s3.location}/{name}") == 403
    grants = s3.client.get_object_acl(Bucket=s3.server.bucket, Key=f"{s3.location}/{name}")
    for grant in grants.get("Grants", []):
        assert "AllUsers" not in str(grant.get("Grantee", {}))
        assert "AuthenticatedUsers" not in str(grant.get("Grantee", {}))


def test_the_document_view_streams_the_object_to_the_verifikator(client, posyandu, s3, verifikator):
    send_report(client)
    client.force_login(verifikator)
    for doc in Document.objects.all():
        r = client.get(f"/dokumen/{doc.pk}/")
        assert r.status_code == 200
        assert r.streaming
        assert b"".join(r.streaming_content) == s3.read(doc.file.name)
        assert r["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert "Location" not in r  # streamed, not redirected to the bucket


def test_the_delivery_photo_goes_through_the_bucket(client, village, s3):
    from interventions.services import delivery_record
    from registrations.uploads import clean_upload

    user = partner_user("timah")
    intervention = make_intervention(make_child(village))
    photo = clean_upload(jpeg_upload("bukti.jpg"), allow_pdf=False)
    delivery = delivery_record(
        intervention=intervention,
        date=intervention.start_date,
        description="Paket PMT",
        photo=photo,
        user=user,
    )
    assert s3.keys() == [delivery.photo.name]
    client.force_login(user)
    r = client.get(f"/intervensi/foto/{delivery.pk}/")
    assert b"".join(r.streaming_content) == photo.content


def test_a_failed_second_write_leaves_nothing_in_the_bucket(client, posyandu, s3, monkeypatch):
    real_save = S3Storage._save
    calls = []

    def save(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("connection reset by peer")
        return real_save(self, name, content)

    monkeypatch.setattr(S3Storage, "_save", save)
    key = str(uuid.uuid4())
    r = send_report(client, key)
    assert r.status_code == 503
    assert len(calls) == 2
    assert s3.keys() == []
    assert Submission.objects.count() == 0

    monkeypatch.undo()
    assert send_report(client, key).status_code == 302
    assert send_report(client, key).status_code == 302
    assert Submission.objects.count() == 1
    assert len(s3.keys()) == 2


def test_a_database_failure_after_the_writes_removes_the_objects(client, posyandu, s3, monkeypatch):
    def fail(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SubmissionVersion.objects, "create", fail)
    r = send_report(client)
    assert r.status_code == 503
    assert s3.keys() == []
    assert Document.objects.count() == 0


def sweep(*args):
    out = StringIO()
    call_command("sweep_storage", *args, stdout=out)
    return out.getvalue()


def test_sweep_storage_works_on_the_bucket(client, posyandu, s3):
    send_report(client)
    kk = Document.objects.get(kind="kk")
    akta = Document.objects.get(kind="akta")
    orphan = f"documents/2026/03/{uuid.uuid4().hex}.jpg"
    s3.put(orphan, b"x")
    s3.put("notes/readme.txt", b"not ours")
    s3.delete(akta.file.name)

    # Everything is younger than an hour: nothing is touched.
    assert "Uji coba: 0 berkas tanpa data, 0 data tanpa berkas" in sweep()

    Document.objects.update(created_at=timezone.now() - timedelta(hours=2))
    time.sleep(1.1)  # object times have whole seconds
    out = sweep("--delete", "--min-age-minutes=0")
    assert f"Berkas tanpa data: {orphan}" in out
    assert f"Data tanpa berkas: dokumen #{akta.pk}" in out
    assert s3.keys() == sorted([kk.file.name, "notes/readme.txt"])
    akta.refresh_from_db()
    assert akta.purge_reason == Document.PurgeReason.MISSING


def test_purge_rejected_deletes_the_objects(client, posyandu, s3, verifikator):
    from verification.models import Decision

    send_report(client)
    submission = Submission.objects.get()
    Submission.objects.update(status=Submission.Status.REJECTED)
    decision = Decision.objects.create(
        submission=submission, version=1, action=Decision.Action.REJECTED, decided_by=verifikator
    )
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - timedelta(days=100))
    call_command("purge_rejected", stdout=StringIO())
    assert s3.keys() == []
    assert Document.objects.filter(purged_at__isnull=False).count() == 2


def test_healthz_checks_the_bucket(client, s3):
    assert client.get("/healthz").content == b"ok\n"
    assert s3.keys() == []
