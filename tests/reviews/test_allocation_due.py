"""A QA due date cannot be in the past, and work past its due date is flagged."""

import datetime

import pytest
from django.urls import reverse

from ratings import services
from reviews.models import Allocation, Review
from sfoqa.dates import uk_today
from tests.reviews.factories import ReviewFactory, add_document
from tests.reviews.test_allocation import sampled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_due_date_in_the_past_is_refused(
    lead_inspector_client,
    users,
    sampled,  # noqa: F811
):
    yesterday = uk_today() - datetime.timedelta(days=1)
    response = lead_inspector_client.post(
        reverse("reviews:allocate", kwargs={"pk": sampled.pk}),
        {
            "inspector": users["inspector"].pk,
            "due_date_0": yesterday.day,
            "due_date_1": yesterday.month,
            "due_date_2": yesterday.year,
        },
    )
    assert response.status_code == 200
    assert (
        "Quality assurance due by must be today or in the future"
        in response.content.decode()
    )
    assert not Allocation.objects.exists()


def allocated(users, due) -> Allocation:
    review = ReviewFactory(status=Review.Status.ALLOCATED, inspector=users["inspector"])
    add_document(review)
    return Allocation.objects.create(
        review=review,
        inspector=users["inspector"],
        allocated_by=users["lead_inspector"],
        due_date=due,
        conflict=Allocation.Conflict.NONE,
    )


def overdue_tags(client) -> int:
    page = client.get(reverse("ratings:my_assessments")).content.decode()
    return page.count('govuk-tag--red">Overdue')


def test_your_qa_work_flags_allocations_past_their_due_date(
    inspector_client, users, reference_data, media_root
):
    today = uk_today()
    allocated(users, today)
    assert overdue_tags(inspector_client) == 0
    late = allocated(users, today - datetime.timedelta(days=1))
    assert overdue_tags(inspector_client) == 1
    services.assessment_start(allocation=late)
    assert overdue_tags(inspector_client) == 1  # still late once started
