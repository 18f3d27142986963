"""
Queries whose SQL is built once a process and then only run.

The ORM spends longer building a small query than the database spends
running it. A query that every request makes in the same shape (the
session's row, the review list's filter lists) is built from its queryset
the first time, for the database its model is read from, and from then on
only run, with its parameters.
"""

from collections.abc import Callable, Sequence

from django.db import connections, router
from django.db.models import Model, QuerySet

_built: dict[tuple[str, str], tuple[str, tuple]] = {}


def fetch(
    name: str,
    model: type[Model],
    build: Callable[[], QuerySet],
    params: Sequence | None = None,
) -> list[tuple]:
    """The rows of `build()`'s query, built once per name and database; with
    `params`, run with those in place of the ones it was built with, in the
    order the built SQL takes them (each adapted as the ORM would adapt it)."""
    alias = router.db_for_read(model)
    key = (name, alias)
    if key not in _built:
        _built[key] = build().using(alias).query.sql_with_params()
    sql, built_params = _built[key]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, built_params if params is None else params)
        return cursor.fetchall()
