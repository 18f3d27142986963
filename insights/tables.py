"""
The annual report's figures as tables: the same tables make the page, the
PDF and the data pack (one sheet each), so the three always agree.
"""

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from insights import selectors
from insights.selectors import (
    SCALE,
    AnnualFigures,
    Breakdown,
    Distribution,
    year_label,
)
from ratings.benchmarking.charts import Bar, alt_text, bar_chart
from ratings.models import Finding
from sfoqa.exports import Table


def rating_columns() -> list[str]:
    return [str(rating.label) for rating in SCALE]


@dataclass(frozen=True)
class FigureTable:
    title: str  # also the data pack's sheet name (at most 31 characters)
    header: list
    rows: list
    caption: str = ""
    numeric: tuple = ()  # indexes of columns holding numbers
    chart: list[Bar] = field(default_factory=list)

    @property
    def chart_url(self) -> str:
        return bar_chart(self.chart, title=self.title) if self.chart else ""

    @property
    def chart_alt(self) -> str:
        return alt_text(self.chart, title=self.title) if self.chart else ""

    @property
    def slug(self) -> str:
        return "-".join(self.title.lower().replace(",", "").split())


def _percent(value) -> str:
    return "" if value is None else f"{value:.1f}"


def overall_table(overall: Distribution) -> FigureTable:
    rows = [[label, count, percent] for label, count, percent in overall.rows]
    rows.append([_("Total"), overall.total, 100.0 if overall.total else 0.0])
    return FigureTable(
        title=_("Overall ratings"),
        caption=_("Reviews rated, by overall rating"),
        header=[_("Rating"), _("Reviews"), _("Percent")],
        rows=rows,
        numeric=(1, 2),
        chart=[Bar(label, count) for label, count, _p in overall.rows],
    )


def _breakdown_table(
    title: str, first: str, rows: list[Breakdown], caption: str = ""
) -> FigureTable:
    header = [first, *rating_columns(), _("Total"), _("Good or better (%)")]
    body = [
        [
            row.label,
            *row.distribution.counts,
            row.distribution.total,
            row.distribution.good_or_better_percent if row.distribution.total else None,
        ]
        for row in rows
    ]
    return FigureTable(
        title=title,
        header=header,
        rows=body,
        caption=caption or _("Reviews rated in the year, by overall rating"),
        numeric=(1, 2, 3, 4, 5, 6),
    )


