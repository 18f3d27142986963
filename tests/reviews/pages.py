"""Catalogue entries for the reviews pages, with makers that create what
each page needs."""

import datetime

from accounts.roles import Role
from reviews import services
from reviews.models import Review
from tests.reviews.factories import ReviewFactory, add_document


def no_args(users):
    return {}


def _sent_by_hmpps(users, **fields) -> Review:
    review = ReviewFactory(organisation=users[Role.HMPPS_SFO].organisation, **fields)
    add_document(review)
    return review


def hmpps_review(users):
    return {"pk": _sent_by_hmpps(users).pk}


def sampled_review(users):
    return {"pk": _sent_by_hmpps(users, status=Review.Status.SAMPLED).pk}


def allocated_review(users):
    review = _sent_by_hmpps(users, status=Review.Status.SAMPLED)
    services.review_allocate(
        by=users[Role.LEAD_INSPECTOR],
        review=review,
        inspector=users[Role.INSPECTOR],
        due_date=datetime.date(2030, 1, 1),
    )
    return {"pk": review.pk}


def draft_round(users):
    for _ in range(6):
        _sent_by_hmpps(users)
    sample_round = services.sample_round_draw(
        by=users[Role.LEAD_INSPECTOR],
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        seed=5,
    )
    return {"pk": sample_round.pk}


PAGES = [
    (Role.HMPPS_SFO, "reviews:list", no_args),
    (Role.HMPPS_SFO, "reviews:new", no_args),
    (Role.HMPPS_SFO, "reviews:bulk_upload", no_args),
    (Role.HMPPS_SFO, "reviews:detail", hmpps_review),
    (Role.HMPPS_SFO, "reviews:received", hmpps_review),
    (Role.HMPPS_SFO, "reviews:version_add", hmpps_review),
    (Role.HMPPS_SFO, "reviews:extension_add", hmpps_review),
    (Role.HMPPS_SFO, "api_docs", no_args),
    (Role.LEAD_INSPECTOR, "reviews:list", no_args),
    (Role.LEAD_INSPECTOR, "reviews:detail", allocated_review),
    (Role.LEAD_INSPECTOR, "reviews:timeliness", no_args),
    (Role.LEAD_INSPECTOR, "reviews:sample_round_list", no_args),
    (Role.LEAD_INSPECTOR, "reviews:sample_round_new", no_args),
    (Role.LEAD_INSPECTOR, "reviews:sample_round", draft_round),
    (Role.LEAD_INSPECTOR, "reviews:allocation_list", no_args),
    (Role.LEAD_INSPECTOR, "reviews:allocate", sampled_review),
    (Role.INSPECTOR, "reviews:list", no_args),
    (Role.INSPECTOR, "reviews:detail", allocated_review),
    (Role.INSPECTOR, "reviews:conflict_declare", allocated_review),
    (Role.ADMIN, "reviews:list", no_args),
]
