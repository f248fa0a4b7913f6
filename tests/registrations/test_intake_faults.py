"""The intake when the database or the file storage fails half-way: nothing is kept, no file
is left without its row, the kader is asked to send again, and the resend works once."""

import logging
import uuid

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection

from registrations.models import Document, Measurement, Submission, SubmissionVersion
from tests.builders import intake_data, jpeg_upload, make_pdf_bytes, stored_files

KEY = str(uuid.uuid4())


def post(client, url="/lapor/"):
    pdf = SimpleUploadedFile("akta.pdf", make_pdf_bytes(), "application/pdf")
    return client.post(
        url, intake_data(idempotency_key=KEY, kk_file=jpeg_upload("kk.jpg"), akta_file=pdf)
    )


def assert_nothing_kept(media_root):
    assert Submission.objects.count() == 0
    assert Document.objects.count() == 0
    assert Measurement.objects.count() == 0
    assert SubmissionVersion.objects.count() == 0
    assert stored_files(media_root) == []


def assert_asked_to_send_again(r, url="/lapor/"):
    assert r.status_code == 503
    assert r["Retry-After"] == "60"
    html = r.content.decode()
    assert "Laporan belum tersimpan" in html
    assert "Coba kirim lagi" in html
    assert f'href="{url}"' in html


def assert_resend_succeeds_once(client, media_root, url="/lapor/"):
    first = post(client, url)
    assert first.status_code == 302
    submission = Submission.objects.get()
    assert first.url == submission.get_absolute_url()
    assert sorted(submission.documents.values_list("kind", flat=True)) == ["akta", "kk"]
    assert len(stored_files(media_root)) == 2
    again = post(client, url)
    assert again.url == first.url
    assert Submission.objects.count() == 1
    assert len(stored_files(media_root)) == 2


@pytest.fixture
def failing_second_write(monkeypatch):
    real_save = FileSystemStorage._save
    calls = []

    def save(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return calls


@pytest.mark.django_db
def test_it_asks_to_send_again_when_storage_fails_on_the_second_file(
    client, posyandu, media_root, failing_second_write, monkeypatch
):
    r = post(client)
    assert len(failing_second_write) == 2  # the first file was written, then removed
    assert_asked_to_send_again(r)
    assert_nothing_kept(media_root)

    monkeypatch.undo()
    assert_resend_succeeds_once(client, media_root)


@pytest.mark.django_db
def test_it_asks_to_send_again_when_the_database_goes_away_while_saving(
    client, posyandu, media_root, monkeypatch
):
    real_save = Document.save

    def save(self, *args, **kwargs):
        if Document.objects.count() == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Document, "save", save)
    r = post(client)
    assert_asked_to_send_again(r)
    assert_nothing_kept(media_root)

    monkeypatch.undo()
    assert_resend_succeeds_once(client, media_root)


@pytest.mark.django_db(transaction=True)
def test_it_asks_to_send_again_when_the_commit_fails(client, posyandu, media_root, monkeypatch):
    real_commit = connection.commit
    commits = []

    def commit():
        commits.append(1)
        if len(commits) == 1:
            raise OperationalError("could not receive data from server")
        return real_commit()

    monkeypatch.setattr(connection, "commit", commit)
    r = post(client)
    assert commits == [1]
    assert_asked_to_send_again(r)
    assert_nothing_kept(media_root)

    assert_resend_succeeds_once(client, media_root)


@pytest.mark.django_db
def test_it_asks_to_send_again_on_the_posyandu_form(client, posyandu, media_root, monkeypatch):
    monkeypatch.setattr(
        SubmissionVersion.objects, "create", lambda **kw: (_ for _ in ()).throw(OperationalError)
    )
    r = post(client, "/lapor/melati/")
    assert_asked_to_send_again(r, "/lapor/melati/")
    assert_nothing_kept(media_root)


@pytest.mark.django_db
def test_it_tries_every_file_and_keeps_the_original_error(
    client, posyandu, media_root, monkeypatch, caplog
):
    """A file that cannot be removed is logged and left to sweep_storage; the other files
    are still removed, and the kader sees the database's failure, not the cleanup's."""
    real_delete = FileSystemStorage.delete
    deleted = []

    def delete(self, name):
        deleted.append(name)
        if len(deleted) == 1:
            raise PermissionError(13, "Permission denied")
        return real_delete(self, name)

    monkeypatch.setattr(FileSystemStorage, "delete", delete)
    monkeypatch.setattr(
        SubmissionVersion.objects, "create", lambda **kw: (_ for _ in ()).throw(OperationalError)
    )
    with caplog.at_level(logging.ERROR, logger="gasken"):
        r = post(client)
    assert_asked_to_send_again(r)
    assert len(deleted) == 2
    [left] = stored_files(media_root)
    assert deleted[0].endswith(left.name)
    assert Submission.objects.count() == Document.objects.count() == 0
    messages = [rec.getMessage() for rec in caplog.records]
    assert f"Could not remove {deleted[0]} from storage; sweep_storage will" in messages
    failure = next(rec for rec in caplog.records if rec.name == "gasken.pages")
    assert failure.exc_info[0] is OperationalError


@pytest.mark.django_db
def test_a_programming_error_is_not_taken_for_an_outage(client, posyandu, media_root, monkeypatch):
    monkeypatch.setattr(
        SubmissionVersion.objects, "create", lambda **kw: (_ for _ in ()).throw(KeyError)
    )
    client.raise_request_exception = False
    assert post(client).status_code == 500
    assert_nothing_kept(media_root)
