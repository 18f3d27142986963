"""
Small bar charts drawn on the server as SVG and sent as `data:` images, so
they need no script, pass the content security policy and work in PDFs.
Each chart stands beside a table holding the same numbers.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 360
ROW = 30
LABEL_WIDTH = 160
BAR_WIDTH = WIDTH - LABEL_WIDTH - 40
COLOUR = "#1d70b8"  # GOV.UK blue
MARKED = "#00703c"  # GOV.UK green, for the consensus bar
TEXT = "#0b0c0c"


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    marked: bool = False  # the consensus rating


def _data_url(svg: str) -> str:
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _bar(index: int, bar: Bar, largest: int) -> str:
    y = index * ROW + 6
    length = round(BAR_WIDTH * bar.count / largest) if largest else 0
    colour = MARKED if bar.marked else COLOUR
    label = escape(bar.label + (" *" if bar.marked else ""))
    return (
        f'<text x="0" y="{y + 14}" font-size="13" fill="{TEXT}">{label}</text>'
        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="18" '
        f'fill="{colour}"/>'
        f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 14}" font-size="13" '
        f'fill="{TEXT}">{bar.count}</text>'
    )


def bar_chart(bars: Sequence[Bar], *, title: str) -> str:
    """A horizontal bar chart as a `data:image/svg+xml` URL."""
    largest = max((bar.count for bar in bars), default=0)
    height = len(bars) * ROW + 8
    body = "".join(_bar(i, bar, largest) for i, bar in enumerate(bars))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f"aria-label={quoteattr(title)} "
        'font-family="Arial, sans-serif">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )
    return _data_url(svg)


def alt_text(bars: Sequence[Bar], *, title: str) -> str:
    """The chart in words, for its `alt` attribute."""
    counts = ", ".join(f"{bar.label} {bar.count}" for bar in bars)
    return f"{title}: {counts}"
