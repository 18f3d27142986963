"""
"Allocated to you" lists an inspector's current allocations not yet started.
An allocation records when its rating form was first opened (`started_at`,
set with the assessment), so the list reads the allocations not started from
their own partial index rather than every allocation the inspector has ever
finished (its plan: tests/ratings/test_list_plans.py).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from ratings import selectors, services
from ratings.models import Assessment
from reviews.models import Allocation, ReviewEvent
from tests.migrating import migrated_again
from tests.ratings.conftest import make_allocation


def to_start(users) -> list[int]:
    rows = selectors.to_start_rows(inspector_id=users[Role.INSPECTOR].pk)
    return [int(row["url"].rstrip("/").rsplit("/", 1)[1]) for row in rows]


@pytest.mark.django_db
def test_starting_an_allocation_records_when_and_takes_it_off_the_list(users):
    waiting, begun = make_allocation(users), make_allocation(users)
    assert waiting.started_at is None
    assert sorted(to_start(users)) == sorted([waiting.review_id, begun.review_id])

    moment = timezone.now()
    services.assessment_start(allocation=begun)

    begun.refresh_from_db()
    assert begun.started_at >= moment
    assert to_start(users) == [waiting.review_id]
    # Opening the form again keeps the first moment.
    first = begun.started_at
    services.assessment_start(allocation=begun)
    begun.refresh_from_db()
    assert begun.started_at == first


@pytest.mark.django_db
def test_an_allocation_with_an_assessment_is_not_listed_without_its_moment(
    users, client_for
):
    """However an assessment came to be made, its allocation is not offered
    to start again."""
    allocation = make_allocation(users)
    services.assessment_start(allocation=allocation)
    Allocation.objects.filter(pk=allocation.pk).update(started_at=None)

    assert to_start(users) == []
    page = client_for(Role.INSPECTOR).get(reverse("ratings:my_assessments"))
    assert reverse("ratings:start", kwargs={"review_pk": allocation.review_id}) not in (
        page.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_dates_the_allocations_already_started(users):
    begun, waiting, unrecorded = (make_allocation(users) for _ in range(3))
    services.assessment_start(allocation=begun)
    services.assessment_start(allocation=unrecorded)
    qa_started = ReviewEvent.objects.get(
        review=begun.review, kind=ReviewEvent.Kind.QA_STARTED
    )
    ReviewEvent.objects.filter(review=unrecorded.review).delete()
    with migrated_again(
        "reviews",
        before="0006_review_list_covering_indexes",
        after="0007_allocation_started_at",
    ):
        started = dict(Allocation.objects.values_list("pk", "started_at"))
    assert started == {
        begun.pk: qa_started.at,
        waiting.pk: None,
        # Where no event says when, the earliest it could have been.
        unrecorded.pk: unrecorded.allocated_at,
    }
    assert not Assessment.objects.filter(allocation=waiting).exists()
