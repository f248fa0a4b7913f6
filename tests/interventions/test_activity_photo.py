"""/kegiatan/foto/<id>/: an activity's photo, to those who may read the activity, logged."""

import pytest

from interventions.models import VIEW_ACTIVITY_PHOTO
from registrations.models import AccessLog
from tests.builders import (
    PUSKESMAS,
    TIMAH,
    login_redirect,
    make_activity,
    partner_user,
    village_user,
)

pytestmark = pytest.mark.django_db


def url(photo):
    return f"/kegiatan/foto/{photo.pk}/"


@pytest.fixture
def photo(village, media_root):
    return make_activity(village, (TIMAH,), photos=1).photos.get()


def body(response):
    # Not response.close(): that ends the request and, on PostgreSQL, the test's connection.
    return b"".join(response.streaming_content)


def test_it_sends_anonymous_users_to_the_login_page(client, photo):
    r = client.get(url(photo))
    assert (r.status_code, r.url) == (302, login_redirect(url(photo)))
    assert AccessLog.objects.count() == 0


def test_it_gives_the_photo_to_a_partner_that_ran_it_and_logs_it(client, photo):
    user = partner_user("timah")
    client.force_login(user)
    r = client.get(url(photo), REMOTE_ADDR="10.1.2.3")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    assert r["Content-Disposition"] == f'inline; filename="kegiatan-{photo.pk}.jpg"'
    assert "no-store" in r["Cache-Control"]
    assert r["Content-Security-Policy"] == "sandbox; default-src 'none'"
    with photo.photo.open("rb") as f:
        assert body(r) == f.read()
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.target) == (user, VIEW_ACTIVITY_PHOTO, photo)
    assert log.action == "view_activity_photo"
    assert log.get_action_display() == "Melihat foto kegiatan"
    assert log.ip_address == "10.1.2.3"
    assert f"Foto kegiatan #{photo.pk}" in log.detail


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_it_gives_the_photo_to_the_kecamatan(client, request, photo, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    r = client.get(url(photo))
    assert r.status_code == 200
    assert body(r)
    assert AccessLog.objects.get().user == user


def test_it_gives_the_photo_to_the_village_of_the_activity(client, photo, village):
    user = village_user("desa-matras", village)
    client.force_login(user)
    r = client.get(url(photo))
    assert r.status_code == 200
    body(r)
    assert AccessLog.objects.get().user == user


@pytest.mark.parametrize("who", ["other_partner", "other_village", "outsider", "desa_user"])
def test_it_hides_the_photo_from_everyone_else(client, request, photo, other_village, who):
    if who == "other_partner":
        user = partner_user("puskesmas", PUSKESMAS)
    elif who == "other_village":
        user = village_user("desa-rebo", other_village)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(url(photo)).status_code == 404
    assert AccessLog.objects.count() == 0


def test_it_returns_404_for_an_unknown_photo(client, verifikator):
    client.force_login(verifikator)
    assert client.get("/kegiatan/foto/999/").status_code == 404
