"""What the criteria editor shows: each weight as a percentage of its level and of the
vendor's total (what the engine uses), and the score bands of quantitative questions in
words and as editor rows. Pure: from loaded criteria to what the template shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rfp import models as m
from rfp.domain.decision.quantitative import bands_from_json, describe_band
from rfp.domain.numbering import number_objects
from rfp.domain.vocabulary import AnswerType, CriterionKind, QuestionKind

BAND_ROWS_MIN = 4  # rows the editor offers (filled ones, then blank ones up to this)
BAND_ROWS_MAX = 12


@dataclass(frozen=True)
class QuestionRow:
    question: m.Question
    pct: float | None  # of its criterion (scored questions only)
    of_total: float | None  # of the vendor's total
    bands: str
    question_number: str = ""  # "2.3", the same on every screen (rfp.domain.numbering)

    @property
    def scored(self) -> bool:
        return self.question.kind == QuestionKind.SCORED

    @property
    def knockout(self) -> bool:
        return self.question.kind == QuestionKind.KNOCKOUT

    @property
    def number(self) -> bool:
        """The vendor answers with a number."""
        return self.question.answer_type == AnswerType.NUMBER


@dataclass(frozen=True)
class CriterionRow:
    criterion: m.Criterion
    pct: float
    questions: tuple[QuestionRow, ...]
    level_sum: float
    level_off: bool  # its scored questions' weights do not sum to 100 (a warning)
    criterion_number: str = ""

    @property
    def scored(self) -> bool:
        return self.criterion.kind == CriterionKind.SCORED

    @property
    def cost(self) -> bool:
        return self.criterion.kind == CriterionKind.COST

    @property
    def has_scored_question(self) -> bool:
        """Some question counts towards the criterion (has a share of its level)."""
        return any(q.pct is not None for q in self.questions)


@dataclass(frozen=True)
class WeightTable:
    total: float
    off: bool  # the criterion weights do not sum to 100 (a warning)
    rows: tuple[CriterionRow, ...]


def weight_table(criteria: Sequence[m.Criterion]) -> WeightTable:
    """Weights as percentages of their level and of the total (what the engine uses)."""
    total = sum(c.weight for c in criteria)
    numbering = number_objects(criteria)
    rows = []
    for criterion in criteria:
        share = 100 * criterion.weight / total if total else 0.0
        scored = [q for q in criterion.questions if q.kind == QuestionKind.SCORED]
        level = sum(q.weight for q in scored)
        questions = []
        for q in criterion.questions:
            pct = 100 * q.weight / level if q.kind == QuestionKind.SCORED and level else None
            of_total = None if pct is None else share * pct / 100
            questions.append(
                QuestionRow(q, pct, of_total, bands_text(q), numbering.question(q.key))
            )
        rows.append(
            CriterionRow(
                criterion,
                share,
                tuple(questions),
                level,
                bool(scored) and abs(level - 100) > 1e-9,
                numbering.criterion(criterion.key),
            )
        )
    return WeightTable(total, bool(rows) and abs(total - 100) > 1e-9, tuple(rows))


# -- score bands of a quantitative question ------------------------------------------------


@dataclass(frozen=True)
class BandRow:
    """One row of the bands editor as typed (strings), with its error."""

    min: str
    max: str
    score: str
    error: str | None = None


def bands_text(question: m.Question) -> str:
    """A quantitative question's bands in words: "5 for 6 h or more; 3 for 4 to under
    6 h"; empty when evaluators score it."""
    if (
        question.kind != QuestionKind.SCORED
        or question.answer_type != AnswerType.NUMBER
        or not question.bands
    ):
        return ""
    return "; ".join(
        f"{band.score:g} for {describe_band(band, question.unit or '')}"
        for band in bands_from_json(question.bands)
    )


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def band_rows(bands: Sequence[Mapping[str, Any]] | None) -> list[BandRow]:
    """The stored bands as editor rows, with blank rows to add more."""
    rows = [
        BandRow(_text(b.get("min")), _text(b.get("max")), _text(b.get("score")))
        for b in bands or []
    ]
    target = min(BAND_ROWS_MAX, max(BAND_ROWS_MIN, len(rows) + 2))
    rows += [BandRow("", "", "") for _ in range(target - len(rows))]
    return rows
