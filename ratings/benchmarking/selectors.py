"""Reads of benchmarking sessions for their pages, the report and the drift page."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.roles import Role
from ratings.models import (
    Assessment,
    BenchmarkSession,
    Consensus,
    Participant,
    SessionReview,
    StandardAssessment,
)

LEADS = (Role.LEAD_INSPECTOR,)
OVERALL = "overall"


def sessions_for(*, user) -> QuerySet[BenchmarkSession]:
    """Every session for leads; for anyone else, the sessions they are in."""
    sessions = BenchmarkSession.objects.all()
    if not user.has_role(*LEADS):
        sessions = sessions.filter(participants__user=user)
    return (
        sessions.select_related("facilitator")
        .annotate(
            review_count=Count("reviews", distinct=True),
            participant_count=Count("participants", distinct=True),
        )
        .order_by("-held_on", "-id")
    )


def session_full(*, pk: int) -> BenchmarkSession | None:
    return (
        BenchmarkSession.objects.filter(pk=pk)
        .select_related("facilitator", "revealed_by")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=SessionReview.objects.select_related("review", "document"),
            ),
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("user__organisation"),
            ),
        )
        .first()
    )


def session_review_full(*, pk: int) -> SessionReview | None:
    return (
        SessionReview.objects.filter(pk=pk)
        .select_related("session__facilitator", "document", "review")
        .first()
    )


def _with_rows(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related("session_review").prefetch_related(
        Prefetch(
            "standards",
            queryset=StandardAssessment.objects.select_related("standard"),
        )
    )


def session_assessments(*, sessions: Iterable[int]) -> list[Assessment]:
    """The participants' ratings in these sessions, with their standards."""
    return list(
        _with_rows(Assessment.objects.filter(session_review__session__in=sessions))
    )


def session_consensus(*, sessions: Iterable[int]) -> list[Consensus]:
    return list(
        Consensus.objects.filter(session_review__session__in=sessions).select_related(
            "standard", "recorded_by"
        )
    )


def own_assessments(*, session: BenchmarkSession, user) -> dict[int, Assessment]:
    """The user's ratings in the session, by session review id."""
    assessments = Assessment.objects.filter(
        session_review__session=session, inspector=user
    )
    return {a.session_review_id: a for a in _with_rows(assessments)}


def rating_status(assessment: Assessment | None) -> str:
    """not_started, in_progress, completed or locked: for the participant only."""
    if assessment is None:
        return "not_started"
    if assessment.status == Assessment.Status.LOCKED:
        return "locked"
    rows = assessment.standards.all()
    done = all(r.rating is not None and r.evidence.strip() for r in rows)
    return (
        "completed" if done and assessment.overall_rating is not None else "in_progress"
    )


@dataclass(frozen=True)
class Progress:
    """How far a participant has got: counts only, never ratings."""

    participant: Participant
    started: int
    completed: int


def progress(*, session: BenchmarkSession) -> list[Progress]:
    """For each participant: reviews started, and reviews fully rated."""
    complete = Q(standards__rating__isnull=False) & ~Q(standards__evidence="")
    assessments = (
        Assessment.objects.filter(session_review__session=session)
        .annotate(
            rated=Count("standards", filter=complete),
            standard_count=Count("standards"),
        )
        .values("inspector_id", "rated", "standard_count", "overall_rating")
    )
    started: dict[int, int] = {}
    completed: dict[int, int] = {}
    for row in assessments:
        user = row["inspector_id"]
        started[user] = started.get(user, 0) + 1
        done = (
            row["rated"] == row["standard_count"] and row["overall_rating"] is not None
        )
        completed[user] = completed.get(user, 0) + done
    return [
        Progress(
            participant=p,
            started=started.get(p.user_id, 0),
            completed=completed.get(p.user_id, 0),
        )
        for p in session.participants.all()
    ]


def reveal_missing(*, session: BenchmarkSession) -> str | None:
    """Why the session has nothing to reveal yet, or None when it has."""
    has_reviews = session.reviews.exists()
    has_participants = session.participants.exists()
    if not (has_reviews or has_participants):
        return _("Add a review and participants before you can reveal ratings")
    if not has_reviews:
        return _("Add a review before you can reveal ratings")
    if not has_participants:
        return _("Add participants before you can reveal ratings")
    rated = Q(standards__rating__isnull=False) | Q(overall_rating__isnull=False)
    if not Assessment.objects.filter(rated, session_review__session=session).exists():
        return _(
            "Nobody has rated a review yet. You can reveal the ratings once "
            "a participant has rated at least one review"
        )
    return None


def revealed_sessions() -> list[BenchmarkSession]:
    """Revealed sessions, oldest first, with their reviews and participants."""
    return list(
        BenchmarkSession.objects.filter(status=BenchmarkSession.Status.REVEALED)
        .prefetch_related(
            "reviews",
            Prefetch(
                "participants", queryset=Participant.objects.select_related("user")
            ),
        )
        .order_by("held_on", "id")
    )
