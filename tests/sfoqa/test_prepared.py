"""Prepared statements return what the statement returned unprepared."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from ratings.models import Assessment
from sfoqa import keyset, prepared
from sfoqa.prepared import generic_plans
from tests.ratings.test_list_pages import references, set_status, started

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements are PostgreSQL's; CI runs these on PostgreSQL",
)


def test_placeholders_are_numbered_and_a_literal_percent_kept():
    assert prepared.numbered("SELECT %s, '50%%' WHERE a = %s") == (
        "SELECT $1, '50%' WHERE a = $2",
        2,
    )


def test_sql_with_any_other_percent_is_left_alone():
    assert prepared.numbered("SELECT %(name)s") is None
    assert prepared.numbered("SELECT 5 % 2") is None


def test_a_threshold_of_nought_leaves_the_connections_as_django_makes_them():
    assert prepared.options(0) == {}
    made = prepared.options(3)
    assert made["cursor_factory"] is prepared.Cursor
    assert made["connection_factory"].keywords == {"threshold": 3}


@pytest.mark.parametrize(
    "value, declared",
    [
        ("text", "unknown"),
        (None, "unknown"),
        (True, "boolean"),
        (7, "int8"),
        (2**63, None),
        (Decimal("1.5"), "numeric"),
        (datetime.date(2026, 1, 2), "date"),
        (datetime.datetime(2026, 1, 2, 3, 4), "timestamp"),
        (datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC), "timestamptz"),
        (uuid.UUID(int=5), "uuid"),
        (1.5, None),
        ([1, 2], None),
        (b"bytes", None),
    ],
)
def test_each_parameter_is_declared_as_its_literal_would_be_typed(value, declared):
    assert prepared._declared_type(value) == declared


def _raw():
    connection.ensure_connection()
    return connection.connection


def _state(sql):
    """What the connection holds for `sql`: its name, None (never to be
    prepared) or False (not prepared yet); the test database's connection
    lives on from test to test."""
    found = [v for (query, _), v in _raw().prepared.items() if query == sql]
    return found[0] if found else False


def _run(sql, params, times):
    rows = []
    with connection.cursor() as cursor:
        for _ in range(times):
            cursor.execute(sql, params)
            rows.append(cursor.fetchall())
    return rows


VALUES = [
    7,
    "text with ' and %",
    None,
    True,
    Decimal("1.50"),
    datetime.date(2026, 1, 2),
    datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    uuid.UUID(int=5),
]
SELECT_VALUES = "SELECT " + ", ".join(["%s"] * len(VALUES)) + ", '100%%'"


@needs_postgresql
@pytest.mark.django_db
def test_a_hot_statement_is_prepared_and_returns_the_same_rows_and_types():
    threshold = _raw().threshold
    assert threshold > 0
    with generic_plans():
        rows = _run(SELECT_VALUES, VALUES, threshold + 2)
    expected = [(*VALUES, "100%")]
    assert rows == [expected] * (threshold + 2)
    assert [type(v) for v in rows[-1][0]] == [type(v) for v in expected[0]]
    name = _state(SELECT_VALUES)
    assert name
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        assert (name,) in cursor.fetchall()


@needs_postgresql
@pytest.mark.django_db
def test_a_statement_outside_generic_plans_is_never_prepared():
    _run("SELECT %s + 101", [1], _raw().threshold + 2)
    assert _state("SELECT %s + 101") is False


@needs_postgresql
@pytest.mark.django_db
def test_a_statement_postgresql_cannot_prepare_runs_as_it_was_in_its_transaction():
    with generic_plans():
        rows = _run("SELECT %s IS NULL", ["x"], _raw().threshold + 2)
    assert rows == [[(False,)]] * (_raw().threshold + 2)
    assert _state("SELECT %s IS NULL") is None
    # The test's transaction is still usable.
    assert _run("SELECT 1", None, 1) == [[(1,)]]


@needs_postgresql
@pytest.mark.django_db
def test_the_statements_own_sql_is_what_the_query_log_shows():
    with generic_plans(), CaptureQueriesContext(connection) as queries:
        _run("SELECT %s + 1", [41], _raw().threshold + 1)
    assert _state("SELECT %s + 1")
    assert [q["sql"] for q in queries.captured_queries][-1] == "SELECT 41 + 1"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_statements_the_session_lost_are_run_again_and_prepared_afresh():
    threshold = _raw().threshold
    with generic_plans():
        _run("SELECT %s * 2", [2], threshold)
        assert _state("SELECT %s * 2")
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        assert _run("SELECT %s * 2", [3], 1) == [[(6,)]]
        assert _state("SELECT %s * 2") is False
        assert _run("SELECT %s * 2", [4], threshold) == [[(8,)]] * threshold
        assert _state("SELECT %s * 2")


@needs_postgresql
@pytest.mark.django_db
def test_the_moderation_queue_pages_alike_once_its_lists_are_prepared(
    client_for, users, monkeypatch
):
    monkeypatch.setattr(keyset, "PAGE_SIZE", 2)
    waiting = started(users, 5)
    set_status(waiting, Assessment.Status.SUBMITTED, submitted_at=True)
    oldest = [a.review.hmpps_reference for a in waiting]
    client = client_for(Role.LEAD_INSPECTOR)
    url = reverse("ratings:moderation_queue")
    for _ in range(_raw().threshold + 6):  # past PostgreSQL's five custom plans
        first = client.get(url)
        assert references(first, "assessments") == oldest[:2]
        second = client.get(f"{url}?{first.context['waiting'].next_query}")
        assert references(second, "assessments") == oldest[2:4]
        back = client.get(f"{url}?{second.context['waiting'].previous_query}")
        assert references(back, "assessments") == oldest[:2]
    assert sum("ratings_assessment" in sql and bool(name)
               for (sql, _), name in _raw().prepared.items()) >= 4  # fmt: skip


@needs_postgresql
@pytest.mark.django_db
def test_the_review_list_shares_one_plan_only_while_read_in_an_index_order(
    client_for, monkeypatch
):
    from tests.reviews.factories import ReviewFactory

    monkeypatch.setattr(keyset, "PAGE_SIZE", 2)
    reviews = ReviewFactory.create_batch(5)
    newest = [
        r.hmpps_reference
        for r in sorted(reviews, key=lambda r: (r.received_on, r.pk), reverse=True)
    ]
    region = reviews[0].region
    in_region = [r.hmpps_reference for r in reviews if r.region == region]
    in_region = [reference for reference in newest if reference in in_region]
    offence = reviews[0].offence_category
    of_offence = [r.hmpps_reference for r in reviews if r.offence_category == offence]
    of_offence = [reference for reference in newest if reference in of_offence]

    def shown(response):
        return [row["reference"] for row in response.context["rows"]]

    client = client_for(Role.LEAD_INSPECTOR)
    url = reverse("reviews:list")
    for _ in range(_raw().threshold + 6):  # past PostgreSQL's five custom plans
        first = client.get(url)
        assert shown(first) == newest[:2]
        second = client.get(f"{url}?{first.context['page'].next_query}")
        assert shown(second) == newest[2:4]
        filtered = client.get(f"{url}?region={region.pk}")
        assert shown(filtered) == in_region[:2]
        by_offence = client.get(f"{url}?offence_category={offence.pk}")
        assert shown(by_offence) == of_offence[:2]
        by_due = client.get(f"{url}?region={region.pk}&sort=due")
        assert by_due.status_code == 200
    listed = 'SELECT "reviews_review"."id" AS "id"'
    in_a_region = '"reviews_review"."region_id" = %s'
    of_an_offence = '"reviews_review"."offence_category_id" = %s'
    statements = [
        (sql, name)
        for (sql, _), name in _raw().prepared.items()
        if sql.startswith(listed)
    ]
    # (The test database's connection keeps what earlier tests prepared.)
    prepared = [sql for sql, name in statements if name]
    newest_first = "ORDER BY 6 DESC, 1 DESC LIMIT 3"
    # The first page, a page after a cursor and a region's newest first are
    # each prepared...
    assert [
        sql for sql in prepared if sql.endswith(newest_first) and "WHERE" not in sql
    ]
    assert [sql for sql in prepared if "WHERE" in sql and in_a_region not in sql]
    in_region_prepared = [sql for sql in prepared if in_a_region in sql]
    assert [sql for sql in in_region_prepared if sql.endswith(newest_first)]
    # ...but not an offence's rows, nor a region's in another order than its
    # index's (by due date): those are planned for their values each time.
    assert not [sql for sql in prepared if of_an_offence in sql]
    assert all("ORDER BY 6 DESC, 1 DESC LIMIT" in sql for sql in in_region_prepared)
