import pytest
from django.conf import settings

from tests.registrations.helpers import make_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(village):
    return make_submission(village).documents.get()


def test_it_redirects_anonymous_to_login(client, document):
    r = client.get(f"/dokumen/{document.pk}/")
    assert r.status_code == 302
    assert r.url.startswith("/admin/login/")


def test_it_refuses_users_who_are_not_staff(client, outsider, document):
    client.force_login(outsider)
    assert client.get(f"/dokumen/{document.pk}/").status_code == 403


def test_it_serves_the_document_to_staff(client, staff, document):
    client.force_login(staff)
    r = client.get(f"/dokumen/{document.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    assert "private" in r["Cache-Control"] and "no-store" in r["Cache-Control"]
    assert r["X-Content-Type-Options"] == "nosniff"
    with document.file.open("rb") as f:
        assert b"".join(r.streaming_content) == f.read()


def test_it_returns_404_for_unknown_document(client, staff, db):
    client.force_login(staff)
    assert client.get("/dokumen/999999/").status_code == 404


def test_no_public_url_serves_stored_files(client, document):
    name = document.file.name
    for url in (f"/{name}", f"/media/{name}", f"/private-media/{name}", f"/static/{name}"):
        assert client.get(url).status_code == 404, url
    assert str(settings.MEDIA_ROOT) not in str(settings.STATICFILES_DIRS)
