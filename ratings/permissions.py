"""Who may see and change an assessment. Drafts belong to the inspector and leads."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from ratings import selectors
from ratings.models import Assessment

MODERATORS = (Role.LEAD_INSPECTOR,)


def can_see(user, assessment: Assessment) -> bool:
    if assessment.inspector_id == user.pk:
        return True
    if assessment.is_benchmark:
        # Blind until the facilitator reveals the session; then read-only
        # for its facilitator and the leads (participants see the results
        # pages, never another participant's assessment).
        session = assessment.session_review.session
        return session.is_revealed and (
            session.facilitator_id == user.pk or user.has_role(*MODERATORS)
        )
    return user.has_role(*MODERATORS)


def get_assessment_for_user(
    user,
    pk: int,
    *,
    write: bool = False,
    benchmark: bool = False,
    load=selectors.assessment_full,
) -> Assessment:
    """
    The assessment, fully loaded (or as `load` loads it), if the user may see
    it (404 otherwise). With write=True: only its inspector, and only while it
    is a draft or returned (403 otherwise). Benchmarking ratings open only with
    benchmark=True (their own pages), live ones only without.
    """
    assessment = load(pk=pk)
    if (
        assessment is None
        or assessment.is_benchmark != benchmark
        or not can_see(user, assessment)
    ):
        raise Http404
    if write and not (assessment.inspector_id == user.pk and assessment.is_editable):
        raise PermissionDenied
    return assessment


def get_assessment_to_moderate(user, pk: int) -> Assessment:
    assessment = selectors.assessment_full(pk=pk)
    if assessment is None or assessment.is_benchmark or not user.has_role(*MODERATORS):
        raise Http404
    if assessment.inspector_id == user.pk:
        raise PermissionDenied
    return assessment
