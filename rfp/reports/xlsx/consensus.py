"""The Consensus sheet: the scores recorded by the lead, with their rationale."""

from __future__ import annotations

from rfp.reports.xlsx.book import Book
from rfp.reports.xlsx.cells import TOP, WRAP
from rfp.reports.xlsx.context import WorkbookContext

QUESTION_WIDTH = 48
RATIONALE_WIDTH = 70


def write_consensus(book: Book, ctx: WorkbookContext) -> None:
    """Consensus scores recorded by the lead, with their rationale (only when there are)."""
    if not ctx.doc["consensus"]:
        return
    sheet = book.add_sheet("Consensus")
    header_row = (
        sheet.title_block(
            "Consensus scores",
            ["A consensus score replaces the evaluators' scores on that question."],
        )
        + 1
    )
    scale = ctx.scale_text()
    sheet.header(header_row, ["Vendor", "Criterion", "Question", f"Score ({scale})", "Rationale"])
    row = header_row
    for c in ctx.doc["consensus"]:
        row += 1
        sheet.text(row, 1, ctx.vendor_name(c["vendor"]))
        found = ctx.question(c["question"])
        if found:
            criterion, question = found
            sheet.text(row, 2, criterion["name"])
            label = ctx.question_label(question["key"])
            sheet.text(row, 3, label, WRAP)
            sheet.grow(row, label, QUESTION_WIDTH)
        sheet.number(row, 4, c["score"], TOP)
        if c["rationale"]:
            sheet.text(row, 5, c["rationale"], WRAP)
            sheet.grow(row, c["rationale"], RATIONALE_WIDTH)
    sheet.widths({1: 28, 2: 20, 3: QUESTION_WIDTH, 4: 10, 5: RATIONALE_WIDTH})
    sheet.freeze(f"A{header_row + 1}")
    sheet.autofilter(f"A{header_row}:E{max(row, header_row)}")
    sheet.print_setup(header_row, header_row, ctx.title)
