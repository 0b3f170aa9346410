"""The Summary sheet: the ranking with live weights and cost, and a chart of the totals.

The Summary's weight cells are inputs (named `CriterionWeights`), and so are the Cost
sheet's scope and prices; its cost scores are the Cost sheet's, and its totals and ranks
(and the Matrix's criterion subtotals and totals) are formulas over them and the engine's
other scores, so that they move when a reader changes a weight, the handle time or a
rate. Ranks keep the engine's rule: equal totals (to 1e-9) share a rank and the next one
skips; a disqualified vendor has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name

from rfp.domain.amendments import mark_text
from rfp.domain.formatting import when
from rfp.domain.scoring.ranking import TIE_TOLERANCE
from rfp.domain.scoring.result import VendorResult
from rfp.domain.vocabulary import CriterionKind, DeliveryModel
from rfp.reports.wording import price_formula_name, stage_name
from rfp.reports.xlsx.book import Book, Sheet, quote_sheetname
from rfp.reports.xlsx.cells import (
    BOLD,
    CENTER,
    DISQUALIFIED_FILL,
    FLAG_FILL,
    NOTE,
    PERCENT_1,
    PLAIN,
    SCORE,
    WRAP,
    ColumnWidths,
    number_format,
)
from rfp.reports.xlsx.context import (
    AMENDMENTS_SHEET,
    DISQUALIFIED,
    SCORE_SCALE,
    WEIGHTS_NAME,
    WorkbookContext,
    status_of,
    vendor_notes,
)
from rfp.reports.xlsx.cost import cost_layout

SUMMARY = "Summary"
CRITERION_WIDTH = 13
NOTES_WIDTH = 50
AMENDED_WIDTH = 30
# The mark of a vendor whose bid was amended after the prices were unsealed.
AMENDED = "Amended after unsealing"
FIRST_CRITERION_COLUMN = 5
CHART_LABEL_WIDTH = 40
CM = 96 / 2.54  # pixels per centimetre
BAR_COLOUR = "#1F3B57"
DISQUALIFIED_BAR = {
    "pattern": {"pattern": "wide_upward_diagonal", "fg_color": "#C0504D", "bg_color": "#F4DEDE"},
    "border": {"color": "#C0504D"},
}


@dataclass(frozen=True)
class SummaryLayout:
    notes: tuple[str, ...]
    weight_row: int
    rows: Mapping[str, int]  # vendor key -> row
    weight_columns: Mapping[str, int]  # criterion key -> column of its weight and scores

    @property
    def share_row(self) -> int:
        return self.weight_row + 1

    @property
    def header_row(self) -> int:
        return self.weight_row + 2

    @property
    def first(self) -> int:
        return self.header_row + 1

    @property
    def last(self) -> int:
        return self.header_row + len(self.rows)

    @property
    def total_col(self) -> int:
        return FIRST_CRITERION_COLUMN + len(self.weight_columns)

    def weight_cell(self, criterion: str) -> str:
        """The absolute address of a criterion's weight input, sheet included."""
        letter = xl_col_to_name(self.weight_columns[criterion] - 1)
        return f"{quote_sheetname(SUMMARY)}!${letter}${self.weight_row}"


def summary_layout(ctx: WorkbookContext) -> SummaryLayout:
    ev = ctx.doc["evaluation"]
    notes = [
        f"Stage: {stage_name(ev['stage'])} · generated {when(ctx.generated_at)} · scale "
        f"{ctx.scale_text()}, criterion scores on 0-100 · {ev['aggregation']} of evaluators · "
        f"price formula: {price_formula_name(ev['price_formula'])}",
        "Yellow cells are inputs: change a criterion weight here, or the scope or a price on "
        "the Cost sheet, and the cost scores, totals and ranks recalculate (the evaluation's "
        "official figures do not change). Every other cell is locked (Review › Unprotect "
        "Sheet, no password).",
    ]
    incomplete = [v for v in ctx.vendors if not v.complete]
    if incomplete:
        notes.append(
            f"Provisional: {len(incomplete)} of {len(ctx.vendors)} vendors have incomplete "
            "data; their figures will change as scores come in."
        )
    amended = [v.name for v in ctx.vendors if v.amended_after_unsealing]
    if amended:
        notes.append(
            f"Amended after unsealing: {', '.join(amended)}. These figures score the amended "
            f"bids; the {AMENDMENTS_SHEET} sheet shows each change beside the bid as submitted."
        )
    weight_row = 2 + len(notes) + 1  # title, notes, a blank row
    header_row = weight_row + 2
    return SummaryLayout(
        notes=tuple(notes),
        weight_row=weight_row,
        rows={v.key: header_row + 1 + i for i, v in enumerate(ctx.vendors)},
        weight_columns={c["key"]: FIRST_CRITERION_COLUMN + i for i, c in enumerate(ctx.criteria)},
    )


