"""
Keyset (seek) pagination: "Next" and "Previous" by the sort key and the id,
so page 200 costs what page 1 costs (no OFFSET) and nothing counts the whole
list. A cursor is the sort values of the row at a page's edge, in the query
string (`after=2024-05-01_123`, `before=...`); one that does not parse is
ignored and the first page is shown.

The rows come as a queryset, or as a `Listing`: the queryset's recipe and
the plain values it takes, so that each kind of page (the first, one after
a cursor, one before) has its SQL built once a process rather than by the
ORM on every request.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import IntegerField, Model, Q, QuerySet

from sfoqa import statements
from sfoqa.params import whole_number

PAGE_SIZE = 50
CURSOR_PARAMETERS = ("after", "before", "page")
_MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class KeysetPage:
    """One page of rows, with the query strings of its neighbours (or "")."""

    object_list: list
    number: int
    next_query: str
    previous_query: str

    @property
    def has_next(self) -> bool:
        return bool(self.next_query)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_query)


@dataclass(frozen=True)
class Listing:
    """The rows to page, as a values() queryset that `build(**inputs)` makes
    from plain values (an inspector's id, say), so that each page's SQL is
    built once a process and each request only puts its values in
    (sfoqa.statements.values). `build` compares each input with a field as
    it is, and depends on nothing else."""

    model: type[Model]
    build: Callable[..., QuerySet]
    inputs: Mapping[str, object] = field(default_factory=dict)

    def page(self, keys, cursor, size, *, backwards: bool) -> list[dict]:
        marks = {f"cursor_{index}": value for index, value in enumerate(cursor)}

        def build(**values):
            rows = self.build(**{name: values[name] for name in self.inputs})
            return _page_query(
                rows, keys, tuple(values[m] for m in marks), size, backwards
            )

        name = " ".join(
            [
                f"{self.build.__module__}.{self.build.__qualname__}",
                ",".join(keys),
                str(size),
                "before" if backwards else "after" if cursor else "first",
            ]
        )
        return statements.values(self.model, build, {**self.inputs, **marks}, name=name)


def _page_query(rows: QuerySet, keys, cursor, size, backwards) -> QuerySet:
    """The rows just past `cursor` (from the top without one), `size` + 1 of
    them, in the order `keys` (reversed when `backwards`)."""
    rows = rows.order_by(*(_reverse(keys) if backwards else keys))
    if cursor:
        rows = rows.filter(_beyond(keys, cursor, backwards=backwards))
    return rows[: size + 1]


def _field(rows: QuerySet | Listing, name: str):
    """The model field a key names, following relations (`review__received_on`)."""
    model = rows.model
    *path, last = name.lstrip("-").split("__")
    for step in path:
        model = model._meta.get_field(step).related_model
        if model is None:
            raise FieldDoesNotExist(name)
    return model._meta.get_field(last)


def _parse(
    rows: QuerySet | Listing, keys: tuple[str, ...], text: str | None
) -> tuple | None:
    """The cursor's values, each checked against its field; None if unusable."""
    if not text or len(text) > 200 or "\x00" in text:
        return None
    parts = text.rsplit("_", len(keys) - 1)
    if len(parts) != len(keys):
        return None
    values = []
    try:
        for key, part in zip(keys, parts, strict=True):
            field = _field(rows, key)
            if isinstance(field, IntegerField):
                value = whole_number(part, lowest=1)
            else:
                value = field.to_python(part)
            if value is None or (
                isinstance(value, str) and len(value) > (field.max_length or 200)
            ):
                return None
            values.append(value)
    except (ValidationError, FieldDoesNotExist, ValueError, TypeError):
        return None
    return tuple(values)


def _beyond(keys: tuple[str, ...], values: tuple, *, backwards: bool) -> Q:
    """Rows strictly after the cursor in the order `keys` (before it if
    `backwards`). The leading bound on the first key alone lets the database
    range-scan the sort index and stop after one page."""
    conditions = []
    for depth, key in enumerate(keys):
        name = key.lstrip("-")
        later = key.startswith("-") == backwards  # ascending, going forward
        step = Q(**{f"{name}__{'gt' if later else 'lt'}": values[depth]})
        equal = Q(
            **{
                k.lstrip("-"): v
                for k, v in zip(keys[:depth], values[:depth], strict=True)
            }
        )
        conditions.append(equal & step)
    either = Q()
    for condition in conditions:
        either |= condition
    first = keys[0].lstrip("-")
    later = keys[0].startswith("-") == backwards
    return Q(**{f"{first}__{'gte' if later else 'lte'}": values[0]}) & either


def _reverse(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k[1:] if k.startswith("-") else f"-{k}" for k in keys)


def _value(row, name: str):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _cursor(row, keys: tuple[str, ...]) -> str:
    values = [_value(row, k.lstrip("-")) for k in keys]
    return "_".join(
        v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values
    )


def _number(text: str | None) -> int:
    return whole_number(text, lowest=1, highest=_MAX_PAGE) or 1


def _rows(rows: QuerySet | Listing, keys, cursor, size, backwards) -> list:
    if isinstance(rows, Listing):
        return rows.page(keys, cursor or (), size, backwards=backwards)
    return list(_page_query(rows, keys, cursor, size, backwards))


def _backwards(rows, keys, before, size) -> tuple[list, bool]:
    """The page ending just before `before`, and whether more lie before it."""
    found = _rows(rows, keys, before, size, backwards=True)
    return found[:size][::-1], len(found) > size


def _forwards(rows, keys, after, size) -> tuple[list, bool]:
    """The page starting just after `after` (or at the top), and whether more follow."""
    found = _rows(rows, keys, after, size, backwards=False)
    return found[:size], len(found) > size


def keyset_page(
    rows: QuerySet | Listing,
    *,
    keys: tuple[str, ...],
    params,
    query: str = "",
    size: int | None = None,
    prefix: str = "",
) -> KeysetPage:
    """The page of `rows` (ordered by `keys`, the last of them unique) that the
    request's `after`/`before` cursor names; `query` is the rest of the query
    string, kept in the neighbours' links. A cursor that leads nowhere (past
    either end) gives the first page. `prefix` names the parameters
    (`waiting-after`, ...) where one page pages several lists apart."""
    size = size or PAGE_SIZE
    after = _parse(rows, keys, params.get(f"{prefix}after"))
    before = None if after else _parse(rows, keys, params.get(f"{prefix}before"))
    found, more_before, more_after = [], False, False
    if before:
        found, more_before = _backwards(rows, keys, before, size)
        more_after = True
    elif after:
        found, more_after = _forwards(rows, keys, after, size)
        more_before = True
    if len(found) < size and not (after and found):
        found, more_after = _forwards(rows, keys, None, size)
        more_before = False
    number = max(_number(params.get(f"{prefix}page")), 2) if more_before else 1

    def link(direction: str, row, page: int) -> str:
        pairs = {f"{prefix}{direction}": _cursor(row, keys), f"{prefix}page": page}
        return "&".join(filter(None, [query, urlencode(pairs)]))

    return KeysetPage(
        object_list=found,
        number=number,
        next_query=link("after", found[-1], number + 1) if more_after else "",
        previous_query=link("before", found[0], number - 1) if more_before else "",
    )


def query_without_cursor(params, *, prefix: str = "") -> str:
    """The query string without the pagination parameters (those of `prefix`)."""
    query = params.copy()
    for name in CURSOR_PARAMETERS:
        query.pop(f"{prefix}{name}", None)
    return query.urlencode()
