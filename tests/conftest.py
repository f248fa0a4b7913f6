import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils import timezone
from PIL import Image

from registrations.models import Posyandu, Village

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


def make_user(username, group_name):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="password")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def verifikator(db):
    return make_user("verifikator", "Verifikator Kecamatan")


@pytest.fixture
def pimpinan(db):
    return make_user("pimpinan", "Pimpinan")


@pytest.fixture
def mitra_user(db):
    return make_user("mitra", "Mitra")


@pytest.fixture
def desa_user(db):
    return make_user("desa", "Pemerintah Kelurahan/Desa")


def make_image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save_kwargs):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save_kwargs)
    return out.getvalue()


def make_pdf_bytes():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def intake_data(**overrides):
    """A valid intake POST for the `posyandu` fixture (files not included)."""
    today = timezone.localdate()
    birth = today - timedelta(days=980)
    data = {
        "kader_name": "Siti Aminah",
        "kader_phone": "0812-3456-7890",
        "village": "19.01.01.1009",
        "posyandu": "melati",
        "posyandu_other": "",
        "child_name": "Muhammad Rizki",
        "child_nik": f"190101{birth:%d%m%y}0001",
        "child_sex": "L",
        "birth_date": birth.isoformat(),
        "mother_name": "Nur Aini",
        "father_name": "Ahmad",
        "parent_occupation": "Nelayan",
        "parent_phone": "+62 813 1111 2222",
        "address": "Jl. Pantai Matras RT 02/RW 01",
        "kk_number": "1901010101200001",
        "measured_on": (today - timedelta(days=8)).isoformat(),
        "weight_kg": "9,8",
        "height_cm": "79.5",
        "measurement_position": "standing",
        "consent": "on",
    }
    data.update(overrides)
    return data
