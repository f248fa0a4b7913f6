import pytest
from django.conf import settings

from registrations.models import AccessLog
from tests.builders import make_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(village):
    return make_submission(village).documents.get()


def test_it_redirects_anonymous_to_login(client, document):
    r = client.get(f"/dokumen/{document.pk}/")
    assert r.status_code == 302
    assert r.url == f"/akun/masuk/?next=/dokumen/{document.pk}/"
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user", "pimpinan"])
def test_it_refuses_roles_that_do_not_verify(client, document, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/dokumen/{document.pk}/").status_code == 403
    assert AccessLog.objects.count() == 0


def test_it_serves_and_logs_the_document_for_a_verifikator(client, verifikator, document):
    client.force_login(verifikator)
    r = client.get(f"/dokumen/{document.pk}/", REMOTE_ADDR="10.1.2.3")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    assert "private" in r["Cache-Control"] and "no-store" in r["Cache-Control"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert r["Content-Disposition"] == f'inline; filename="dokumen-{document.pk}.jpg"'
    with document.file.open("rb") as f:
        assert b"".join(r.streaming_content) == f.read()

    log = AccessLog.objects.get()
    assert log.user == verifikator
    assert log.target == document
    assert log.action == "view_document"
    assert log.ip_address == "10.1.2.3"
    assert document.submission.formatted_code in log.detail


def test_it_hands_out_a_pdf_as_a_download(client, verifikator, village):
    document = make_submission(village, documents=("akta",)).documents.get()
    document.content_type = "application/pdf"
    document.save()
    client.force_login(verifikator)
    r = client.get(f"/dokumen/{document.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == f'attachment; filename="dokumen-{document.pk}.pdf"'
    assert r["Content-Security-Policy"] == "sandbox; default-src 'none'"
    b"".join(r.streaming_content)


def test_it_returns_404_for_unknown_document(client, verifikator, db):
    client.force_login(verifikator)
    assert client.get("/dokumen/999999/").status_code == 404


def test_no_public_url_serves_stored_files(client, document):
    name = document.file.name
    for url in (f"/{name}", f"/media/{name}", f"/private-media/{name}", f"/static/{name}"):
        assert client.get(url).status_code == 404, url
    assert str(settings.MEDIA_ROOT) not in str(settings.STATICFILES_DIRS)


def test_the_access_log_is_visible_to_admins(client, django_user_model, verifikator, document):
    client.force_login(verifikator)
    client.get(f"/dokumen/{document.pk}/")
    admin = django_user_model.objects.create_superuser("root", password="password")
    client.force_login(admin)
    html = client.get("/admin/registrations/accesslog/").content.decode()
    assert "verifikator" in html
    assert "Melihat dokumen" in html


def test_it_logs_the_client_behind_a_trusted_proxy(client, verifikator, document, settings):
    import ipaddress

    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    client.force_login(verifikator)
    forwarded = "203.0.113.9, 198.51.100.4"  # the first hop is whatever the client wrote
    r = client.get(
        f"/dokumen/{document.pk}/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert r.status_code == 200
    assert AccessLog.objects.get().ip_address == "198.51.100.4"
