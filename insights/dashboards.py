"""
Each role's work at a glance, for the home page: counts with the links that
lead to the work. One selector a role, each a few aggregate queries.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone, translation

from accounts.models import AuditEvent, User
from accounts.sessions import read_along_values
from insights import selectors
from ratings.models import Assessment, Publication
from reports.models import ReportJob
from reviews.models import Allocation, Review
from sfoqa.dates import uk_today
from sfoqa.memo import Memo
from sfoqa.models import PendingTask
from sfoqa.prepared import generic_plans

logger = logging.getLogger(__name__)

OPEN = (Review.Status.ALLOCATED, Review.Status.IN_QA)
# How long the home page and the QA dashboard may show a count or this
# year's distribution before reading it again. The annual report and its
# data pack never use these: they compute every figure when made.
FIGURES_SECONDS = 60
# Figures this process has read lately, in front of the shared cache.
_recent = Memo(size=64)


VERSIONED = (AuditEvent, Review, Assessment, Publication)
# The name under which the data version is read with each session.
VERSION = "insights data version"


def version_columns(connection) -> list[str]:
    """The newest id of each table in VERSIONED, each on its primary key,
    whichever tables are empty. Table and column names from the models,
    never input."""
    quote = connection.ops.quote_name
    return [
        f"(SELECT MAX({quote(model._meta.pk.column)})"  # noqa: S608
        f" FROM {quote(model._meta.db_table)})"
        for model in VERSIONED
    ]


def data_version() -> str:
    """Changes when a review, an assessment or a publication is added, or
    when anything the service audits happens (a review sampled or allocated,
    a rating submitted, signed off or published): the newest id of each
    table. On the pages of figures it is read with the request's session
    (insights.apps), as the data was when the read began; elsewhere, in one
    query of its own."""
    newest = read_along_values(VERSION)
    if newest is None:
        # No values: the one plan PostgreSQL makes serves every run.
        with connection.cursor() as cursor, generic_plans():
            cursor.execute("SELECT " + ", ".join(version_columns(connection)), [])
            newest = cursor.fetchone()
    return "-".join(str(part or 0) for part in newest)


def cached_figures(name: str, *parts, compute):
    """`compute()`, kept for FIGURES_SECONDS from when it was computed under
    the name, the parts, the language and the data's version: in this
    process, and in the shared cache for the others. The cache is only a
    shortcut: when it fails the figures are computed, and the page is
    served."""
    key = ":".join(
        ["insights", name, *map(str, parts), translation.get_language() or ""]
    )
    key = f"{key}:{data_version()}"
    now = time.time()
    kept = _recent.get(key)
    if _fresh(kept, now):
        return kept[1]
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("The figures cache could not be read", exc_info=True)
        found = None
    if not _fresh(found, now):
        found = (now, compute())
        try:
            cache.set(key, found, FIGURES_SECONDS)
        except Exception:
            logger.warning("The figures cache could not be written", exc_info=True)
    _recent.put(key, found)
    return found[1]


def _fresh(kept, now: float) -> bool:
    """Whether `kept` is a (computed at, figures) pair computed less than
    FIGURES_SECONDS ago."""
    return (
        isinstance(kept, tuple)
        and len(kept) == 2
        and isinstance(kept[0], float)
        and now - FIGURES_SECONDS < kept[0] <= now
    )


def inspector_home(*, user) -> dict:
    """Allocations open, due in the next fortnight and overdue; ratings
    returned to the inspector with comments."""
    today = uk_today()
    allocations = Allocation.objects.filter(
        inspector=user, is_current=True, review__status__in=OPEN
    ).aggregate(
        open=Count("pk"),
        due_soon=Count(
            "pk", filter=Q(due_date__gte=today, due_date__lte=today + timedelta(14))
        ),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
    )
    returned = Assessment.objects.filter(
        inspector=user, status=Assessment.Status.RETURNED, review__isnull=False
    ).aggregate(n=Count("pk"))["n"]
    return {**allocations, "returned": returned}


def lead_home() -> dict:
    """Reviews waiting at each step, overdue work by inspector and this
    year's ratings so far, kept briefly (`cached_figures`) under today's
    date: allocating, reallocating or completing a review is audited, so
    it is counted at once."""
    year, today = selectors.current_year(), uk_today()
    return {
        **cached_figures(
            "lead-home", year, today, compute=lambda: _lead_counts(year, today)
        ),
        "year_label": selectors.year_label(year),
    }


def _overdue(*, today) -> list[tuple[str, int]]:
    """Current allocations of open reviews due before today, counted by
    inspector, most first."""
    return list(
        Allocation.objects.filter(
            is_current=True, review__status__in=OPEN, due_date__lt=today
        )
        .values("inspector__full_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "inspector__full_name")
        .values_list("inspector__full_name", "n")
    )


def _lead_counts(year: int, today) -> dict:
    waiting = Review.objects.aggregate(
        to_sample=Count("pk", filter=Q(status=Review.Status.RECEIVED)),
        to_allocate=Count("pk", filter=Q(status=Review.Status.SAMPLED)),
    )
    ratings = Assessment.objects.filter(review__isnull=False).aggregate(
        to_moderate=Count("pk", filter=Q(status=Assessment.Status.SUBMITTED)),
        to_publish=Count("pk", filter=Q(status=Assessment.Status.SIGNED_OFF)),
    )
    return {
        **waiting,
        **ratings,
        "overdue_by_inspector": _overdue(today=today),
        "distribution": selectors.overall_distribution(year),
    }


def _previous_sign_in(user):
    """When the user signed in before this visit, from the audit log."""
    times = list(
        AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.SIGN_IN)
        .order_by("-at")
        .values_list("at", flat=True)[:2]
    )
    return times[1] if len(times) == 2 else None


def hmpps_home(*, user) -> dict:
    """The organisation's reviews by status, and QA reports published since
    the user's last visit."""
    counts = dict(
        Review.objects.filter(organisation_id=user.organisation_id)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    # HMPPS sees allocated work as in QA, as on the review pages.
    counts[Review.Status.IN_QA] = counts.get(Review.Status.IN_QA, 0) + counts.pop(
        Review.Status.ALLOCATED, 0
    )
    statuses = [s for s in Review.Status if s != Review.Status.ALLOCATED]
    since = _previous_sign_in(user)
    published = Publication.objects.filter(
        assessment__review__organisation_id=user.organisation_id
    )
    if since is not None:
        published = published.filter(published_at__gt=since)
    return {
        "by_status": [(str(s.label), counts.get(s, 0)) for s in statuses],
        "since": since,
        "published_since": published.aggregate(n=Count("pk"))["n"],
    }


UNSENT_AFTER = timedelta(minutes=5)


def admin_home() -> dict:
    """Users, locked sign-ins and the health of report jobs and sent tasks."""
    from axes.models import AccessAttempt

    users = User.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
    )
    limit = getattr(settings, "AXES_FAILURE_LIMIT", 5)
    locked = AccessAttempt.objects.filter(failures_since_start__gte=limit).count()
    day_ago = timezone.now() - timedelta(days=1)
    jobs = ReportJob.objects.aggregate(
        waiting=Count(
            "pk",
            filter=Q(status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]),
        ),
        failed=Count(
            "pk", filter=Q(status=ReportJob.Status.FAILED, created_at__gte=day_ago)
        ),
    )
    return {
        **users,
        "locked": locked,
        "jobs_waiting": jobs["waiting"],
        "jobs_failed": jobs["failed"],
        # A row is deleted once its task is sent: one still here after a few
        # minutes was not (the broker down, or the sweeper not running).
        "tasks_unsent": PendingTask.objects.filter(
            created_at__lt=timezone.now() - UNSENT_AFTER
        ).count(),
    }
