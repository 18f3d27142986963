"""
Queries whose SQL is built once a process and then only run.

The ORM spends longer building a small query than the database spends
running it. A query that every request makes in the same shape (the
session's row, the review list's filter lists) is built from its queryset
the first time, for the database its model is read from, and from then on
only run, with its parameters, and on PostgreSQL prepared once a
connection (sfoqa.prepared): each reads rows by their key.
"""

from collections.abc import Callable, Sequence

from django.db import connections, router
from django.db.models import Model, QuerySet

from sfoqa.prepared import generic_plans

_built: dict[tuple[str, str], tuple[str, tuple]] = {}
_built_instances: dict[tuple[str, str], tuple[str, tuple, list]] = {}


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
    with connections[alias].cursor() as cursor, generic_plans():
        cursor.execute(sql, built_params if params is None else params)
        return cursor.fetchall()


def fetch_instance(
    name: str,
    model: type[Model],
    build: Callable[[], QuerySet],
    params: Sequence | None = None,
) -> Model | None:
    """The first instance `build()`'s query gives, as the queryset would give
    it (every value through the ORM's converters), or None. The query must
    read the model's own fields only: no select_related, no annotations."""
    alias = router.db_for_read(model)
    key = (name, alias)
    if key not in _built_instances:
        compiler = build().using(alias).query.get_compiler(alias)
        sql, built_params = compiler.as_sql()
        columns = [column for column, _, _ in compiler.select]
        attnames = [column.target.attname for column in columns]
        if attnames != [field.attname for field in model._meta.concrete_fields]:
            raise ValueError(f"{name}: the query must read {model.__name__}'s fields")
        _built_instances[key] = (sql, built_params, columns)
    sql, built_params, columns = _built_instances[key]
    connection = connections[alias]
    with connection.cursor() as cursor, generic_plans():
        cursor.execute(sql, built_params if params is None else params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, column in zip(row, columns, strict=True):
        for convert in [
            *connection.ops.get_db_converters(column),
            *column.get_db_converters(connection),
        ]:
            value = convert(value, column, connection)
        values.append(value)
    return model.from_db(alias, None, values)
