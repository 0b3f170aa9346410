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

from rfp.domain.decision.sensitivity import FlipThreshold, SensitivityReport, sensitivity_report
from rfp.domain.scoring.model import ScoringInput
from rfp.domain.scoring.result import Result
from rfp.reports.xlsx.book import Book, Sheet
from rfp.reports.xlsx.cells import (
    BOLD,
    PERCENT_1,
    RIGHT,
    TOP,
    WRAP,
    ColumnWidths,
    number_format,
)
from rfp.reports.xlsx.context import WorkbookContext
from rfp.scenario.convert import criteria_of

DEFAULT_CONCENTRATION = 50.0
NONE_WITHIN = "none within 0 to 100 %"
VERDICT_WIDTH = 110  # characters across the merged verdict cell
SHARE = number_format(PERCENT_1)


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


def _threshold(sheet: Sheet, row: int, column: int, t: FlipThreshold | None) -> str:
    """The weight at which the leader changes (a percentage) and who would lead; returns
    the latter."""
    if t is None:
        sheet.text(row, column, NONE_WITHIN, RIGHT)
        return ""
    sheet.number(row, column, threshold_shown(t), SHARE)
    who = t.new_leader_name or (" and ".join(t.tied_names) + " (tied)")
    sheet.text(row, column + 1, who)
    return who


def write_sensitivity(book: Book, ctx: WorkbookContext) -> None:
    sheet = book.add_sheet("Sensitivity")
    report = report_sensitivity(ctx.result, ctx.doc)
    st = report.stability
    row = sheet.title_block(
        "Sensitivity to the weights",
        [
            "How much the ranking depends on the criterion weights. Values, not formulas: "
            "to try other weights by hand, change the weights on the Summary sheet."
        ],
    )
    row += 1
    sheet.text(row, 1, "Verdict", BOLD + TOP)
    sheet.merged_text(row, 2, 7, report.verdict, BOLD + WRAP)
    sheet.grow(row, report.verdict, VERDICT_WIDTH, bold=True)
    widths = ColumnWidths(maximum=40)
    widths.fix(1, 28)

    row += 2
    sheet.text(row, 1, "Flip thresholds", BOLD)
    row += 1
    sheet.text(
        row,
        1,
        "The leader changes only if a criterion's weight (the others rescaled in "
        "proportion) rises above or drops below these: the nearest crossings, exact.",
    )
    row += 1
    labels = ["Criterion", "Weight", "Rises above", "Who would lead", "Drops below",
              "Who would lead", "Note"]  # fmt: skip
    sheet.header(row, labels)
    first_table_row = row
    for c in report.criteria:
        row += 1
        sheet.text(row, 1, c.name)
        widths.see(1, c.name)
        sheet.number(row, 2, as_shown(c.weight), SHARE)
        widths.see(4, _threshold(sheet, row, 3, c.up))
        widths.see(6, _threshold(sheet, row, 5, c.down))
        if c.note:
            sheet.text(row, 7, c.note)
    sheet.print_setup(first_table_row, first_table_row, ctx.title)

    row += 2
    sheet.text(row, 1, "Rank stability", BOLD)
    row += 1
    sheet.text(
        row,
        1,
        f"{st.draws:,} sets of weights drawn around the official ones (Dirichlet, "
        f"concentration {st.concentration:g}, seed {st.seed}, so the figures repeat). A tie "
        "for first is shared equally.",
    )
    row += 1
    sheet.header(row, ["Vendor", "Official rank", "First in", "Mean rank"])
    for v in st.vendors:
        row += 1
        sheet.text(row, 1, v.name)
        widths.see(1, v.name)
        sheet.number(row, 2, v.official_rank)
        sheet.number(row, 3, as_shown(v.first_share), SHARE)
        sheet.number(row, 4, float(f"{v.mean_rank:.2f}"), number_format("0.00"))
    if not st.vendors:
        row += 1
        sheet.text(row, 1, "No qualified vendor: nothing to rank.")
    for column, width in ((2, 12), (3, 18), (4, 26), (5, 18), (6, 26), (7, 30)):
        widths.fix(column, width)
    sheet.widths(widths.widths())