def write_summary(book: Book, ctx: WorkbookContext) -> None:
    sheet = book.add_sheet(SUMMARY)
    layout = ctx.layout(summary_layout)
    cost = ctx.layout(cost_layout)
    sheet.title_block(ctx.title, layout.notes)
    weight_row, share_row, header_row = layout.weight_row, layout.share_row, layout.header_row
    first, last, total_col = layout.first, layout.last, layout.total_col
    data_col, notes_col, amended_col = total_col + 1, total_col + 2, total_col + 3
    label_col = total_col + 4
    widths = ColumnWidths()
    widths.fix(1, 7)
    widths.fix(3, 14)
    widths.fix(4, 13)

    scores_first = xl_col_to_name(FIRST_CRITERION_COLUMN - 1)
    scores_last = xl_col_to_name(total_col - 2)
    book.define_name(WEIGHTS_NAME, sheet, f"{scores_first}{weight_row}:{scores_last}{weight_row}")
    weights = [c["weight"] for c in ctx.criteria]
    weight_sum = sum(weights)
    sheet.text(weight_row, 2, "Criterion weight (input)", BOLD)
    for criterion in ctx.criteria:
        column = layout.weight_columns[criterion["key"]]
        sheet.input(weight_row, column, criterion["weight"], "General")
        widths.fix(column, CRITERION_WIDTH)
    sheet.text(share_row, 2, "Share of the total", NOTE)
    for criterion in ctx.criteria:
        column = layout.weight_columns[criterion["key"]]
        letter = xl_col_to_name(column - 1)
        sheet.formula(
            share_row,
            column,
            f"=IF(SUM({WEIGHTS_NAME})=0,0,{letter}{weight_row}/SUM({WEIGHTS_NAME}))",
            criterion["weight"] / weight_sum if weight_sum else 0,
            NOTE + number_format(PERCENT_1),
        )

    labels = ["Rank", "Vendor", "Delivery model", "Status"]
    labels += [c["name"] for c in ctx.criteria] + ["Total", "Data", "Notes", AMENDED, "Chart label"]
    sheet.header(header_row, labels)
    for criterion in ctx.criteria:
        sheet.grow(header_row, criterion["name"], CRITERION_WIDTH - 1, bold=True)

    total_letter = xl_col_to_name(total_col - 1)
    status_range = f"$D${first}:$D${last}"
    total_range = f"${total_letter}${first}:${total_letter}${last}"
    for vendor in ctx.vendors:
        row = layout.rows[vendor.key]
        shade = DISQUALIFIED_FILL if vendor.disqualified else PLAIN
        sheet.formula(
            row,
            1,
            f'=IF($D{row}="{DISQUALIFIED}","–",SUMPRODUCT(({status_range}<>"{DISQUALIFIED}")'
            f"*({total_range}>${total_letter}{row}+{TIE_TOLERANCE:.0E}))+1)",
            shown_rank(vendor),
            CENTER + shade,
        )
        sheet.text(row, 2, vendor.name, shade)
        widths.see(2, vendor.name)
        model = ctx.vendor_doc(vendor.key)["model"]
        if model:
            sheet.text(row, 3, DeliveryModel(model).label, shade)
        else:
            sheet.blank(row, 3, shade)
        sheet.text(row, 4, status_of(vendor), shade)
        for criterion in ctx.criteria:
            column = layout.weight_columns[criterion["key"]]
            score = vendor.criteria[criterion["key"]]
            if criterion["kind"] == CriterionKind.COST:
                # Live: the Cost sheet's score, which follows its scope and price inputs.
                cell = f"={cost.score_cell(vendor.key)}"
                sheet.formula(row, column, cell, score, number_format(SCORE) + shade)
            else:
                sheet.number(row, column, score, number_format(SCORE) + shade)
        sheet.formula(
            row,
            total_col,
            f"=IF(SUM({WEIGHTS_NAME})=0,0,SUMPRODUCT({scores_first}{row}:{scores_last}{row},"
            f"{WEIGHTS_NAME})/SUM({WEIGHTS_NAME}))",
            vendor.total,
            BOLD + number_format(SCORE) + shade,
        )
        sheet.text(row, data_col, "complete" if vendor.complete else "provisional", shade)
        note = vendor_notes(vendor, ctx)
        if note:
            sheet.text(row, notes_col, note, WRAP + shade)
            sheet.grow(row, note, NOTES_WIDTH)
        else:
            sheet.blank(row, notes_col, shade)
        mark = mark_text(vendor.amendments)
        if mark:
            by_lead = any(a.by_lead for a in vendor.amended_after_unsealing)
            sheet.text(row, amended_col, mark, WRAP + (FLAG_FILL if by_lead else shade))
            sheet.grow(row, mark, AMENDED_WIDTH)
        else:
            sheet.blank(row, amended_col, shade)
        sheet.text(row, label_col, chart_label(vendor), NOTE + shade)

    widths.fix(total_col, 10)
    widths.fix(data_col, 12)
    widths.fix(notes_col, NOTES_WIDTH)
    widths.fix(amended_col, AMENDED_WIDTH)
    sheet.widths(widths.widths())
    sheet.hide_column(label_col, CHART_LABEL_WIDTH)
    sheet.conditional(f"{scores_first}{first}:{total_letter}{last}", SCORE_SCALE)
    sheet.freeze(f"C{first}")
    sheet.autofilter(f"A{header_row}:{xl_col_to_name(amended_col - 1)}{last}")
    sheet.print_setup(weight_row, header_row, ctx.title)
    _totals_chart(book, sheet, layout, ctx.vendors)
    sheet.protect()


