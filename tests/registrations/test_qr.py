import pytest

from tests.builders import decode_png, decode_svg

pytestmark = pytest.mark.django_db


def test_it_encodes_the_kecamatan_form_as_png(client):
    r = client.get("/lapor/qr.png")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert decode_png(r.content) == "https://gasken.example.go.id/lapor/"


def test_it_encodes_the_kecamatan_form_as_svg(client):
    r = client.get("/lapor/qr.svg")
    assert r["Content-Type"] == "image/svg+xml"
    assert decode_svg(r.content) == "https://gasken.example.go.id/lapor/"


def test_it_encodes_the_posyandu_form(client, posyandu):
    assert decode_png(client.get("/lapor/melati/qr.png").content) == (
        "https://gasken.example.go.id/lapor/melati/"
    )
    assert decode_svg(client.get("/lapor/melati/qr.svg").content) == (
        "https://gasken.example.go.id/lapor/melati/"
    )


def test_it_encodes_the_village_form(client, village):
    url = "https://gasken.example.go.id/lapor/desa/19.01.01.1009/"
    assert decode_png(client.get("/lapor/desa/19.01.01.1009/qr.png").content) == url
    assert decode_svg(client.get("/lapor/desa/19.01.01.1009/qr.svg").content) == url


def test_it_returns_404_for_an_unknown_village(client, db):
    assert client.get("/lapor/desa/19.01.01.9999/qr.png").status_code == 404
    assert client.get("/lapor/desa/19.01.01.9999/qr.svg").status_code == 404


def test_it_follows_public_base_url(client, settings, posyandu):
    settings.PUBLIC_BASE_URL = "http://10.0.0.5:8000"
    assert decode_png(client.get("/lapor/melati/qr.png").content) == (
        "http://10.0.0.5:8000/lapor/melati/"
    )


def test_it_returns_404_for_unknown_or_inactive_posyandu(client, posyandu):
    assert client.get("/lapor/tidak-ada/qr.png").status_code == 404
    posyandu.is_active = False
    posyandu.save()
    assert client.get("/lapor/melati/qr.svg").status_code == 404


def test_it_rejects_post(client):
    assert client.post("/lapor/qr.png").status_code == 405
