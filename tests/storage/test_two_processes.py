"""Two app processes (gunicorn, on two loopback ports) sharing one PostgreSQL database, one S3
server and one cache, as several app machines behind a proxy do: what one saves, the other
sees and serves. Runs on PostgreSQL only (SQLite is the one-machine setup)."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connections

from registrations.models import Document, Submission
from tests.builders import VERIFIKATOR_GROUP, intake_data, make_image_bytes, make_user
from tests.storage.conftest import free_ports
from verification.models import Decision

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE_TABLE = "gasken_test_cache"
# Public POSTs per client address and 10 minutes, for both processes together.
RATE_LIMIT = 5
START_TIMEOUT = 60


def database_url():
    db = connections["default"].settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class AppProcess:
    def __init__(self, name, port, env, workdir):
        self.name, self.port = name, port
        self.url = f"http://127.0.0.1:{port}"
        self.log = workdir / f"gunicorn-{name}.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "gasken.wsgi",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            "--timeout=60",
        ]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        pytest.fail(f"gunicorn {self.name} did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def processes(request, django_db_setup, django_db_blocker, tmp_path_factory):
    if connections["default"].vendor != "postgresql":
        pytest.skip("several app processes need PostgreSQL (DATABASE_URL)")
    seaweedfs = request.getfixturevalue("seaweedfs")
    with django_db_blocker.unblock():
        call_command("createcachetable", CACHE_TABLE)
        url = database_url()
    workdir = tmp_path_factory.mktemp("two-processes")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DATABASE_"))}
    env.update(seaweedfs.environment())
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "gasken.settings",
            "DEBUG": "false",
            "SECRET_KEY": "two-processes-test-secret-key-0123456789abcdefghijk",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PUBLIC_BASE_URL": "http://127.0.0.1",
            "DATABASE_URL": url,
            "CACHE_URL": f"dbcache://{CACHE_TABLE}",
            "RATE_LIMIT_PUBLIC_POSTS": f"{RATE_LIMIT}/10m",
            "STATIC_ROOT": str(workdir / "static"),
        }
    )
    # As in production: the pages name the hashed static files collectstatic writes.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    started = [
        AppProcess(name, port, env, workdir) for name, port in zip("AB", free_ports(2), strict=True)
    ]
    try:
        for p in started:
            p.wait_until_ready()
        yield started
    finally:
        for p in started:
            p.stop()


def empty_shared_cache():
    with connections["default"].cursor() as cursor:
        cursor.execute(f"DELETE FROM {CACHE_TABLE}")


class Browser:
    """Cookies and forms, without following redirects. Cookies are not kept per port, so one
    login works on both processes, as behind a proxy."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, url, data=None, content_type=None):
        headers = {"Content-Type": content_type} if content_type else {}
        req = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def get(self, url):
        return self.request(url)

    def post(self, url, fields, files=()):
        fields = {"csrfmiddlewaretoken": self.csrf_token(), **fields}
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        for name, filename, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(url, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def csrf_token(self):
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")


def verifikator():
    # The test settings hash passwords with MD5 for speed; the app processes know only the
    # production hashers.
    user = make_user("verifikator", VERIFIKATOR_GROUP)
    user.password = PBKDF2PasswordHasher().encode("password", PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def form_values(html):
    return dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', html.decode()))


@pytest.mark.django_db(transaction=True)
def test_a_report_sent_through_one_process_is_verified_through_the_other(processes, seaweedfs):
    a, b = processes
    verifikator()
    empty_shared_cache()  # no rate-limit count left by another test of this module

    kader = Browser()
    status, _, html = kader.get(f"{a.url}/lapor/")
    assert status == 200
    key = form_values(html)["idempotency_key"]
    fields = intake_data(posyandu="lain", posyandu_other="Anggrek", idempotency_key=key)
    kk, akta = make_image_bytes(size=(800, 600)), make_image_bytes(size=(600, 800))
    status, headers, _ = kader.post(
        f"{a.url}/lapor/", fields, [("kk_file", "kk.jpg", kk), ("akta_file", "akta.jpg", akta)]
    )
    assert status == 302, headers
    submission = Submission.objects.get(idempotency_key=key)
    assert headers["Location"] == submission.get_absolute_url()
    # The same report sent again through B (a retry from the phone) is not saved twice.
    status, headers, _ = kader.post(
        f"{b.url}/lapor/", fields, [("kk_file", "kk.jpg", kk), ("akta_file", "akta.jpg", akta)]
    )
    assert headers["Location"] == submission.get_absolute_url()
    assert Submission.objects.count() == 1

    # The documents are objects in the shared bucket.
    s3 = seaweedfs.client()
    documents = list(Document.objects.filter(submission=submission))
    assert len(documents) == 2
    objects = {
        d.pk: s3.get_object(Bucket=seaweedfs.bucket, Key=d.file.name)["Body"].read()
        for d in documents
    }

    staff = Browser()
    staff.get(f"{b.url}/akun/masuk/")
    status, headers, _ = staff.post(
        f"{b.url}/akun/masuk/", {"username": "verifikator", "password": "password"}
    )
    assert status == 302 and "/akun/masuk/" not in headers["Location"]
    status, _, html = staff.get(f"{b.url}/verifikasi/laporan/{submission.pk}/")
    assert status == 200
    assert submission.child_name in html.decode()
    status, _, _ = staff.post(
        f"{b.url}/verifikasi/laporan/{submission.pk}/putuskan/",
        {"action": Decision.Action.VERIFIED_NEW, "version": "1", "note": ""},
    )
    assert status == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.VERIFIED
    assert submission.child is not None
    assert Decision.objects.get(submission=submission).decided_by.username == "verifikator"

    # The kader's receipt, served by A, shows B's decision; the documents come from both.
    status, _, html = kader.get(f"{a.url}{submission.get_absolute_url()}")
    assert "Terverifikasi" in html.decode() or "terverifikasi" in html.decode()
    for process in (a, b):
        for doc in documents:
            status, headers, body = staff.get(f"{process.url}/dokumen/{doc.pk}/")
            assert status == 200, process.name
            assert body == objects[doc.pk]
            assert headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.mark.django_db(transaction=True)
def test_rate_limit_and_login_lockout_are_counted_across_both_processes(
    processes, django_db_blocker
):
    """Failed logins on A lock the account on B, and public POSTs on A count towards the
    limit on B: both are kept where every process looks (the database and CACHE_URL)."""
    a, b = processes
    verifikator()
    for i in range(settings.AXES_FAILURE_LIMIT):
        browser = Browser()
        target = (a, b)[i % 2]
        browser.get(f"{target.url}/akun/masuk/")
        browser.post(f"{target.url}/akun/masuk/", {"username": "verifikator", "password": "x"})
    browser = Browser()
    browser.get(f"{b.url}/akun/masuk/")
    status, _, body = browser.post(
        f"{b.url}/akun/masuk/", {"username": "verifikator", "password": "password"}
    )
    assert status == 429
    assert "Akun dikunci sementara" in body.decode()

    # Start the count afresh: other tests of this module sent reports from this address.
    with django_db_blocker.unblock():
        empty_shared_cache()
    browser = Browser()
    browser.get(f"{a.url}/lapor/")
    statuses = []
    for i in range(RATE_LIMIT + 1):
        target = (a, b)[i % 2]
        status, headers, _ = browser.post(f"{target.url}/lapor/", {"child_name": ""})
        statuses.append(status)
    assert 429 not in statuses[:RATE_LIMIT]
    assert statuses[RATE_LIMIT] == 429
    assert int(headers["Retry-After"]) > 0
