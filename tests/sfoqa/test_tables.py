"""sfoqa.tables: every row value escaped exactly once (markup already made
safe passes as it is), braces in values left alone, and URLs reversed once
per script prefix."""

import re
from string import Formatter

import pytest
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from ratings.tables import MINE_TABLE, PUBLISHED_TABLE, TO_PUBLISH_TABLE, WAITING_TABLE
from reviews.tables import DRAFT_SAMPLE_TABLE, REVIEW_TABLE, SAMPLE_TABLE, STRATA_TABLE
from sfoqa.tables import (
    Column,
    Table,
    anchor,
    escaped,
    link,
    status_tag,
    tag,
)

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "{pk}",
    "{0} {} {url!r} {x:>99}",
    "Tom & Jerry's &amp;",
    "\u202eexe.fdp",
]

TABLE = Table(
    columns=(
        Column("Reference", link("url", "reference", hidden="reference")),
        Column("Notes", "{notes}"),
        Column("Count", "{count}", numeric=True),
        Column("Status", status_tag()),
        Column("Action", link("url", "action"), header_hidden=True),
    )
)
FIELDS = ("url", "reference", "notes", "count", "status", "colour", "action")

PROJECT_TABLES = {
    "REVIEW_TABLE": REVIEW_TABLE,
    "SAMPLE_TABLE": SAMPLE_TABLE,
    "DRAFT_SAMPLE_TABLE": DRAFT_SAMPLE_TABLE,
    "STRATA_TABLE": STRATA_TABLE,
    "WAITING_TABLE": WAITING_TABLE,
    "TO_PUBLISH_TABLE": TO_PUBLISH_TABLE,
    "MINE_TABLE": MINE_TABLE,
    "PUBLISHED_TABLE": PUBLISHED_TABLE,
}


def cells(html: str) -> list[str]:
    return re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', html)


def fields(table: Table, start: int = 0) -> list[str]:
    """Every field the table's cells (from column `start`) name, as often
    as they name it."""
    return [
        name
        for column in table.columns[start:]
        for _, name, _, _ in Formatter().parse(column.cell)
        if name
    ]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_in_every_field_is_escaped_exactly_once(value):
    html = TABLE.render([dict.fromkeys(FIELDS, value)], caption="Reviews")
    e = escape(value)
    assert cells(html) == [
        f'<a class="govuk-link" href="{e}">{e}'
        f'<span class="govuk-visually-hidden"> {e}</span></a>',
        e,
        e,
        f'<strong class="govuk-tag govuk-tag--{e}">{e}</strong>',
        f'<a class="govuk-link" href="{e}">{e}</a>',
    ]
    assert "<script" not in html and "<img" not in html
    assert "49" not in html and "&amp;amp;amp;" not in html


@pytest.mark.parametrize("table", PROJECT_TABLES.values(), ids=list(PROJECT_TABLES))
@pytest.mark.parametrize("value", HOSTILE)
def test_the_projects_tables_escape_hostile_text_in_every_field(table, value):
    row = dict.fromkeys(fields(table), value)
    html = table.render([row, row], caption="c", total={**row, "label": value})
    assert "<script" not in html and "<img" not in html
    # Each field once a row, and the total row's cells and label.
    totals = [*fields(table, table.total_span), "label"]
    assert html.count(escape(value)) == 2 * len(fields(table)) + len(totals)


def test_text_is_escaped_once_not_twice():
    html = TABLE.render(
        [dict.fromkeys(FIELDS, "A & B"), dict.fromkeys(FIELDS, gettext_lazy("<C>"))],
        caption="c",
    )
    assert cells(html)[1] == "A &amp; B" and cells(html)[6] == "&lt;C&gt;"


