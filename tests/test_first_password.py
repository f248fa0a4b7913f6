"""A password chosen by an administrator must be replaced at the first login."""

import pytest
from django.contrib.auth import SESSION_KEY

from interventions.models import Partner, PasswordChangeRequired
from interventions.services import account_create
from tests.builders import MITRA_GROUP, TIMAH

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
PASSWORD_CHANGE = "/akun/ganti-sandi/"
FIRST = "Sungailiat-Awal-2026"
OWN = "Pantai-Matras-Pagi-7"


@pytest.fixture
def new_partner_user(db):
    return account_create(
        username="siti",
        password=FIRST,
        role=MITRA_GROUP,
        partner=Partner.objects.get(name=TIMAH),
    )


def log_in(client, password=FIRST):
    return client.post(LOGIN, {"username": "siti", "password": password})


@pytest.mark.parametrize("url", ["/beranda/", "/mitra/", "/pemantauan/", "/admin/", "/lapor/"])
def test_it_sends_the_user_to_change_the_password_first(client, new_partner_user, url):
    r = log_in(client)
    assert r.status_code == 302
    assert client.session[SESSION_KEY] == str(new_partner_user.pk)
    r = client.get(url)
    assert (r.status_code, r.url) == (302, PASSWORD_CHANGE)
    html = client.get(PASSWORD_CHANGE).content.decode()
    assert "Kata sandi Anda diberikan oleh admin." in html


@pytest.mark.parametrize("url", ["/akun/keluar/", "/admin/logout/"])
def test_it_still_lets_the_user_log_out(client, new_partner_user, url):
    log_in(client)
    r = client.post(url)
    assert (r.status_code, r.url) == (302, LOGIN)
    assert SESSION_KEY not in client.session


def test_choosing_an_own_password_opens_every_page(client, new_partner_user):
    log_in(client)
    r = client.post(
        PASSWORD_CHANGE, {"old_password": FIRST, "new_password1": OWN, "new_password2": OWN}
    )
    assert (r.status_code, r.url) == (302, "/akun/ganti-sandi/selesai/")
    new_partner_user.refresh_from_db()
    assert new_partner_user.check_password(OWN)
    assert not PasswordChangeRequired.objects.filter(user=new_partner_user).exists()
    assert client.get("/mitra/").status_code == 200
    html = client.get(PASSWORD_CHANGE).content.decode()
    assert "Kata sandi Anda diberikan oleh admin." not in html

    # Later logins go straight to work.
    client.post("/akun/keluar/")
    log_in(client, OWN)
    assert client.get("/mitra/").status_code == 200


def test_a_refused_new_password_keeps_the_user_on_the_page(client, new_partner_user):
    log_in(client)
    r = client.post(
        PASSWORD_CHANGE, {"old_password": FIRST, "new_password1": FIRST, "new_password2": "x"}
    )
    assert r.status_code == 200
    assert "Dua bidang sandi tidak cocok." in r.content.decode()
    assert PasswordChangeRequired.objects.filter(user=new_partner_user).exists()
    assert client.get("/mitra/").status_code == 302


def test_it_holds_for_a_login_by_any_way(client, new_partner_user):
    # force_login sends the same user_logged_in signal as the login form.
    client.force_login(new_partner_user)
    r = client.get("/mitra/")
    assert (r.status_code, r.url) == (302, PASSWORD_CHANGE)


def test_it_leaves_other_users_alone(client, verifikator):
    client.post(LOGIN, {"username": "verifikator", "password": "password"})
    assert client.get("/verifikasi/").status_code == 200
    assert PasswordChangeRequired.SESSION_KEY not in client.session
