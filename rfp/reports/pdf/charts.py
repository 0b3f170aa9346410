"""The PDF's charts, drawn as reportlab Drawings.

Bars are drawn by hand rather than with reportlab's chart classes so that every label
goes through `pdf_fonts.runs` (accented and CJK names draw in a font that has them) and
long names are cut to fit instead of running into the bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors

from rfp.domain.formatting import score_text
from rfp.domain.scoring.result import Result, VendorResult
from rfp.reports.pdf.fonts import FONT, fit, runs, text_width

CRITERION_COLOURS = (
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#E15759",
    "#76B7B2",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
VENDOR_COLOURS = ("#1F3B57", "#E07B39", "#5AA469")
INK = colors.HexColor("#1E2833")
MUTED = colors.HexColor("#6B7785")
GRID = colors.HexColor("#D9DEE5")
ROWS_PER_CHART = 32  # vendors in one drawing; more continue in the next one


def label(
    x: float,
    y: float,
    text: str,
    size: float = 7.5,
    *,
    anchor: str = "start",
    colour: Any = INK,
    bold: bool = False,
    max_width: float | None = None,
) -> Group:
    """A text label whose runs each use a font that has their characters."""
    if max_width is not None:
        text = fit(text, size, max_width, bold=bold)
    width = text_width(text, size, bold=bold)
    start = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    group = Group()
    for font, chunk in runs(text, bold=bold):
        group.add(String(start, y, chunk, fontName=font, fontSize=size, fillColor=colour))
        start += text_width(chunk, size, bold=bold)
    return group


def criterion_colour(index: int) -> Any:
    return colors.HexColor(CRITERION_COLOURS[index % len(CRITERION_COLOURS)])


def _axis(
    drawing: Drawing, x0: float, x1: float, top: float, bottom: float, maximum: float = 100
) -> None:
    for tick in range(0, int(maximum) + 1, 20):
        x = x0 + (x1 - x0) * tick / maximum
        drawing.add(Line(x, bottom, x, top, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(label(x, bottom - 9, str(tick), 6.5, anchor="middle", colour=MUTED))


def _legend(
    drawing: Drawing, items: Sequence[tuple[str, Any]], x0: float, y: float, width: float
) -> float:
    """Swatches with names, wrapped over as many lines as needed; returns the lowest y."""
    x = x0
    for name, colour in items:
        needed = 12 + min(text_width(name, 7), 150) + 12
        if x + needed > x0 + width and x > x0:
            x, y = x0, y - 12
        drawing.add(Rect(x, y - 1, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(label(x + 11, y, name, 7, max_width=150))
        x += needed
    return y


def legend_lines(names: Sequence[str], width: float) -> int:
    lines, x = 1, 0.0
    for name in names:
        needed = 12 + min(text_width(name, 7), 150) + 12
        if x + needed > width and x > 0:
            lines, x = lines + 1, 0.0
        x += needed
    return lines


def contribution_charts(
    result: Result, criteria: Sequence[dict[str, Any]], width: float
) -> list[Drawing]:
    """Totals as bars stacked by what each criterion contributes (score x weight share),
    in rank order; disqualified vendors last, their names in grey."""
    vendors = list(result.vendors)
    chunks = [vendors[i : i + ROWS_PER_CHART] for i in range(0, len(vendors), ROWS_PER_CHART)]
    names = [c["name"] for c in criteria]
    legend_height = 12 * legend_lines(names, width - 8) + 6
    drawings = []
    for chunk in chunks:
        row_height = 15.0
        plot_height = row_height * len(chunk)
        height = plot_height + 22 + legend_height
        drawing = Drawing(width, height, initialFontName=FONT)
        x0, x1 = min(170.0, width * 0.36), width - 34
        top = height - 4
        bottom = top - plot_height
        _axis(drawing, x0, x1, top, bottom)
        for i, vendor in enumerate(chunk):
            y = top - (i + 1) * row_height + 3
            rank = str(vendor.rank) if vendor.rank is not None else "–"
            colour = MUTED if vendor.disqualified else INK
            drawing.add(label(4, y + 2, rank, 7.5, colour=colour))
            drawing.add(
                label(x0 - 5, y + 2, vendor.name, 7.5, anchor="end", colour=colour,
                      max_width=x0 - 26)
            )  # fmt: skip
            x = x0
            for j, criterion in enumerate(criteria):
                part = vendor.contribution(criterion["key"], result.weights)
                w = (x1 - x0) * part / 100
                if w > 0:
                    drawing.add(
                        Rect(x, y, w, row_height - 6, fillColor=criterion_colour(j),
                             strokeColor=colors.white, strokeWidth=0.3)
                    )  # fmt: skip
                x += w
            total = score_text(vendor.total) + ("*" if not vendor.complete else "")
            drawing.add(label(x + 3, y + 2, total, 7, colour=colour, bold=True))
        _legend(
            drawing, [(n, criterion_colour(j)) for j, n in enumerate(names)], 4, bottom - 24,
            width - 8,
        )  # fmt: skip
        drawings.append(drawing)
    return drawings


def profile_chart(
    leaders: Sequence[VendorResult], criteria: Sequence[dict[str, Any]], width: float
) -> Drawing:
    """Grouped bars: each criterion's score (0-100) for up to three vendors."""
    per_vendor = 8.0
    group_height = per_vendor * len(leaders) + 8
    legend_height = 12 * legend_lines([v.name for v in leaders], width - 8) + 6
    plot_height = group_height * len(criteria)
    height = plot_height + 22 + legend_height
    drawing = Drawing(width, height, initialFontName=FONT)
    x0, x1 = min(150.0, width * 0.32), width - 30
    top = height - 4
    bottom = top - plot_height
    _axis(drawing, x0, x1, top, bottom)
    for i, criterion in enumerate(criteria):
        group_top = top - i * group_height - 4
        centre = group_top - per_vendor * len(leaders) / 2 - 2
        drawing.add(label(x0 - 5, centre, criterion["name"], 7.5, anchor="end", max_width=x0 - 10))
        for j, vendor in enumerate(leaders):
            y = group_top - (j + 1) * per_vendor
            value = vendor.criteria[criterion["key"]]
            w = (x1 - x0) * value / 100
            colour = colors.HexColor(VENDOR_COLOURS[j % len(VENDOR_COLOURS)])
            if w > 0:
                drawing.add(Rect(x0, y, w, per_vendor - 1.5, fillColor=colour, strokeColor=None))
            drawing.add(label(x0 + w + 3, y + 0.5, score_text(value), 6.5, colour=MUTED))
    _legend(
        drawing,
        [(v.name, colors.HexColor(VENDOR_COLOURS[j])) for j, v in enumerate(leaders)],
        4,
        bottom - 24,
        width - 8,
    )
    return drawing
