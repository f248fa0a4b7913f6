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


def start(**env):
    """Import the settings in a fresh process with the given environment."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    clean.update({"DJANGO_SETTINGS_MODULE": "gasken.settings", "SECRET_KEY": "x" * 50})
    clean.update(env)
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "env,message",
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"SECRET_KEY": "", "DEBUG": "false"}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short", "DEBUG": "false"}, "SECRET_KEY is too short"),
        ({"DATABASE_URL": "mysql://u:p@localhost/db"}, "SQLite or PostgreSQL"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"PUBLIC_BASE_URL": "gasken.example.go.id"}, "PUBLIC_BASE_URL must look like"),
        ({"PUBLIC_BASE_URL": "https://gasken.example.go.id/lapor"}, "PUBLIC_BASE_URL"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"SECURE_SSL_REDIRECT": "yes please"}, "SECURE_SSL_REDIRECT must be true or false"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
    ],
)
def test_a_wrong_setting_stops_start_up(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_good_settings_start():
    result = start(DEBUG="true", PUBLIC_BASE_URL="https://gasken.example.go.id")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
