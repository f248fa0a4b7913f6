import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from registrations.models import Village

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_migrations_are_pending():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    except SystemExit:  # pragma: no cover - the assertion below explains
        pytest.fail(f"Model changes without a migration:\n{out.getvalue()}")


@pytest.mark.django_db
def test_the_villages_are_loaded():
    villages = dict(Village.objects.values_list("code", "name"))
    assert len(villages) == 13
    assert villages["19.01.01.1001"] == "Sungailiat"
    assert villages["19.01.01.2007"] == "Rebo"
    assert Village.objects.get(code="19.01.01.2007").kind == "desa"
    assert Village.objects.filter(kind="kelurahan").count() == 12


def test_settings_are_indonesian():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jakarta"


# Variables of .env.example: a test process starts from none of them but those it sets.
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "CACHE_URL",
    "MEDIA_ROOT",
    "PUBLIC_BASE_URL",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "TRUSTED_PROXIES",
    "RATE_LIMIT_PUBLIC_POSTS",
    "RATE_LIMIT_PASSWORD_RESET",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "PARTNER_ACCESS_AFTER_FINISH_DAYS",
    "EMAIL_URL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
}


def documented_production_settings():
    """The variables of .env.example, the README's production example."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return dict(pairs)


def run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "gasken.settings",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "testserver",
            "PUBLIC_BASE_URL": "http://localhost:8000",
        }
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def start(expression="settings.DEBUG", **env):
    """Import the settings in a fresh process with the given environment; print `expression`."""
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return run(["-c", code], **env)


@pytest.mark.parametrize(
    "env,message",
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"SECRET_KEY": "", "DEBUG": "false"}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short", "DEBUG": "false"}, "SECRET_KEY is too short"),
        ({"SECRET_KEY": "x" * 49, "DEBUG": "false"}, "use at least 50 random characters"),
        ({"DEBUG": "false", "PUBLIC_BASE_URL": ""}, "PUBLIC_BASE_URL is not set"),
        ({"SECURE_PROXY_SSL_HEADER": "1; https"}, "SECURE_PROXY_SSL_HEADER must be true or false"),
        ({"SECURE_HSTS_PRELOAD": "ya"}, "SECURE_HSTS_PRELOAD must be true or false"),
        ({"DATABASE_CONN_MAX_AGE": "-1"}, "DATABASE_CONN_MAX_AGE must be a whole number"),
        ({"CACHE_URL": "memcache-or-so://x"}, "CACHE_URL is not a valid cache URL"),
        ({"TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, "TRUSTED_PROXIES must be IP addresses"),
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT must be 1 or more"),
        (
            {"PARTNER_ACCESS_AFTER_FINISH_DAYS": "90 hari"},
            "PARTNER_ACCESS_AFTER_FINISH_DAYS must be a whole number",
        ),
        ({"AXES_COOLOFF_MINUTES": "half an hour"}, "AXES_COOLOFF_MINUTES must be a whole number"),
        (
            {"RATE_LIMIT_PUBLIC_POSTS": "30 per 10 minutes"},
            "RATE_LIMIT_PUBLIC_POSTS must look like",
        ),
        ({"RATE_LIMIT_PUBLIC_POSTS": "0/10m"}, "RATE_LIMIT_PUBLIC_POSTS must look like"),
        ({"RATE_LIMIT_PASSWORD_RESET": "5 an hour"}, "RATE_LIMIT_PASSWORD_RESET must look like"),
        ({"DATABASE_URL": "mysql://u:p@localhost/db"}, "SQLite or PostgreSQL"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"PUBLIC_BASE_URL": "gasken.example.go.id"}, "PUBLIC_BASE_URL must look like"),
        ({"PUBLIC_BASE_URL": "https://gasken.example.go.id/lapor"}, "PUBLIC_BASE_URL"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"SECURE_SSL_REDIRECT": "yes please"}, "SECURE_SSL_REDIRECT must be true or false"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
        ({"EMAIL_URL": "mail.example.go.id"}, "EMAIL_URL must look like smtp+tls://"),
        ({"EMAIL_URL": "imap://mail.example.go.id"}, "EMAIL_URL must look like smtp+tls://"),
        ({"EMAIL_URL": "smtp://mail.example.go.id:tls"}, "EMAIL_URL must look like"),
        ({"EMAIL_URL": "smtp+tls://"}, "EMAIL_URL names no mail server host"),
        ({"EMAIL_TIMEOUT": "10s"}, "EMAIL_TIMEOUT must be a whole number"),
        ({"DEFAULT_FROM_EMAIL": "GASKEN"}, "DEFAULT_FROM_EMAIL must be an address"),
    ],
)
def test_a_wrong_setting_stops_start_up(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_manage_py_names_the_wrong_setting_whatever_the_command():
    for command in (["check"], ["makemigrations", "--check", "--dry-run"]):
        result = run(["manage.py", *command], SECRET_KEY="", DEBUG="false")
        assert result.returncode == 1, command
        assert "SECRET_KEY is not set" in result.stderr, command
        assert "Traceback" not in result.stderr, command


def test_good_settings_start():
    result = start(DEBUG="true", PUBLIC_BASE_URL="https://gasken.example.go.id")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(
    "value,expected",
    [("", "(30, 600)"), ("5/1h", "(5, 3600)"), ("100/30s", "(100, 30)"), ("OFF", "None")],
)
def test_it_reads_the_rate_limit(value, expected):
    env = {"RATE_LIMIT_PUBLIC_POSTS": value} if value else {}
    result = start("settings.RATE_LIMIT_PUBLIC_POSTS", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_development_machine_needs_no_public_address():
    result = start("settings.PUBLIC_BASE_URL", DEBUG="true", PUBLIC_BASE_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://localhost:8000"


@pytest.mark.parametrize(
    "value,expected",
    [("true", "('HTTP_X_FORWARDED_PROTO', 'https')"), ("false", "None"), ("", "None")],
)
def test_it_reads_the_proxy_ssl_header_as_a_boolean(value, expected):
    result = start(
        "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)", SECURE_PROXY_SSL_HEADER=value
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    "env,expected",
    [
        ({"DEBUG": "true"}, "0 False"),
        ({"DEBUG": "false"}, "60 True"),
        ({"DEBUG": "false", "DATABASE_CONN_MAX_AGE": "0"}, "0 False"),
        ({"DEBUG": "true", "DATABASE_CONN_MAX_AGE": "30"}, "30 True"),
    ],
)
def test_it_keeps_database_connections_in_production(env, expected):
    db = "settings.DATABASES['default']"
    result = start(f"{db}['CONN_MAX_AGE'], {db}['CONN_HEALTH_CHECKS']", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


EMAIL = (
    "settings.EMAIL_ENABLED, settings.EMAIL_BACKEND.rsplit('.', 2)[1], settings.EMAIL_HOST, "
    "settings.EMAIL_PORT, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD, "
    "settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL, settings.EMAIL_TIMEOUT"
)


@pytest.mark.parametrize(
    "env,expected",
    [
        # Production without EMAIL_URL sends nothing; a development machine prints mail.
        ({"DEBUG": "false"}, "False dummy localhost 25   False False 10"),
        ({"DEBUG": "true"}, "True console localhost 25   False False 10"),
        (
            {"EMAIL_URL": "smtp+tls://gasken%40example.go.id:s%2Fcret@smtp.example.go.id:587"},
            "True smtp smtp.example.go.id 587 gasken@example.go.id s/cret True False 10",
        ),
        (
            {"EMAIL_URL": "smtp+ssl://mail.example.go.id:465", "EMAIL_TIMEOUT": "30"},
            "True smtp mail.example.go.id 465   False True 30",
        ),
    ],
)
def test_it_reads_the_mail_server_from_email_url(env, expected):
    result = start(EMAIL, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_mail_comes_from_the_public_address_unless_set():
    result = start("settings.DEFAULT_FROM_EMAIL", PUBLIC_BASE_URL="https://gasken.example.go.id")
    assert result.stdout.strip() == "GASKEN <noreply@gasken.example.go.id>"
    result = start("settings.DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL="Kecamatan <k@example.go.id>")
    assert result.stdout.strip() == "Kecamatan <k@example.go.id>"


@pytest.mark.parametrize(
    "url,backend",
    [
        ("", "django.core.cache.backends.db.DatabaseCache gasken_cache"),
        (
            "redis://127.0.0.1:6379/1",
            "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/1",
        ),
    ],
)
def test_it_reads_the_shared_cache_from_cache_url(url, backend):
    cache = "settings.CACHES['default']"
    env = {"CACHE_URL": url} if url else {}
    result = start(f"{cache}['BACKEND'], {cache}['LOCATION']", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


def test_the_documented_production_settings_pass_the_deployment_check(tmp_path):
    env = documented_production_settings()
    assert env["DEBUG"] == "false" and env["SECRET_KEY"] == ""
    env.update(
        SECRET_KEY="k7Qp2vX9mZr4Tn8Lw1Ys6Hd3Jf0Bc5Ng-Ua7Ke2Pq9Rx4Vm1Zt8Wy3Ls6",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_uploaded_files_are_readable_by_the_app_only(media_root, village):
    from tests.builders import make_submission

    submission = make_submission(village, documents=("kk", "akta"))
    files = [media_root / d.file.name for d in submission.documents.all()]
    folders = {p for f in files for p in f.parents if media_root in (p, *p.parents)}
    assert len(files) == 2 and folders
    assert {oct(f.stat().st_mode & 0o777) for f in files} == {"0o600"}
    assert {oct(p.stat().st_mode & 0o777) for p in folders} == {"0o700"}
