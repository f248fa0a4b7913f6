from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_migrate

from registrations import intake_page
from registrations.models import Posyandu, Village
from tests.builders import (
    DESA_GROUP,
    MITRA_GROUP,
    NOW,
    PIMPINAN_GROUP,
    VERIFIKATOR_GROUP,
    make_user,
)

# Villages, partners, intervention types and the roles with their permissions.
REFERENCE_DATA = Path(__file__).resolve().parent / "fixtures" / "reference.json"


def _load_reference_data(sender, using, **kwargs):
    # post_migrate is sent once per app; the groups need every app's permissions first.
    last = [app for app in django_apps.get_app_configs() if app.models_module][-1]
    if sender is last:
        call_command("loaddata", REFERENCE_DATA, database=using, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the reference data of tests/fixtures, whatever the data
    migrations left. Transactional and live-server tests empty every table when they end;
    the flush then sends post_migrate (Django recreates permissions on it), and the same
    signal loads the reference data again, so later tests find it in any order."""
    post_migrate.connect(_load_reference_data, dispatch_uid="tests-reference-data")
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # As if EMAIL_URL were set; tests of an installation without e-mail turn it off.
    settings.EMAIL_ENABLED = True
    settings.PUBLIC_BASE_URL = "https://gasken.example.go.id"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # Rate-limit counts start from nothing in every test; tests/test_rate_limit.py shows
    # them counted in the database cache and in Redis.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    # Nor may a test find the intake form as another test's data rendered it.
    intake_page.forget()


@pytest.fixture
def media_root(settings):
    return settings.MEDIA_ROOT


@pytest.fixture
def village(db):
    return Village.objects.get(code="19.01.01.1009")  # Matras


@pytest.fixture
def other_village(db):
    return Village.objects.get(code="19.01.01.2007")  # Rebo


@pytest.fixture
def posyandu(village):
    return Posyandu.objects.create(name="Melati", village=village, code="melati")


@pytest.fixture
def other_posyandu(other_village):
    return Posyandu.objects.create(name="Kenanga", village=other_village, code="kenanga")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff", password="password", is_staff=True)


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("outsider", password="password")


@pytest.fixture
def verifikator(db):
    return make_user("verifikator", VERIFIKATOR_GROUP)


@pytest.fixture
def pimpinan(db):
    return make_user("pimpinan", PIMPINAN_GROUP)


@pytest.fixture
def mitra_user(db):
    return make_user("mitra", MITRA_GROUP)


@pytest.fixture
def desa_user(db):
    return make_user("desa", DESA_GROUP)


@pytest.fixture
def clock(time_machine):
    """Puts "now" at NOW (TODAY, 09:00 in Jakarta) for a test whose result depends on the
    date. Request it before fixtures that compute dates, or with
    pytest.mark.usefixtures("clock"). The clock runs on from there, so records saved one
    after another keep their order; clock.move_to(day) moves it to 07:00 of another day.
    Not for browser tests: their live server runs in another thread."""
    time_machine.move_to(NOW)
    return time_machine


@pytest.fixture
def migrate(transactional_db):
    """migrate(*targets) moves the database forwards or backwards to those migrations, as
    ("app", "name") pairs, and returns the models as they are there (to save rows with);
    migrate() moves it to the latest ones. Whatever happens, the test ends on the latest."""

    def to(*targets):
        executor = MigrationExecutor(connection)
        plan = list(targets) or executor.loader.graph.leaf_nodes()
        executor.migrate(plan)
        return executor.loader.project_state(plan).apps

    yield to
    to()
