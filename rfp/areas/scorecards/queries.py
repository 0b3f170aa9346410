"""The scorecards' reads: each page's rows in a fixed number of queries, and the
scoring progress of every evaluator (public: the dashboard, the evaluation's overview,
the people page and the stage checks show it).

What an evaluator is assigned and how far they are on their own scorecards is in
rfp.areas.scorecards.assignments (the score save reads it on every request).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import case, func, null, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.areas.scorecards.assignments import (
    ScorecardProgress,
    conflicted_vendor_ids,
    criteria_limit,
    is_computed,
    scorecard_progress,
    scored_question_ids,
    scored_questions,
)
from rfp.core.access import VIEW_PANEL_SCORES, Access
from rfp.core.blind import ordered
from rfp.core.numbering import evaluation_numbering
from rfp.domain.numbering import Numbering
from rfp.domain.vocabulary import AnswerType, CriterionKind, QuestionKind, Role

# -- every evaluator's progress (public) ---------------------------------------------------


@dataclass(frozen=True)
class EvaluatorProgress:
    membership_id: int
    key: str
    name: str
    entered: int
    expected: int
    submitted: bool

    @property
    def fraction(self) -> float:
        return 1.0 if self.expected == 0 else min(1.0, self.entered / self.expected)


def progress_by_evaluation(
    session: Session, evaluation_ids: Sequence[int]
) -> dict[int, list[EvaluatorProgress]]:
    """Each active evaluator's scores entered of expected, per evaluation."""
    if not evaluation_ids:
        return {}
    ids = list(evaluation_ids)
    members = session.execute(
        select(
            m.Membership.id,
            m.Membership.evaluation_id,
            m.Membership.key,
            m.User.name,
            m.Membership.submitted_at,
        )
        .join(m.User, m.User.id == m.Membership.user_id)
        .where(
            m.Membership.evaluation_id.in_(ids),
            m.Membership.role == Role.EVALUATOR,
            m.Membership.active.is_(True),
        )
        .order_by(m.Membership.id)
    ).all()
    # questions evaluators score, per criterion, per evaluation (not those scored from
    # the vendor's number by bands: nobody is expected to score them)
    per_criterion: dict[int, dict[int, int]] = defaultdict(dict)
    computed_ids: set[int] = set()
    for question_id, ev_id, criterion_id, answer_type, bands in session.execute(
        select(
            m.Question.id,
            m.Question.evaluation_id,
            m.Question.criterion_id,
            m.Question.answer_type,
            case((m.Question.answer_type == AnswerType.NUMBER, m.Question.bands), else_=null()),
        ).where(m.Question.evaluation_id.in_(ids), m.Question.kind == QuestionKind.SCORED)
    ):
        if is_computed(answer_type, bands):
            computed_ids.add(question_id)
            continue
        per_criterion[ev_id][criterion_id] = per_criterion[ev_id].get(criterion_id, 0) + 1
    vendors = dict(
        session.execute(
            select(m.Vendor.evaluation_id, func.count())
            .where(m.Vendor.evaluation_id.in_(ids))
            .group_by(m.Vendor.evaluation_id)
        ).all()
    )
    limits: dict[int, set[int]] = defaultdict(set)
    for membership_id, criterion_id in session.execute(
        select(m.membership_criteria.c.membership_id, m.membership_criteria.c.criterion_id)
        .join(m.Membership, m.Membership.id == m.membership_criteria.c.membership_id)
        .where(m.Membership.evaluation_id.in_(ids))
    ):
        limits[membership_id].add(criterion_id)
    conflicts = dict(
        session.execute(
            select(m.ConflictDeclaration.membership_id, func.count())
            .join(m.Membership)
            .where(m.Membership.evaluation_id.in_(ids))
            .group_by(m.ConflictDeclaration.membership_id)
        ).all()
    )
    # only scores that count: on scored questions inside the evaluator's criteria, and
    # not on a vendor they declared a conflict with.
    entered: dict[int, int] = defaultdict(int)
    conflict_pairs = set(
        session.execute(
            select(m.ConflictDeclaration.membership_id, m.ConflictDeclaration.vendor_id)
            .join(m.Membership)
            .where(m.Membership.evaluation_id.in_(ids))
        ).all()
    )
    counted = (
        select(m.Score.membership_id, m.Score.vendor_id, m.Question.criterion_id, func.count())
        .join(m.Question, m.Question.id == m.Score.question_id)
        .where(m.Score.evaluation_id.in_(ids), m.Question.kind == QuestionKind.SCORED)
        .group_by(m.Score.membership_id, m.Score.vendor_id, m.Question.criterion_id)
    )
    if computed_ids:
        counted = counted.where(m.Score.question_id.not_in(computed_ids))
    for membership_id, vendor_id, criterion_id, count in session.execute(counted):
        if (membership_id, vendor_id) in conflict_pairs:
            continue
        if limits.get(membership_id) and criterion_id not in limits[membership_id]:
            continue
        entered[membership_id] += count

    out: dict[int, list[EvaluatorProgress]] = {ev_id: [] for ev_id in ids}
    for mid, ev_id, key, name, submitted_at in members:
        criteria = per_criterion.get(ev_id, {})
        scoped = limits.get(mid)
        questions_expected = sum(n for cid, n in criteria.items() if not scoped or cid in scoped)
        vendor_count = vendors.get(ev_id, 0) - conflicts.get(mid, 0)
        out[ev_id].append(
            EvaluatorProgress(
                membership_id=mid,
                key=key,
                name=name,
                entered=entered.get(mid, 0),
                expected=questions_expected * max(vendor_count, 0),
                submitted=submitted_at is not None,
            )
        )
    return out


