"""The Amendments sheet: every change to a vendor's response after it was frozen, with
the value as submitted and as amended, who, when, the stage and the reason.

The figures of every other sheet score the amended values (the engine did); this sheet
is where a reader sees what changed. Rows shaded orange are the lead's amendments after
the prices were unsealed: the exception.
"""

from __future__ import annotations

from datetime import datetime

from xlsxwriter.utility import xl_col_to_name

from rfp.domain.amendments import amendment_sentence, change_text, what_text
from rfp.domain.vocabulary import AmendmentSource, Stage
from rfp.reports.xlsx.book import Book
from rfp.reports.xlsx.cells import FLAG_FILL, PLAIN, WRAP, ColumnWidths
from rfp.reports.xlsx.context import AMENDMENTS_SHEET, WorkbookContext

AMENDMENTS = AMENDMENTS_SHEET
REASON_WIDTH = 45
SENTENCE_WIDTH = 60
LABELS = (
    "Vendor",
    "What",
    "As submitted → as amended",
    "Source",
    "By",
    "When (UTC)",
    "Stage",
    "After unsealing",
    "Reason",
    "In words",
)


def write_amendments(book: Book, ctx: WorkbookContext) -> None:
    sheet = book.add_sheet(AMENDMENTS)
    amended = [v for v in ctx.vendors if v.amendments]
    notes = [
        "Changes to a vendor's response after it was frozen (the deadline passed or the "
        "prices were unsealed). The response as submitted stays on record; every other "
        "sheet scores the amended values.",
        "Rows shaded orange: amended by the lead after unsealing, the exception. A "
        "vendor's own clarification is the normal way to correct a bid.",
    ]
    if not amended:
        notes.append("No amendment: every response is scored as the vendor submitted it.")
    header_row = sheet.title_block("Amendments", notes) + 1
    sheet.header(header_row, LABELS)
    widths = ColumnWidths(maximum=36)
    row = header_row
    for vendor in amended:
        pricing = ctx.vendor_doc(vendor.key)["pricing"] or {}
        for amendment in vendor.amendments:
            row += 1
            found = ctx.question(amendment.question) if amendment.question else None
            text = found[1]["text"] if found else None
            unit = found[1]["unit"] if found else ""
            exception = amendment.by_lead and amendment.after_unsealing
            shade = FLAG_FILL if exception else PLAIN
            cells = (
                vendor.name,
                what_text(amendment, text),
                change_text(amendment, pricing.get("model"), unit),
                AmendmentSource(amendment.source).label,
                amendment.by,
                datetime.fromisoformat(amendment.at).strftime("%Y-%m-%d %H:%M"),
                Stage(amendment.stage).label,
                "yes" if amendment.after_unsealing else "no",
            )
            for column, value in enumerate(cells, start=1):
                sheet.text(row, column, value, shade)
                widths.see(column, value)
            sentence = amendment_sentence(
                amendment, text, pricing_model=pricing.get("model"), unit=unit
            )
            sheet.text(row, 9, amendment.reason, WRAP + shade)
            sheet.grow(row, amendment.reason, REASON_WIDTH)
            sheet.text(row, 10, sentence, WRAP + shade)
            sheet.grow(row, sentence, SENTENCE_WIDTH)
    widths.fix(9, REASON_WIDTH)
    widths.fix(10, SENTENCE_WIDTH)
    sheet.widths(widths.widths())
    sheet.freeze(f"B{header_row + 1}")
    sheet.autofilter(f"A{header_row}:{xl_col_to_name(len(LABELS) - 1)}{max(row, header_row)}")
