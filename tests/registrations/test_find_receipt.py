"""Cek status laporan: the receipt from a code written down on paper."""

import pytest

from tests.builders import make_submission

pytestmark = pytest.mark.django_db

URL = "/lapor/status/"


@pytest.fixture
def sent(village):
    return make_submission(village, code="AEDVGE7UKE2D")


@pytest.mark.parametrize(
    "typed",
    ["AEDVGE7UKE2D", "AEDV-GE7U-KE2D", "aedv-ge7u ke2d", "  aedv ge7u ke2d ", "Aedv.Ge7u/Ke2d"],
)
def test_it_finds_the_receipt_however_the_code_is_written(client, sent, typed):
    r = client.get(URL, {"kode": typed})
    assert r.status_code == 302
    assert r.url == "/lapor/status/AEDVGE7UKE2D/"
    assert client.get(r.url).status_code == 200


def test_it_shows_an_empty_box_first(client, db):
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Cek status laporan</h1>" in html
    assert 'name="kode"' in html
    assert "errorlist" not in html
    assert r["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize(
    "typed,message",
    [
        ("", "Bidang ini tidak boleh kosong."),
        ("aedv-ge7u", "Kode tanda terima terdiri dari 12 huruf dan angka"),
        ("aedv-ge7u-ke2d-x", "Kode tanda terima terdiri dari 12 huruf dan angka"),
        ("OEDV-GE7U-KE2D", "Kode tanda terima terdiri dari 12 huruf dan angka"),
        ("aedv-ge7u-ke2e", "Laporan dengan kode AEDV-GE7U-KE2E tidak ditemukan."),
    ],
)
def test_it_explains_a_code_it_cannot_find_and_keeps_it(client, sent, typed, message):
    r = client.get(URL, {"kode": typed})
    assert r.status_code == 200
    assert message in r.context["lookup_form"].errors["kode"][0]
    html = r.content.decode()
    assert f'value="{typed}"' in html or typed == ""
    assert 'aria-invalid="true"' in html
    # No list of codes anywhere: not even the one that exists.
    assert "AEDVGE7UKE2D" not in html and "AEDV-GE7U-KE2D" not in html


def test_it_accepts_only_get(client, sent):
    assert client.post(URL, {"kode": sent.code}).status_code == 405


def test_the_intake_form_has_the_status_box_below_it(client, posyandu):
    html = client.get("/lapor/melati/").content.decode()
    box = html.index('<form method="get" action="/lapor/status/" id="status-form"')
    assert box > html.index("</form>", html.index('id="intake-form"'))
    assert "Cek status laporan" in html
