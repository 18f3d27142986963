"""The review list's rows come from a statement built once a process for each
kind of scope and set of filters: whoever asks next sees their own reviews,
never those of whoever taught it."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from reviews.models import Region, Review
from reviews.selectors import listed_reviews, review_listing
from sfoqa import statements
from sfoqa.keyset import Listing
from tests.conftest import sign_in
from tests.reviews.factories import ReviewFactory

LIST = reverse("reviews:list")

pytestmark = pytest.mark.django_db


def _shown(client) -> set[str]:
    page = client.get(LIST).content.decode()
    return set(re.findall(r">(SFO-T\d+)</a>", page))


def _references(reviews) -> set[str]:
    return {review.hmpps_reference for review in reviews}


@pytest.fixture
def two_organisations(reference_data):
    return [
        Organisation.objects.create(name=f"HMPPS body {n}", kind="hmpps")
        for n in (1, 2)
    ]


def test_each_organisation_sees_its_own_reviews_whoever_asked_first(
    make_user, two_organisations
):
    statements._layouts.clear()
    clients, expected = [], []
    for organisation in two_organisations:
        user = make_user(Role.HMPPS_SFO, organisation=organisation)
        clients.append(sign_in(Client(), user))
        expected.append(
            _references(ReviewFactory.create_batch(3, organisation=organisation))
        )
    ReviewFactory.create_batch(2)  # another organisation's
    for _ in range(3):
        for client, theirs in zip(clients, expected, strict=True):
            assert _shown(client) == theirs
    learnt = [
        layout
        for key, layout in statements._layouts.items()
        if "listed_reviews" in key[0]
    ]
    assert len(learnt) == 1 and learnt[0] is not None


def test_each_inspector_sees_the_reviews_allocated_to_them(make_user, reference_data):
    statements._layouts.clear()
    inspectors = [make_user(Role.INSPECTOR) for _ in range(2)]
    theirs = [
        _references(ReviewFactory.create_batch(2, inspector=inspector))
        for inspector in inspectors
    ]
    ReviewFactory.create_batch(2)
    clients = [sign_in(Client(), inspector) for inspector in inspectors]
    for _ in range(2):
        for client, expected in zip(clients, theirs, strict=True):
            assert _shown(client) == expected


def test_an_inspector_in_hmpps_sees_both_and_the_lead_sees_all(
    make_user, two_organisations, users
):
    statements._layouts.clear()
    organisation = two_organisations[0]
    both = make_user(Role.HMPPS_SFO, Role.INSPECTOR, organisation=organisation)
    sent = _references(ReviewFactory.create_batch(2, organisation=organisation))
    allocated = _references(ReviewFactory.create_batch(2, inspector=both))
    others = _references(ReviewFactory.create_batch(2))
    client = sign_in(Client(), both)
    lead = sign_in(Client(), users[Role.LEAD_INSPECTOR])
    for _ in range(2):
        assert _shown(client) == sent | allocated
        assert _shown(lead) == sent | allocated | others


def test_someone_with_no_role_that_sees_reviews_is_given_none(make_user):
    panel_member = make_user(Role.PANEL_MEMBER)
    ReviewFactory.create_batch(2)
    rows = review_listing(user=panel_member, filters={})
    assert not isinstance(rows, Listing) and list(rows) == []


def test_the_listing_filters_as_the_list_always_has(users, two_organisations):
    regions = list(Region.objects.order_by("pk")[:2])
    organisation = two_organisations[0]
    for region in regions:
        for received in (datetime.date(2024, 3, 31), datetime.date(2024, 4, 1)):
            for status in (Review.Status.RECEIVED, Review.Status.SAMPLED):
                ReviewFactory(
                    region=region,
                    delivery_unit=region.delivery_units.first(),
                    received_on=received,
                    status=status,
                    organisation=organisation,
                )
    hmpps = users[Role.HMPPS_SFO]
    hmpps.organisation = organisation
    cases = [
        (users[Role.LEAD_INSPECTOR], {"region": regions[1].pk, "year": 2024}),
        (hmpps, {"status": Review.Status.SAMPLED, "year": 2023}),
        (hmpps, {"region": regions[0].pk, "status": [Review.Status.RECEIVED]}),
        (users[Role.LEAD_INSPECTOR], {"overdue": True, "q": "SFO-T"}),
    ]
    from reviews.selectors import review_list

    for user, filters in cases:
        listing = review_listing(user=user, filters={**filters, "sort": "oldest"})
        expected = list(review_list(user=user, **filters).values_list("pk", flat=True))
        rows = listing.build(**listing.inputs)
        assert sorted(row["id"] for row in rows) == sorted(expected), filters
        assert listing.build is listed_reviews
