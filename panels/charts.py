"""
Grouped bar charts drawn on the server as SVG `data:` images (no script, fine
under the CSP and in PDFs), each shown beside a table of the same numbers.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

WIDTH = 520
LABEL_WIDTH = 200
BAR_HEIGHT = 12
GAP = 10
TEXT = "#0b0c0c"
COLOURS = ["#1d70b8", "#00703c", "#f47738"]  # GOV.UK blue, green, orange


@dataclass(frozen=True)
class Chart:
    url: str
    alt: str


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def grouped_bars(
    rows: Sequence[tuple[str, Sequence[int]]], *, series: Sequence[str], title: str
) -> Chart:
    """One group of bars per row, one bar per series, with a legend."""
    largest = max((v for _label, values in rows for v in values), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 40
    group = len(series) * BAR_HEIGHT + GAP
    legend_height = 22
    parts = []
    for index, name in enumerate(series):
        x = index * 150
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[index]}"/>'
            f'<text x="{x + 16}" y="15" font-size="12" fill="{TEXT}">'
            f"{escape(name)}</text>"
        )
    for row_index, (label, values) in enumerate(rows):
        top = legend_height + row_index * group
        parts.append(
            f'<text x="0" y="{top + BAR_HEIGHT + 2}" font-size="12" fill="{TEXT}">'
            f"{escape(label[:32])}</text>"
        )
        for index, value in enumerate(values):
            y = top + index * BAR_HEIGHT
            length = round(span * value / largest)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" '
                f'height="{BAR_HEIGHT - 2}" fill="{COLOURS[index]}"/>'
                f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 9}" font-size="10" '
                f'fill="{TEXT}">{value}</text>'
            )
    height = legend_height + len(rows) * group + 4
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label={quoteattr(title)} '
        f'font-family="Arial, sans-serif"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )
    words = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{name} {value}" for name, value in zip(series, values, strict=True)
        )
        for label, values in rows
    )
    return Chart(url=_data_url(svg), alt=f"{title}. {words}" if rows else title)


def representation_chart(rows) -> Chart:
    return grouped_bars(
        [
            (r["agencytype__name"], (r["needed"], r["represented"], r["present"]))
            for r in rows
        ],
        series=[_("Needed"), _("Represented"), _("Present")],
        title=_(
            "Panels that needed each agency, had a member from it, and saw "
            "that member attend"
        ),
    )


def progress_chart(rows, title) -> Chart:
    return grouped_bars(
        [(r["label"], (r["complete"], r["overdue"], r["impact"])) for r in rows],
        series=[_("Complete"), _("Overdue"), _("Impact shown")],
        title=_("Panel actions %(group)s") % {"group": str(title).lower()},
    )
