"""docker-compose.yml scales web and worker behind one proxy."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_web_and_worker_have_no_host_port_so_they_scale_behind_the_proxy():
    stack = services()
    assert "ports" not in stack["web"] and "ports" not in stack["worker"]
    assert stack["proxy"]["ports"] == ["127.0.0.1:8000:8000"]
    (mount,) = stack["proxy"]["volumes"]
    config = ROOT / mount.split(":")[0].removeprefix("./")
    assert "server web:8000" in config.read_text()


def test_migrations_run_once_before_web_and_worker_start():
    stack = services()
    assert "migrate" in stack["migrate"]["command"]
    assert "migrate" not in stack["web"]["command"]
    for name in ("web", "worker", "beat"):
        assert stack[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_every_instance_shares_the_database_and_redis():
    stack = services()
    for name in ("web", "worker", "beat"):
        environment = stack[name]["environment"]
        assert environment["DATABASE_URL"].endswith("@db:5432/sfoqa")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
