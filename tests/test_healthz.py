import pytest
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, connections

from tests.builders import make_submission, stored_files

pytestmark = pytest.mark.django_db


def fail(*args, **kwargs):
    raise OperationalError("connection refused")


# Patched on the objects themselves, not on the django.db.connection and django.core.cache.cache
# proxies: a proxy may reach another object by the time the patch is undone.
def database():
    return connections["default"]


def cache():
    return caches["default"]


def test_it_says_ok_when_everything_answers(client, media_root):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.content == b"ok\n"
    assert r["Content-Type"] == "text/plain"
    assert "no-cache" in r["Cache-Control"] and "max-age=0" in r["Cache-Control"]
    # The probe file is gone again.
    assert stored_files(media_root) == []


def test_it_needs_no_login_and_answers_head(client):
    assert client.head("/healthz").status_code == 200


def test_it_rejects_post(client):
    assert client.post("/healthz").status_code == 405


def test_it_names_a_failing_database(client, monkeypatch):
    monkeypatch.setattr(database(), "cursor", fail)
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.content == b"failed: database\n"
    assert "no-cache" in r["Cache-Control"]


def test_it_names_a_failing_storage(client, monkeypatch, media_root):
    def save(self, name, content):
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.content == b"failed: storage\n"


def test_it_names_a_storage_that_returns_other_content(client, monkeypatch, media_root):
    real_open = FileSystemStorage._open

    def corrupt(self, name, mode="rb"):
        f = real_open(self, name, mode)
        f.read = lambda *a: b"xx"
        return f

    monkeypatch.setattr(FileSystemStorage, "_open", corrupt)
    assert client.get("/healthz").content == b"failed: storage\n"
    assert stored_files(media_root) == []


def test_it_names_a_failing_cache(client, monkeypatch):
    monkeypatch.setattr(cache(), "get", lambda *a, **k: None)
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.content == b"failed: cache\n"


def test_it_names_every_failure(client, monkeypatch):
    monkeypatch.setattr(database(), "cursor", fail)
    monkeypatch.setattr(FileSystemStorage, "_save", fail)
    monkeypatch.setattr(cache(), "set", fail)
    assert client.get("/healthz").content == b"failed: database, storage, cache\n"


def test_it_says_nothing_personal(client, village, monkeypatch, caplog):
    make_submission(village, child_name="Putri Rahasia")
    monkeypatch.setattr(database(), "cursor", fail)
    r = client.get("/healthz")
    assert b"Rahasia" not in r.content and b"refused" not in r.content
    assert any(rec.getMessage() == "Health check failed: database" for rec in caplog.records)
