"""The results chart's geometry: totals stacked by criterion contribution.

Pure layout, no markup: `templates/results/_chart.html` draws these boxes as inline SVG
(Jinja escapes every text). A segment's length is the criterion's contribution to the
total, `criterion score x normalised weight`, so each bar's segments sum to its total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rfp.core.svg import colour, px
from rfp.domain.formatting import shorten
from rfp.domain.scoring.result import VendorResult

WIDTH = 960
LABEL_WIDTH = 250  # vendor names, right-aligned against the plot
PLOT_WIDTH = 560  # 0..100 points
SCALE = PLOT_WIDTH / 100.0  # px per point
BAR_HEIGHT = 18
ROW_HEIGHT = 26
COMPACT_FROM = 16  # vendors; from there rows are tighter so a long list stays readable
COMPACT_BAR_HEIGHT = 12
COMPACT_ROW_HEIGHT = 18
LEGEND_COLUMNS = 3
LEGEND_ROW = 22
LABEL_CHARS = 34
TICKS = (0, 20, 40, 60, 80, 100)


@dataclass(frozen=True)
class LegendItem:
    name: str
    share: float  # normalised weight
    colour: str
    x: str
    y: str
    text_x: str
    text_y: str


@dataclass(frozen=True)
class Segment:
    criterion: str  # key
    name: str
    colour: str
    score: float  # the criterion score, 0..100
    share: float  # its normalised weight
    points: float  # contribution to the total: score x share
    x: str
    width: str


@dataclass(frozen=True)
class Bar:
    key: str
    name: str
    label: str  # shortened for the axis; `name` goes in the tooltip
    rank: int | None
    total: float
    provisional: bool
    disqualified: bool
    href: str
    y: str
    text_y: str
    end_x: str  # where the total label starts
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Tick:
    value: int
    x: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int
    axis_y: str
    bar_height: int
    separator_y: str | None  # a rule between the ranked and the disqualified
    legend: tuple[LegendItem, ...]
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]
    description: str


def build_chart(
    vendors: Sequence[VendorResult],
    criteria: Sequence[tuple[str, str]],  # (key, name) in the evaluation's order
    weights: Mapping[str, float],
    hrefs: Mapping[str, str],
) -> Chart:
    legend_rows = -(-len(criteria) // LEGEND_COLUMNS)
    column_width = (WIDTH - 20) // LEGEND_COLUMNS
    legend = tuple(
        LegendItem(
            name=name,
            share=weights[key],
            colour=colour(i),
            x=px(10 + (i % LEGEND_COLUMNS) * column_width),
            y=px(8 + (i // LEGEND_COLUMNS) * LEGEND_ROW),
            text_x=px(28 + (i % LEGEND_COLUMNS) * column_width),
            text_y=px(18.5 + (i // LEGEND_COLUMNS) * LEGEND_ROW),
        )
        for i, (key, name) in enumerate(criteria)
    )
    plot_top = 16 + legend_rows * LEGEND_ROW
    compact = len(vendors) >= COMPACT_FROM
    bar_height = COMPACT_BAR_HEIGHT if compact else BAR_HEIGHT
    row_height = COMPACT_ROW_HEIGHT if compact else ROW_HEIGHT
    bars: list[Bar] = []
    separator_y = None
    y = plot_top
    for vendor in vendors:
        if vendor.disqualified and separator_y is None and bars:
            separator_y = px(y + 2)
            y += 10
        x = float(LABEL_WIDTH)
        segments = []
        for i, (key, name) in enumerate(criteria):
            points = vendor.criteria[key] * weights[key]
            width = points * SCALE
            segments.append(
                Segment(
                    key,
                    name,
                    colour(i),
                    vendor.criteria[key],
                    weights[key],
                    points,
                    px(x),
                    px(width),
                )
            )
            x += width
        bars.append(
            Bar(
                key=vendor.key,
                name=vendor.name,
                label=shorten(vendor.name, LABEL_CHARS),
                rank=vendor.rank,
                total=vendor.total,
                provisional=not vendor.complete,
                disqualified=vendor.disqualified,
                href=hrefs.get(vendor.key, ""),
                y=px(y + (row_height - bar_height) / 2),
                text_y=px(y + row_height / 2 + 4),
                end_x=px(x + 6),
                segments=tuple(s for s in segments if s.points > 0),
            )
        )
        y += row_height
    plot_bottom = y + 4
    ticks = tuple(Tick(t, px(LABEL_WIDTH + t * SCALE)) for t in TICKS)
    ranked = [v for v in vendors if v.rank is not None]
    description = (
        f"Horizontal stacked bars, one per vendor ({len(ranked)} ranked, "
        f"{len(vendors) - len(ranked)} disqualified), on a 0 to 100 scale. Each bar is the "
        "vendor's total score; its segments are the points each criterion contributes "
        "(criterion score times the criterion's weight share). The ranking table above "
        "gives the same figures."
    )
    return Chart(
        width=WIDTH,
        height=plot_bottom + 30,
        plot_left=LABEL_WIDTH,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        axis_y=px(plot_bottom + 16),
        bar_height=bar_height,
        separator_y=separator_y,
        legend=legend,
        ticks=ticks,
        bars=tuple(bars),
        description=description,
    )
