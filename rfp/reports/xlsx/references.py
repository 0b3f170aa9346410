"""The References sheet: every reference call, every field."""

from __future__ import annotations

from datetime import date

from xlsxwriter.utility import xl_col_to_name

from rfp.domain.vocabulary import SignAgain
from rfp.reports.xlsx.book import Book
from rfp.reports.xlsx.cells import DATE, FLAG_FILL, PLAIN, WRAP, ColumnWidths, number_format
from rfp.reports.xlsx.context import WorkbookContext

TEXT_WIDTH = 40  # the three free-text answers wrap at this width
DATE_STYLE = number_format(DATE)


def write_references(book: Book, ctx: WorkbookContext) -> None:
    sheet = book.add_sheet("References")
    header_row = (
        sheet.title_block(
            "Reference calls",
            [
                "Rows shaded orange: the reference would not sign this contract again. "
                "The seeds ask for three calls per vendor with customers in similar businesses.",
            ],
        )
        + 1
    )
    scale = ctx.scale_text()
    labels = [
        "Vendor",
        "Caller",
        "Reference company",
        "Contact",
        "Date",
        "Similar business",
        f"Rating ({scale})",
        "Would sign again",
        "What surprised negatively",
        "What would you do differently",
        "Notes",
    ]
    sheet.header(header_row, labels)
    sheet.height(header_row, 32)
    vendor_order = {v.key: i for i, v in enumerate(ctx.vendors)}
    calls = sorted(
        enumerate(ctx.doc["references"]),
        key=lambda item: (vendor_order.get(item[1]["vendor"], len(vendor_order)), item[0]),
    )
    widths = ColumnWidths(maximum=36)
    row = header_row
    for _, call in calls:
        row += 1
        shade = FLAG_FILL if call["would_sign_again"] == SignAgain.NO else PLAIN
        name = ctx.vendor_name(call["vendor"])
        caller = ctx.evaluator_name(call["caller"]) if call["caller"] else ""
        for column, text in ((1, name), (2, caller), (3, call["company"]), (4, call["contact"])):
            sheet.value(row, column, text or None, shade)
            widths.see(column, text)
        if call["date"]:
            sheet.date(row, 5, date.fromisoformat(call["date"]), DATE_STYLE + shade)
        else:
            sheet.blank(row, 5, shade)
        similar = call["similar_business"]
        sheet.text(row, 6, "–" if similar is None else "yes" if similar else "no", shade)
        sheet.value(row, 7, call["rating"], shade)
        sheet.value(row, 8, call["would_sign_again"], shade)
        for column, field in ((9, "surprised_negatively"), (10, "do_differently"), (11, "notes")):
            if call[field]:
                sheet.text(row, column, call[field], WRAP + shade)
                sheet.grow(row, call[field], TEXT_WIDTH)
            else:
                sheet.blank(row, column, shade)
    for column, width in ((5, 11), (6, 10), (7, 9), (8, 10), (9, TEXT_WIDTH), (10, TEXT_WIDTH),
                          (11, TEXT_WIDTH)):  # fmt: skip
        widths.fix(column, width)
    sheet.widths(widths.widths())
    sheet.freeze(f"B{header_row + 1}")
    sheet.autofilter(f"A{header_row}:{xl_col_to_name(len(labels) - 1)}{max(row, header_row)}")
    sheet.print_setup(header_row, header_row, ctx.title)
