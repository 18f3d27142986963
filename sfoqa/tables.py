"""
GOV.UK tables for the long lists (govuk/components/table), written in one
place and rendered in one pass.

Through the template language a 50-row table costs a node, a context lookup
and an escape per cell: most of a list page's time. Here each column says
once what its cells hold, as a `str.format` string over the row's fields;
every field is escaped once (markup already made safe passes as it is), and
each row is a single `format_map`. The table, caption, header and cell
markup is written only in this module.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from html import escape
from string import Formatter

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# A character that HTML text must escape (html.escape's, quotes included).
_SPECIAL = re.compile(r"[&<>\"']")


def escaped(value) -> str:
    """A value as HTML text: safe markup passes, None is nothing, anything
    else is escaped (as Django's `conditional_escape`, without its lazy-string
    wrapper). A table's cells are mostly plain text and whole numbers, which
    come back as they are without being copied five times."""
    kind = type(value)
    if kind is str:
        return escape(value) if _SPECIAL.search(value) else value
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def tag(text, colour: str) -> SafeString:
    """A GOV.UK tag (govuk/components/tag) in one of its colours."""
    return mark_safe(  # noqa: S308 - the text is escaped, the colour is ours
        f'<strong class="govuk-tag govuk-tag--{colour}">{escaped(text)}</strong>'
    )


def tag_after(text, colour: str) -> SafeString:
    """A tag that follows a cell's text, a space before it."""
    return mark_safe(f" {tag(text, colour)}")  # noqa: S308 - tag() escapes


def link(href: str, text: str, *, classes: str = "", hidden: str = "") -> str:
    """A cell's link, as a format string over the row's fields: `href` and
    `text` (and `hidden`, words for screen readers only) name fields."""
    after = (
        f'<span class="govuk-visually-hidden"> {{{hidden}}}</span>' if hidden else ""
    )
    return (
        f'<a class="govuk-link{" " + classes if classes else ""}" href="{{{href}}}">'
        f"{{{text}}}{after}</a>"
    )


def anchor(href: str, text, *, hidden="") -> SafeString:
    """A link in a cell whose content differs from row to row."""
    html = _ANCHORS[bool(hidden)]
    values = {"href": escaped(href), "text": escaped(text), "hidden": escaped(hidden)}
    return SafeString(html.format_map(values))  # every value escaped above


# `anchor`'s markup without and with words for screen readers.
_ANCHORS = {False: link("href", "text"), True: link("href", "text", hidden="hidden")}


def status_tag(text: str = "status", colour: str = "colour") -> str:
    """A cell's tag, as a format string over the fields named."""
    return f'<strong class="govuk-tag govuk-tag--{{{colour}}}">{{{text}}}</strong>'


@dataclass(frozen=True)
class Column:
    """One column: its header and what each cell holds (a format string over
    the row's fields, whose values are escaped before they are put in)."""

    header: str
    cell: str
    numeric: bool = False
    # Headers of action columns are for screen readers only.
    header_hidden: bool = False


def action_column(href: str, text: str, *, hidden: str = "reference") -> Column:
    """A column of links that act on their row, its header for screen readers
    only; `hidden` names the field that says which row, for them too."""
    return Column(_("Action"), link(href, text, hidden=hidden), header_hidden=True)


@dataclass(frozen=True)
class Table:
    """A GOV.UK table of rows of one kind; `render` writes it with its rows."""

    columns: tuple[Column, ...]
    classes: str = ""
    # A total row's label spans this many leading columns (see `render`).
    total_span: int = 1

    @cached_property
    def _row(self) -> str:
        cells = "".join(
            f'<td class="govuk-table__cell{self._numeric(c)}">{c.cell}</td>'
            for c in self.columns
        )
        return f'<tr class="govuk-table__row">{cells}</tr>'

    @cached_property
    def _fields(self) -> tuple[str, ...]:
        """The fields a row's cells show: only those are escaped."""
        return tuple(
            {name: None for _, name, _, _ in Formatter().parse(self._row) if name}
        )

    @staticmethod
    def _numeric(column: Column) -> str:
        return " govuk-table__cell--numeric" if column.numeric else ""

    def _header(self) -> str:
        cells = []
        for column in self.columns:
            text = escaped(column.header)
            if column.header_hidden:
                text = f'<span class="govuk-visually-hidden">{text}</span>'
            numeric = " govuk-table__header--numeric" if column.numeric else ""
            cells.append(
                f'<th scope="col" class="govuk-table__header{numeric}">{text}</th>'
            )
        return f'<tr class="govuk-table__row">{"".join(cells)}</tr>'

    @cached_property
    def _total_row(self) -> str:
        cells = "".join(
            f'<td class="govuk-table__cell{self._numeric(c)}">{c.cell}</td>'
            for c in self.columns[self.total_span :]
        )
        return (
            '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header"'
            f' colspan="{self.total_span}">{{label}}</th>{cells}</tr>'
        )

    def render(
        self,
        rows: Iterable[Mapping],
        *,
        caption: str,
        scroll_label: str = "",
        total: Mapping | None = None,
    ) -> SafeString:
        """The table with a visually hidden caption; with `scroll_label`, in
        a focusable box that scrolls on its own on a narrow screen; with
        `total`, a last row whose `label` heads the first `total_span`
        columns."""
        row, fields = self._row, self._fields
        body = "".join(
            row.format_map({key: escaped(values[key]) for key in fields})
            for values in rows
        )
        if total is not None:
            values = {key: escaped(value) for key, value in total.items()}
            body += self._total_row.format_map(values)
        classes = f"govuk-table {self.classes}".strip()
        html = (
            f'<table class="{classes}">'
            f'<caption class="govuk-table__caption govuk-visually-hidden">'
            f"{escaped(caption)}</caption>"
            f'<thead class="govuk-table__head">{self._header()}</thead>'
            f'<tbody class="govuk-table__body">{body}</tbody></table>'
        )
        if scroll_label:
            html = (
                '<div class="app-table-container" tabindex="0" role="region" '
                f'aria-label="{escaped(scroll_label)}">{html}</div>'
            )
        return mark_safe(html)  # noqa: S308 - every value above is escaped