def shown_rank(vendor: VendorResult) -> int | str:
    """The rank as the sheets show it: a dash for a vendor without one."""
    return "–" if vendor.rank is None else vendor.rank


def chart_label(vendor: VendorResult) -> str:
    """A vendor as the chart names it: a disqualified one says so."""
    return (
        f"{vendor.name} ({DISQUALIFIED.lower()}: not ranked)"
        if vendor.disqualified
        else vendor.name
    )


def _totals_chart(
    book: Book, sheet: Sheet, layout: SummaryLayout, vendors: tuple[VendorResult, ...]
) -> None:
    """The totals as bars in the Summary's order (rank order as generated), live; a
    disqualified vendor's bar is pale and hatched, and its label says it is disqualified."""
    first, last = layout.first - 1, layout.last - 1  # XlsxWriter counts rows from 0
    total = layout.total_col - 1
    labels = layout.total_col + 3  # the Chart label column (0-based; after the amended one)
    chart = book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": [SUMMARY, layout.header_row - 1, total],
            "categories": [SUMMARY, first, labels, last, labels],
            "values": [SUMMARY, first, total, last, total],
            "data_labels": {"value": True, "num_format": "0.0"},
            "fill": {"color": BAR_COLOUR},
            "points": [DISQUALIFIED_BAR if v.disqualified else None for v in vendors],
            # The figures as written, for readers that draw the chart without recalculating
            # (in constant-memory mode XlsxWriter cannot read them back from the sheet).
            "name_data": ["Total"],
            "categories_data": [chart_label(v) for v in vendors],
            "values_data": [v.total for v in vendors],
        }
    )
    title = "Total score (live: follows the weights and the Cost sheet)"
    if any(v.disqualified for v in vendors):
        title += "; hatched: disqualified"
    chart.set_title({"name": title, "name_font": {"size": 12}})
    chart.set_legend({"none": True})
    chart.show_hidden_data()  # the labels' column is hidden
    # In a bar chart the value axis is XlsxWriter's x axis.
    chart.set_x_axis({"min": 0, "max": 100, "major_unit": 20, "num_format": "0"})
    chart.set_y_axis({"reverse": True})  # rank 1 at the top
    chart.set_style(10)
    height_cm = max(7.5, 0.6 * len(vendors) + 2.5)
    chart.set_size({"width": round(20 * CM), "height": round(height_cm * CM)})
    sheet.insert_chart(f"B{layout.last + 3}", chart)
