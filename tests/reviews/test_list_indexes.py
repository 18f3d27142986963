"""
The review list is read from its indexes alone on PostgreSQL: each of its
pages (the first, one after a cursor, a region's by year) is an index-only
scan, because the index holds every column a row shows. A column added to
the list's rows and not to the index fails here, not in production.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from reviews.selectors import LIST_VALUES

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="covering indexes are PostgreSQL's"
)
LISTED = 'SELECT "reviews_review"."id" AS "id"'


def _list_query(client, url: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    (sql,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(LISTED)]
    return sql


def _plan(sql: str) -> str:
    """PostgreSQL's plan for `sql` where it may not visit the table for a
    row (no plain index scans, bitmap scans or sequential scans)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("enable_indexscan", "enable_bitmapscan", "enable_seqscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@needs_postgresql
@pytest.mark.django_db
def test_each_page_of_the_list_is_read_from_an_index_alone(client_for, monkeypatch):
    from sfoqa import keyset
    from tests.reviews.factories import ReviewFactory

    monkeypatch.setattr(keyset, "PAGE_SIZE", 2)
    reviews = ReviewFactory.create_batch(5)
    client = client_for(Role.LEAD_INSPECTOR)
    url = reverse("reviews:list")
    first = client.get(url)
    year = reviews[0].received_on.year
    pages = {
        "review_received_idx": [url, f"{url}?{first.context['page'].next_query}"],
        "review_region_received_idx": [
            f"{url}?region={reviews[0].region_id}&year={year}"
        ],
    }
    for index, urls in pages.items():
        for page in urls:
            plan = _plan(_list_query(client, page))
            assert f"Index Only Scan using {index} on reviews_review" in plan, plan


def test_the_indexes_hold_what_a_row_of_the_list_shows():
    """The same check on any database: the columns the list reads are the
    indexes' keys and included columns."""
    from reviews.models import Review

    indexes = {index.name: index for index in Review._meta.indexes}
    for name in ("review_received_idx", "review_region_received_idx"):
        index = indexes[name]
        held = {
            Review._meta.get_field(field.lstrip("-")).attname
            for field in (*index.fields, *index.include)
        }
        assert set(LIST_VALUES) <= held, name
