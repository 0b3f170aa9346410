"""What every sheet of the workbook reads, and how sheets find each other's cells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

from rfp.domain.numbering import Numbering, number_document
from rfp.domain.scoring.result import Result, VendorResult
from rfp.domain.vocabulary import AnswerType, QuestionKind
from rfp.reports.xlsx.book import Book
from rfp.scenario.amendments import as_amended

Layout = TypeVar("Layout")

DISQUALIFIED = "Disqualified"
QUALIFIED = "Qualified"
WEIGHTS_NAME = "CriterionWeights"  # the Summary's weight input cells
AMENDMENTS_SHEET = "Amendments"


# Red-amber-green over 0..100, fixed so that colours mean the same on every sheet.
SCORE_SCALE: dict[str, Any] = {
    "type": "3_color_scale",
    "min_type": "num",
    "min_value": 0,
    "min_color": "#F8696B",
    "mid_type": "num",
    "mid_value": 50,
    "mid_color": "#FFEB84",
    "max_type": "num",
    "max_value": 100,
    "max_color": "#63BE7B",
}


@dataclass
class WorkbookContext:
    result: Result
    doc: dict[str, Any]
    generated_at: datetime
    _layouts: dict[Callable[[WorkbookContext], object], object] = field(
        default_factory=dict, init=False, repr=False
    )

    def layout(self, plan: Callable[[WorkbookContext], Layout]) -> Layout:
        """Where a sheet puts its cells, planned once from the context alone: any sheet can
        address any other's cells (a weight, a vendor's row) before or after it is
        written, and each sheet is written top to bottom."""
        if plan not in self._layouts:
            self._layouts[plan] = plan(self)
        return cast(Layout, self._layouts[plan])  # what `plan` gave, kept under its name

    @property
    def title(self) -> str:
        title: str = self.doc["evaluation"]["title"]
        return title

    @property
    def criteria(self) -> list[dict[str, Any]]:
        criteria: list[dict[str, Any]] = self.doc["criteria"]
        return criteria

    @property
    def vendors(self) -> tuple[VendorResult, ...]:
        """Rank order, disqualified last: the order of every sheet."""
        return self.result.vendors

    def vendor_doc(self, key: str) -> dict[str, Any]:
        """The vendor as the engine scored it: its response with the amendments applied."""
        return self._vendor_docs[key]

    def vendor_name(self, key: str) -> str:
        vendor = self._vendor_docs.get(key)
        return vendor["name"] if vendor else key

    def evaluator_name(self, key: str) -> str:
        return self._evaluator_names.get(key, key)

    def question(self, key: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(criterion, question) of a question key."""
        return self._questions.get(key)

    def question_label(self, key: str) -> str:
        """The question's number and text, as on every screen: "2.3 Daily overlap ..."."""
        found = self._questions.get(key)
        return self.numbering.label(key, found[1]["text"]) if found else key

    def scale_text(self) -> str:
        scale = self.doc["evaluation"]["scale"]
        return f"{scale['min']:g}-{scale['max']:g}"

    def __post_init__(self) -> None:
        self._vendor_docs = {v["key"]: as_amended(v) for v in self.doc["vendors"]}
        self._evaluator_names: dict[str, str] = {
            e["key"]: e["name"] for e in self.doc["evaluators"]
        }
        self._questions = {q["key"]: (c, q) for c in self.criteria for q in c["questions"]}
        self.numbering: Numbering = number_document(self.doc)


SheetWriter = Callable[[Book, WorkbookContext], None]


def status_of(vendor: VendorResult) -> str:
    return DISQUALIFIED if vendor.disqualified else QUALIFIED


def vendor_notes(vendor: VendorResult, ctx: WorkbookContext) -> str:
    """Why a vendor is disqualified or provisional, in words."""
    notes = []
    if vendor.failed_knockouts:
        failed = "; ".join(ctx.question_label(k) for k in vendor.failed_knockouts)
        notes.append(f"Failed knockout: {failed}")
    if not vendor.complete:
        notes.append("Provisional: " + "; ".join(vendor.incomplete_reasons))
    if vendor.amendments:
        notes.append(f"Bid amended after it was frozen: see {AMENDMENTS_SHEET}")
    if vendor.abstentions:
        notes.append(
            "Abstained (not counted, not missing): "
            + "; ".join(
                f"{ctx.evaluator_name(a.evaluator)} on {ctx.question_label(a.question)}"
                for a in vendor.abstentions
            )
        )
    return " · ".join(notes)


def scored_by_bands(question: dict[str, Any]) -> bool:
    """A quantitative question: scored from the vendor's number, not by evaluators."""
    return (
        question["kind"] == QuestionKind.SCORED
        and question.get("bands") is not None
        and question.get("answer_type") == AnswerType.NUMBER
    )
