"""The learning library page: searched, filtered, counted up to a cap and
paged, in a fixed number of queries; the remembered filter form shows each
request's own search text, escaped."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AgencyType
from panels import selectors
from ratings.models import Theme
from tests.conftest import SIGNED_IN_QUERIES, sign_in
from tests.panels.factories import add_learning
from tests.panels.test_pages import HOSTILE

pytestmark = pytest.mark.django_db

LIBRARY = reverse("learning:library")
CARD = '<h2 class="govuk-summary-card__title">'


@pytest.fixture
def inspector_client(client, users):
    from accounts.roles import Role

    return sign_in(client, users[Role.INSPECTOR])


def page_of(client, query=""):
    response = client.get(f"{LIBRARY}{query}")
    assert response.status_code == 200
    return response.content.decode()


def grow(panel, lead, count, **values):
    theme = Theme.objects.order_by("pk").first()
    police = AgencyType.objects.get(slug="police")
    for n in range(count):
        item = add_learning(
            panel,
            lead,
            disseminate=True,
            themes=[theme],
            title=f"Medication checks {n}",
            **values,
        )
        item.agencies.add(police)


# Signed in, then the theme and agency lists, the years, the capped count,
# the page's rows and their themes and agencies.
LIBRARY_QUERIES = SIGNED_IN_QUERIES + 6


@pytest.mark.parametrize(
    "query", ["", "?q=medication", "?q=medication&theme={theme}&agency=police"]
)
def test_the_library_reads_the_same_few_queries_whatever_the_rows(
    query, inspector_client, panel, lead
):
    query = query.format(theme=Theme.objects.order_by("pk").first().slug)
    counts = []
    for _ in range(2):
        grow(panel, lead, 3)
        with CaptureQueriesContext(connection) as captured:
            page = page_of(inspector_client, query)
        assert "Medication checks" in page
        counts.append(len(captured))
    assert counts == [LIBRARY_QUERIES, LIBRARY_QUERIES], counts


def test_the_count_stops_at_the_cap_and_says_so(
    inspector_client, panel, lead, monkeypatch
):
    grow(panel, lead, 3)
    assert "3 learning items" in page_of(inspector_client)
    monkeypatch.setattr(selectors, "LIBRARY_COUNT_CAP", 2)
    page = page_of(inspector_client)
    assert "More than 2 learning items" in page
    assert "3 learning items" not in page


def test_pages_follow_by_next_and_previous(inspector_client, panel, lead, monkeypatch):
    monkeypatch.setattr(selectors, "LIBRARY_PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "LIBRARY_COUNT_CAP", 2)  # beyond the cap too
    grow(panel, lead, 5)
    first = page_of(inspector_client, "?q=medication")
    assert first.count(CARD) == 2
    assert 'href="?q=medication&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    last = page_of(inspector_client, "?q=medication&page=3")
    assert last.count(CARD) == 1
    assert 'href="?q=medication&amp;page=2" rel="prev"' in last
    assert 'rel="next"' not in last
    # Far beyond the end, the first page rather than an empty one.
    far = page_of(inspector_client, "?q=medication&page=99")
    assert far.count(CARD) == 2


@pytest.mark.parametrize("query", ["", "?q=medication"])
def test_a_page_orders_the_ids_first_and_reads_the_columns_of_its_rows_alone(
    inspector_client, panel, lead, monkeypatch, query
):
    # Sorting every match carries its id alone (its rank, for a search); the
    # columns shown are read, and the preview cut, only for the page's rows.
    monkeypatch.setattr(selectors, "LIBRARY_PAGE_SIZE", 2)
    grow(panel, lead, 5)
    with CaptureQueriesContext(connection) as captured:
        page = page_of(inspector_client, f"{query or '?'}&page=2")
    titles = re.findall(r"Medication checks (\d)", page)
    assert titles == ["2", "1"], titles
    [rows] = [q["sql"] for q in captured if 'AS "preview"' in q["sql"]]
    outer, inner = rows.split(" IN (SELECT ", 1)
    assert "LIMIT" in inner and "preview" not in inner
    assert "LIMIT" not in outer


def test_a_page_past_the_end_of_a_counted_list_is_its_last(
    inspector_client, panel, lead, monkeypatch
):
    monkeypatch.setattr(selectors, "LIBRARY_PAGE_SIZE", 2)
    grow(panel, lead, 3)
    page = page_of(inspector_client, "?page=7")
    assert page.count(CARD) == 1
    assert 'rel="next"' not in page
    assert page_of(inspector_client, "?page=x").count(CARD) == 2


def test_each_search_shows_its_own_text_escaped_in_the_remembered_form(
    inspector_client, panel, lead
):
    grow(panel, lead, 1)
    theme = Theme.objects.order_by("pk").first()
    for text in ("medication", HOSTILE, "checks"):
        query = f"?theme={theme.slug}&{_encode(text)}"
        page = page_of(inspector_client, query)
        assert _escaped(text) in page, text
        assert "<script>alert(1)" not in page
        assert re.search(f'value="{theme.slug}"\\s+checked', page)
    # No search text: an empty box, not the last search's.
    page = page_of(inspector_client, f"?theme={theme.slug}")
    assert 'name="q" value=' not in page and "checks" not in page.split("</form>")[0]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?q=" + "x" * 201, "Search must be 200 characters or fewer"),
        ("?theme=no-such-theme", "Choose themes from the list"),
        ("?agency=abc", "Choose an agency from the list"),
        ("?year=1999", "Choose a year from the list"),
        ("?level=galactic", "Choose a level from the list"),
    ],
)
def test_a_search_that_cannot_be_made_is_shown_as_an_error_not_as_results(
    inspector_client, panel, lead, query, error
):
    add_learning(panel, lead, disseminate=True, title="Any learning")
    page = page_of(inspector_client, query)
    assert "<title>Error: Learning library" in page
    assert "govuk-error-summary" in page and error in page
    assert "Any learning" not in page
    assert "Correct the search above" in page


def test_choosing_a_theme_and_an_agency_filters_the_library(
    inspector_client, panel, lead
):
    theme, other = Theme.objects.order_by("pk")[:2]
    add_learning(panel, lead, disseminate=True, themes=[theme], title="Tagged one")
    add_learning(panel, lead, disseminate=True, themes=[other], title="Other one")
    page = page_of(inspector_client, f"?theme={theme.slug}")
    assert "Tagged one" in page and "Other one" not in page
    assert "1 learning item" in page
    page = page_of(inspector_client, "?theme=no-such-theme")
    assert "govuk-error-message" in page


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search index is PostgreSQL's"
)
def test_the_search_vector_is_kept_in_the_row_and_indexed_directly():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = "
            "'panels_learningitem'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = "
            "'panels_learning_search_gin'"
        )
        assert cursor.fetchone() == (["fastupdate=off"],)


def _encode(text):
    from urllib.parse import urlencode

    return urlencode({"q": text})


def _escaped(text):
    from django.utils.html import escape

    return f'value="{escape(text)}"'


def test_the_words_of_a_search_are_found_in_any_order_and_field(
    inspector_client, panel, lead
):
    add_learning(
        panel,
        lead,
        disseminate=True,
        title="Domestic abuse call-outs",
        learning="Police shared the release date late.",
    )
    add_learning(panel, lead, disseminate=True, title="Housing on release")
    for words in ("abuse domestic", "domestic police", "release abuse"):
        page = page_of(inspector_client, f"?q={words.replace(' ', '+')}")
        assert "Domestic abuse call-outs" in page, words
        assert "Housing on release" not in page, words
    assert "No learning matches" in page_of(inspector_client, "?q=domestic+housing")
