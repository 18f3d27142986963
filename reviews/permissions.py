"""Who may see which review, document, allocation and sample round."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.roles import Role
from reviews.models import Allocation, DocumentVersion, Review, SampleRound
from sfoqa import statements

SEE_ALL = (Role.LEAD_INSPECTOR,)


def scope_inputs(user: User) -> dict | None:
    """The values that limit the reviews a user may see, as `scope_filter`
    takes them: {} when they may see all, None when they may see none."""
    if user.has_role(*SEE_ALL):
        return {}
    inputs = {}
    if user.has_role(Role.HMPPS_SFO) and user.organisation_id:
        inputs["organisation_id"] = user.organisation_id
    if user.has_role(Role.INSPECTOR):
        inputs["inspector_id"] = user.pk
    return inputs or None


def scope_filter(*, organisation_id: int | None = None, inspector_id=None) -> Q:
    """The reviews of an organisation, or allocated to an inspector, or
    both; none without either."""
    scope = Q(pk__in=[])
    if organisation_id is not None:
        scope |= Q(organisation_id=organisation_id)
    if inspector_id is not None:
        scope |= Q(inspector_id=inspector_id)
    return scope


def review_scope(user: User) -> Q | None:
    """The reviews a user may see, as a filter; None when they may see all."""
    inputs = scope_inputs(user)
    return None if inputs == {} else scope_filter(**(inputs or {}))


def visible_reviews(user: User, reviews: QuerySet[Review]) -> QuerySet[Review]:
    scope = review_scope(user)
    return reviews if scope is None else reviews.filter(scope)


def is_sender(user: User, review: Review) -> bool:
    return (
        user.has_role(Role.HMPPS_SFO)
        and user.organisation_id is not None
        and user.organisation_id == review.organisation_id
    )


def current_allocation(review: Review) -> Allocation | None:
    """The current allocation, from prefetched `allocations` when present."""
    return next((a for a in review.allocations.all() if a.is_current), None)


def can_open_case_details(user: User, review: Review) -> bool:
    """Full CRN and documents: the sender, leads and admins, and the allocated
    inspector once they have declared no conflict of interest."""
    if user.has_role(*SEE_ALL) or is_sender(user, review):
        return True
    allocation = current_allocation(review)
    return bool(
        allocation and allocation.inspector_id == user.pk and allocation.documents_open
    )


def can_see_qa_work(user: User) -> bool:
    """Allocation and inspectors' work are the inspectorate's, not HMPPS's."""
    return user.has_role(Role.INSPECTOR, *SEE_ALL)


def get_review_for_user(
    user: User, pk: int, *, write: bool = False, reviews=None
) -> Review:
    """A review the user may see (404 otherwise); with write=True, one they
    sent (403 when they may only see it)."""
    reviews = Review.objects.all() if reviews is None else reviews
    review = visible_reviews(user, reviews).filter(pk=pk).first()
    if review is None:
        raise Http404
    if write and not is_sender(user, review):
        raise PermissionDenied
    return review


def get_document_for_user(user: User, pk: int) -> DocumentVersion:
    """A stored document the user may download now (scanned, case details open)."""
    document = (
        DocumentVersion.objects.select_related("review")
        .filter(pk=pk, review__in=visible_reviews(user, Review.objects.all()))
        .first()
    )
    if document is None or not document.downloadable:
        raise Http404
    review = (
        Review.objects.prefetch_related("allocations")
        .filter(pk=document.review_id)
        .get()
    )
    if not can_open_case_details(user, review):
        raise PermissionDenied
    return document


def get_allocation_for_user(user: User, review_pk: int) -> Allocation:
    """The user's own current allocation of a review, waiting for their declaration."""
    allocation = (
        Allocation.objects.select_related("review")
        # review__pk, not review_id: an id too big for any column then
        # matches nothing, where through the foreign key it reaches the driver.
        .filter(review__pk=review_pk, inspector=user, is_current=True)
        .first()
    )
    if allocation is None:
        raise Http404
    return allocation


def _sample_round(*, pk: int) -> QuerySet[SampleRound]:
    return SampleRound.objects.filter(pk=pk).order_by()


def get_sample_round_for_user(
    user: User, pk: int, *, write: bool = False
) -> SampleRound:
    if not user.has_role(*SEE_ALL):
        raise Http404
    found = statements.instances(
        SampleRound, _sample_round, {"pk": pk}, name="sample round"
    )
    if not found:
        raise Http404
    sample_round = found[0]
    if write and not sample_round.is_draft:
        raise PermissionDenied
    return sample_round
