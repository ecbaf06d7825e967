"""FILE_STORAGE=s3: uploads go to S3-compatible object storage instead of the database.

The object store is moto's S3 server, started by the test in its own process and spoken to over HTTP
by the same boto3 client django-storages uses in production — no mocked calls.
"""
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from crimestats.models import ImportStatus, PoliceEvent
from crimestats.services import police_import_create, police_import_run

from ..crimestats.factories import csv_file, point_in, rode

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    server = Path(sys.executable).with_name("moto_server")
    if not server.exists() and not shutil.which("moto_server"):
        pytest.skip("moto's S3 server is not installed (test extras)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        boto3.client("s3", endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test",
                     region_name="eu-north-1").create_bucket(
            Bucket="sikkerby-test", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "sikkerby-test", "endpoint_url": s3_endpoint, "access_key": "test", "secret_key": "test",
        "region_name": "eu-north-1", "default_acl": "private", "querystring_auth": True,
        "file_overwrite": False}}}
    storage = storages["default"]
    assert type(storage).__name__ == "S3Storage"
    return storage


def test_the_setting_chooses_the_backend():
    from sikkerby.settings import base
    assert base._STORAGE_BACKENDS["s3"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert base._STORAGE_BACKENDS["database"]["BACKEND"] == "operations.storage.DatabaseStorage"


def test_a_police_import_reads_its_upload_from_object_storage(s3_storage, copenhagen):
    x, y = point_in(rode("1"))
    upload = csv_file([["S3-1", "report", "2025-01-02", "VOLD-SIMPEL", "Simpel vold", "Gade", x, y]])
    imp = police_import_create(municipality=copenhagen.municipality, kind="events", uploaded_file=upload)
    name = imp.file.name
    s3 = boto3.client("s3", endpoint_url=s3_storage.endpoint_url, aws_access_key_id="test",
                      aws_secret_access_key="test", region_name="eu-north-1")
    assert s3.get_object(Bucket="sikkerby-test", Key=name)["Body"].read().startswith(b"record_id,kind")
    imp = police_import_run(police_import_id=imp.pk)
    assert imp.status == ImportStatus.DONE and PoliceEvent.objects.filter(record_id="S3-1").exists()
    assert "Contents" not in s3.list_objects_v2(Bucket="sikkerby-test", Prefix=name)  # deleted once imported
    assert s3_storage.save("x.txt", ContentFile(b"abc")) and s3_storage.open("x.txt").read() == b"abc"
