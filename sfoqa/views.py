import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def page(template_name: str):
    """A view for a page that is only a template."""

    def view(request):
        return render(request, template_name)

    return view


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.exception("Health check: database")
        return False


def _redis_ok() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1)
        return bool(client.ping())
    except redis.RedisError:
        logger.exception("Health check: Redis")
        return False


def _workers_answering() -> int:
    from sfoqa.celery import app

    try:
        replies = app.control.ping(timeout=1.0)
    except Exception:
        logger.exception("Health check: Celery")
        return 0
    return len(replies or [])


@never_cache
def healthz(request):
    """Whether each configured part answers: 200 if all do, 503 otherwise."""
    checks = {"database": "ok" if _database_ok() else "failing"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if _redis_ok() else "failing"
        workers = _workers_answering() if checks["redis"] == "ok" else 0
        checks["worker"] = "ok" if workers else "failing"
    else:
        checks["redis"] = "not configured"
        checks["worker"] = "in-process"
    healthy = "failing" not in checks.values()
    body = {"status": "ok" if healthy else "failing", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever broke may be what they would call.
    body = loader.get_template("500.html").render({"request": request})
    return HttpResponseServerError(body)
