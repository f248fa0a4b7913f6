"""/kendala/: the kecamatan's worklist of the partners' obstacles."""

import re
from datetime import date

import pytest

from interventions.models import Intervention, Obstacle
from tests.builders import (
    PUSKESMAS,
    TIMAH,
    login_redirect,
    make_child,
    make_intervention,
    make_obstacle,
    partner,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

URL = "/kendala/"
Kind = Obstacle.Kind


@pytest.fixture
def obstacles(village, other_village, verifikator):
    """Three open obstacles and one handled, in two villages, by two partners."""
    running = Intervention.Status.RUNNING
    timah = make_intervention(make_child(village, name="Ayu"), TIMAH, status=running)
    puskesmas = make_intervention(make_child(village, name="Budi"), PUSKESMAS, status=running)
    rebo = make_intervention(make_child(other_village, name="Cici"), TIMAH, status=running)
    return {
        "moved": make_obstacle(timah, kind=Kind.FAMILY_MOVED, date=date(2026, 1, 5)),
        "ill": make_obstacle(puskesmas, kind=Kind.CHILD_ILL, date=date(2026, 2, 5)),
        "refused": make_obstacle(rebo, kind=Kind.REFUSED, date=date(2026, 3, 5)),
        "late": make_obstacle(
            timah, kind=Kind.HELP_LATE, date=date(2026, 2, 20), handled_by=verifikator
        ),
    }


def listed(response):
    return [o.pk for o in response.context["page"]]


def table(response):
    match = re.search(r'<table id="obstacles">.*?</table>', response.content.decode(), re.S)
    assert match, "no obstacle table on the page"
    return match.group(0)


def test_it_sends_anonymous_users_to_the_login_page(client):
    r = client.get(URL)
    assert (r.status_code, r.url) == (302, login_redirect(URL))


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, obstacles, who):
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL)
    assert r.status_code == 403
    assert b"Ayu" not in r.content


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_lists_the_open_obstacles_oldest_first(client, request, obstacles, who):
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL)
    assert r.status_code == 200
    o = obstacles
    assert listed(r) == [o["moved"].pk, o["ill"].pk, o["refused"].pk]
    html = table(r)
    assert "Keluarga pindah" in html and "PT Timah Tbk (PMT)" in html
    assert "Bantuan terlambat" not in html


def test_it_filters_by_kind_village_partner_status_and_dates(
    client, verifikator, obstacles, village
):
    client.force_login(verifikator)
    o = obstacles
    assert listed(client.get(URL, {"kind": Kind.CHILD_ILL})) == [o["ill"].pk]
    assert listed(client.get(URL, {"village": village.pk})) == [o["moved"].pk, o["ill"].pk]
    by_timah = {"partner": partner(TIMAH).pk}
    assert listed(client.get(URL, by_timah)) == [o["moved"].pk, o["refused"].pk]
    assert listed(client.get(URL, {"status": Obstacle.Status.HANDLED})) == [o["late"].pk]
    everything = client.get(URL, {"status": "all"})
    assert len(listed(everything)) == 4
    february = {"status": "all", "date_from": "2026-02-01", "date_to": "2026-02-28"}
    assert listed(client.get(URL, february)) == [o["ill"].pk, o["late"].pk]


def test_the_menu_counts_the_open_obstacles_for_the_verifikator(client, verifikator, obstacles):
    client.force_login(verifikator)
    html = client.get(URL).content.decode()
    assert 'href="/kendala/">Kendala <span class="badge badge-new">3 terbuka</span>' in html


def test_the_pimpinan_reads_them_without_a_count_to_act_on(client, pimpinan, obstacles):
    client.force_login(pimpinan)
    html = client.get(URL).content.decode()
    assert 'href="/kendala/">Kendala</a>' in html
