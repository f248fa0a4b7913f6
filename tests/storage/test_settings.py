"""Which storage the settings choose, from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
AWS = {
    "AWS_STORAGE_BUCKET_NAME": "gasken-dokumen",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "secret-example",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.go.id",
}


def storage_settings(**env):
    """STORAGES["default"] as a fresh process reads it from this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    clean.update({"DJANGO_SETTINGS_MODULE": "gasken.settings", "SECRET_KEY": "x" * 50})
    clean.update(env)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default'], default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_local_disk_is_the_default(tmp_path):
    result = storage_settings(MEDIA_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    default = json.loads(result.stdout)
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert default["OPTIONS"]["location"] == str(tmp_path)


def test_a_bucket_name_selects_private_object_storage():
    result = storage_settings(**AWS)
    assert result.returncode == 0, result.stderr
    default = json.loads(result.stdout)
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "gasken-dokumen"
    assert options["endpoint_url"] == "https://s3.example.go.id"
    assert (options["access_key"], options["secret_key"]) == ("AKIAEXAMPLE", "secret-example")
    # No public ACL on any object; a signed URL would last 5 minutes at most.
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] <= 300


def test_without_keys_boto3_finds_credentials_itself():
    result = storage_settings(AWS_STORAGE_BUCKET_NAME="gasken-dokumen")
    options = json.loads(result.stdout)["OPTIONS"]
    assert options["access_key"] is None and options["endpoint_url"] is None


@pytest.mark.parametrize(
    "env,message",
    [
        ({**AWS, "AWS_SECRET_ACCESS_KEY": ""}, "Set both AWS_ACCESS_KEY_ID and AWS_SECRET"),
        ({**AWS, "AWS_S3_ADDRESSING_STYLE": "sideways"}, "AWS_S3_ADDRESSING_STYLE must be"),
        ({"PURGE_REJECTED_AFTER_DAYS": "ninety"}, "PURGE_REJECTED_AFTER_DAYS must be a whole"),
    ],
)
def test_a_wrong_storage_setting_stops_start_up(env, message):
    result = storage_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr
