"""The Scores sheet: every evaluator score with its comment, one row each, filterable;
an abstention is a row with no score, its reason as the comment.

It is the workbook's large sheet (one row per score: 57,600 on a 40 x 120 x 12
evaluation), so its rows are written straight to XlsxWriter with the formats and the
prepared text of each name looked up once, not per cell.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name

from rfp.reports.xlsx.book import Book
from rfp.reports.xlsx.cells import FLAG_FILL, PLAIN, WRAP, ColumnWidths, prepared_text
from rfp.reports.xlsx.context import WorkbookContext, scored_by_bands

LONG_TEXT = 60  # characters: longer comments wrap inside their cell
QUESTION_WIDTH = 48
LABELS = (
    "Evaluator",
    "Vendor",
    "Criterion",
    "Question",
    "Score ({scale})",
    "Comment",
    "Dispersion",
    "Not counted because",
)

# A text cell ready to write: (text, format on a one-line row, format on a tall row).
TextCell = tuple[str, Format | None, Format | None]


class TextCells:
    """Each distinct name and label prepared once: cleaned, and quoted when formula-like."""

    def __init__(self, book: Book) -> None:
        self._formats = {
            quoted: (book.format(PLAIN, quoted), book.format(WRAP, quoted))
            for quoted in (False, True)
        }
        self._cells: dict[str, TextCell] = {}

    def __call__(self, text: str) -> TextCell:
        cell = self._cells.get(text)
        if cell is None:
            cell = self._cells[text] = self.once(text)
        return cell

    def once(self, text: str) -> TextCell:
        """A text seen once (a comment), not kept: memory stays flat however many."""
        value, quoted = prepared_text(text)
        return (value, *self._formats[quoted])


def write_scores(book: Book, ctx: WorkbookContext) -> None:
    sheet = book.add_sheet("Scores")
    scale = ctx.scale_text()
    header_row = (
        sheet.title_block(
            "Evaluator scores and comments",
            [
                f"Raw scores on the {scale} scale. Rows shaded orange belong to a (vendor, "
                "question) whose evaluators' scores spread at or beyond the dispersion "
                "threshold: they need calibration.",
            ],
        )
        + 1
    )
    sheet.header(header_row, [label.format(scale=scale) for label in LABELS])
    text = TextCells(book)
    evaluator_cells = {e["key"]: text(e["name"]) for e in ctx.doc["evaluators"]}
    inactive = {e["key"] for e in ctx.doc["evaluators"] if not e["active"]}
    vendor_cells = {v["key"]: text(v["name"]) for v in ctx.doc["vendors"]}
    question_cells = {
        q["key"]: (
            text(c["name"]),
            text(ctx.question_label(q["key"])),
            ctx.question_label(q["key"]),
            scored_by_bands(q),
        )
        for c in ctx.criteria
        for q in c["questions"]
    }
    conflicts = {(d["evaluator"], d["vendor"]) for d in ctx.doc["conflicts"]}
    flagged = {
        (d.vendor, d.question): text(
            f"range {d.spread:g} ({'consensus recorded' if d.resolved else 'open'})"
        )
        for d in ctx.result.dispersion
        if d.flagged
    }
    abstention = text("abstained (the comment says why)")
    by_bands = text("scored from the vendor's number")
    removed = text("evaluator removed")
    conflicted = text("conflict of interest")
    wrap = book.format(WRAP)

    worksheet = sheet.worksheet  # XlsxWriter's own calls below count rows and columns from 0
    write_string, write_number, write_blank = (
        worksheet.write_string,
        worksheet.write_number,
        worksheet.write_blank,
    )
    row = header_row
    for s in _sorted_scores(ctx):
        row += 1
        r = sheet.begin_row(row)
        evaluator_key, vendor_key, question_key = s["evaluator"], s["vendor"], s["question"]
        found = question_cells.get(question_key)
        if found is None:
            found = (text(""), text(question_key), question_key, False)
        criterion_cell, question_cell, question_text, from_bands = found
        abstained = "abstain" in s  # no score; its reason where a comment goes
        comment = s["reason"] if abstained else s["comment"]
        tall = len(question_text) > QUESTION_WIDTH or (bool(comment) and len(comment) > LONG_TEXT)
        k = 2 if tall else 1  # which format of a TextCell
        for column, cell in (
            (0, evaluator_cells.get(evaluator_key) or text(evaluator_key)),
            (1, vendor_cells.get(vendor_key) or text(vendor_key)),
            (2, criterion_cell),
            (3, question_cell),
        ):
            write_string(r, column, cell[0], cell[k])
        if abstained:
            write_blank(r, 4, None, wrap if tall else None)
        else:
            write_number(r, 4, s["score"], wrap if tall else None)
        not_counted = (
            abstention
            if abstained
            else by_bands
            if from_bands
            else removed
            if evaluator_key in inactive
            else conflicted
            if (evaluator_key, vendor_key) in conflicts
            else None
        )
        for column, optional in (
            (5, text.once(comment) if comment else None),
            (6, flagged.get((vendor_key, question_key))),
            (7, not_counted),
        ):
            if optional is not None:
                write_string(r, column, optional[0], optional[k])
            elif tall:
                write_blank(r, column, None, wrap)
        if tall:
            sheet.grow(row, question_text, QUESTION_WIDTH)
            if comment:
                sheet.grow(row, comment, LONG_TEXT)

    sheet.widths(_widths(ctx))
    last_letter = xl_col_to_name(len(LABELS) - 1)
    if row > header_row:
        # One rule rather than a fill per cell: on a large evaluation most rows may be flagged.
        sheet.highlight_where(
            f"A{header_row + 1}:{last_letter}{row}", f'$G{header_row + 1}<>""', FLAG_FILL
        )
    sheet.freeze(f"A{header_row + 1}")
    sheet.autofilter(f"A{header_row}:{last_letter}{max(row, header_row)}")
    sheet.print_setup(header_row, header_row, ctx.title)


def _sorted_scores(ctx: WorkbookContext) -> list[dict[str, Any]]:
    """By vendor (rank order), question (criteria order), evaluator (listed order)."""
    vendor_order = {v.key: i for i, v in enumerate(ctx.vendors)}
    questions = (q["key"] for c in ctx.criteria for q in c["questions"])
    question_order = {key: i for i, key in enumerate(questions)}
    evaluator_order = {e["key"]: i for i, e in enumerate(ctx.doc["evaluators"])}
    unknown_vendor = len(vendor_order)
    return sorted(
        ctx.doc["scores"],
        key=lambda s: (
            vendor_order.get(s["vendor"], unknown_vendor),
            question_order.get(s["question"], 0),
            evaluator_order.get(s["evaluator"], 0),
        ),
    )


def _widths(ctx: WorkbookContext) -> dict[int, float]:
    widths = ColumnWidths()
    for column, values in (
        (1, (e["name"] for e in ctx.doc["evaluators"])),
        (2, (v["name"] for v in ctx.doc["vendors"])),
        (3, (c["name"] for c in ctx.criteria)),
    ):
        for value in values:
            widths.see(column, value)
    for column, width in ((4, QUESTION_WIDTH), (5, 10), (6, LONG_TEXT), (7, 24), (8, 22)):
        widths.fix(column, width)
    return widths.widths()
