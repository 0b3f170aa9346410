"""What the evaluator's pages show, from the rows rfp.areas.scorecards.queries loads.

"My scorecards" (each vendor's progress), the conflict-of-interest declaration, and one
vendor's scorecard: the questions the evaluator scores grouped by criterion, the
vendor's answer beside each, the evaluator's own scores, and from `consensus` on the
panel's scores and the consensus score. Nothing here decides a rule: who may score is
in rfp.areas.scorecards.operations and rfp.core.access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rfp import models as m
from rfp.areas.scorecards.assignments import Progress, ScorecardProgress, is_computed
from rfp.areas.scorecards.declarations import declaration_lock
from rfp.areas.scorecards.operations import ABSTAIN, ScoreSaved, scoring_lock
from rfp.areas.scorecards.queries import IndexRows, ScorecardRows
from rfp.core.access import Access
from rfp.core.blind import is_blind, ordered, shuffled_for_declaration, vendor_labels
from rfp.core.scale import ScalePoint, scale_of
from rfp.domain.decision.quantitative import describe_band
from rfp.domain.scoring.model import band_score
from rfp.domain.vocabulary import QuestionKind
from rfp.scenario.convert import bands_of


def writable_state(access: Access) -> tuple[bool, str]:
    """Whether the evaluator may change their scores now, and why not."""
    refused = scoring_lock(access.evaluation, access.membership)
    return refused is None, refused.message if refused is not None else ""


# -- My scorecards -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardIndex:
    membership: m.Membership
    vendors: list[m.Vendor]  # those the evaluator scores
    conflicted: list[m.Vendor]
    labels: dict[int, str]
    blind: bool
    progress: ScorecardProgress
    writable: bool
    lock_reason: str
    scale: list[ScalePoint]


def scorecard_index(access: Access, rows: IndexRows) -> ScorecardIndex:
    assert access.membership is not None
    blind = is_blind(access)
    writable, lock_reason = writable_state(access)
    return ScorecardIndex(
        membership=access.membership,
        vendors=[v for v in rows.vendors if v.id not in rows.conflicts],
        conflicted=[v for v in rows.vendors if v.id in rows.conflicts],
        labels=vendor_labels(rows.vendors, blind),
        blind=blind,
        progress=rows.progress,
        writable=writable,
        lock_reason=lock_reason,
        scale=scale_of(access.evaluation),
    )


# -- the declaration -----------------------------------------------------------------------


@dataclass(frozen=True)
class Declaration:
    membership: m.Membership
    vendors: list[m.Vendor]  # names, shuffled under blind scoring
    blind: bool
    writable: bool
    lock_reason: str
    first: bool  # before the first declaration


def declaration_vendors(access: Access) -> list[m.Vendor]:
    """The vendors in the order the declaration lists them: by position, or under blind
    scoring in an order that gives no letter away."""
    vendors = ordered(access.evaluation.vendors)
    if is_blind(access):
        return shuffled_for_declaration(access.evaluation.id, vendors)
    return vendors


def declaration(access: Access) -> Declaration:
    assert access.membership is not None
    refused = declaration_lock(access.evaluation, access.membership)
    return Declaration(
        membership=access.membership,
        vendors=declaration_vendors(access),
        blind=is_blind(access),
        writable=refused is None,
        lock_reason=refused.message if refused is not None else "",
        first=access.membership.coi_declared_at is None,
    )


# -- one vendor's scorecard ----------------------------------------------------------------


@dataclass
class PanelEntry:
    name: str
    value: float | None  # None: the evaluator abstained (`comment` says why)
    comment: str
    mine: bool


@dataclass
class QuestionRow:
    question: m.Question
    number: str  # "1.2": criterion 1, question 2, as the evaluator reads them
    answer: m.Answer | None
    value: float | None = None
    comment: str = ""
    saved: bool = False  # a score (or an abstention) is stored for it
    stored_value: float | None = None
    stored_comment: str = ""
    abstained: bool = False  # the evaluator abstains (as stored, or as posted)
    stored_abstained: bool = False
    error: str | None = None
    computed: float | None = None  # quantitative: the score the lead's bands give
    band: str | None = None  # the band that applied, in words ("6 h or more")
    panel: list[PanelEntry] = field(default_factory=list)
    consensus: m.ConsensusScore | None = None

    @property
    def scored_by_bands(self) -> bool:
        """Shown for information: scored from the vendor's number, not by the panel."""
        return self.question.kind == QuestionKind.SCORED


@dataclass
class CriterionGroup:
    criterion: m.Criterion
    rows: list[QuestionRow]  # scored questions
    info_rows: list[QuestionRow]  # asked for information, or scored from a number
    number: str = ""  # the criterion's number in the whole tree

    @property
    def entered(self) -> int:
        return sum(1 for r in self.rows if r.saved)


