"""
gunicorn.conf.py: read by gunicorn started in the project's root (as the
Dockerfile and docker-compose.yml start it), and each worker, once it has
loaded the service, keeps what it loaded out of the collector's passes.
"""

import gc
import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _conf():
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", ROOT / "gunicorn.conf.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_worker_freezes_what_it_loaded():
    assert gc.get_freeze_count() == 0
    try:
        _conf().post_worker_init(worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_gunicorn_reads_it_from_the_root():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    printed = subprocess.run(
        [str(gunicorn), "--print-config", "sfoqa.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    }
    # The file's hook, a plain function; gunicorn's default one prints as
    # `<PostWorkerInit.post_worker_init()>`.
    assert settings["post_worker_init"] == "<post_worker_init()>"
