"""The kecamatan's list of group activities (/kegiatan/) and an activity's page."""

from datetime import date

import pytest

from interventions.models import Activity
from tests.builders import (
    PUSKESMAS,
    TIMAH,
    login_redirect,
    make_activity,
    partner,
    partner_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

URL = "/kegiatan/"


def detail_url(activity):
    return f"/kegiatan/{activity.pk}/"


def listed(response):
    return [a.pk for a in response.context["page"]]


# --- access -----------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(client, village):
    activity = make_activity(village)
    for url in (URL, detail_url(activity)):
        r = client.get(url)
        assert (r.status_code, r.url) == (302, login_redirect(url))


@pytest.mark.parametrize("who", ["outsider", "staff", "mitra_user", "desa_user"])
def test_it_refuses_other_roles(client, request, village, who):
    activity = make_activity(village, topic="Kelas gizi rahasia")
    client.force_login(request.getfixturevalue(who))
    for url in (URL, detail_url(activity)):
        r = client.get(url)
        assert r.status_code == 403
        assert b"Kelas gizi rahasia" not in r.content


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_shows_every_activity_to_the_kecamatan(client, request, village, other_village, who):
    ours = make_activity(village, (TIMAH,), date=date(2026, 3, 1))
    theirs = make_activity(other_village, (PUSKESMAS,), date=date(2026, 3, 10))
    client.force_login(request.getfixturevalue(who))
    r = client.get(URL)
    assert r.status_code == 200
    assert listed(r) == [theirs.pk, ours.pk]
    assert client.get(detail_url(theirs)).status_code == 200


def test_it_returns_404_for_an_unknown_activity(client, verifikator):
    client.force_login(verifikator)
    assert client.get("/kegiatan/999/").status_code == 404


# --- the list ---------------------------------------------------------------------------


def test_it_filters_by_kind_village_partner_and_dates(client, verifikator, village, other_village):
    a = make_activity(village, (TIMAH,), date=date(2026, 1, 10))
    b = make_activity(
        village, (TIMAH, PUSKESMAS), kind=Activity.Kind.BKB_CLASS, date=date(2026, 2, 10)
    )
    c = make_activity(other_village, (PUSKESMAS,), date=date(2026, 3, 10))
    client.force_login(verifikator)
    assert listed(client.get(URL, {"kind": Activity.Kind.BKB_CLASS})) == [b.pk]
    assert listed(client.get(URL, {"village": village.pk})) == [b.pk, a.pk]
    assert listed(client.get(URL, {"partner": partner(PUSKESMAS).pk})) == [c.pk, b.pk]
    period = {"date_from": "2026-02-01", "date_to": "2026-02-28"}
    assert listed(client.get(URL, period)) == [b.pk]


def test_it_shows_the_people_reached_and_the_photos(client, verifikator, village):
    make_activity(village, (TIMAH, PUSKESMAS), parents_count=12, kader_count=3, photos=2)
    client.force_login(verifikator)
    html = client.get(URL).content.decode()
    assert "PT Timah Tbk, Puskesmas Sungailiat" in html
    assert '<td data-label="Peserta" class="num">15</td>' in html
    assert '<td data-label="Foto" class="num">2</td>' in html
    assert 'href="/kegiatan/baru/"' in html


def test_it_offers_no_new_activity_to_the_pimpinan(client, pimpinan):
    client.force_login(pimpinan)
    assert 'href="/kegiatan/baru/"' not in client.get(URL).content.decode()


# --- the page of an activity -----------------------------------------------------------


def test_its_page_shows_everything_recorded(client, verifikator, village, posyandu):
    recorder = partner_user("timah")
    activity = make_activity(
        village,
        (TIMAH,),
        kind=Activity.Kind.PMT_COOKING_DEMO,
        posyandu=posyandu,
        topic="Menu lokal",
        parents_count=7,
        mothers_count=3,
        notes="Bahan dari kebun warga",
        photos=1,
        recorded_by=recorder,
    )
    client.force_login(verifikator)
    r = client.get(detail_url(activity))
    html = r.content.decode()
    assert "Demo masak PMT: Menu lokal" in html
    assert "Kelurahan Matras, Posyandu Melati" in html
    assert "Bahan dari kebun warga" in html
    assert '<td class="num" id="people">10</td>' in html
    photo = activity.photos.get()
    assert f'href="/kegiatan/foto/{photo.pk}/"' in html
    assert f'href="/kegiatan/{activity.pk}/ubah/"' in html
    assert [(who, what) for _, who, what in r.context["history"]] == [
        (recorder, "Foto ditambahkan"),
        (recorder, "Dicatat"),
    ]


def test_the_pimpinan_reads_it_without_changing_it(client, pimpinan, village):
    activity = make_activity(village)
    client.force_login(pimpinan)
    html = client.get(detail_url(activity)).content.decode()
    assert f"/kegiatan/{activity.pk}/ubah/" not in html
