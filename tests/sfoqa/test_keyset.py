"""A list paged from a Listing, its SQL built once, pages as its queryset does."""

import datetime

import pytest
from django.http import QueryDict

from reviews.models import Region, Review
from sfoqa import statements
from sfoqa.keyset import Listing, keyset_page
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

NEWEST = ("-received_on", "-id")


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(statements, "_layouts", {})


def in_region(*, region_id):
    return Review.objects.filter(region_id=region_id).values("id", "received_on")


def walk(rows, keys, *, size=3):
    """Every page forwards, then every page back, as lists of ids."""
    pages, params = [], QueryDict("")
    while True:
        page = keyset_page(rows, keys=keys, params=params, size=size)
        pages.append([row["id"] for row in page.object_list])
        if not page.has_next:
            break
        params = QueryDict(page.next_query)
    while page.has_previous:
        page = keyset_page(
            rows, keys=keys, params=QueryDict(page.previous_query), size=size
        )
        pages.append([row["id"] for row in page.object_list])
    return pages


@pytest.fixture
def reviews(reference_data):
    region, other = Region.objects.order_by("pk")[:2]
    day = datetime.date(2025, 1, 1)
    # Two share each day, so the id settles the order within a day.
    for n in range(8):
        ReviewFactory(region=region, received_on=day + datetime.timedelta(days=n // 2))
    ReviewFactory(region=other)
    return region, other


def test_a_listing_pages_forwards_and_back_as_its_queryset_does(reviews):
    region, other = reviews
    listing = Listing(Review, in_region, {"region_id": region.pk})
    expected = walk(in_region(region_id=region.pk), NEWEST)
    assert [len(page) for page in expected] == [3, 3, 2, 3, 3]
    assert walk(listing, NEWEST) == expected
    # Another region's list from the same SQL.
    again = walk(Listing(Review, in_region, {"region_id": other.pk}), NEWEST)
    assert again == walk(in_region(region_id=other.pk), NEWEST)
    assert len(again) == 1


def test_a_listing_is_built_only_to_learn_each_kind_of_page(reviews):
    region, other = reviews
    built = []

    def counted(**inputs):
        built.append(inputs)
        return in_region(**inputs)

    # Keys of whole numbers: their SQL is learnt on every database.
    for region_id in (region.pk, other.pk, region.pk):
        walk(Listing(Review, counted, {"region_id": region_id}), ("id",))
    # The first page, a page after and a page before: each built twice to
    # learn where the values go, then only run.
    assert len(built) == 3 * 2


def test_a_cursor_that_does_not_parse_gives_the_first_page(reviews):
    region, _ = reviews
    listing = Listing(Review, in_region, {"region_id": region.pk})
    first = keyset_page(listing, keys=NEWEST, params=QueryDict(""), size=3)
    for hostile in ("after=2025-13-45_1", "before=zz_", "after=2025-01-01_-4"):
        page = keyset_page(listing, keys=NEWEST, params=QueryDict(hostile), size=3)
        assert page.object_list == first.object_list
