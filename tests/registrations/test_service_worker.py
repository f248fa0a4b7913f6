import pytest

pytestmark = pytest.mark.django_db

URL = "/lapor/sw.js"


def test_it_serves_the_worker_as_javascript(client):
    r = client.get(URL)
    assert r.status_code == 200
    assert r["Content-Type"] == "text/javascript; charset=utf-8"
    body = r.content.decode()
    assert 'const FORM_URL = "/lapor/";' in body
    assert 'const STATIC_URL = "/static/";' in body
    assert "/static/css/public.css" in body


def test_it_is_revalidated_on_every_visit(client):
    r = client.get(URL)
    assert "no-cache" in r["Cache-Control"] and "max-age=0" in r["Cache-Control"]
    again = client.get(URL, headers={"If-None-Match": r["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_its_scope_is_the_report_form(client):
    # Served from /lapor/, the worker controls the form pages and nothing of the staff's.
    assert client.get("/sw.js").status_code == 404
    assert "Service-Worker-Allowed" not in client.get(URL)


def test_it_rejects_post(client):
    assert client.post(URL).status_code == 405
