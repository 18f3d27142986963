"""
The service's settings with test-only speed-ups and plain-HTTP cookies.
Everything else, security settings included, is what production runs.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-never-deployed")
# The browser tests drive a plain-HTTP live server.
os.environ.setdefault("SECURE", "false")
# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from sfoqa.settings import *  # noqa: F403
from sfoqa.settings import STORAGES

# Hashed static names need collectstatic; the live server serves the source.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
