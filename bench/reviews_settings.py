"""Settings for the review-list benchmark: production settings with the
benchmark's own URLconf (which adds a bare baseline view)."""

from sfoqa.settings import *  # noqa: F403

ROOT_URLCONF = "bench.reviews_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
