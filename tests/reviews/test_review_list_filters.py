"""The review list uses MoJ's filter layout: the filters in use are tags,
each a link to the list without it."""

import re

import pytest
from django.urls import reverse

from reviews.models import Region, Review
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def tags(page: str) -> dict[str, str]:
    found = re.findall(
        r'<a class="moj-filter__tag" href="([^"]*)">'
        r'<span class="govuk-visually-hidden">Remove this filter</span> ([^<]+)</a>',
        page,
    )
    return {text: href.replace("&amp;", "&") for href, text in found}


def test_selected_filters_are_tags_that_each_remove_themselves(
    lead_inspector_client, reference_data
):
    region = Region.objects.first()
    ReviewFactory(region=region, status=Review.Status.RECEIVED)
    url = reverse("reviews:list")
    page = lead_inspector_client.get(
        url, {"region": region.pk, "status": "received", "sort": "oldest"}
    ).content.decode()
    assert 'class="moj-filter-layout"' in page
    assert 'data-module="moj-filter"' in page
    assert tags(page) == {
        region.name: "?status=received&sort=oldest",
        "Received": f"?region={region.pk}&sort=oldest",
    }
    assert f'href="{url}">Clear filters</a>' in page


def test_an_unfiltered_list_shows_no_selected_filters(
    lead_inspector_client, reference_data
):
    page = lead_inspector_client.get(reverse("reviews:list")).content.decode()
    assert "Selected filters" not in page
    assert 'class="moj-filter__options"' in page
