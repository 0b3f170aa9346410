"""The PDF's pilot page: the verdict per shortlisted vendor, each success criterion over
the latest four weeks, and a chart per KPI (each vendor's weekly figures against the
threshold, drawn by hand like the other charts so that labels use rfp's fonts).

Nothing when the evaluation ran no pilot. The text is rfp.domain.pilot_text's, the same
words `rfp score` prints.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Drawing, Line, PolyLine
from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from rfp.domain.kpis import figure_text, kpi_name
from rfp.domain.pilot import PilotResult
from rfp.domain.pilot_text import criterion_lines, pilot_heading, verdict_line
from rfp.domain.scoring.result import Result
from rfp.reports.pdf.charts import GRID, INK, MUTED, VENDOR_COLOURS, label
from rfp.reports.pdf.styles import plain, section, styles, table, user

CHART_HEIGHT = 118
CHARTS_PER_ROW = 2


def pilot(result: Result, doc: dict[str, Any], width: float) -> list[Flowable]:
    """The pilot section, or nothing."""
    if result.pilot is None:
        return []
    s = styles()
    names = {v["key"]: v["name"] for v in doc["vendors"]}
    story: list[Flowable] = []
    for vendor in result.pilot.vendors:
        rows: list[list[Any]] = [
            [plain("Success criterion", s.head), plain("Latest four weeks", s.head),
             plain("Weeks met", s.head_right), plain("Status", s.head)]
        ]  # fmt: skip
        for line in criterion_lines(vendor):
            rows.append(
                [
                    plain(line.criterion, s.cell),
                    plain(line.latest, s.cell),
                    plain(line.weeks_met, s.cell_right),
                    plain(line.status, s.cell_bold),
                ]
            )
        story += [
            user(verdict_line(vendor, names), s.body),
            Spacer(1, 3),
            table(rows, [width * 0.5, width * 0.24, width * 0.12, width * 0.14]),
            Spacer(1, 8),
        ]
    charts = kpi_charts(result.pilot, names, width)
    return [
        *section("The pilot", [plain(pilot_heading(result.pilot), s.body), *story[:3]]),
        *story[3:],
        *section(
            "The pilot's KPIs week by week",
            [
                plain(
                    "Each vendor's weekly figure; the solid line is the threshold, the dashed "
                    "one the failing limit. A week without a figure breaks the line.",
                    s.small,
                ),
                *charts[:1],
            ],
            2,
        ),
        *charts[1:],
    ]


def kpi_charts(pilot: PilotResult, names: dict[str, str], width: float) -> list[Flowable]:
    """One small chart per KPI, two to a row."""
    cell = (width - 12) / CHARTS_PER_ROW
    drawings = [_kpi_chart(pilot, index, names, cell) for index in range(len(pilot.criteria))]
    rows = [drawings[i : i + CHARTS_PER_ROW] for i in range(0, len(drawings), CHARTS_PER_ROW)]
    out: list[Flowable] = []
    for row in rows:
        padded = row + [Spacer(1, 1)] * (CHARTS_PER_ROW - len(row))
        grid = Table([padded], colWidths=[cell + 6] * CHARTS_PER_ROW)
        grid.setStyle(
            TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        )
        out.append(grid)
    return out


def _kpi_chart(pilot: PilotResult, index: int, names: dict[str, str], width: float) -> Drawing:
    criterion = pilot.criteria[index]
    height = CHART_HEIGHT
    drawing = Drawing(width, height)
    left, right, top, bottom = 34, width - 6, height - 16, 28
    title = kpi_name(criterion.kpi, criterion.seconds)
    drawing.add(label(left, height - 10, title, 8, bold=True))
    series = []
    for vendor in pilot.vendors:
        outcome = vendor.criteria[index] if index < len(vendor.criteria) else None
        if outcome is not None:
            series.append((vendor.vendor, [(w.week, w.value) for w in outcome.weeks]))
    values = [v for _, points in series for _, v in points if v is not None]
    values += [criterion.threshold, criterion.fail_at]
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    weeks = max(pilot.weeks, pilot.reported_weeks, 1)

    def x(week: float) -> float:
        return left + (right - left) * (week - 1) / max(weeks - 1, 1)

    def y(value: float) -> float:
        return bottom + (top - bottom) * (value - low) / (high - low)

    for tick in (low + pad, high - pad):
        drawing.add(Line(left, y(tick), right, y(tick), strokeColor=GRID, strokeWidth=0.4))
        drawing.add(
            label(left - 3, y(tick) - 2, figure_text(criterion.kpi, tick), 6, anchor="end",
                  colour=MUTED)
        )  # fmt: skip
    drawing.add(Line(left, y(criterion.threshold), right, y(criterion.threshold),
                     strokeColor=INK, strokeWidth=0.8))  # fmt: skip
    drawing.add(Line(left, y(criterion.fail_at), right, y(criterion.fail_at),
                     strokeColor=MUTED, strokeWidth=0.6, strokeDashArray=[2, 2]))  # fmt: skip
    for week in range(1, weeks + 1):
        drawing.add(label(x(week), bottom - 9, str(week), 6, anchor="middle", colour=MUTED))
    for n, (key, points) in enumerate(series):
        colour = colors.HexColor(VENDOR_COLOURS[n % len(VENDOR_COLOURS)])
        run: list[float] = []
        for week, value in points + [(0, None)]:
            if value is None:
                if len(run) >= 4:
                    drawing.add(PolyLine(run, strokeColor=colour, strokeWidth=1.2))
                run = []
                continue
            run += [x(week), y(value)]
        legend_x = left + n * (right - left) / max(len(series), 1)
        drawing.add(Line(legend_x, 6, legend_x + 10, 6, strokeColor=colour, strokeWidth=1.5))
        room = (right - left) / max(len(series), 1) - 16
        drawing.add(label(legend_x + 13, 3.5, names.get(key, key), 6.5, max_width=room))
    return drawing