@dataclass
class Scorecard:
    vendor: m.Vendor
    label: str
    groups: list[CriterionGroup]
    knockouts: list[QuestionRow]
    progress: ScorecardProgress
    scale: list[ScalePoint]
    writable: bool
    lock_reason: str
    show_panel: bool
    previous: tuple[int, str] | None
    next: tuple[int, str] | None

    @property
    def vendor_progress(self) -> Progress:
        return self.progress.by_vendor.get(self.vendor.id, Progress(0, 0))

    @property
    def extremes(self) -> str:
        return f"{self.scale[0].label} and {self.scale[-1].label}" if self.scale else ""


def computed_score(question: m.Question, number: float | None) -> float | None:
    """The score the lead's bands give the vendor's number (the engine's own rule)."""
    bands = bands_of({"answer_type": question.answer_type, "bands": question.bands})
    if number is None or bands is None:
        return None
    return band_score(number, bands)


def applied_band(question: m.Question, number: float | None) -> str | None:
    """The band the vendor's number falls in, in words: the first that matches, as the
    engine scores it."""
    bands = bands_of({"answer_type": question.answer_type, "bands": question.bands})
    if number is None or bands is None:
        return None
    band = next((b for b in bands if b.matches(number)), None)
    return describe_band(band, question.unit or "") if band else None


def scorecard(
    access: Access,
    vendor: m.Vendor,
    rows: ScorecardRows,
    *,
    posted: Mapping[int, tuple[Any, str]] | None = None,
    errors: Mapping[int, str] | None = None,
) -> Scorecard:
    """The scorecard of `vendor` for the current evaluator.

    `posted` (question id -> (value, comment)) and `errors` (question id -> message)
    re-show a form that was refused, with what the evaluator typed.
    """
    assert access.membership is not None
    labels = vendor_labels(rows.vendors, is_blind(access))
    panel: dict[int, list[PanelEntry]] = {}
    for score in rows.panel:
        panel.setdefault(score.question_id, []).append(
            PanelEntry(
                name=score.name,
                value=score.value,
                comment=score.comment,
                mine=score.membership_id == access.membership.id,
            )
        )
    posted = posted or {}
    errors = errors or {}
    groups: list[CriterionGroup] = []
    knockouts: list[QuestionRow] = []
    for criterion in rows.criteria:
        in_scope = not rows.limit or criterion.id in rows.limit
        scored: list[QuestionRow] = []
        info_rows: list[QuestionRow] = []
        for question in criterion.questions:
            answer = rows.answers.get(question.id)
            number = rows.numbering.question(question.key)
            row = QuestionRow(question=question, number=number, answer=answer)
            if question.kind == QuestionKind.KNOCKOUT:
                knockouts.append(row)
                continue
            if not in_scope:
                continue
            if question.kind == QuestionKind.INFO or is_computed(
                question.answer_type, question.bands
            ):
                row.computed = computed_score(question, answer.number if answer else None)
                row.band = applied_band(question, answer.number if answer else None)
                info_rows.append(row)
                continue
            score = rows.mine.get(question.id)
            row.saved = score is not None
            row.value = row.stored_value = score.value if score else None
            row.comment = row.stored_comment = score.comment if score else ""
            row.abstained = row.stored_abstained = score is not None and score.abstained
            if question.id in posted:
                value, comment = posted[question.id]
                row.abstained = value == ABSTAIN
                row.value = None if row.abstained else _as_point(value)
                row.comment = comment
            row.error = errors.get(question.id)
            row.panel = panel.get(question.id, [])
            row.consensus = rows.consensus.get(question.id)
            scored.append(row)
        if scored or info_rows:
            # Numbered as on the criteria page (the whole tree), however few are shown.
            groups.append(
                CriterionGroup(
                    criterion=criterion,
                    rows=scored,
                    info_rows=info_rows,
                    number=rows.numbering.criterion(criterion.key),
                )
            )

    mine = [v for v in rows.vendors if v.id not in rows.conflicts]
    index = next(i for i, v in enumerate(mine) if v.id == vendor.id)
    previous = mine[index - 1] if index > 0 else None
    following = mine[index + 1] if index + 1 < len(mine) else None
    writable, lock_reason = writable_state(access)
    return Scorecard(
        vendor=vendor,
        label=labels[vendor.id],
        groups=groups,
        knockouts=knockouts,
        progress=rows.progress,
        scale=scale_of(access.evaluation),
        writable=writable,
        lock_reason=lock_reason,
        show_panel=rows.show_panel,
        previous=(previous.id, labels[previous.id]) if previous else None,
        next=(following.id, labels[following.id]) if following else None,
    )


def _as_point(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def score_saved(saved: ScoreSaved, vendor_id: int, progress: ScorecardProgress) -> dict[str, Any]:
    """The save-as-you-go answer: what was stored, and the progress bars' new figures."""
    mine = progress.by_vendor.get(vendor_id)
    return {
        "saved": True,
        "changed": saved.changed,
        "question": saved.question_id,
        "score": saved.value,
        "abstained": saved.abstained,
        "comment": saved.comment,
        "vendor_progress": {"entered": mine.entered, "expected": mine.expected} if mine else None,
        "overall": {"entered": progress.overall.entered, "expected": progress.overall.expected},
        "complete": progress.overall.complete,
    }
