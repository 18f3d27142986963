"""Settings that could not work are refused when the service starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SESSION_", "DJANGO_SETTINGS"))
    }
    environment.update({"DEBUG": "true", **env})
    return subprocess.run(
        [sys.executable, "-c", "import sfoqa.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env",
    [
        {"SESSION_IDLE_MINUTES": "2", "SESSION_WARNING_SECONDS": "120"},
        {"SESSION_IDLE_MINUTES": "1", "SESSION_WARNING_SECONDS": "120"},
        {"SESSION_IDLE_MINUTES": "2", "SESSION_WARNING_SECONDS": "90"},
        {"SESSION_WARNING_SECONDS": "0"},
        {"SESSION_IDLE_MINUTES": "120", "SESSION_ABSOLUTE_HOURS": "1"},
    ],
)
def test_a_timeout_warning_that_would_open_on_every_page_is_refused(env):
    started = _import_settings(**env)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert "SESSION_" in started.stderr.splitlines()[-1]


def test_the_default_session_settings_start():
    started = _import_settings()
    assert started.returncode == 0, started.stderr


def test_a_short_idle_limit_with_a_short_warning_starts():
    started = _import_settings(SESSION_IDLE_MINUTES="2", SESSION_WARNING_SECONDS="30")
    assert started.returncode == 0, started.stderr


def test_make_run_links_emails_to_the_port_it_serves(tmp_path):
    """`make run PORT=...` sets SITE_URL to match (python stood in by a script)."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake = venv / "bin" / "python"
    fake.write_text('#!/bin/sh\necho "SITE_URL=$SITE_URL"\n')
    fake.chmod(0o755)
    for marker in (".installed", ".installed-test"):
        (venv / marker).touch()
    os.utime(venv / ".installed", (2**31, 2**31))
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    ran = subprocess.run(
        ["make", "-s", "run", "PORT=8123", f"VENV={venv}", f"BIN={venv}/bin"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "SITE_URL=http://127.0.0.1:8123" in ran.stdout, ran.stdout + ran.stderr
