"""Settings for the page benchmarks: production settings, the benchmark's own
URLconf (which adds a bare baseline view) and a query-counting middleware."""

import warnings

from sfoqa.settings import *  # noqa: F403
from sfoqa.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Outermost, so the session and user queries are counted too.
MIDDLEWARE = ["bench.query_count.QueryCountMiddleware", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

# Static files are served from the source folders (no collectstatic run).
warnings.filterwarnings("ignore", message="No directory at")
