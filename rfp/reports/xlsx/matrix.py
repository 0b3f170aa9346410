"""The Matrix sheet: every question score by vendor, with live criterion subtotals and
totals over the Summary's weight inputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from rfp.domain.scoring.result import VendorResult
from rfp.domain.vocabulary import CriterionKind, QuestionKind
from rfp.reports.wording import price_formula_name
from rfp.reports.xlsx.book import Book, Sheet
from rfp.reports.xlsx.cells import (
    BOLD,
    CENTER,
    DISQUALIFIED_FILL,
    GROUP_FILL,
    NOTE,
    PLAIN,
    SCORE,
    WRAP,
    Style,
    number_format,
)
from rfp.reports.xlsx.context import (
    SCORE_SCALE,
    WEIGHTS_NAME,
    WorkbookContext,
    scored_by_bands,
    status_of,
)
from rfp.reports.xlsx.cost import cost_layout
from rfp.reports.xlsx.summary import shown_rank, summary_layout

CONSENSUS_FONT = Style.of(italic=True, font_color="#1F3B57")
QUESTION_WIDTH = 56
VENDOR_WIDTH = 14
FIRST_VENDOR_COLUMN = 4
SCORE_STYLE = number_format(SCORE)
SUBTOTAL_STYLE = GROUP_FILL + BOLD + SCORE_STYLE


@dataclass(frozen=True)
class MatrixLayout:
    header_row: int
    criterion_rows: Mapping[str, int]  # criterion key -> its (shaded) criterion row

    @property
    def total_row(self) -> int:
        return self.header_row + 1

    @property
    def rank_row(self) -> int:
        return self.header_row + 2

    @property
    def status_row(self) -> int:
        return self.header_row + 3


def matrix_notes(ctx: WorkbookContext) -> list[str]:
    ev = ctx.doc["evaluation"]
    return [
        f"Question score: the {ev['aggregation']} of the evaluators' scores on the "
        f"{ctx.scale_text()} scale, normalised to 0-100; a consensus score (in italics) "
        "replaces it.",
        "Criterion score (shaded rows, live formula): the weighted mean of its question "
        "scores, the weights normalised over the questions that have a score.",
    ]


def matrix_layout(ctx: WorkbookContext) -> MatrixLayout:
    header_row = 2 + len(matrix_notes(ctx)) + 1
    rows: dict[str, int] = {}
    row = header_row + 4  # after the total, rank and status rows
    for criterion in ctx.criteria:
        rows[criterion["key"]] = row
        row += 1
        if criterion["kind"] == CriterionKind.SCORED:
            row += len(_scored(criterion)) + len(_knockouts(criterion))
    return MatrixLayout(header_row=header_row, criterion_rows=rows)


def write_matrix(book: Book, ctx: WorkbookContext) -> None:
    sheet = book.add_sheet("Matrix")
    layout = ctx.layout(matrix_layout)
    summary = ctx.layout(summary_layout)
    sheet.title_block("Question scores by vendor (0-100)", matrix_notes(ctx))
    vendors = ctx.vendors
    last_letter = xl_col_to_name(FIRST_VENDOR_COLUMN + len(vendors) - 2)
    header_row = layout.header_row
    sheet.header(header_row, ["Criterion", "Question", "Weight", *(v.name for v in vendors)])
    for vendor in vendors:
        sheet.grow(header_row, vendor.name, VENDOR_WIDTH - 1, bold=True)

    _totals(sheet, ctx, layout)
    consensus = {(c["vendor"], c["question"]) for c in ctx.doc["consensus"]}
    for criterion in ctx.criteria:
        group = layout.criterion_rows[criterion["key"]]
        sheet.text(group, 1, criterion["name"], GROUP_FILL + BOLD)
        sheet.formula(
            group,
            3,
            f"={summary.weight_cell(criterion['key'])}",
            criterion["weight"],
            GROUP_FILL + BOLD,
        )
        if criterion["kind"] != CriterionKind.SCORED:
            _computed_row(sheet, group, criterion, ctx)
            sheet.conditional(f"D{group}:{last_letter}{group}", SCORE_SCALE)
            continue
        sheet.text(group, 2, "Criterion score", GROUP_FILL + BOLD)
        scored = _scored(criterion)
        q_first, q_last = group + 1, group + len(scored)
        for j, vendor in enumerate(vendors):
            letter = xl_col_to_name(FIRST_VENDOR_COLUMN + j - 1)
            scores = f"{letter}{q_first}:{letter}{q_last}"
            question_weights = f"$C${q_first}:$C${q_last}"
            answered = f"SUMPRODUCT(ISNUMBER({scores})*{question_weights})"
            sheet.formula(
                group,
                FIRST_VENDOR_COLUMN + j,
                f"=IF({answered}=0,0,SUMPRODUCT({scores},{question_weights})/{answered})",
                vendor.criteria[criterion["key"]],
                SUBTOTAL_STYLE,
            )
        row = group + 1
        for q in scored:
            _question_row(sheet, row, q, vendors, consensus, ctx.question_label(q["key"]))
            row += 1
        sheet.conditional(f"D{group}:{last_letter}{q_last}", SCORE_SCALE)
        for q in _knockouts(criterion):
            _knockout_row(sheet, row, q, vendors, ctx)
            row += 1

    sheet.summary_rows_above()  # criterion rows sit above their questions
    name_width = min(30, max([14, *(len(c["name"]) + 2 for c in ctx.criteria)]))
    widths = {1: name_width, 2: QUESTION_WIDTH, 3: 8}
    widths.update((FIRST_VENDOR_COLUMN + j, VENDOR_WIDTH) for j in range(len(vendors)))
    sheet.widths(widths)
    sheet.freeze(f"D{layout.status_row + 1}")
    sheet.print_setup(header_row, layout.status_row, ctx.title)


def _computed_row(
    sheet: Sheet, group: int, criterion: dict[str, Any], ctx: WorkbookContext
) -> None:
    """A cost or references criterion: the Cost sheet's live score, or the engine's."""
    is_cost = criterion["kind"] == CriterionKind.COST
    how = (
        f"From the TCO by the {price_formula_name(ctx.doc['evaluation']['price_formula'])} "
        "price formula (live, Cost sheet)"
        if is_cost
        else "Mean reference-call rating on 0-100 (References sheet)"
    )
    sheet.text(group, 2, how, GROUP_FILL + NOTE)
    cost = ctx.layout(cost_layout)
    for j, vendor in enumerate(ctx.vendors):
        score = vendor.criteria[criterion["key"]]
        column = FIRST_VENDOR_COLUMN + j
        if is_cost:
            sheet.formula(group, column, f"={cost.score_cell(vendor.key)}", score, SUBTOTAL_STYLE)
        else:
            sheet.number(group, column, score, SUBTOTAL_STYLE)


def _scored(criterion: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for q in criterion["questions"] if q["kind"] == QuestionKind.SCORED]


def _knockouts(criterion: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for q in criterion["questions"] if q["kind"] == QuestionKind.KNOCKOUT]


def _totals(sheet: Sheet, ctx: WorkbookContext, layout: MatrixLayout) -> None:
    """The Total, Rank and Status rows under the header."""
    summary = ctx.layout(summary_layout)
    total_row, rank_row, status_row = layout.total_row, layout.rank_row, layout.status_row
    sheet.text(total_row, 1, "Total", BOLD)
    for j, vendor in enumerate(ctx.vendors):
        letter = xl_col_to_name(FIRST_VENDOR_COLUMN + j - 1)
        terms = "+".join(
            f"{letter}{layout.criterion_rows[c['key']]}*{summary.weight_cell(c['key'])}"
            for c in ctx.criteria
        )
        sheet.formula(
            total_row,
            FIRST_VENDOR_COLUMN + j,
            f"=IF(SUM({WEIGHTS_NAME})=0,0,({terms})/SUM({WEIGHTS_NAME}))",
            vendor.total,
            BOLD + SCORE_STYLE,
        )
    last_letter = xl_col_to_name(FIRST_VENDOR_COLUMN + len(ctx.vendors) - 2)
    sheet.conditional(f"D{total_row}:{last_letter}{total_row}", SCORE_SCALE)
    sheet.text(rank_row, 1, "Rank", BOLD)
    for j, vendor in enumerate(ctx.vendors):
        summary_row = summary.rows[vendor.key]
        sheet.formula(
            rank_row, FIRST_VENDOR_COLUMN + j, f"=Summary!$A${summary_row}", shown_rank(vendor),
            CENTER,
        )  # fmt: skip
    sheet.text(status_row, 1, "Status", BOLD)
    for j, vendor in enumerate(ctx.vendors):
        sheet.text(status_row, FIRST_VENDOR_COLUMN + j, status_of(vendor), CENTER)


def _question_row(
    sheet: Sheet,
    row: int,
    question: dict[str, Any],
    vendors: tuple[VendorResult, ...],
    consensus: set[tuple[str, str]],
    label: str,
) -> None:
    by_bands = " (scored from the vendor's number)" if scored_by_bands(question) else ""
    text = label + by_bands
    sheet.text(row, 2, text, WRAP)
    sheet.grow(row, text, QUESTION_WIDTH)
    sheet.number(row, 3, question["weight"])
    for j, vendor in enumerate(vendors):
        value = vendor.questions.get(question["key"])
        if value is not None:
            italic = CONSENSUS_FONT if (vendor.key, question["key"]) in consensus else PLAIN
            sheet.number(row, FIRST_VENDOR_COLUMN + j, value, SCORE_STYLE + italic)
    sheet.outline(row)


def _knockout_row(
    sheet: Sheet,
    row: int,
    question: dict[str, Any],
    vendors: tuple[VendorResult, ...],
    ctx: WorkbookContext,
) -> None:
    text = f"Knockout (pass/fail): {ctx.question_label(question['key'])}"
    sheet.text(row, 2, text, WRAP)
    sheet.grow(row, text, QUESTION_WIDTH)
    for j, vendor in enumerate(vendors):
        passed = ctx.vendor_doc(vendor.key)["knockouts"].get(question["key"])
        answer = "–" if passed is None else "Pass" if passed else "Fail"
        shade = DISQUALIFIED_FILL if passed is False else PLAIN
        sheet.text(row, FIRST_VENDOR_COLUMN + j, answer, CENTER + shade)
    sheet.outline(row)
