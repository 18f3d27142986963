"""
The moderation page's list of reports to publish has one plan for every
request on PostgreSQL, and it reads the list's partial index: the status the
index's condition names is in the SQL, not a parameter, so the prepared
statement's generic plan can use the index (sfoqa.lookups) rather than
PostgreSQL planning it afresh each time.
"""

import pytest
from django.db import connection, transaction

from ratings import selectors

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="generic plans are PostgreSQL's"
)


@needs_postgresql
@pytest.mark.django_db
def test_the_generic_plan_of_the_list_to_publish_reads_its_partial_index():
    sql, params = selectors.signed_off()[:51].query.sql_with_params()
    places = (f"${number}" for number in range(1, len(params) + 1))
    numbered = sql.replace("%s", "{}").format(*places)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"PREPARE to_publish AS {numbered}")
        try:
            arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
            cursor.execute(f"EXPLAIN EXECUTE to_publish{arguments}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE to_publish")
    assert "assessment_to_publish_idx" in plan, plan
