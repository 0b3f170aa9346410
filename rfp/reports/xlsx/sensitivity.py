"""The Sensitivity sheet: the verdict for leadership, the flip thresholds and rank
stability, from `rfp.domain.decision.sensitivity.sensitivity_report` (the results page, the PDF
and `rfp score --json` print the same figures: same draws, concentration and seed).

The figures are values, not formulas: they come from 10,000 weightings drawn at random,
which a spreadsheet cannot recompute. The Summary sheet's live weights are the place to
try other weights by hand.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

from rfp.domain.decision.sensitivity import FlipThreshold, SensitivityReport, sensitivity_report
from rfp.domain.scoring.model import ScoringInput
from rfp.domain.scoring.result import Result
from rfp.reports.xlsx.cells import (
    BOLD,
    PERCENT_1,
    WRAP,
    ColumnWidths,
    grow_row,
    print_setup,
    write_header,
    write_text,
    write_title,
)
from rfp.reports.xlsx.context import WorkbookContext
from rfp.scenario.convert import criteria_of

DEFAULT_CONCENTRATION = 50.0
NONE_WITHIN = "none within 0 to 100 %"
VERDICT_WIDTH = 110  # characters across the merged verdict cell
RIGHT = Alignment(horizontal="right")
TOP = Alignment(vertical="top")


def report_sensitivity(result: Result, doc: dict[str, Any]) -> SensitivityReport:
    """The evaluation's sensitivity report from a Result and its scenario document.

    The sensitivity functions read the criteria (keys, names, weights) from the input and
    every score from the Result, so an input of the criteria alone gives the same report
    as the full one, without converting tens of thousands of scores again."""
    inp = ScoringInput(criteria=criteria_of(doc["criteria"]), vendors=())
    evaluation = doc.get("evaluation", {})
    concentration = float(evaluation.get("sensitivity_concentration") or DEFAULT_CONCENTRATION)
    return sensitivity_report(inp, result, concentration=concentration)


def as_shown(share: float) -> float:
    """A share (0..1) rounded as the page and the PDF print it, one decimal of a percent
    ("80.0 %"), so that a spreadsheet's own rounding cannot show 80.1 % beside them."""
    return float(f"{100 * share:.1f}") / 100


def threshold_shown(t: FlipThreshold) -> float:
    """The threshold's weight rounded outward, as its text says it ("drops below
    11.3 %"): down when it rises, up when it falls, so that "only if" stays true."""
    pct = 100 * t.weight
    tenths = math.floor(pct * 10 + 1e-9) if t.direction == "up" else math.ceil(pct * 10 - 1e-9)
    return tenths / 1000


def _threshold(ws: Any, row: int, column: int, t: FlipThreshold | None) -> None:
    """The weight at which the leader changes (a percentage) and who would lead."""
    if t is None:
        write_text(ws, row, column, NONE_WITHIN).alignment = RIGHT
        return
    ws.cell(row=row, column=column, value=threshold_shown(t)).number_format = PERCENT_1
    who = t.new_leader_name or (" and ".join(t.tied_names) + " (tied)")
    write_text(ws, row, column + 1, who)


def write_sensitivity(wb: Workbook, ctx: WorkbookContext) -> None:
    ws = wb.create_sheet("Sensitivity")
    report = report_sensitivity(ctx.result, ctx.doc)
    st = report.stability
    row = write_title(
        ws,
        "Sensitivity to the weights",
        [
            "How much the ranking depends on the criterion weights. Values, not formulas: "
            "to try other weights by hand, change the weights on the Summary sheet."
        ],
    )
    row += 1
    label = write_text(ws, row, 1, "Verdict")
    label.font = BOLD
    label.alignment = TOP
    verdict = write_text(ws, row, 2, report.verdict)
    verdict.font = BOLD
    verdict.alignment = WRAP
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
    grow_row(ws, row, report.verdict, VERDICT_WIDTH, bold=True)
    widths = ColumnWidths(maximum=40)
    widths.fix(1, 28)

    row += 2
    write_text(ws, row, 1, "Flip thresholds").font = BOLD
    row += 1
    write_text(
        ws,
        row,
        1,
        "The leader changes only if a criterion's weight (the others rescaled in "
        "proportion) rises above or drops below these: the nearest crossings, exact.",
    )
    row += 1
    labels = ["Criterion", "Weight", "Rises above", "Who would lead", "Drops below",
              "Who would lead", "Note"]  # fmt: skip
    write_header(ws, row, labels)
    first_table_row = row
    for c in report.criteria:
        row += 1
        write_text(ws, row, 1, c.name)
        widths.see(1, c.name)
        ws.cell(row=row, column=2, value=as_shown(c.weight)).number_format = PERCENT_1
        _threshold(ws, row, 3, c.up)
        _threshold(ws, row, 5, c.down)
        for column in (4, 6):
            widths.see(column, str(ws.cell(row=row, column=column).value or ""))
        if c.note:
            write_text(ws, row, 7, c.note)
    print_setup(ws, f"{first_table_row}:{first_table_row}", ctx.title)

    row += 2
    write_text(ws, row, 1, "Rank stability").font = BOLD
    row += 1
    write_text(
        ws,
        row,
        1,
        f"{st.draws:,} sets of weights drawn around the official ones (Dirichlet, "
        f"concentration {st.concentration:g}, seed {st.seed}, so the figures repeat). A tie "
        "for first is shared equally.",
    )
    row += 1
    write_header(ws, row, ["Vendor", "Official rank", "First in", "Mean rank"])
    for v in st.vendors:
        row += 1
        write_text(ws, row, 1, v.name)
        widths.see(1, v.name)
        ws.cell(row=row, column=2, value=v.official_rank)
        ws.cell(row=row, column=3, value=as_shown(v.first_share)).number_format = PERCENT_1
        ws.cell(row=row, column=4, value=float(f"{v.mean_rank:.2f}")).number_format = "0.00"
    if not st.vendors:
        row += 1
        write_text(ws, row, 1, "No qualified vendor: nothing to rank.")
    for column, width in ((2, 12), (3, 18), (4, 26), (5, 18), (6, 26), (7, 30)):
        widths.fix(column, width)
    widths.apply(ws)
