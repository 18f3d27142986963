# The library's search vector kept in the row and its GIN index written
# through, on PostgreSQL only.
#
# A vector of a few hundred words is about 1.6 kB, which with the item's own
# text pushes the row past PostgreSQL's 2 kB TOAST threshold: each vector was
# then stored out of line, so ranking the matches (and any scan the planner
# thought cheap) fetched one TOAST chunk per row, several times the cost of
# the ranking itself. STORAGE MAIN keeps it in the row (out of line only as a
# last resort). Without `fastupdate` new entries go straight into the index
# rather than into a pending list that every search then reads in full until
# the next vacuum.

from django.db import migrations

INDEX = "panels_learning_search_gin"
TABLE = "panels_learningitem"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Rewriting every row is far quicker without the index; it is built again.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN"
    )
    # A changed value is stored afresh, under the new storage.
    schema_editor.execute(
        "UPDATE panels_learningitem SET search_vector = search_vector || ''::tsvector "
        "WHERE search_vector IS NOT NULL"
    )
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON {TABLE} USING gin (search_vector) "
        "WITH (fastupdate = off)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE EXTENDED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING gin (search_vector)")


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0002_learning_search_vector"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