def test_safe_markup_passes_as_it_is():
    red = tag("<b>Late</b>", "red")
    link_ = anchor('/x?a=1&b="2"', "<i>Open</i>", hidden="for <u>X</u>")
    row = {**dict.fromkeys(FIELDS, "x"), "notes": red, "count": link_}
    assert cells(TABLE.render([row], caption="c"))[1:3] == [
        '<strong class="govuk-tag govuk-tag--red">&lt;b&gt;Late&lt;/b&gt;</strong>',
        '<a class="govuk-link" href="/x?a=1&amp;b=&quot;2&quot;">'
        "&lt;i&gt;Open&lt;/i&gt;"
        '<span class="govuk-visually-hidden"> for &lt;u&gt;X&lt;/u&gt;</span></a>',
    ]
    row["notes"] = mark_safe("<em>kept</em>")
    assert cells(TABLE.render([row], caption="c"))[1] == "<em>kept</em>"


def test_an_anchor_without_hidden_words_has_no_hidden_span():
    assert anchor("/a", "{text}") == '<a class="govuk-link" href="/a">{text}</a>'


def test_headers_are_escaped_numeric_and_hidden_as_the_columns_say():
    table = Table(
        columns=(
            Column("<b>Name</b>", "{a}"),
            Column("Count", "{b}", numeric=True),
            Column("Action", "{c}", header_hidden=True),
        )
    )
    html = table.render([{"a": 1, "b": 2, "c": 3}], caption="c")
    assert re.findall(r"<th [^>]*>.*?</th>", html) == [
        '<th scope="col" class="govuk-table__header">&lt;b&gt;Name&lt;/b&gt;</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
        "Count</th>",
        '<th scope="col" class="govuk-table__header">'
        '<span class="govuk-visually-hidden">Action</span></th>',
    ]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in html


def test_a_scroll_label_puts_the_table_in_a_focusable_region():
    html = TABLE.render([], caption='<x> "c"', scroll_label='Reviews "><svg>')
    assert html.startswith(
        '<div class="app-table-container" tabindex="0" role="region" '
        'aria-label="Reviews &quot;&gt;&lt;svg&gt;"><table class="govuk-table">'
    )
    assert html.endswith("</table></div>")
    assert (
        '<caption class="govuk-table__caption govuk-visually-hidden">'
        "&lt;x&gt; &quot;c&quot;</caption>"
    ) in html


def test_without_a_scroll_label_there_is_only_the_table():
    html = Table(columns=TABLE.columns, classes="app-x").render([], caption="c")
    assert html.startswith('<table class="govuk-table app-x">')
    assert html.endswith("</table>")


def test_no_rows_make_an_empty_body():
    html = TABLE.render(iter([]), caption="c")
    assert '<tbody class="govuk-table__body"></tbody></table>' in html
    assert "<td" not in html


def test_a_total_row_heads_its_leading_columns_with_the_label():
    html = STRATA_TABLE.render(
        [],
        caption="c",
        total={"label": "<Total>", "population": 3, "allocated": 2, "selected": 1}
        | {"percent": 50},
    )
    assert (
        '<th scope="row" class="govuk-table__header" colspan="2">&lt;Total&gt;</th>'
    ) in html
    assert cells(html)[-1] == "50%"


class Unprintable:
    def __str__(self):
        raise AssertionError("a field no cell shows was escaped")


def test_only_the_fields_the_cells_show_are_escaped():
    row = dict.fromkeys(FIELDS, "x")
    html = TABLE.render([{**row, "pk": Unprintable()}], caption="Caption")
    assert cells(html)[1] == "x"
    assert set(TABLE._fields) == set(FIELDS)


def test_a_field_the_cells_show_must_be_in_the_row():
    row = {name: "x" for name in FIELDS if name != "notes"}
    with pytest.raises(KeyError, match="notes"):
        TABLE.render([row], caption="Caption")


@pytest.mark.parametrize(
    "value",
    [
        "plain text",
        "",
        "Tom & Jerry",
        "<b>bold</b>",
        'say "hello"',
        "it's",
        "a > b",
        0,
        -42,
        2**70,
        True,
        1.5,
        gettext_lazy("Draft <b>"),
    ],
)
def test_escaped_is_djangos_escape_for_every_kind_of_value(value):
    assert escaped(value) == escape(value)
