"""What every sheet of the workbook reads, and the addresses sheets leave for each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import absolute_coordinate, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from rfp.domain.scoring.result import Result, VendorResult

DISQUALIFIED = "Disqualified"
QUALIFIED = "Qualified"
WEIGHTS_NAME = "CriterionWeights"  # the Summary's weight input cells


def score_scale() -> ColorScaleRule:
    """Red-amber-green over 0..100, fixed so that colours mean the same on every sheet."""
    return ColorScaleRule(
        start_type="num",
        start_value=0,
        start_color="F8696B",
        mid_type="num",
        mid_value=50,
        mid_color="FFEB84",
        end_type="num",
        end_value=100,
        end_color="63BE7B",
    )


@dataclass
class WorkbookContext:
    result: Result
    doc: dict[str, Any]
    generated_at: datetime
    # Filled by the Summary sheet for the sheets after it.
    weight_cells: dict[str, str] = field(default_factory=dict)  # criterion -> Summary!$E$5
    summary_rows: dict[str, int] = field(default_factory=dict)  # vendor key -> Summary row

    @property
    def title(self) -> str:
        return self.doc["evaluation"]["title"]

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return self.doc["criteria"]

    @property
    def vendors(self) -> tuple[VendorResult, ...]:
        """Rank order, disqualified last: the order of every sheet."""
        return self.result.vendors

    def vendor_doc(self, key: str) -> dict[str, Any]:
        return self._vendor_docs[key]

    def vendor_name(self, key: str) -> str:
        vendor = self._vendor_docs.get(key)
        return vendor["name"] if vendor else key

    def evaluator_name(self, key: str) -> str:
        return self._evaluator_names.get(key, key)

    def question(self, key: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(criterion, question) of a question key."""
        return self._questions.get(key)

    def scale_text(self) -> str:
        scale = self.doc["evaluation"]["scale"]
        return f"{scale['min']:g}-{scale['max']:g}"

    def __post_init__(self) -> None:
        self._vendor_docs = {v["key"]: v for v in self.doc["vendors"]}
        self._evaluator_names = {e["key"]: e["name"] for e in self.doc["evaluators"]}
        self._questions = {q["key"]: (c, q) for c in self.criteria for q in c["questions"]}


SheetWriter = Callable[[Workbook, WorkbookContext], None]


def define_name(wb: Workbook, name: str, ws: Worksheet, ref: str) -> str:
    """A workbook-level name for a cell or range, so that formulas read in words."""
    target = f"{quote_sheetname(ws.title)}!{absolute_coordinate(ref)}"
    wb.defined_names[name] = DefinedName(name, attr_text=target)
    return target


def status_of(vendor: VendorResult) -> str:
    return DISQUALIFIED if vendor.disqualified else QUALIFIED


def vendor_notes(vendor: VendorResult, ctx: WorkbookContext) -> str:
    """Why a vendor is disqualified or provisional, in words."""
    notes = []
    if vendor.failed_knockouts:
        failed = "; ".join(_question_text(ctx, k) for k in vendor.failed_knockouts)
        notes.append(f"Failed knockout: {failed}")
    if not vendor.complete:
        notes.append("Provisional: " + "; ".join(vendor.incomplete_reasons))
    return " · ".join(notes)


def scored_by_bands(question: dict[str, Any]) -> bool:
    """A quantitative question: scored from the vendor's number, not by evaluators."""
    return (
        question["kind"] == "scored"
        and question.get("bands") is not None
        and question.get("answer_type") == "number"
    )


def _question_text(ctx: WorkbookContext, key: str) -> str:
    found = ctx.question(key)
    return found[1]["text"] if found else key
