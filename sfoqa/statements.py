"""
Queries whose SQL is built once a process and then only run.

The ORM spends longer building a small query than the database spends
running it. A query that every request makes in the same shape (the
session's row, the review list's filter lists) is built from its queryset
the first time, for the database its model is read from, and from then on
only run, with its parameters, and on PostgreSQL prepared once a
connection (sfoqa.prepared): each reads rows by their key.

`values` does the same for a list whose query takes values (an inspector's
id, a page's cursor): it learns where each value goes among the SQL's
parameters, and checks what it learnt, by building the query twice.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

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
    return instance(model, alias, columns, row)


def instance(model: type[Model], alias: str, columns, row: Sequence) -> Model:
    """The model instance a row of its concrete fields makes, read from
    `columns` (their column expressions), as the ORM would make it."""
    connection = connections[alias]
    values = _converted(row, _converters(connection, columns), connection)
    return model.from_db(alias, None, values)


def _converters(connection, columns) -> list[tuple]:
    """(index, converters, column) for each column the ORM converts: worked
    out once for each connection and list of columns (the lists are the
    module's own, kept for the process), not for each row."""
    known = _converters_known.setdefault(connection, {})
    found = known.get(id(columns))
    if found is None or found[0] is not columns:
        found = known[id(columns)] = (columns, _converters_of(connection, columns))
    return found[1]


# For each connection (the converters are its methods), its columns' lists'
# converters by the list's identity, beside the list, which they keep alive.
_converters_known: WeakKeyDictionary = WeakKeyDictionary()


def _converters_of(connection, columns) -> list[tuple]:
    return [
        (index, converts, column)
        for index, column in enumerate(columns)
        if (
            converts := [
                *connection.ops.get_db_converters(column),
                *column.get_db_converters(connection),
            ]
        )
    ]


def _converted(row: Sequence, converters: list[tuple], connection) -> Sequence:
    """The row with each value through its column's converters."""
    if not converters:
        return row
    row = list(row)
    for index, converts, column in converters:
        value = row[index]
        for convert in converts:
            value = convert(value, column, connection)
        row[index] = value
    return row


# The values of a list query: built from named inputs (an inspector's id, a
# page's cursor), its SQL built once for each set of input names and types,
# and each request's inputs put in the places the ORM put them.


@dataclass(frozen=True)
class _Statement:
    """A query's SQL as built once, and where each input goes in it."""

    sql: str
    params: tuple
    places: tuple[tuple[int, str], ...]  # (parameter position, input name)
    columns: tuple  # the selected columns' expressions, for their converters


@dataclass(frozen=True)
class _Layout:
    statement: _Statement
    names: tuple[str, ...]


_layouts: dict[tuple, _Layout | None] = {}
_UNLEARNT = object()


def _other(value, step: int):
    """A value of the same type that no usual transform (a year, a month, a
    date, a rounding) maps to where it maps `value`; None if there is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value + 7919 * step
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(days=400 * step, hours=step, seconds=step)
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=400 * step)
    if isinstance(value, str):
        return f"{value}~{step}"
    return None


def _places(alias: str, build: Callable[..., QuerySet], inputs: dict):
    """The compiler of `build(**inputs)` and its `_Statement`: where each
    input goes among the SQL's parameters, learnt by building the query twice,
    with the inputs and with other values of their types: a parameter that
    changes must be one input, as given (no transform), and every input must
    be somewhere. None where the query is not that simple."""
    steps = {name: step for step, name in enumerate(sorted(inputs), start=1)}
    # In the inputs' own order, which a build may depend on.
    others = {name: _other(value, steps[name]) for name, value in inputs.items()}
    if None in others.values():
        return None
    first = build(**inputs).using(alias)
    compiler = first.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    again, params_again = build(**others).using(alias).query.sql_with_params()
    if sql != again or len(params) != len(params_again):
        return None
    places = []
    for position, (one, other) in enumerate(zip(params, params_again, strict=True)):
        if one == other:
            continue
        found = [
            name
            for name, value in inputs.items()
            if type(one) is type(value)
            and one == value
            and type(other) is type(others[name])
            and other == others[name]
        ]
        if len(found) != 1:
            return None
        places.append((position, found[0]))
    if {name for _, name in places} != set(inputs):
        return None
    columns = tuple(column for column, _, _ in compiler.select[: compiler.col_count])
    return compiler, _Statement(sql, tuple(params), tuple(places), columns)


def _learn(alias: str, build: Callable[..., QuerySet], inputs: dict) -> _Layout | None:
    """The layout of a values() query (`_places`); None where there is none."""
    found = _places(alias, build, inputs)
    if found is None:
        return None
    compiler, statement = found
    query = compiler.query
    if not query.values_select and not query.annotation_select:
        return None
    return _Layout(
        statement=statement,
        names=(*query.extra_select, *query.values_select, *query.annotation_select),
    )


def by_id(ids: list[int]) -> dict:
    """A page's ids as named inputs (`id_0`, `id_1`...), so that the query of
    each page size is built once (`values`)."""
    return {f"id_{index}": pk for index, pk in enumerate(ids)}


def values(
    model: type[Model], build: Callable[..., QuerySet], inputs: dict, *, name: str
) -> list[dict]:
    """The rows of `build(**inputs)`, a values() queryset, as the queryset
    gives them. Its SQL is built once per name, database and the names and
    types of the inputs, where each input is compared as it is; otherwise
    the queryset is built and run each time, as before."""
    layout, rows = _read(model, build, inputs, name, _layouts, _learn)
    if layout is None:
        return rows
    return [dict(zip(layout.names, row, strict=True)) for row in rows]


def _read(model, build, inputs: dict, name: str, kept: dict, learn) -> tuple:
    """(the layout, its rows with every value converted as the ORM converts
    it), or (None, the queryset's own results) where there is no layout."""
    alias = router.db_for_read(model)
    key = (name, alias, tuple((k, type(v)) for k, v in sorted(inputs.items())))
    layout = _layout(kept, key, learn, alias, build, inputs)
    if layout is None:
        return None, list(build(**inputs).using(alias))
    connection = connections[alias]
    statement = layout.statement
    converters = _converters(connection, statement.columns)
    return layout, [
        _converted(row, converters, connection)
        for row in _run(connection, statement, inputs)
    ]


def _layout(kept: dict, key: tuple, learn, alias: str, build, inputs: dict):
    """The layout kept under `key`, learnt from these inputs the first time;
    None where the queryset must be built and run as it is. Inputs that
    match nothing as given (a number beyond its column's range, which the
    ORM answers as no rows without a query) teach nothing and are not
    kept: the next request learns from its own."""
    if not _storable(inputs):
        return None
    layout = kept.get(key, _UNLEARNT)
    if layout is _UNLEARNT:
        try:
            layout = learn(alias, build, inputs)
        except EmptyResultSet:
            return None
        kept[key] = layout
    return layout


def _storable(inputs: dict) -> bool:
    """Whether every whole number fits a 64-bit column: the ORM answers one
    that does not (an id from an address, say) as matching nothing, where
    the driver would refuse it."""
    return all(
        -(2**63) <= value < 2**63 for value in inputs.values() if isinstance(value, int)
    )


def _run(connection, statement: _Statement, inputs: dict) -> list[tuple]:
    """The statement's rows with each input in its places."""
    params = list(statement.params)
    for position, input_name in statement.places:
        params[position] = inputs[input_name]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        return cursor.fetchall()


# The model instances of a query (its select_related ones too), built the
# same way: each is made from its row as the ORM's own iterable makes it.


@dataclass(frozen=True)
class _InstanceLayout:
    statement: _Statement
    model: type[Model]
    fields: slice  # the model's own columns in a row
    init_list: tuple[str, ...]
    populators: tuple  # select_related's, as Django's ModelIterable makes them
    annotations: tuple[tuple[str, int], ...]


_instance_layouts: dict[tuple, _InstanceLayout | None] = {}


def _learn_instances(
    alias: str, build: Callable[..., QuerySet], inputs: dict
) -> _InstanceLayout | None:
    found = _places(alias, build, inputs)
    if found is None:
        return None
    compiler, statement = found
    query = compiler.query
    if query.values_select or query.extra_select or query.deferred_loading[0]:
        return None
    select, klass_info = compiler.select, compiler.klass_info
    positions = klass_info["select_fields"]
    fields = slice(positions[0], positions[-1] + 1)
    return _InstanceLayout(
        statement=statement,
        model=klass_info["model"],
        fields=fields,
        init_list=tuple(column.target.attname for column, _, _ in select[fields]),
        populators=tuple(get_related_populators(klass_info, select, alias)),
        annotations=tuple(compiler.annotation_col_map.items()),
    )


def instances(
    model: type[Model], build: Callable[..., QuerySet], inputs: dict, *, name: str
) -> list[Model]:
    """The instances of `build(**inputs)` (with those its select_related
    reads), as the queryset gives them, its SQL built once per name,
    database and the names and types of the inputs, as `values` builds it;
    otherwise the queryset is built and run each time. No prefetching: the
    queryset's own query only."""
    layout, rows = _read(
        model, build, inputs, name, _instance_layouts, _learn_instances
    )
    if layout is None:
        return rows
    alias = router.db_for_read(model)
    found = []
    for row in rows:
        instance = layout.model.from_db(alias, layout.init_list, row[layout.fields])
        for populator in layout.populators:
            populator.populate(row, instance)
        for attribute, position in layout.annotations:
            setattr(instance, attribute, row[position])
        found.append(instance)
    return found


def prefetched(instance: Model, name: str, related: list[Model]) -> None:
    """Give `instance` its `related` objects as prefetch_related(name) would:
    `getattr(instance, name).all()` then reads no rows, and each related
    object knows `instance` as its parent."""
    manager = getattr(instance, name)
    field = manager.field
    for child in related:
        field.set_cached_value(child, instance)
    rows = manager.get_queryset()
    rows._result_cache = related
    rows._prefetch_done = True
    cache = getattr(instance, "_prefetched_objects_cache", None)
    if cache is None:
        cache = instance._prefetched_objects_cache = {}
    cache[field.remote_field.cache_name] = rows
