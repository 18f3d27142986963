"""Who may see and run which benchmarking session."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from ratings.benchmarking import selectors
from ratings.models import BenchmarkSession, Declaration, SessionReview
from reviews.models import Allocation

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
    """A review the user is invited to rate; 403 once the session is revealed
    or after they declared a conflict of interest with it."""
    session_review = selectors.session_review_full(pk=pk)
    if session_review is None or not is_participant(user, session_review.session):
        raise Http404
    if session_review.session.is_revealed:
        raise PermissionDenied
    declaration = own_declaration(user, session_review)
    if declaration is not None and declaration.has_conflict:
        raise PermissionDenied
    return session_review


def own_declaration(user, session_review: SessionReview) -> Declaration | None:
    return Declaration.objects.filter(session_review=session_review, user=user).first()


def _owes_allocation_declaration(user, session_review: SessionReview) -> bool:
    """An allocation of the review to the user waits for, or ended in, a
    conflict declaration: the session must not open what it keeps shut."""
    return (
        session_review.review_id is not None
        and Allocation.objects.filter(
            review_id=session_review.review_id,
            inspector=user,
            conflict__in=(Allocation.Conflict.PENDING, Allocation.Conflict.DECLARED),
        ).exists()
    )


def get_session_review_to_declare(user, pk: int) -> SessionReview:
    """A session review the user may declare for (404 outside the session;
    403 while an allocation of the same review waits for their declaration)."""
    session_review = get_session_review_for_user(user, pk)
    if _owes_allocation_declaration(user, session_review):
        raise PermissionDenied
    return session_review


def get_document_for_user(user, pk: int) -> tuple[SessionReview, bool]:
    """
    A session review whose document the user may have, and whether they have
    declared no conflict of interest yet (if not, they declare first). 403
    after a declared conflict, or while an allocation of the review waits
    for their declaration.
    """
    session_review = get_session_review_to_declare(user, pk)
    declaration = own_declaration(user, session_review)
    if declaration is not None and declaration.has_conflict:
        raise PermissionDenied
    return session_review, declaration is not None
