import datetime

import pytest

from ratings import services
from ratings.models import Assessment, Rating
from reviews.models import Allocation, Review
from tests.reviews.conftest import media_root, users  # noqa: F401 - shared fixtures
from tests.reviews.factories import ReviewFactory, add_document


@pytest.fixture
def allocation(users):  # noqa: F811 - the reviews suite's users
    return make_allocation(users)


def make_allocation(users) -> Allocation:  # noqa: F811
    """A review allocated to the inspector, who has declared no conflict."""
    review = ReviewFactory(status=Review.Status.ALLOCATED, inspector=users["inspector"])
    add_document(review)
    return Allocation.objects.create(
        review=review,
        inspector=users["inspector"],
        allocated_by=users["lead_inspector"],
        due_date=datetime.date(2026, 12, 31),
        conflict=Allocation.Conflict.NONE,
    )


@pytest.fixture
def assessment(allocation) -> Assessment:
    return services.assessment_start(allocation=allocation)


def rate_everything(
    assessment, *, ratings=(2, 2, 2, 2), overall=Rating.GOOD, text="Evidence p.3"
):
    """Fill every section so the assessment can be submitted."""
    for row, rating in zip(assessment.standards.all(), ratings, strict=True):
        services.assessment_standard_save(
            assessment=assessment,
            standard=row,
            values={
                "rating": rating,
                "evidence": text,
                "strengths": text,
                "improvements": text,
            },
            answers={a.prompt_id: ("yes", text) for a in row.answers.all()},
            lock_version=assessment.lock_version,
        )
    services.assessment_overall_save(
        assessment=assessment,
        overall_rating=overall,
        overall_reason=text,
        departure_reason=text,
        lock_version=assessment.lock_version,
    )
    assessment.refresh_from_db()
    return assessment
