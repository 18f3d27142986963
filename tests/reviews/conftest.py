import shutil

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores files in its own folder, so leftovers are visible."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    yield root
    shutil.rmtree(root, ignore_errors=True)


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def users(users):
    """The shared users, with the HMPPS user in the HMPPS organisation."""
    from tests.reviews.factories import hmpps_organisation

    hmpps = users["hmpps_sfo"]
    hmpps.organisation = hmpps_organisation()
    hmpps.save(update_fields=["organisation"])
    return users


@pytest.fixture(autouse=True)
def _tasks_in_process(run_tasks_in_process):
    """Emails and scans queued after commit run here, whatever REDIS_URL says."""
