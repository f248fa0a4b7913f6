"""The mother's form's QR codes and posters, beside the child's form's."""

import re

import pytest

from registrations.models import Posyandu
from tests.builders import decode_png, decode_svg

pytestmark = pytest.mark.django_db

BASE = "https://gasken.example.go.id"


@pytest.mark.parametrize(
    "qr,form",
    [
        ("/lapor/ibu/qr", "/lapor/ibu/"),
        ("/lapor/melati/ibu/qr", "/lapor/melati/ibu/"),
        ("/lapor/desa/19.01.01.1009/ibu/qr", "/lapor/desa/19.01.01.1009/ibu/"),
    ],
)
def test_each_qr_code_opens_the_mothers_form(client, posyandu, qr, form):
    png = client.get(qr + ".png")
    assert png["Content-Type"] == "image/png"
    assert decode_png(png.content) == BASE + form
    svg = client.get(qr + ".svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert decode_svg(svg.content) == BASE + form
    # The address encoded is a page that opens.
    assert client.get(form).status_code == 200


def test_the_posyandu_poster(client, posyandu):
    html = client.get("/lapor/melati/ibu/poster/").content.decode()
    assert "<title>Poster QR ibu hamil/menyusui – Posyandu Melati</title>" in html
    assert '<p class="form-title">Laporan ibu hamil dan ibu menyusui</p>' in html
    assert 'src="/lapor/melati/ibu/qr.svg"' in html
    assert f"<strong>{BASE}/lapor/melati/ibu/</strong>" in html
    assert "Isi data ibu, status hamil atau menyusui, LiLA, dan foto KK." in html
    assert "balita" not in html


def test_the_village_and_general_posters(client, village):
    html = client.get("/lapor/desa/19.01.01.1009/ibu/poster/").content.decode()
    assert 'src="/lapor/desa/19.01.01.1009/ibu/qr.svg"' in html
    assert f"<strong>{BASE}/lapor/desa/19.01.01.1009/ibu/</strong>" in html
    html = client.get("/lapor/ibu/poster/").content.decode()
    assert 'src="/lapor/ibu/qr.svg"' in html
    assert f"<strong>{BASE}/lapor/ibu/</strong>" in html


def test_the_childs_posters_stay_the_childs(client, posyandu):
    html = client.get("/lapor/melati/poster/").content.decode()
    assert '<p class="form-title">Laporan balita stunting atau berisiko stunting</p>' in html
    assert "ibu/" not in html


def test_all_mothers_posters_of_a_village(client, village, other_posyandu):
    Posyandu.objects.create(name="Anggrek", village=village, code="anggrek")
    Posyandu.objects.create(name="Melati", village=village, code="melati")
    r = client.get("/lapor/desa/19.01.01.1009/ibu/poster/semua/")
    html = r.content.decode()
    assert "Semua poster posyandu (ibu hamil/menyusui) – Kelurahan Matras" in html
    posters = re.findall(r'<article class="poster">(.*?)</article>', html, re.S)
    assert len(posters) == 2
    assert 'src="/lapor/anggrek/ibu/qr.svg"' in posters[0]
    assert f"{BASE}/lapor/melati/ibu/" in posters[1]
    assert "Kenanga" not in html
    # Each "print all" page leads to the other form's.
    assert 'href="/lapor/desa/19.01.01.1009/poster/semua/"' in html
    child = client.get("/lapor/desa/19.01.01.1009/poster/semua/").content.decode()
    assert 'href="/lapor/desa/19.01.01.1009/ibu/poster/semua/"' in child


def test_all_mothers_posters_of_a_village_without_posyandu(client, village):
    html = client.get("/lapor/desa/19.01.01.1009/ibu/poster/semua/").content.decode()
    assert "Belum ada posyandu aktif di Kelurahan Matras." in html
    assert 'href="/lapor/desa/19.01.01.1009/ibu/poster/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/lapor/tidak-ada/ibu/poster/",
        "/lapor/tidak-ada/ibu/qr.svg",
        "/lapor/desa/19.01.01.9999/ibu/poster/",
        "/lapor/desa/19.01.01.9999/ibu/poster/semua/",
        "/lapor/desa/19.01.01.9999/ibu/qr.png",
    ],
)
def test_it_returns_404_for_an_unknown_place(client, db, url):
    assert client.get(url).status_code == 404


MOTHER_POSTER_URLS = [
    "/lapor/ibu/poster/",
    "/lapor/melati/ibu/poster/",
    "/lapor/desa/19.01.01.1009/ibu/poster/",
    "/lapor/desa/19.01.01.1009/ibu/poster/semua/",
]


@pytest.mark.parametrize("url", MOTHER_POSTER_URLS)
@pytest.mark.parametrize("who", [None, "outsider", "verifikator"])
def test_every_mothers_poster_is_open_to_anyone(client, request, posyandu, url, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    r = client.get(url)
    assert r.status_code == 200 and "GASKEN" in r.content.decode()


@pytest.mark.parametrize("url", MOTHER_POSTER_URLS)
def test_poster_pages_refuse_post(client, posyandu, url):
    assert client.post(url).status_code == 405
