import pytest

from interventions.models import VIEW_DELIVERY_PHOTO
from registrations.models import AccessLog
from tests.builders import (
    PUSKESMAS,
    login_redirect,
    make_child,
    make_delivery,
    make_intervention,
    partner_user,
    village_user,
)

pytestmark = pytest.mark.django_db


def url(delivery):
    return f"/intervensi/foto/{delivery.pk}/"


@pytest.fixture
def timah_user(db):
    return partner_user("timah")


@pytest.fixture
def delivery(village, timah_user, media_root):
    intervention = make_intervention(make_child(village, name="Bunga Citra"))
    return make_delivery(intervention, timah_user, photo=True)


def body(response):
    # Not response.close(): that ends the request and, on PostgreSQL, the test's connection.
    return b"".join(response.streaming_content)


def test_it_sends_anonymous_users_to_the_login_page(client, delivery):
    r = client.get(url(delivery))
    assert r.status_code == 302
    assert r.url == login_redirect(url(delivery))
    assert AccessLog.objects.count() == 0


def test_it_gives_the_photo_to_the_owning_partner_and_logs_it(client, delivery, timah_user):
    client.force_login(timah_user)
    r = client.get(url(delivery), REMOTE_ADDR="10.1.2.3")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    assert r["Content-Disposition"] == f'inline; filename="layanan-{delivery.pk}.jpg"'
    assert "no-store" in r["Cache-Control"]
    assert r["Content-Security-Policy"] == "sandbox; default-src 'none'"
    with delivery.photo.open("rb") as f:
        assert body(r) == f.read()

    log = AccessLog.objects.get()
    assert log.user == timah_user
    assert log.action == VIEW_DELIVERY_PHOTO == "view_photo"
    assert log.target == delivery
    assert log.ip_address == "10.1.2.3"
    assert f"#{delivery.pk}" in log.detail


def test_it_gives_the_photo_to_another_member_of_the_same_partner(client, delivery):
    colleague = partner_user("timah-2")
    client.force_login(colleague)
    r = client.get(url(delivery))
    assert r.status_code == 200
    body(r)
    assert AccessLog.objects.get().user == colleague


@pytest.mark.parametrize("user", ["verifikator", "pimpinan"])
def test_it_gives_the_photo_to_the_kecamatan(client, delivery, user, request):
    who = request.getfixturevalue(user)
    client.force_login(who)
    r = client.get(url(delivery))
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    assert body(r)
    log = AccessLog.objects.get()
    assert (log.user, log.action) == (who, "view_photo")


def test_it_hides_the_photo_from_another_partner(client, delivery):
    client.force_login(partner_user("puskesmas", PUSKESMAS))
    assert client.get(url(delivery)).status_code == 404
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("user", ["outsider", "mitra_user", "desa_user"])
def test_it_hides_the_photo_from_users_without_a_right_to_it(client, delivery, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.get(url(delivery)).status_code == 404
    assert AccessLog.objects.count() == 0


def test_it_hides_the_photo_from_the_village_government(client, delivery, village):
    # Even the government of the child's own village sees deliveries without photos.
    client.force_login(village_user("desa-matras", village))
    assert client.get(url(delivery)).status_code == 404
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("user", ["timah_user", "verifikator"])
def test_it_returns_404_for_a_delivery_without_photo(client, village, timah_user, user, request):
    intervention = make_intervention(make_child(village))
    without = make_delivery(intervention, timah_user)
    client.force_login(request.getfixturevalue(user))
    assert client.get(url(without)).status_code == 404
    assert AccessLog.objects.count() == 0


def test_it_returns_404_for_an_unknown_delivery(client, delivery, verifikator):
    client.force_login(verifikator)
    assert client.get(f"/intervensi/foto/{delivery.pk + 1000}/").status_code == 404
    assert AccessLog.objects.count() == 0
