"""An obstacle's page (/kendala/<id>/) and marking it handled (/kendala/<id>/tangani/)."""

import pytest

from interventions.models import Intervention, Obstacle
from tests.builders import (
    login_redirect,
    make_child,
    make_intervention,
    make_obstacle,
    messages_of,
    partner_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def url(obstacle):
    return f"/kendala/{obstacle.pk}/"


def handle_url(obstacle):
    return f"/kendala/{obstacle.pk}/tangani/"


@pytest.fixture
def obstacle(village):
    child = make_child(village, name="Bunga Citra")
    pmt = make_intervention(child, status=Intervention.Status.RUNNING)
    return make_obstacle(
        pmt,
        kind=Obstacle.Kind.OTHER,
        description="Stok PMT di gudang habis",
        reported_by=partner_user("timah"),
    )


def assert_still_open(obstacle):
    obstacle.refresh_from_db()
    assert obstacle.status == Obstacle.Status.OPEN
    assert (obstacle.handled_by, obstacle.handled_at, obstacle.handling_note) == (None, None, "")


# --- access -----------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, obstacle):
    r = client.get(url(obstacle))
    assert (r.status_code, r.url) == (302, login_redirect(url(obstacle)))
    r = client.post(handle_url(obstacle), {"note": "x"})
    assert (r.status_code, r.url) == (302, login_redirect(handle_url(obstacle)))
    assert_still_open(obstacle)


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, obstacle, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(obstacle)).status_code == 403
    assert client.post(handle_url(obstacle), {"note": "Selesai"}).status_code == 403
    assert_still_open(obstacle)


def test_the_partner_that_reported_it_may_not_mark_it_handled(client, obstacle):
    client.force_login(obstacle.reported_by)
    assert client.post(handle_url(obstacle), {"note": "Selesai"}).status_code == 403
    assert_still_open(obstacle)


def test_the_pimpinan_reads_it_but_may_not_handle_it(client, pimpinan, obstacle):
    client.force_login(pimpinan)
    r = client.get(url(obstacle))
    assert r.status_code == 200
    assert "Stok PMT di gudang habis" in r.content.decode()
    assert 'name="note"' not in r.content.decode()
    assert client.post(handle_url(obstacle), {"note": "Selesai"}).status_code == 403
    assert_still_open(obstacle)


def test_it_rejects_get(client, verifikator, obstacle):
    client.force_login(verifikator)
    assert client.get(handle_url(obstacle)).status_code == 405


def test_it_returns_404_for_an_unknown_obstacle(client, verifikator):
    client.force_login(verifikator)
    assert client.get("/kendala/999/").status_code == 404
    assert client.post("/kendala/999/tangani/", {"note": "x"}).status_code == 404


# --- handling ---------------------------------------------------------------------------


def test_it_shows_the_obstacle_and_the_form(client, verifikator, obstacle):
    client.force_login(verifikator)
    r = client.get(url(obstacle))
    html = r.content.decode()
    assert "Kendala: Lainnya" in html
    assert "Stok PMT di gudang habis" in html
    assert f'href="/verifikasi/anak/{obstacle.intervention.child_id}/">Bunga Citra' in html
    assert f'href="/intervensi/{obstacle.intervention_id}/">PMT oleh PT Timah Tbk' in html
    assert 'name="note"' in html


def test_it_marks_it_handled(client, verifikator, obstacle):
    client.force_login(verifikator)
    r = client.post(handle_url(obstacle), {"note": "Mitra lain diminta mengirim PMT"}, follow=True)
    assert r.redirect_chain == [("/kendala/", 302)]
    assert messages_of(r) == ["Kendala ditandai sudah ditangani."]
    obstacle.refresh_from_db()
    assert obstacle.status == Obstacle.Status.HANDLED
    assert obstacle.handled_by == verifikator and obstacle.handled_at is not None
    assert obstacle.handling_note == "Mitra lain diminta mengirim PMT"
    # Off the worklist of open obstacles; its page says who handled it.
    assert list(r.context["page"]) == []
    html = client.get(url(obstacle)).content.decode()
    assert "Sudah ditangani</strong> oleh verifikator" in html
    assert "Mitra lain diminta mengirim PMT" in html
    assert 'name="note"' not in html
    assert "Sudah ditangani oleh verifikator" in html  # the history


@pytest.mark.parametrize("note", ["", "   "])
def test_it_needs_a_note(client, verifikator, obstacle, note):
    client.force_login(verifikator)
    r = client.post(handle_url(obstacle), {"note": note})
    assert r.status_code == 200
    assert r.context["form"].errors["note"] == ["Tuliskan tindak lanjutnya."]
    assert_still_open(obstacle)


def test_a_second_verifikator_finds_it_handled(client, verifikator, obstacle):
    client.force_login(verifikator)
    client.post(handle_url(obstacle), {"note": "Sudah ditelepon"}, follow=True)
    r = client.post(handle_url(obstacle), {"note": "Saya juga"}, follow=True)
    assert messages_of(r) == ["Kendala ini sudah ditandai ditangani oleh orang lain."]
    obstacle.refresh_from_db()
    assert obstacle.handling_note == "Sudah ditelepon"
