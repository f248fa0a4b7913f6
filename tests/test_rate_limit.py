"""The limit on the kader forms' POSTs (gasken.middleware.PublicPostRateLimitMiddleware)."""

import ipaddress
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command

from registrations.models import Submission
from tests.builders import NOW, intake_data, jpeg_upload, make_submission

# A pinned clock: no test straddles the end of a 10-minute window.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture(autouse=True)
def limit(settings):
    settings.RATE_LIMIT_PUBLIC_POSTS = (3, 600)


def report(client, url="/lapor/", **extra):
    return client.post(url, intake_data(kk_file=jpeg_upload("kk.jpg")), **extra)


def test_it_refuses_the_post_after_the_limit_in_indonesian(client, posyandu):
    for _ in range(3):
        assert client.post("/lapor/", {}).status_code == 200  # the form with its errors
    r = report(client)
    assert r.status_code == 429
    html = r.content.decode()
    assert "Terlalu banyak kiriman dari jaringan ini" in html
    assert "belum terkirim" in html
    assert '<html lang="id">' in html
    # NOW is 09:00:00; the 10-minute window ends at 09:10:00.
    assert r["Retry-After"] == "600"
    assert "10 menit" in html
    assert Submission.objects.count() == 0


def test_it_counts_the_posyandu_form_and_the_correction_together(client, posyandu, village):
    sent_back = make_submission(village, posyandu, status=Submission.Status.NEEDS_CORRECTION)
    client.post("/lapor/", {})
    client.post("/lapor/melati/", {})
    client.post(f"/lapor/status/{sent_back.code}/perbaiki/", {})
    r = client.post(f"/lapor/status/{sent_back.code}/perbaiki/", {"child_name": "Diubah"})
    assert r.status_code == 429
    sent_back.refresh_from_db()
    assert sent_back.child_name == "Putri Ayu"
    assert report(client, "/lapor/melati/").status_code == 429
    assert Submission.objects.count() == 1


def test_it_counts_the_village_form(client, posyandu):
    for _ in range(3):
        assert client.post("/lapor/desa/19.01.01.1009/", {}).status_code == 200
    assert report(client, "/lapor/desa/19.01.01.1009/").status_code == 429
    assert Submission.objects.count() == 0


def test_it_bounds_guessing_the_kader_phone_number(client, village):
    sent_back = make_submission(village, status=Submission.Status.NEEDS_CORRECTION)
    url = f"/lapor/status/{sent_back.code}/perbaiki/"
    for guess in ("081200000001", "081200000002", "081200000003"):
        r = client.post(url, {"nomor_hp": guess})
        assert r.status_code == 200 and r.context["form"].errors
    # Even the right number is refused once the limit is reached.
    r = client.post(url, {"nomor_hp": "081234567890"})
    assert r.status_code == 429
    assert f"perbaiki:{sent_back.code}" not in client.session
    assert "Putri" not in client.get(url).content.decode()


def test_it_leaves_pages_and_other_clients_alone(client, posyandu):
    for _ in range(4):
        client.post("/lapor/", {})
    assert client.get("/lapor/").status_code == 200
    assert client.get("/lapor/melati/").status_code == 200
    r = report(client, REMOTE_ADDR="198.51.100.9")
    assert r.status_code == 302
    assert Submission.objects.count() == 1


def test_it_does_not_limit_staff_posts(client, verifikator):
    for _ in range(4):
        client.post("/akun/masuk/", {"username": "verifikator", "password": "password"})
    client.force_login(verifikator)
    assert client.get("/verifikasi/").status_code == 200


def test_it_lets_the_client_send_again_in_the_next_window(client, posyandu, clock):
    for _ in range(4):
        client.post("/lapor/", {})
    clock.move_to(NOW + timedelta(minutes=10))
    assert report(client).status_code == 302
    assert Submission.objects.count() == 1


def test_it_counts_each_client_behind_a_trusted_proxy(client, posyandu, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        client.post("/lapor/", {}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    # A forged left-most hop does not give the same client a new allowance.
    forged = "203.0.113.77, 198.51.100.1"
    assert report(client, HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429
    assert report(client, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 302
    assert Submission.objects.count() == 1


def test_it_can_be_switched_off(client, posyandu, settings):
    settings.RATE_LIMIT_PUBLIC_POSTS = None
    for _ in range(4):
        client.post("/lapor/", {})
    assert report(client).status_code == 302


def another_process_cache():
    """The database cache as a second app process opens it: a fresh backend object."""
    return DatabaseCache("gasken_cache", {})


def test_it_counts_in_the_shared_database_cache(client, posyandu, settings):
    call_command("createcachetable", verbosity=0)  # exists already, unless CACHE_URL is Redis
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gasken_cache",
        }
    }
    window = int(time.time() // 600)
    key = f"ratelimit:public-posts:127.0.0.1:{window}"
    client.post("/lapor/", {})
    assert another_process_cache().get(key) == 1
    # Two more reports counted by another process: this one refuses the next.
    another_process_cache().set(key, 3)
    assert report(client).status_code == 429
    assert caches["default"].get(key) == 4
    assert Submission.objects.count() == 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait()


def test_it_counts_in_redis_when_cache_url_says_so(client, posyandu, settings, redis_url):
    import environ

    settings.CACHES = {"default": environ.Env.cache_url_config(redis_url)}
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    for _ in range(3):
        client.post("/lapor/", {})
    window = int(time.time() // 600)
    assert caches["default"].get(f"ratelimit:public-posts:127.0.0.1:{window}") == 3
    assert report(client).status_code == 429
    assert Submission.objects.count() == 0
