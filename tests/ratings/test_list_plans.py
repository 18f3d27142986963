"""
Lists read from a partial index keep reading it in the one plan PostgreSQL
makes for every request. The moderation page's list of reports to publish:
the status the index's condition names is in the SQL, not a parameter, so the
prepared statement's generic plan can use the index (sfoqa.lookups) rather
than PostgreSQL planning it afresh each time. "Allocated to you": the
allocations not yet started.
"""

import pytest
from django.db import connection, transaction

from ratings import selectors

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="generic plans are PostgreSQL's"
)


def _generic_plan(queryset) -> str:
    """PostgreSQL's plan for the query prepared once for any values (as
    sfoqa.prepared runs it), with scans of the whole table ruled out."""
    sql, params = queryset.query.sql_with_params()
    places = (f"${number}" for number in range(1, len(params) + 1))
    numbered = sql.replace("%s", "{}").format(*places)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"PREPARE listed AS {numbered}")
        try:
            arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
            cursor.execute(f"EXPLAIN EXECUTE listed{arguments}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE listed")


@needs_postgresql
@pytest.mark.django_db
def test_the_generic_plan_of_the_list_to_publish_reads_its_partial_index():
    plan = _generic_plan(selectors.signed_off()[:51])
    assert "assessment_to_publish_idx" in plan, plan


@needs_postgresql
@pytest.mark.django_db
def test_the_generic_plan_of_the_allocations_to_start_reads_only_those():
    """ "Allocated to you" reads the allocations not yet started from their
    own index, not every allocation the inspector has finished."""
    plan = _generic_plan(selectors._allocations_to_start(inspector_id=1))
    assert "allocation_to_start_idx" in plan, plan
