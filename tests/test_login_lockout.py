"""Lockout after failed logins (django-axes), on the staff login and the admin login."""

import ipaddress
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from tests.builders import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

LOGIN = "/akun/masuk/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = "Akun dikunci sementara"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)


def login(client, password="password", username="verifikator", url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def fail(client, times, **kwargs):
    for _ in range(times):
        r = login(client, "salah", **kwargs)
        assert r.status_code == 200
        assert "Nama pengguna atau kata sandi salah" in r.content.decode()


def logged_in(client):
    return SESSION_KEY in client.session


def test_it_locks_the_account_out_after_five_failures(client, verifikator):
    fail(client, 4)
    r = login(client, "salah")
    assert r.status_code == 429
    html = r.content.decode()
    assert LOCKED in html
    assert "setelah <strong>30 menit</strong>" in html
    assert "minta admin Kecamatan membuka kuncinya" in html
    # The right password is refused too while the lock lasts.
    r = login(client)
    assert r.status_code == 429
    assert not logged_in(client)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("verifikator", "127.0.0.1")
    assert attempt.failures_since_start >= 5


def test_it_still_shows_the_login_page_while_locked(client, verifikator):
    fail(client, 5 - 1)
    login(client, "salah")
    r = client.get(LOGIN)
    assert r.status_code == 200
    assert "Masuk ke GASKEN" in r.content.decode()


def test_a_success_before_the_limit_starts_the_count_again(client, verifikator):
    fail(client, 4)
    assert login(client).status_code == 302
    client.post("/akun/keluar/")
    fail(client, 4)
    assert login(client).status_code == 302
    assert logged_in(client)


def test_it_unlocks_by_itself_after_the_cool_off(client, verifikator, clock):
    fail(client, 4)
    assert login(client, "salah").status_code == 429
    clock.move_to(NOW + timedelta(minutes=29))
    assert login(client).status_code == 429
    clock.move_to(NOW + timedelta(minutes=31))
    assert login(client).status_code == 302
    assert logged_in(client)


def test_another_address_in_the_office_is_not_locked_out(client, verifikator):
    fail(client, 4)
    assert login(client, "salah").status_code == 429
    # A colleague at another address, and another account at the same address.
    assert login(client, REMOTE_ADDR="198.51.100.20").status_code == 302
    client.post("/akun/keluar/")
    from tests.builders import PIMPINAN_GROUP, make_user

    make_user("pimpinan", PIMPINAN_GROUP)
    assert login(client, username="pimpinan").status_code == 302


def test_it_counts_the_client_behind_a_trusted_proxy(client, verifikator, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for hop in ["1.1.1.1, 198.51.100.1", "2.2.2.2, 198.51.100.1"] * 2:
        login(client, "salah", HTTP_X_FORWARDED_FOR=hop, **proxy)
    r = login(client, "salah", HTTP_X_FORWARDED_FOR="3.3.3.3, 198.51.100.1", **proxy)
    assert r.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"
    assert login(client, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 302


def test_it_counts_failures_another_app_process_recorded(client, verifikator):
    # Attempts live in the database every process shares: four failures seen by another
    # process and one here make five.
    AccessAttempt.objects.create(
        username="verifikator",
        ip_address="127.0.0.1",
        user_agent="",
        path_info=LOGIN,
        http_accept="",
        get_data="",
        post_data="",
        failures_since_start=4,
    )
    assert login(client, "salah").status_code == 429
    assert login(client).status_code == 429


def test_the_admin_logs_in_on_the_locked_staff_login(client, django_user_model):
    # The admin has no login form of its own that could be tried without the lockout.
    django_user_model.objects.create_superuser("root", password="password")
    r = login(client, username="root", url=ADMIN_LOGIN)
    assert r.status_code == 302
    assert r.url == LOGIN
    assert not logged_in(client)
    r = client.get(ADMIN_LOGIN, {"next": "/admin/"})
    assert (r.status_code, r.url) == (302, f"{LOGIN}?next=%2Fadmin%2F")
    for _ in range(4):
        assert login(client, "salah", username="root").status_code == 200
    r = login(client, "salah", username="root")
    assert r.status_code == 429
    assert LOCKED in r.content.decode()
    assert login(client, username="root").status_code == 429
    assert not logged_in(client)


def test_an_admin_unlocks_the_account(client, verifikator, django_user_model):
    fail(client, 4)
    assert login(client, "salah").status_code == 429

    admin = django_user_model.objects.create_superuser("root", password="password")
    client.force_login(admin)
    r = client.get("/admin/axes/accessattempt/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "verifikator" in html and "127.0.0.1" in html
    attempt = AccessAttempt.objects.get()
    r = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert r.status_code == 302
    assert not AccessAttempt.objects.exists()

    client.logout()
    assert login(client).status_code == 302
    assert logged_in(client)


def test_it_refuses_the_unlock_page_to_other_users(client, verifikator, pimpinan):
    # The verifikator may use the admin, but not this page; pimpinan not the admin at all.
    client.force_login(verifikator)
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    client.force_login(pimpinan)
    r = client.get("/admin/axes/accessattempt/")
    assert r.status_code == 302
    assert r.url.startswith("/admin/login/")
