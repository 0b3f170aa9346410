"""The Excel comparison matrix: `build_workbook(result, doc, generated_at=...) -> bytes`.

Every number comes from the engine's `Result`; names, texts, weights and scope come
from the canonical scenario document. The exceptions are the live formulas (totals,
ranks, criterion subtotals, cost figures): they are there so that a reader who changes
a yellow input cell sees the figures move, and with the inputs untouched they give the
engine's numbers (a LibreOffice recalculation test checks that to 1e-6).

The file is written by XlsxWriter in constant-memory mode: each sheet goes to disk row by
row, so memory stays flat at any size (book.py). Sheets are written by the functions in
`SHEETS`, in order, each taking the `Book` and the shared `WorkbookContext`; another sheet
is one more function appended to the list, or passed in `sheets=`. A sheet that needs
another's cells asks the context for that sheet's layout (`ctx.layout(summary_layout)`),
so no sheet depends on the order in which the others are written.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import xlsxwriter

from rfp.domain.scoring.result import Result
from rfp.reports.xlsx.amendments import write_amendments
from rfp.reports.xlsx.book import Book
from rfp.reports.xlsx.cells import clean_text
from rfp.reports.xlsx.consensus import write_consensus
from rfp.reports.xlsx.context import SheetWriter, WorkbookContext
from rfp.reports.xlsx.cost import write_cost
from rfp.reports.xlsx.matrix import write_matrix
from rfp.reports.xlsx.pilot import write_pilot
from rfp.reports.xlsx.references import write_references
from rfp.reports.xlsx.scores import write_scores
from rfp.reports.xlsx.sensitivity import write_sensitivity
from rfp.reports.xlsx.summary import write_summary

# The order of the tabs: the ranking first, then the detail behind it.
SHEETS: list[SheetWriter] = [
    write_summary,
    write_matrix,
    write_scores,
    write_consensus,
    write_references,
    write_cost,
    write_pilot,  # only when there is a pilot
    write_sensitivity,
    write_amendments,
]

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_workbook(
    result: Result,
    doc: dict[str, Any],
    *,
    generated_at: datetime,
    sheets: Sequence[SheetWriter] | None = None,
) -> bytes:
    """The workbook as .xlsx bytes."""
    ctx = WorkbookContext(result=result, doc=doc, generated_at=generated_at)
    out = io.BytesIO()
    # Constant memory keeps each sheet's rows in a temporary file until the file is zipped
    # (XlsxWriter's in_memory option would turn it off); the folder goes even on an error.
    with tempfile.TemporaryDirectory(prefix="rfp-xlsx-") as tmpdir:
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": tmpdir})
        with workbook:
            book = Book(workbook)
            for writer in SHEETS if sheets is None else sheets:
                writer(book, ctx)
            naive_utc = generated_at.astimezone(UTC).replace(tzinfo=None)
            workbook.set_properties(
                {"title": clean_text(ctx.title)[:200], "author": "rfp", "created": naive_utc}
            )
    return out.getvalue()
