"""Addresses reversed once a process, for each script prefix."""

import pytest
from django.urls import get_script_prefix, reverse, set_script_prefix

from sfoqa.links import url, url_format


@pytest.fixture
def script_prefix():
    """Set the script prefix for one test, and put the old one back."""
    before = get_script_prefix()
    yield set_script_prefix
    set_script_prefix(before)


@pytest.mark.parametrize(
    ("prefix", "detail"),
    [
        ("/", "/reviews/5/"),
        ("/qa/", "/qa/reviews/5/"),
        ("/a{b}/", "/a%7Bb%7D/reviews/5/"),
    ],
)
def test_url_format_matches_reverse_under_each_script_prefix(
    script_prefix, prefix, detail
):
    # Reversed first under "/", so a cache keyed by name alone would answer
    # with the wrong prefix.
    assert url_format("reviews:detail").format(pk=5) == "/reviews/5/"
    assert url("reviews:list") == "/reviews/"
    script_prefix(prefix)
    assert url_format("reviews:detail").format(pk=5) == detail
    assert detail == reverse("reviews:detail", kwargs={"pk": 5})
    assert url("reviews:list") == reverse("reviews:list") == detail[:-2]


def test_url_format_works_for_every_url_name_the_rows_use():
    for name in ("ratings:moderate", "ratings:task_list", "reports:job_download"):
        assert url_format(name).format(pk=918) == reverse(name, kwargs={"pk": 918})
