"""The group activities of a kelurahan/desa, read by its government: /desa/kegiatan/."""

from datetime import date

import pytest

from tests.builders import (
    NOT_LINKED_VILLAGE,
    PUSKESMAS,
    TIMAH,
    login_redirect,
    make_activity,
    village_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

LIST = "/desa/kegiatan/"


def detail_url(activity):
    return f"/desa/kegiatan/{activity.pk}/"


@pytest.fixture
def here(village):
    return make_activity(village, (TIMAH,), topic="Sosialisasi di Matras", date=date(2026, 3, 2))


@pytest.fixture
def elsewhere(other_village):
    return make_activity(other_village, (PUSKESMAS,), topic="Sosialisasi di Rebo")


@pytest.fixture
def matras_user(village):
    return village_user("desa-matras", village)


def test_it_sends_anonymous_users_to_the_login_page(client, here):
    for url in (LIST, detail_url(here)):
        r = client.get(url)
        assert (r.status_code, r.url) == (302, login_redirect(url))


@pytest.mark.parametrize("who", ["outsider", "verifikator", "pimpinan", "mitra_user"])
def test_it_refuses_other_roles(client, request, here, who):
    client.force_login(request.getfixturevalue(who))
    for url in (LIST, detail_url(here)):
        assert client.get(url).status_code == 403


def test_it_refuses_a_village_account_not_linked_to_a_village(client, desa_user, here):
    client.force_login(desa_user)
    r = client.get(LIST)
    assert r.status_code == 403
    assert NOT_LINKED_VILLAGE in r.content.decode()


def test_it_lists_the_activities_of_its_village_only(client, matras_user, here, elsewhere):
    client.force_login(matras_user)
    r = client.get(LIST)
    assert r.status_code == 200
    assert [a.pk for a in r.context["page"]] == [here.pk]
    html = r.content.decode()
    assert "Sosialisasi di Matras" in html and "Sosialisasi di Rebo" not in html
    # Read-only: nothing to record.
    assert "/kegiatan/baru/" not in html


def test_another_villages_activity_does_not_exist_for_it(client, matras_user, elsewhere):
    client.force_login(matras_user)
    assert client.get(detail_url(elsewhere)).status_code == 404


def test_it_reads_an_activity_without_changing_it(client, matras_user, village):
    activity = make_activity(village, (TIMAH, PUSKESMAS), photos=1, mothers_count=4)
    client.force_login(matras_user)
    r = client.get(detail_url(activity))
    assert r.status_code == 200
    html = r.content.decode()
    assert "PT Timah Tbk, Puskesmas Sungailiat" in html
    assert '<td class="num" id="people">16</td>' in html
    assert f'href="/kegiatan/foto/{activity.photos.get().pk}/"' in html
    assert "/ubah/" not in html
    assert r.context["history"] is None