def annual_tables(figures: AnnualFigures) -> list[FigureTable]:
    v = figures.volumes
    tables = [
        FigureTable(
            title=_("Reviews"),
            caption=_("The year in numbers"),
            header=[_("Measure"), _("Number")],
            rows=[
                [_("Reviews notified"), v.notified],
                [_("Reviews received"), v.received],
                [_("Reviews sampled"), v.sampled],
                [_("Sample rate (%)"), v.sample_rate],
                [_("Reviews rated (first published)"), v.rated],
                [_("Publications, including re-publications"), v.published],
                [_("Rated Good or better"), figures.overall.good_or_better],
                [
                    _("Rated Good or better (%)"),
                    figures.overall.good_or_better_percent,
                ],
            ],
            numeric=(1,),
        ),
        overall_table(figures.overall),
        _breakdown_table(
            _("By standard"),
            _("Standard"),
            figures.standards,
            _("Each standard's rating in the reviews rated in the year"),
        ),
        _breakdown_table(_("By region"), _("Region"), figures.regions),
        _breakdown_table(_("By offence"), _("Offence"), figures.offences),
        _breakdown_table(
            _("By supervision type"), _("Supervision type"), figures.supervision
        ),
    ]
    t = figures.timeliness
    tables.append(
        FigureTable(
            title=_("Timeliness"),
            caption=_("Reviews received in the year, by region"),
            header=[
                _("Region"),
                _("Reviews received"),
                _("On time"),
                _("Extended"),
                _("Late"),
                _("Average days late"),
            ],
            rows=[
                [
                    r.region,
                    r.due,
                    r.due - r.overdue,
                    r.extended,
                    r.overdue,
                    r.average_days_late,
                ]
                for r in t.regions
            ]
            + [
                [
                    _("England and Wales"),
                    t.due,
                    t.on_time,
                    t.extended,
                    t.overdue,
                    t.average_days_late,
                ]
            ],
            numeric=(1, 2, 3, 4, 5),
        )
    )
    tables.append(
        FigureTable(
            title=_("Action plans"),
            caption=_("Failings found in the year's ratings"),
            header=[
                _("Action plan addresses the failing"),
                _("Failings"),
                _("Percent"),
            ],
            rows=[list(row) for row in figures.action_plan],
            numeric=(1, 2),
        )
    )
    kinds = [str(kind.label) for kind in Finding.Kind]
    header = [_("Theme"), *kinds, _("Findings")]
    if figures.has_learning:
        header.append(_("Panel learning"))
    if figures.has_responses:
        header.append(_("Consultation responses"))
    header.append(_("Total"))

    def theme_row(row):
        cells = [row.name, *row.by_kind, row.findings]
        if figures.has_learning:
            cells.append(row.learning)
        if figures.has_responses:
            cells.append(row.responses)
        return [*cells, row.total]

    numeric = tuple(range(1, len(header)))
    tables.append(
        FigureTable(
            title=_("Themes"),
            caption=_("Each theme, by kind of finding and where else it was found"),
            header=header,
            rows=[theme_row(row) for row in figures.themes],
            numeric=numeric,
        )
    )
    tables.append(
        FigureTable(
            title=_("Top ten themes"),
            caption=_("The themes found most often, all sources together"),
            header=[_("Theme"), _("Total")],
            rows=[[row.name, row.total] for row in figures.top_themes],
            numeric=(1,),
            chart=[Bar(row.name, row.total) for row in figures.top_themes],
        )
    )
    b = figures.benchmarking
    tables.append(
        FigureTable(
            title=_("Benchmarking"),
            caption=_("Sessions held in the year and agreement by standard"),
            header=[_("Measure"), _("Number"), _("Krippendorff's alpha")],
            rows=[
                [_("Sessions held"), b.sessions, None],
                [_("Participants"), b.participants, None],
            ]
            + [
                [name, units, None if a is None else round(a, 2)]
                for name, a, units in b.alphas
            ],
            numeric=(1, 2),
        )
    )
    if (p := figures.panels) is not None:
        tables.append(
            FigureTable(
                title=_("Learning panels"),
                caption=_("Panels that met in the year and their actions"),
                header=[_("Measure"), _("Number")],
                rows=[
                    [_("Panels held"), p.held],
                    [_("Agencies needed"), p.agencies_needed],
                    [_("Needed agencies with a member"), p.agencies_represented],
                    [_("Needed agencies present at a meeting"), p.agencies_present],
                    [_("Actions completed in the year"), p.actions_completed],
                    [_("Actions overdue now"), p.actions_overdue],
                    [_("Impact checks answered"), p.impact_checks_answered],
                ],
                numeric=(1,),
            )
        )
    tables.append(
        FigureTable(
            title=_("Year on year"),
            header=[
                _("Reporting year"),
                _("Reviews rated"),
                *rating_columns(),
                _("Good or better (%)"),
            ],
            rows=[
                [
                    year_label(y.year),
                    y.overall.total,
                    *y.overall.percents,
                    y.overall.good_or_better_percent,
                ]
                for y in figures.years
            ],
            caption=_("Percentages of the reviews rated in each year."),
            numeric=(1, 2, 3, 4, 5, 6),
        )
    )
    return tables


def data_pack(tables: list[FigureTable]) -> dict[str, Table]:
    """One export table a figure table, keyed by its sheet name."""
    return {t.title: Table(header=t.header, rows=t.rows) for t in tables}


def long_table(tables: list[FigureTable]) -> Table:
    """Every figure as one CSV: table, row, column, value."""
    rows = [
        [t.title, row[0], column, value]
        for t in tables
        for row in t.rows
        for column, value in zip(t.header[1:], row[1:], strict=True)
    ]
    return Table(header=[_("Table"), _("Row"), _("Column"), _("Value")], rows=rows)


def to_json(tables: list[FigureTable]) -> list[dict]:
    """The tables as stored with a report version."""
    return [
        {
            "title": t.title,
            "header": [str(cell) for cell in t.header],
            "rows": [
                [
                    cell if isinstance(cell, int | float) or cell is None else str(cell)
                    for cell in row
                ]
                for row in t.rows
            ],
            "caption": t.caption,
            "numeric": list(t.numeric),
            "chart": [[bar.label, bar.count] for bar in t.chart],
        }
        for t in tables
    ]


def from_json(stored: list[dict]) -> list[FigureTable]:
    return [
        FigureTable(
            title=t["title"],
            header=t["header"],
            rows=t["rows"],
            caption=t.get("caption", ""),
            numeric=tuple(t.get("numeric", ())),
            chart=[Bar(label, count) for label, count in t.get("chart", [])],
        )
        for t in stored
    ]


def dashboard_tables(year: int, *, region=None) -> list[FigureTable]:
    """The QA dashboard: the annual report's own selectors for this year so
    far, in one region or all."""
    overall = overall_table(selectors.overall_distribution(year, region=region))
    by_quarter = selectors.by_quarter(year, region=region)
    quarter = _breakdown_table(
        _("By quarter"),
        _("Quarter first published"),
        by_quarter,
        _("Reviews rated this year, by the quarter their rating was first published"),
    )
    quarter = replace(
        quarter,
        chart=[Bar(row.label, row.distribution.total) for row in by_quarter],
    )
    standards = _breakdown_table(
        _("By standard"),
        _("Standard"),
        selectors.by_standard(year, region=region),
        _("Each standard's rating in the reviews rated this year"),
    )
    return [overall, quarter, standards]
