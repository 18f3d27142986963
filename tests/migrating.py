"""Run one app's data migration again over rows made by today's code."""

from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@contextmanager
def migrated_again(app_label: str, *, before: str, after: str):
    """Unapply `app_label`'s migrations back to `before` and apply them up
    to `after`, for the block to look at what the later ones made of the
    data; then every app's migrations are applied again, so the tests after
    this one find the schema they expect."""
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([(app_label, before)])
        executor.loader.build_graph()
        executor.migrate([(app_label, after)])
        yield
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
