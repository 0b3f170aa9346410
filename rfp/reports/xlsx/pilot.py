"""The Pilot sheet: the success criteria (thresholds as input cells), each shortlisted
vendor's weekly KPI figures with live met / not met formulas over those thresholds, per
vendor and KPI the weeks met and the latest four-week average as formulas, the status
and verdicts of rfp's rules, and a split award's blended cost. Only when there is a pilot.

Change a threshold and the met / not met cells, the weeks met and the averages move; the
status (pass / watch / fail) and the verdicts are rfp's, as of the file (they also weigh
missing weeks and the trend), and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from rfp.domain.kpis import KPI_SPECS, kpi_name
from rfp.domain.pilot import PilotResult, VendorPilot
from rfp.domain.vocabulary import Kpi, KpiDirection, PilotRole, WeekBand
from rfp.reports.xlsx.book import Book, Sheet
from rfp.reports.xlsx.cells import (
    BOLD,
    DATE,
    FLAG_FILL,
    GROUP_FILL,
    INTEGER,
    MONEY,
    MONEY_2,
    PLAIN,
    WRAP,
    Style,
    fill,
    number_format,
)
from rfp.reports.xlsx.context import WorkbookContext

MET, NOT_MET = "Met", "Not met"
REASON_WIDTH = 60
MET_FILL = fill("E2F0D9")
CRITERIA_LABELS = (
    "KPI",
    "Direction",
    "Threshold (met at or better)",
    "Failing beyond",
    "Answered within (s)",
    "In-house baseline",
    "Unit",
)
SUMMARY_LABELS = (
    "Vendor",
    "Role",
    "KPI",
    "Weeks met",
    "Weeks with a figure",
    "Latest 4-week average",
    "Status (rfp)",
    "Why",
    "Verdict proposed",
    "Verdict recorded",
    "Lead's reason",
)


WEEKLY_LABELS = ("Vendor", "Week", "Week starting", "KPI", "Figure", "Threshold", "Met")
FIGURE, THRESHOLD, MET_COLUMN = "E", "F", "G"


@dataclass(frozen=True)
class PilotLayout:
    criteria_rows: dict[str, int]  # kpi -> row of its criterion (threshold in column C)
    summary_header: int
    weekly_header: int
    # (vendor, kpi, week) -> row: a vendor's weeks of one KPI are consecutive rows
    weekly_rows: dict[tuple[str, str, int], int]


def _notes() -> list[str]:
    return [
        "A week's figure is met at the threshold or better (yellow cells: change one and "
        "the met / not met cells, weeks met and averages follow).",
        "Status per criterion, over the latest four weeks: pass when their average meets "
        "the threshold with no week missing and no trend falling through it; fail beyond "
        "the failing limit; watch otherwise. Verdict proposed: unwind on any fail, extend "
        "on any watch, expand when all pass. Status and verdicts are rfp's, as of the file.",
    ]


def pilot_layout(ctx: WorkbookContext) -> PilotLayout:
    pilot = ctx.result.pilot
    assert pilot is not None
    criteria_header = 2 + len(_notes()) + 1
    criteria_rows = {c.kpi: criteria_header + 1 + i for i, c in enumerate(pilot.criteria)}
    summary_header = criteria_header + len(pilot.criteria) + 2
    summary_rows = len(pilot.vendors) * len(pilot.criteria)
    weekly_header = summary_header + summary_rows + 2
    weekly_rows = {}
    row = weekly_header
    for vendor in pilot.vendors:
        for criterion in pilot.criteria:
            for week in range(1, pilot.weeks + 1):
                row += 1
                weekly_rows[(vendor.vendor, str(criterion.kpi), week)] = row
    return PilotLayout(criteria_rows, summary_header, weekly_header, weekly_rows)


def _met_formula(cell: str, kpi: str, direction: str, threshold_cell: str) -> str:
    compare = ">=" if direction == KpiDirection.HIGHER else "<="
    return f'=IF({cell}="","",IF({cell}{compare}{threshold_cell},"{MET}","{NOT_MET}"))'


def _unit_format(kpi: str) -> str:
    return MONEY_2 if KPI_SPECS[Kpi(kpi)].unit == "USD" else "0.0"


def write_pilot(book: Book, ctx: WorkbookContext) -> None:
    pilot = ctx.result.pilot
    if pilot is None:
        return
    sheet = book.add_sheet("Pilot")
    layout = ctx.layout(pilot_layout)
    doc = ctx.doc.get("pilot") or {}
    segment = ", ".join(doc.get("channels") or []) or "–"
    heading = (
        f"Pilot: {pilot.weeks} weeks from {pilot.start.isoformat() if pilot.start else '–'} "
        f"({segment}); {pilot.reported_weeks} reported"
    )
    sheet.title_block(heading, _notes())
    _criteria(sheet, pilot, layout)
    _summary(sheet, ctx, pilot, layout)
    _weekly(sheet, ctx, pilot, layout)
    last = max(layout.weekly_rows.values(), default=layout.weekly_header)
    if ctx.result.split is not None:
        _split(sheet, ctx, last + 2)
    sheet.widths(
        {1: 28, 2: 14, 3: 22, 4: 24, 5: 12, 6: 12, 7: 12, 8: REASON_WIDTH, 9: 16, 10: 16}
        | {11: REASON_WIDTH}
    )
    sheet.freeze("B1")
    sheet.print_setup(1, 1, ctx.title)


def _criteria(sheet: Sheet, pilot: PilotResult, layout: PilotLayout) -> None:
    header = min(layout.criteria_rows.values(), default=layout.summary_header - 1) - 1
    sheet.header(header, CRITERIA_LABELS)
    sheet.height(header, 30)
    for criterion in pilot.criteria:
        row = layout.criteria_rows[criterion.kpi]
        fmt = _unit_format(criterion.kpi)
        sheet.text(row, 1, kpi_name(criterion.kpi), BOLD)
        sheet.text(row, 2, KpiDirection(criterion.direction).label)
        sheet.input(row, 3, criterion.threshold, fmt)
        sheet.input(row, 4, criterion.fail_at, fmt)
        sheet.number(row, 5, criterion.seconds, number_format(INTEGER))
        sheet.number(row, 6, criterion.baseline, number_format(fmt))
        sheet.text(row, 7, KPI_SPECS[Kpi(criterion.kpi)].unit)


def _summary(sheet: Sheet, ctx: WorkbookContext, pilot: PilotResult, layout: PilotLayout) -> None:
    row = layout.summary_header
    sheet.header(row, SUMMARY_LABELS)
    sheet.height(row, 30)
    for vendor in pilot.vendors:
        for index, outcome in enumerate(vendor.criteria):
            row += 1
            kpi = str(outcome.kpi)
            first = layout.weekly_rows[(vendor.vendor, kpi, 1)]
            last = layout.weekly_rows[(vendor.vendor, kpi, pilot.weeks)]
            shade = _shade(vendor)
            sheet.text(row, 1, ctx.vendor_name(vendor.vendor), shade)
            sheet.text(row, 2, PilotRole(vendor.role).label, shade)
            sheet.text(row, 3, kpi_name(kpi, outcome.criterion.seconds), shade)
            sheet.formula(
                row,
                4,
                f'=COUNTIF({MET_COLUMN}{first}:{MET_COLUMN}{last},"{MET}")',
                outcome.weeks_met,
                number_format(INTEGER) + shade,
            )
            sheet.formula(
                row,
                5,
                f"=COUNT({FIGURE}{first}:{FIGURE}{last})",
                outcome.weeks_reported,
                number_format(INTEGER) + shade,
            )
            a, b = outcome.window
            if a:
                start = layout.weekly_rows[(vendor.vendor, kpi, a)]
                end = layout.weekly_rows[(vendor.vendor, kpi, b)]
                sheet.formula(
                    row,
                    6,
                    f'=IFERROR(AVERAGE({FIGURE}{start}:{FIGURE}{end}),"")',
                    outcome.latest_average if outcome.latest_average is not None else "",
                    number_format(_unit_format(kpi)) + shade,
                )
            else:
                sheet.blank(row, 6, shade)
            sheet.text(row, 7, outcome.status.label, shade)
            sheet.text(row, 8, outcome.reason, WRAP + shade)
            sheet.grow(row, outcome.reason, REASON_WIDTH)
            sheet.text(row, 9, vendor.proposed.label if vendor.proposed else "–", shade)
            sheet.text(row, 10, vendor.verdict.label if vendor.verdict else "–", shade)
            # The lead's reason once, on the vendor's first row.
            reason = vendor.verdict_reason if index == 0 else ""
            sheet.text(row, 11, reason, WRAP + shade)
            if reason:
                sheet.grow(row, reason, REASON_WIDTH)


def _shade(vendor: VendorPilot) -> Style:
    return GROUP_FILL if vendor.role == PilotRole.CHAMPION else PLAIN


def _weekly(sheet: Sheet, ctx: WorkbookContext, pilot: PilotResult, layout: PilotLayout) -> None:
    """A row per vendor, KPI and week: the figure, the threshold (a reference to its input
    cell) and a live met / not met formula."""
    header = layout.weekly_header
    sheet.header(header, WEEKLY_LABELS)
    date_style = number_format(DATE)
    for vendor in pilot.vendors:
        name = ctx.vendor_name(vendor.vendor)
        for outcome in vendor.criteria:
            kpi = str(outcome.kpi)
            fmt = number_format(_unit_format(kpi))
            threshold = f"$C${layout.criteria_rows[kpi]}"
            for week in range(1, pilot.weeks + 1):
                row = layout.weekly_rows[(vendor.vendor, kpi, week)]
                figure = outcome.weeks[week - 1] if week <= len(outcome.weeks) else None
                band = figure.band if figure is not None else WeekBand.MISSING
                sheet.text(row, 1, name)
                sheet.number(row, 2, week, number_format(INTEGER))
                starts = pilot.week_start(week)
                if starts is not None:
                    sheet.date(row, 3, starts, date_style)
                sheet.text(row, 4, kpi_name(kpi, outcome.criterion.seconds))
                sheet.number(row, 5, figure.value if figure is not None else None, fmt)
                sheet.formula(row, 6, f"={threshold}", outcome.criterion.threshold, fmt)
                sheet.formula(
                    row,
                    7,
                    _met_formula(f"{FIGURE}{row}", kpi, outcome.criterion.direction, threshold),
                    {WeekBand.MISSING: "", WeekBand.MET: MET}.get(band, NOT_MET),
                )
    if layout.weekly_rows:
        last_row = max(layout.weekly_rows.values())
        met_range = f"{MET_COLUMN}{header + 1}:{MET_COLUMN}{last_row}"
        first = f"{MET_COLUMN}{header + 1}"
        sheet.highlight_where(met_range, f'{first}="{MET}"', MET_FILL)
        sheet.highlight_where(met_range, f'{first}="{NOT_MET}"', FLAG_FILL)
        sheet.autofilter(f"A{header}:{MET_COLUMN}{last_row}")


def _split(sheet: Sheet, ctx: WorkbookContext, row: int) -> None:
    split = ctx.result.split
    assert split is not None
    sheet.header(row, ["Split award", "Share of volume", "", "Monthly charge", "TCO"])
    first = row + 1
    for share in split.shares:
        row += 1
        sheet.text(row, 1, ctx.vendor_name(share.vendor))
        sheet.number(row, 2, share.share_pct / 100, number_format("0%"))
        sheet.number(row, 4, share.monthly_charge, number_format(MONEY))
        sheet.number(row, 5, share.tco, number_format(MONEY))
    row += 1
    sheet.text(row, 1, "Blended TCO", BOLD)
    sheet.formula(row, 5, f"=SUM(E{first}:E{row - 1})", split.tco, number_format(MONEY) + BOLD)
    row += 1
    sheet.text(row, 1, "Blended cost per contact")
    sheet.number(row, 5, split.cost_per_contact, number_format(MONEY_2))
