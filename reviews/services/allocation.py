"""Allocating sampled reviews to inspectors, and conflict-of-interest
declarations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import User
from accounts.roles import Role
from reviews.models import Allocation, Review, ReviewEvent
from reviews.services.events import event_record
from sfoqa.outbox import send_after_commit


def allocation_refusal(review: Review) -> str:
    """Why the review cannot be allocated now, or "" when it can."""
    if review.status == Review.Status.SAMPLED:
        return ""
    return _(
        "Only a sampled review waiting for allocation can be allocated. "
        "%(reference)s is %(status)s."
    ) % {
        "reference": review.hmpps_reference,
        "status": review.get_status_display().lower(),
    }


def _check_allocatable(review: Review, inspector: User) -> None:
    if refusal := allocation_refusal(review):
        raise ValidationError(refusal)
    if not (inspector.is_active and inspector.has_role(Role.INSPECTOR)):
        raise ValidationError({"inspector": _("Choose an active inspector")})
    if review.allocations.filter(
        inspector=inspector, conflict=Allocation.Conflict.DECLARED
    ).exists():
        raise ValidationError(
            {"inspector": _("This inspector has declared a conflict of interest")}
        )


@transaction.atomic
def review_allocate(
    *, by: User, review: Review, inspector: User, due_date, request=None
) -> Allocation:
    """Give a sampled review to an inspector, who is told by email."""
    from reviews.tasks import send_allocation_notice

    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_allocatable(review, inspector)
    allocation = Allocation.objects.create(
        review=review, inspector=inspector, allocated_by=by, due_date=due_date
    )
    review.inspector = inspector
    review.status = Review.Status.ALLOCATED
    review.save(update_fields=["inspector", "status"])
    event_record(
        review=review,
        kind=ReviewEvent.Kind.ALLOCATED,
        actor=by,
        inspector=inspector.pk,
        due_date=due_date.isoformat(),
    )
    audit_record(
        action=Action.REVIEW_ALLOCATED,
        request=request,
        actor=by,
        target=review,
        details={"inspector": inspector.pk},
    )
    send_after_commit(send_allocation_notice, allocation.pk)
    return allocation


def _return_to_lead(allocation: Allocation) -> None:
    from reviews.tasks import send_conflict_notice

    allocation.is_current = False
    review = allocation.review
    review.inspector = None
    review.status = Review.Status.SAMPLED
    review.save(update_fields=["inspector", "status"])
    send_after_commit(send_conflict_notice, allocation.pk)


@transaction.atomic
def allocation_declare_conflict(
    *,
    by: User,
    allocation: Allocation,
    has_conflict: bool,
    reason: str = "",
    request=None,
) -> Allocation:
    """Record the inspector's declaration; a conflict sends the review back
    to the lead inspector for reallocation."""
    allocation = (
        Allocation.objects.select_for_update()
        .select_related("review")
        .get(pk=allocation.pk)
    )
    if allocation.inspector_id != by.pk or not allocation.is_current:
        raise ValidationError(_("This review is not allocated to you"))
    if allocation.conflict != Allocation.Conflict.PENDING:
        raise ValidationError(_("You have already made your declaration"))
    allocation.conflict = (
        Allocation.Conflict.DECLARED if has_conflict else Allocation.Conflict.NONE
    )
    allocation.conflict_reason = reason if has_conflict else ""
    allocation.declared_at = timezone.now()
    if has_conflict:
        _return_to_lead(allocation)
    allocation.save(
        update_fields=["conflict", "conflict_reason", "declared_at", "is_current"]
    )
    kind = ReviewEvent.Kind.CONFLICT if has_conflict else ReviewEvent.Kind.NO_CONFLICT
    event_record(review=allocation.review, kind=kind, actor=by)
    audit_record(
        action=Action.CONFLICT_DECLARED,
        request=request,
        actor=by,
        target=allocation.review,
        details={"conflict": has_conflict},
    )
    return allocation