# -- an evaluator's pages -----------------------------------------------------------------


@dataclass(frozen=True)
class IndexRows:
    """What "My scorecards" is built from."""

    vendors: list[m.Vendor]  # by position
    conflicts: frozenset[int]
    progress: ScorecardProgress


def load_index(session: Session, access: Access) -> IndexRows:
    membership = access.membership
    assert membership is not None
    vendors = ordered(access.evaluation.vendors)
    conflicts = conflicted_vendor_ids(session, membership)
    progress = scorecard_progress(
        session, access.evaluation, membership, [v.id for v in vendors], conflicts=conflicts
    )
    return IndexRows(vendors=vendors, conflicts=conflicts, progress=progress)


@dataclass(frozen=True)
class PanelScore:
    """One active, unconflicted evaluator's score on the scorecard's vendor."""

    question_id: int
    membership_id: int
    name: str
    value: float | None  # None: an abstention (the comment is its reason)
    comment: str


@dataclass(frozen=True)
class ScorecardRows:
    """What one vendor's scorecard is built from (rfp.areas.scorecards.pages)."""

    vendors: list[m.Vendor]  # by position
    criteria: Sequence[m.Criterion]  # the scored criteria, with their questions
    limit: frozenset[int]  # the evaluator's criteria; empty: every one
    conflicts: frozenset[int]
    answers: dict[int, m.Answer]  # by question id
    mine: dict[int, m.Score]  # the evaluator's own scores, by question id
    show_panel: bool  # from consensus on, the panel's scores are shown
    panel: list[PanelScore]
    consensus: dict[int, m.ConsensusScore]  # by question id
    progress: ScorecardProgress
    numbering: Numbering = field(default_factory=Numbering)  # of the evaluation's whole tree


def load_scorecard(session: Session, access: Access, vendor: m.Vendor) -> ScorecardRows:
    """The scorecard of `vendor` for the current evaluator, in a fixed number of queries."""
    evaluation = access.evaluation
    membership = access.membership
    assert membership is not None
    vendors = ordered(evaluation.vendors)
    limit = criteria_limit(session, membership)
    conflicts = conflicted_vendor_ids(session, membership)
    criteria = session.scalars(
        select(m.Criterion)
        .where(m.Criterion.evaluation_id == evaluation.id, m.Criterion.kind == CriterionKind.SCORED)
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
    panel: list[PanelScore] = []
    consensus: dict[int, m.ConsensusScore] = {}
    if show_panel:
        panel = _panel_scores(session, evaluation.id, vendor.id)
        consensus = {
            c.question_id: c
            for c in session.scalars(
                select(m.ConsensusScore).where(m.ConsensusScore.vendor_id == vendor.id)
            )
        }
    progress = scorecard_progress(
        session,
        evaluation,
        membership,
        [v.id for v in vendors],
        questions=scored_questions(session, evaluation.id, limit),
        conflicts=conflicts,
    )
    return ScorecardRows(
        vendors=vendors,
        criteria=criteria,
        numbering=evaluation_numbering(session, evaluation.id),
        limit=limit,
        conflicts=conflicts,
        answers=answers,
        mine=mine,
        show_panel=show_panel,
        panel=panel,
        consensus=consensus,
        progress=progress,
    )


def _panel_scores(session: Session, evaluation_id: int, vendor_id: int) -> list[PanelScore]:
    """Every active, unconflicted evaluator's score on the vendor."""
    conflicted = set(
        session.scalars(
            select(m.ConflictDeclaration.membership_id).where(
                m.ConflictDeclaration.vendor_id == vendor_id
            )
        )
    )
    rows = session.execute(
        select(
            m.Score.question_id, m.Score.membership_id, m.User.name, m.Score.value, m.Score.comment
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
    return [PanelScore(*row) for row in rows if row.membership_id not in conflicted]


def progress_after_save(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership,
    limit: frozenset[int] | None = None,
) -> ScorecardProgress:
    """The evaluator's progress as the save-as-you-go answer reports it: three small
    reads (vendor ids, the ids of the questions to score, the counts entered); `limit`
    is the evaluator's criteria when the caller has them."""
    vendor_ids = list(
        session.scalars(select(m.Vendor.id).where(m.Vendor.evaluation_id == evaluation.id))
    )
    if limit is None:
        limit = criteria_limit(session, membership)
    return scorecard_progress(
        session,
        evaluation,
        membership,
        vendor_ids,
        question_ids=scored_question_ids(session, evaluation.id, limit),
        conflicts=frozenset(c.vendor_id for c in membership.conflicts),
    )
