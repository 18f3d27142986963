"""Who may see and run which benchmarking session."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from ratings.benchmarking import selectors
from ratings.models import BenchmarkSession, SessionReview

LEADS = (Role.LEAD_INSPECTOR,)
# Who may be invited to rate in a session.
RATER_ROLES = (Role.INSPECTOR, Role.LEAD_INSPECTOR, Role.BENCHMARK_PARTICIPANT)


def can_manage(user, session: BenchmarkSession) -> bool:
    return session.facilitator_id == user.pk or user.has_role(*LEADS)


def is_participant(user, session: BenchmarkSession) -> bool:
    return session.participants.filter(user_id=user.pk).exists()


def can_see(user, session: BenchmarkSession) -> bool:
    return can_manage(user, session) or is_participant(user, session)


def can_see_results(user, session: BenchmarkSession) -> bool:
    """Nobody sees anyone's ratings before the reveal; then everyone in it."""
    return session.is_revealed and can_see(user, session)


def get_session_for_user(user, pk: int, *, manage: bool = False) -> BenchmarkSession:
    """A session the user runs or is invited to (404 otherwise); with
    manage=True, one they run (403 for a participant)."""
    session = selectors.session_full(pk=pk)
    if session is None or not can_see(user, session):
        raise Http404
    if manage and not can_manage(user, session):
        raise PermissionDenied
    return session


def get_results_for_user(user, pk: int) -> BenchmarkSession:
    """A revealed session's results; 404 before the reveal, for everyone."""
    session = get_session_for_user(user, pk)
    if not session.is_revealed:
        raise Http404
    return session


def get_session_review_for_user(
    user, pk: int, *, manage: bool = False
) -> SessionReview:
    session_review = selectors.session_review_full(pk=pk)
    if session_review is None:
        raise Http404
    get_session_for_user(user, session_review.session_id, manage=manage)
    return session_review


def get_session_review_to_rate(user, pk: int) -> SessionReview:
    """A review the user is invited to rate; 403 once the session is revealed."""
    session_review = selectors.session_review_full(pk=pk)
    if session_review is None or not is_participant(user, session_review.session):
        raise Http404
    if session_review.session.is_revealed:
        raise PermissionDenied
    return session_review
