"""
Keyset (seek) pagination: "Next" and "Previous" by the sort key and the id,
so page 200 costs what page 1 costs (no OFFSET) and nothing counts the whole
list. A cursor is the sort values of the row at a page's edge, in the query
string (`after=2024-05-01_123`, `before=...`); one that does not parse is
ignored and the first page is shown.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import IntegerField, Q, QuerySet

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


def _field(rows: QuerySet, name: str):
    """The model field a key names, following relations (`review__received_on`)."""
    model = rows.model
    *path, last = name.lstrip("-").split("__")
    for step in path:
        model = model._meta.get_field(step).related_model
        if model is None:
            raise FieldDoesNotExist(name)
    return model._meta.get_field(last)


def _parse(rows: QuerySet, keys: tuple[str, ...], text: str | None) -> tuple | None:
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


def _backwards(rows, keys, before, size) -> tuple[list, bool]:
    """The page ending just before `before`, and whether more lie before it."""
    found = list(
        rows.filter(_beyond(keys, before, backwards=True)).order_by(*_reverse(keys))[
            : size + 1
        ]
    )
    return found[:size][::-1], len(found) > size


def _forwards(rows, keys, after, size) -> tuple[list, bool]:
    """The page starting just after `after` (or at the top), and whether more follow."""
    ordered = rows.order_by(*keys)
    if after:
        ordered = ordered.filter(_beyond(keys, after, backwards=False))
    found = list(ordered[: size + 1])
    return found[:size], len(found) > size


def keyset_page(
    rows: QuerySet,
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
