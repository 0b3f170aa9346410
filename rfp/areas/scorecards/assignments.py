"""What an evaluator is assigned to score, and how far they are.

An evaluator scores every question evaluators score (scored, not computed from a
number by bands) of every vendor, unless limited to some criteria, and except the
vendors they declared a conflict of interest with (DESIGN.md, "The scenario file").
Read as plain rows, in a fixed number of queries: the score save on the largest
evaluations runs these on every request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, null, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.domain.vocabulary import AnswerType, CriterionKind, QuestionKind


def criteria_limit(session: Session, membership: m.Membership) -> frozenset[int]:
    """Criterion ids the evaluator is limited to; empty: every criterion."""
    return frozenset(
        session.scalars(
            select(m.membership_criteria.c.criterion_id).where(
                m.membership_criteria.c.membership_id == membership.id
            )
        )
    )


def conflicted_vendor_ids(session: Session, membership: m.Membership) -> frozenset[int]:
    return frozenset(
        session.scalars(
            select(m.ConflictDeclaration.vendor_id).where(
                m.ConflictDeclaration.membership_id == membership.id
            )
        )
    )


@dataclass(frozen=True)
class ScoredQuestion:
    """What the rules need to know of a question, read as one plain row."""

    id: int
    key: str
    text: str
    criterion_id: int


def is_computed(answer_type: str, bands: Any) -> bool:
    """A quantitative question with score bands is scored from the vendor's number, the
    same way for every vendor (the engine's rule); evaluators do not score it."""
    return answer_type == AnswerType.NUMBER and bool(bands)


def _scored_questions_query(evaluation_id: int, limit: frozenset[int], *columns: Any) -> Any:
    query = (
        select(
            *columns,
            m.Question.answer_type,
            # Bands matter only on number questions: reading (and JSON-decoding) them for
            # every question was a third of a score save on large evaluations.
            case((m.Question.answer_type == AnswerType.NUMBER, m.Question.bands), else_=null()),
        )
        .join(m.Criterion, m.Criterion.id == m.Question.criterion_id)
        .where(
            m.Question.evaluation_id == evaluation_id,
            m.Question.kind == QuestionKind.SCORED,
            m.Criterion.kind == CriterionKind.SCORED,
        )
        .order_by(m.Criterion.position, m.Question.position, m.Question.id)
    )
    if limit:
        query = query.where(m.Question.criterion_id.in_(limit))
    return query


def scored_questions(
    session: Session, evaluation_id: int, limit: frozenset[int] = frozenset()
) -> list[ScoredQuestion]:
    """The questions evaluators score, inside `limit` (all when empty), in tree order."""
    query = _scored_questions_query(
        evaluation_id,
        limit,
        m.Question.id,
        m.Question.key,
        m.Question.text,
        m.Question.criterion_id,
    )
    return [
        ScoredQuestion(qid, key, text, criterion_id)
        for qid, key, text, criterion_id, answer_type, bands in session.execute(query)
        if not is_computed(answer_type, bands)
    ]


def scored_question_ids(
    session: Session, evaluation_id: int, limit: frozenset[int] = frozenset()
) -> list[int]:
    """Their ids only (what progress counts: no texts read)."""
    query = _scored_questions_query(evaluation_id, limit, m.Question.id)
    return [
        qid
        for qid, answer_type, bands in session.execute(query)
        if not is_computed(answer_type, bands)
    ]


@dataclass(frozen=True)
class Progress:
    entered: int
    expected: int

    @property
    def remaining(self) -> int:
        return max(0, self.expected - self.entered)

    @property
    def complete(self) -> bool:
        return self.entered >= self.expected

    @property
    def percent(self) -> float:
        return 100.0 if self.expected == 0 else round(100.0 * self.entered / self.expected, 1)


@dataclass(frozen=True)
class ScorecardProgress:
    """One evaluator's progress: per vendor they score (conflicted ones left out), overall."""

    by_vendor: Mapping[int, Progress]
    overall: Progress


def scorecard_progress(
    session: Session,
    evaluation: m.Evaluation,
    membership: m.Membership,
    vendor_ids: Iterable[int],
    *,
    questions: Sequence[ScoredQuestion] | None = None,
    question_ids: Sequence[int] | None = None,
    conflicts: frozenset[int] | None = None,
) -> ScorecardProgress:
    """Scores entered of expected, counting only scores that count (in scope). The
    questions in scope are read unless given (`questions`, or their `question_ids`)."""
    if question_ids is None:
        if questions is None:
            questions = scored_questions(
                session, evaluation.id, criteria_limit(session, membership)
            )
        question_ids = [q.id for q in questions]
    if conflicts is None:
        conflicts = conflicted_vendor_ids(session, membership)
    scope = [v for v in vendor_ids if v not in conflicts]
    question_ids = list(question_ids)
    entered: dict[int, int] = {}
    if scope and question_ids:
        # Vendors are filtered here rather than in SQL: with both IN lists SQLite probes
        # the unique index once per (vendor, question) pair, ten times slower.
        entered = dict(
            session.execute(
                select(m.Score.vendor_id, func.count())
                .where(
                    m.Score.membership_id == membership.id,
                    m.Score.question_id.in_(question_ids),
                )
                .group_by(m.Score.vendor_id)
            ).all()
        )
    by_vendor = {v: Progress(entered.get(v, 0), len(question_ids)) for v in scope}
    overall = Progress(
        sum(p.entered for p in by_vendor.values()), sum(p.expected for p in by_vendor.values())
    )
    return ScorecardProgress(by_vendor=by_vendor, overall=overall)
