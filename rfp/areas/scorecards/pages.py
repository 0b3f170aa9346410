"""What an evaluator's scorecard shows, loaded in a fixed number of queries.

One vendor, the questions the evaluator scores grouped by criterion, the vendor's
answer beside each, the evaluator's own scores, and from `consensus` on the panel's
scores and the consensus score. Nothing here decides a rule: who may score is in
rfp.areas.scorecards.operations and rfp.core.access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.areas.scorecards.assignments import (
    Progress,
    ScorecardProgress,
    conflicted_vendor_ids,
    criteria_limit,
    is_computed,
    scorecard_progress,
    scored_questions,
)
from rfp.areas.scorecards.operations import ScoringError, check_may_score
from rfp.core.access import VIEW_PANEL_SCORES, Access
from rfp.core.blind import is_blind, ordered, vendor_labels
from rfp.core.scale import anchor_of, point_label, scale_points
from rfp.domain.decision.quantitative import describe_band
from rfp.domain.scoring.model import band_score
from rfp.scenario.convert import bands_of


@dataclass(frozen=True)
class ScalePoint:
    value: float
    label: str
    anchor: str
    extreme: bool


def scale_of(evaluation: m.Evaluation) -> list[ScalePoint]:
    return [
        ScalePoint(
            value=p,
            label=point_label(p),
            anchor=anchor_of(evaluation, p),
            extreme=p in (evaluation.scale_min, evaluation.scale_max),
        )
        for p in scale_points(evaluation)
    ]


@dataclass
class PanelEntry:
    name: str
    value: float
    comment: str
    mine: bool


@dataclass
class QuestionRow:
    question: m.Question
    number: str  # "1.2": criterion 1, question 2, as the evaluator reads them
    answer: m.Answer | None
    value: float | None = None
    comment: str = ""
    saved: bool = False  # a score is stored for it
    stored_value: float | None = None
    stored_comment: str = ""
    error: str | None = None
    error_field: str | None = None
    computed: float | None = None  # quantitative: the score the lead's bands give
    band: str | None = None  # the band that applied, in words ("6 h or more")
    panel: list[PanelEntry] = field(default_factory=list)
    consensus: m.ConsensusScore | None = None


@dataclass
class CriterionGroup:
    criterion: m.Criterion
    rows: list[QuestionRow]  # scored questions
    info_rows: list[QuestionRow]  # asked for information, or scored from a number

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


def writable_state(access: Access) -> tuple[bool, str]:
    """Whether the evaluator may change their scores now, and why not."""
    try:
        check_may_score(access.evaluation, access.membership)
    except ScoringError as exc:
        return False, exc.message
    return True, ""


def build_scorecard(
    session: Session,
    access: Access,
    vendor: m.Vendor,
    *,
    posted: Mapping[int, tuple[Any, str]] | None = None,
    errors: Mapping[int, tuple[str, str | None]] | None = None,
) -> Scorecard:
    """The scorecard of `vendor` for the current evaluator.

    `posted` (question id -> (value, comment)) and `errors` (question id -> (message,
    field)) re-show a form that was refused, with what the evaluator typed.
    """
    evaluation = access.evaluation
    membership = access.membership
    assert membership is not None
    vendors = ordered(evaluation.vendors)
    labels = vendor_labels(vendors, is_blind(access))
    limit = criteria_limit(session, membership)
    conflicts = conflicted_vendor_ids(session, membership)

    criteria = session.scalars(
        select(m.Criterion)
        .where(m.Criterion.evaluation_id == evaluation.id, m.Criterion.kind == "scored")
        .order_by(m.Criterion.position, m.Criterion.id)
        .options(selectinload(m.Criterion.questions))
    ).all()
    answers = {
        a.question_id: a
        for a in session.scalars(select(m.Answer).where(m.Answer.vendor_id == vendor.id))
    }
    mine = {
        s.question_id: s
        for s in session.scalars(
            select(m.Score).where(
                m.Score.membership_id == membership.id, m.Score.vendor_id == vendor.id
            )
        )
    }
    show_panel = access.can(VIEW_PANEL_SCORES)
    panel: dict[int, list[PanelEntry]] = {}
    consensus: dict[int, m.ConsensusScore] = {}
    if show_panel:
        panel = _panel_scores(session, evaluation.id, vendor.id, membership.id)
        consensus = {
            c.question_id: c
            for c in session.scalars(
                select(m.ConsensusScore).where(m.ConsensusScore.vendor_id == vendor.id)
            )
        }

    posted = posted or {}
    errors = errors or {}
    groups: list[CriterionGroup] = []
    knockouts: list[QuestionRow] = []
    for criterion in criteria:
        in_scope = not limit or criterion.id in limit
        rows: list[QuestionRow] = []
        info_rows: list[QuestionRow] = []
        for question in criterion.questions:
            answer = answers.get(question.id)
            row = QuestionRow(question=question, number="", answer=answer)
            if question.kind == "knockout":
                knockouts.append(row)
                continue
            if not in_scope:
                continue
            if question.kind == "info" or is_computed(question.answer_type, question.bands):
                row.computed = computed_score(question, answer.number if answer else None)
                row.band = applied_band(question, answer.number if answer else None)
                info_rows.append(row)
                continue
            score = mine.get(question.id)
            row.saved = score is not None
            row.value = row.stored_value = score.value if score else None
            row.comment = row.stored_comment = score.comment if score else ""
            if question.id in posted:
                value, comment = posted[question.id]
                row.value = _as_point(value)
                row.comment = comment
            if question.id in errors:
                row.error, row.error_field = errors[question.id]
            row.panel = panel.get(question.id, [])
            row.consensus = consensus.get(question.id)
            rows.append(row)
        if rows or info_rows:
            # Numbered as shown: the criterion among those shown, then its questions.
            for qi, row in enumerate(rows + info_rows, start=1):
                row.number = f"{len(groups) + 1}.{qi}"
            groups.append(CriterionGroup(criterion=criterion, rows=rows, info_rows=info_rows))

    scored = scored_questions(session, evaluation.id, limit)
    progress = scorecard_progress(
        session,
        evaluation,
        membership,
        [v.id for v in vendors],
        questions=scored,
        conflicts=conflicts,
    )
    mine_list = [v for v in vendors if v.id not in conflicts]
    index = next(i for i, v in enumerate(mine_list) if v.id == vendor.id)
    previous = mine_list[index - 1] if index > 0 else None
    following = mine_list[index + 1] if index + 1 < len(mine_list) else None
    writable, lock_reason = writable_state(access)
    return Scorecard(
        vendor=vendor,
        label=labels[vendor.id],
        groups=groups,
        knockouts=knockouts,
        progress=progress,
        scale=scale_of(evaluation),
        writable=writable,
        lock_reason=lock_reason,
        show_panel=show_panel,
        previous=(previous.id, labels[previous.id]) if previous else None,
        next=(following.id, labels[following.id]) if following else None,
    )


def _as_point(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _panel_scores(
    session: Session, evaluation_id: int, vendor_id: int, my_membership_id: int
) -> dict[int, list[PanelEntry]]:
    """Every active, unconflicted evaluator's score on the vendor, by question."""
    conflicted = set(
        session.scalars(
            select(m.ConflictDeclaration.membership_id).where(
                m.ConflictDeclaration.vendor_id == vendor_id
            )
        )
    )
    out: dict[int, list[PanelEntry]] = {}
    rows = session.execute(
        select(
            m.Score.question_id, m.Score.membership_id, m.Score.value, m.Score.comment, m.User.name
        )
        .join(m.Membership, m.Membership.id == m.Score.membership_id)
        .join(m.User, m.User.id == m.Membership.user_id)
        .where(
            m.Score.evaluation_id == evaluation_id,
            m.Score.vendor_id == vendor_id,
            m.Membership.active.is_(True),
        )
        .order_by(m.Membership.id)
    )
    for question_id, membership_id, value, comment, name in rows:
        if membership_id in conflicted:
            continue
        out.setdefault(question_id, []).append(
            PanelEntry(
                name=name, value=value, comment=comment, mine=membership_id == my_membership_id
            )
        )
    return out
