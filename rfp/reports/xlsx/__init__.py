"""The Excel comparison matrix: `build_workbook(result, doc, generated_at=...) -> bytes`.

Every number comes from the engine's `Result`; names, texts, weights and scope come
from the canonical scenario document. The exceptions are the live formulas (totals,
ranks, criterion subtotals, cost figures): they are there so that a reader who changes
a yellow input cell sees the figures move, and with the inputs untouched they give the
engine's numbers (a LibreOffice recalculation test checks that to 1e-6).

Sheets are written by the functions in `SHEETS`, in order, each taking the workbook and
the shared `WorkbookContext`; another sheet (a sensitivity analysis, say) is one more
function appended to the list, or passed in `sheets=`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook

from rfp.domain.scoring.result import Result
from rfp.reports.xlsx.context import SheetWriter, WorkbookContext
from rfp.reports.xlsx.cost import write_cost
from rfp.reports.xlsx.sensitivity import write_sensitivity
from rfp.reports.xlsx.sheets import write_consensus, write_references, write_scores
from rfp.reports.xlsx.summary import write_matrix, write_summary

# Summary comes first: it owns the weight inputs that the other sheets' formulas read.
SHEETS: list[SheetWriter] = [
    write_summary,
    write_matrix,
    write_scores,
    write_consensus,
    write_references,
    write_cost,
    write_sensitivity,
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
    wb = Workbook()
    wb.remove(wb.active)
    for writer in SHEETS if sheets is None else sheets:
        writer(wb, ctx)
    naive_utc = generated_at.astimezone(UTC).replace(tzinfo=None)
    wb.properties.creator = "rfp"
    wb.properties.title = ctx.title[:200]
    wb.properties.created = naive_utc
    wb.properties.modified = naive_utc
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
