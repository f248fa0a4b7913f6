import re

import pytest

from registrations.models import Posyandu

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


def test_it_returns_404_for_an_inactive_posyandu(client, posyandu):
    Posyandu.objects.filter(pk=posyandu.pk).update(is_active=False)
    assert client.get("/lapor/melati/poster/").status_code == 404


def test_it_renders_the_poster_of_a_village(client, village):
    r = client.get("/lapor/desa/19.01.01.1009/poster/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<title>Poster QR – Kelurahan Matras</title>" in html
    assert '<p class="place"><strong>Kelurahan Matras</strong><br>Semua posyandu</p>' in html
    assert 'src="/lapor/desa/19.01.01.1009/qr.svg"' in html
    assert "https://gasken.example.go.id/lapor/desa/19.01.01.1009/" in html
    assert html.count('<article class="poster">') == 1


def test_it_renders_the_poster_of_the_general_form(client, db):
    r = client.get("/lapor/poster/")
    assert r.status_code == 200
    html = r.content.decode()
    assert '<p class="place"><strong>Semua kelurahan/desa</strong></p>' in html
    assert 'src="/lapor/qr.svg"' in html
    assert "<strong>https://gasken.example.go.id/lapor/</strong>" in html
    assert 'id="print">Cetak poster (A4)</button>' in html


def test_it_prints_every_active_posyandu_poster_of_a_village(client, village, other_posyandu):
    anggrek = Posyandu.objects.create(name="Anggrek", village=village, code="anggrek")
    Posyandu.objects.create(name="Melati", village=village, code="melati")
    Posyandu.objects.create(name="Tutup", village=village, code="tutup", is_active=False)

    r = client.get("/lapor/desa/19.01.01.1009/poster/semua/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Semua poster posyandu – Kelurahan Matras" in html
    assert "2 poster, masing-masing satu halaman A4." in html
    assert 'id="print">Cetak semua poster (A4)</button>' in html
    posters = re.findall(r'<article class="poster">(.*?)</article>', html, re.S)
    assert len(posters) == 2
    # In name order, each with its own QR code and address.
    assert "Posyandu Anggrek" in posters[0] and "Posyandu Melati" in posters[1]
    assert f'src="/lapor/{anggrek.code}/qr.svg"' in posters[0]
    assert "https://gasken.example.go.id/lapor/melati/" in posters[1]
    # Not the inactive one, nor Rebo's Kenanga.
    assert "Tutup" not in html and "Kenanga" not in html


def test_each_poster_of_all_is_printed_on_its_own_a4_page():
    from django.contrib.staticfiles import finders

    with open(finders.find("css/poster.css")) as f:
        css = f.read()
    assert ".poster + .poster { break-before: page; page-break-before: always;" in css
    assert ".poster { break-inside: avoid; page-break-inside: avoid; }" in css


def test_all_posters_of_a_village_without_posyandu_says_so(client, village):
    r = client.get("/lapor/desa/19.01.01.1009/poster/semua/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Belum ada posyandu aktif di Kelurahan Matras." in html
    assert 'href="/lapor/desa/19.01.01.1009/poster/"' in html
    assert '<article class="poster">' not in html and 'id="print"' not in html


@pytest.mark.parametrize(
    "url",
    [
        "/lapor/desa/19.01.01.9999/poster/",
        "/lapor/desa/19.01.01.9999/poster/semua/",
        "/lapor/desa/bukan-kode/poster/semua/",
    ],
)
def test_it_returns_404_for_an_unknown_village(client, db, url):
    assert client.get(url).status_code == 404


# Posters are public, like the QR codes they carry: printed by the kecamatan, the posyandu
# or the kader, with no account.
POSTER_URLS = [
    "/lapor/poster/",
    "/lapor/melati/poster/",
    "/lapor/desa/19.01.01.1009/poster/",
    "/lapor/desa/19.01.01.1009/poster/semua/",
]


@pytest.mark.parametrize("url", POSTER_URLS)
@pytest.mark.parametrize("who", [None, "outsider", "mitra_user", "verifikator"])
def test_every_poster_page_is_open_to_anyone(client, request, posyandu, url, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    r = client.get(url)
    assert r.status_code == 200
    assert "GASKEN" in r.content.decode()


@pytest.mark.parametrize("url", POSTER_URLS)
def test_poster_pages_refuse_post(client, posyandu, url):
    assert client.post(url).status_code == 405
