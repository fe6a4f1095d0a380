"""Accessible bar charts drawn on the server as SVG: no script, no library, nothing outside the CSP.

A chart is horizontal grouped bars, one group per category, its label written above the bars, so it
stays legible when the page is 390 px wide (the SVG scales with its viewBox). Colours come from CSS
classes (``chart-series-N``) in the site's stylesheet: the CSP forbids ``style`` attributes. The SVG
is an image with a title and a one-sentence description; the same figures are given as a table
(:attr:`Chart.rows`) that the page shows under the chart, for screen readers and for anyone who would
rather read numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 400
LABEL_HEIGHT = 20
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14
LEGEND_HEIGHT = 22
#: Room kept right of the longest bar for its value.
VALUE_ROOM = 56


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A titled chart: categories, one or more series of values, and how to write a value."""

    id: str
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    maximum: float | None = None
    #: Header of the table's first column (what a category is).
    category_label: str = ""
    show: Callable[[float], str] = lambda value: f"{value:g}"

    @property
    def empty(self) -> bool:
        return not self.categories or all(v is None or v == 0 for s in self.series for v in s.values)

    def written(self, value: float | None) -> str:
        return "—" if value is None else f"{self.show(value)}{self.unit}"

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.series)

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table under the chart: one row per category, one cell per series."""
        return [(category, [self.written(s.values[i]) for s in self.series]) for i, category in enumerate(self.categories)]

    def svg(self) -> str:
        """The chart as SVG markup (every text escaped)."""
        return render_svg(self)


def render_svg(chart: Chart) -> str:
    top = LEGEND_HEIGHT * len(chart.series) + 4 if len(chart.series) > 1 else 0
    group = LABEL_HEIGHT + len(chart.series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    height = top + group * len(chart.categories) + 4
    highest = chart.maximum or max((v for s in chart.series for v in s.values if v is not None), default=0) or 1
    scale = (WIDTH - VALUE_ROOM) / highest
    title_id, desc_id = f"{chart.id}-titre", f"{chart.id}-desc"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{title_id} {desc_id}"'
        f' xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f'<title id="{title_id}">{escape(chart.title)}</title><desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    if top:
        for index, series in enumerate(chart.series):  # one legend line per series: long labels never collide
            y = 4 + index * LEGEND_HEIGHT
            parts.append(f'<rect class="chart-series-{index}" x="0" y="{y}" width="14" height="14"/>')
            parts.append(f'<text class="chart-legend" x="20" y="{y + 12}">{escape(_shorten(series.label))}</text>')
    y = top
    for i, category in enumerate(chart.categories):
        parts.append(f'<text class="chart-label" x="0" y="{y + 16}">{escape(_shorten(category))}</text>')
        y += LABEL_HEIGHT
        for index, series in enumerate(chart.series):
            value = series.values[i]
            width = max(0.0, (value or 0) * scale)
            parts.append(f'<rect class="chart-series-{index}" x="0" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}"/>')
            parts.append(f'<text class="chart-value" x="{width + 6:.1f}" y="{y + 14}">{escape(chart.written(value))}</text>')
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    parts.append("</svg>")
    return "".join(parts)


def _shorten(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def per_category(values: Sequence[tuple[str, float | None]]) -> tuple[tuple[str, ...], tuple[float | None, ...]]:
    """``[(category, value)]`` split into categories and values."""
    return tuple(c for c, _ in values), tuple(v for _, v in values)
