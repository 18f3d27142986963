import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Rate-limit counters live in the cache: start every test afresh."""
    # Without Redis the cache is a database table: only tests with one clear it.
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if uses_db:
        cache.clear()
    yield
    if uses_db:
        cache.clear()


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploaded files go to a fresh folder for the test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]
