"""
The real components a deployment uses, started by the tests on this machine:
ClamAV's clamd, an S3 server (moto's), and several instances of the service.
Each skips, saying why, where its component is not installed, except where a
run requires it (CI=true or SFOQA_REQUIRE_<X>=1): then a missing one fails.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.reports.conftest import builder  # noqa: F401
from tests.sfoqa.files import EICAR

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"


def required(component: str) -> bool:
    """Whether this run must exercise `component` rather than skip it."""
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get(f"SFOQA_REQUIRE_{component}", "") == "1"
    )


def skip_or_fail(component: str, reason: str):
    if required(component):
        pytest.fail(f"{reason}, and this run requires it (SFOQA_REQUIRE_{component})")
    pytest.skip(reason)


def _answers_ping(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(1)
            conn.connect(path)
            conn.sendall(b"zPING\0")
            return conn.recv(16).startswith(b"PONG")
    except OSError:
        return False


def clamd_config(folder: Path) -> Path:
    """A clamd configuration and a signature database made for the tests:
    one body signature, for the EICAR test string (no public database)."""
    database = folder / "database"
    database.mkdir()
    (database / "sfoqa-test.ndb").write_text(f"Sfoqa.Test.EICAR:0:*:{EICAR.hex()}\n")
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {folder / 'clamd.sock'}",
                f"DatabaseDirectory {database}",
                f"TemporaryDirectory {folder}",
                f"LogFile {folder / 'clamd.log'}",
                f"PidFile {folder / 'clamd.pid'}",
                "",
            ]
        )
    )
    return config


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """Debian's clamd, started for this run on a Unix socket; its path."""
    if not os.path.exists(CLAMD):
        skip_or_fail(
            "CLAMAV", "ClamAV (Debian's clamav-daemon) is not installed: skipped"
        )
    folder = tmp_path_factory.mktemp("clamd")
    config = clamd_config(folder)
    path = str(folder / "clamd.sock")
    process = subprocess.Popen(
        [CLAMD, "--foreground", f"--config-file={config}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not _answers_ping(path):
            if process.poll() is not None or time.monotonic() > deadline:
                log = folder / "clamd.log"
                pytest.fail(
                    "clamd did not start: "
                    + (log.read_text()[-2000:] if log.exists() else "no log")
                )
            time.sleep(0.2)
        yield path
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def clamav(settings, clamd_socket):
    """The service pointed at the real clamd."""
    settings.CLAMD_SOCKET = clamd_socket
    settings.CLAMD_HOST = ""
    settings.CLAMD_TIMEOUT = 10
    return clamd_socket


@pytest.fixture
def users(users):
    """The shared users, with the HMPPS user in the HMPPS organisation."""
    from tests.reviews.factories import hmpps_organisation

    hmpps = users["hmpps_sfo"]
    hmpps.organisation = hmpps_organisation()
    hmpps.save(update_fields=["organisation"])
    return users


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


S3_REGION = "eu-west-2"
S3_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="session")
def s3_storage_options():
    """What sfoqa/settings.py makes of S3_BUCKET and friends, read from a
    fresh start of the settings (so the tests use exactly that)."""
    script = (
        "import json; from sfoqa import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    environ = {
        **os.environ,
        "SECRET_KEY": "x",
        "S3_BUCKET": "sfoqa-settings-check",
        "S3_REGION": S3_REGION,
        "S3_ENDPOINT_URL": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a loopback port; its address."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        skip_or_fail("S3", "moto's S3 server (moto[server,s3]) is not installed")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_client(s3_server):
    import boto3

    return boto3.client(
        "s3", endpoint_url=s3_server, region_name=S3_REGION, **S3_CREDENTIALS
    )


def s3_storage(options: dict, *, endpoint: str, bucket: str) -> dict:
    return {
        **options,
        "OPTIONS": {
            **options["OPTIONS"],
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "access_key": S3_CREDENTIALS["aws_access_key_id"],
            "secret_key": S3_CREDENTIALS["aws_secret_access_key"],
        },
    }


@pytest.fixture
def s3_bucket(settings, s3_server, s3_client, s3_storage_options):
    """A private bucket of this test's own, with the service storing in it."""
    bucket = f"sfoqa-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(s3_storage_options, endpoint=s3_server, bucket=bucket),
    }
    return bucket
