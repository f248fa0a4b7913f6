import pytest

pytestmark = pytest.mark.django_db


def test_it_renders_a_printable_poster(client, posyandu):
    r = client.get("/lapor/melati/poster/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "GASKEN" in html
    assert "Kecamatan Sungailiat" in html
    assert "Posyandu Melati" in html
    assert "Kelurahan Matras" in html
    assert 'src="/lapor/melati/qr.svg"' in html
    assert "https://gasken.example.go.id/lapor/melati/" in html
    assert html.count("<li>") == 3
    assert "poster.css" in html


def test_the_print_css_is_a4(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("css/poster.css")) as f:
        css = f.read()
    assert "size: A4 portrait" in css
    assert "@media print" in css


def test_it_returns_404_for_unknown_posyandu(client, db):
    assert client.get("/lapor/tidak-ada/poster/").status_code == 404
