"""sfoqa.pagination: GOV.UK's block pagination for a keyset page, its values
escaped, written once for every list."""

import re
from html import escape

import pytest
from django.template import Context, Template
from django.utils.translation import gettext_lazy

from sfoqa.keyset import KeysetPage
from sfoqa.pagination import pagination


def page(number=1, next_query="", previous_query="") -> KeysetPage:
    return KeysetPage([], number, next_query, previous_query)


def links(html: str) -> list[tuple[str, str, str]]:
    """(rel, href, "Page n") of each link."""
    return re.findall(r'href="([^"]*)" rel="(\w+)">.*?link-label">([^<]*)<', html, re.S)


def test_a_list_of_one_page_has_no_pagination():
    assert pagination(page()) == ""


def test_the_first_page_leads_on_to_the_second():
    html = pagination(page(1, next_query="after=2025-05-29_48810&page=2"))
    assert html.startswith('<nav class="govuk-pagination govuk-pagination--block"')
    assert 'aria-label="Pages"' in html
    assert links(html) == [("?after=2025-05-29_48810&amp;page=2", "next", "Page 2")]
    assert "Previous" not in html and ">Next<" in html


def test_a_middle_page_leads_both_ways_with_their_numbers():
    html = pagination(
        page(200, next_query="after=b&page=201", previous_query="before=a&page=199")
    )
    assert links(html) == [
        ("?before=a&amp;page=199", "prev", "Page 199"),
        ("?after=b&amp;page=201", "next", "Page 201"),
    ]
    # The words for screen readers, as GOV.UK's component writes them.
    assert '<span class="govuk-visually-hidden"> page</span>' in html
    assert '<span class="govuk-visually-hidden">:</span>' in html


@pytest.mark.parametrize(
    "hostile", ['"><script>alert(1)</script>', "{0}{number}", "a&b"]
)
def test_the_query_and_the_label_are_escaped(hostile):
    html = pagination(page(3, next_query=hostile, previous_query=hostile), hostile)
    assert "<script>" not in html
    assert f'aria-label="{escape(hostile)}"' in html
    assert f'href="?{escape(hostile)}"' in html
    assert html.count('rel="') == 2


def test_a_screen_with_several_lists_names_each_ones_pages():
    html = pagination(page(1, next_query="x=1"), gettext_lazy("Pages to publish"))
    assert 'aria-label="Pages to publish"' in html


def test_the_template_tag_renders_the_same():
    template = Template("{% keyset_pagination page label %}")
    current = page(2, next_query="n=3", previous_query="p=1")
    rendered = template.render(Context({"page": current, "label": "Pages to publish"}))
    assert rendered == pagination(current, "Pages to publish")
