"""The consensus pages' reads: the engine's view of the evaluation (with and without the
consensus scores), and for each (vendor, question) pair shown, every evaluator expected
to score it with what they gave. A fixed number of queries, however many pairs.

The flagged pairs are the engine's dispersion flags and the aggregate its question
score, so these pages and the results agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.domain.numbering import Numbering, number_objects
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.model import ScoringInput
from rfp.domain.scoring.result import Dispersion, Result
from rfp.domain.vocabulary import CriterionKind, QuestionKind, Role
from rfp.models.adapter import load_scoring_input

Pair = tuple[int, int]  # (vendor id, question id)


def scored_question(
    session: Session, evaluation: m.Evaluation, question_id: int
) -> m.Question | None:
    """A question of the evaluation that takes a consensus score (None: no such one)."""
    question = session.get(m.Question, question_id)
    if (
        question is None
        or question.evaluation_id != evaluation.id
        or question.kind != QuestionKind.SCORED
        or question.criterion.kind != CriterionKind.SCORED
    ):
        return None
    return question


@dataclass(frozen=True)
class PairDetails:
    """The pairs' answers and every score given on them, with who is expected to score."""

    answers: dict[Pair, m.Answer] = field(default_factory=dict)
    members: list[tuple[int, str]] = field(default_factory=list)  # (membership id, name)
    limits: dict[int, set[int]] = field(default_factory=dict)  # membership id -> criteria
    conflicts: set[tuple[int, int]] = field(default_factory=set)  # (membership id, vendor id)
    # (value, comment) by membership id; value None: an abstention (comment: its reason)
    given: dict[Pair, dict[int, tuple[float | None, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class ConsensusRows:
    """What the consensus pages are built from (rfp.areas.consensus.pages)."""

    vendors: list[m.Vendor]  # by position
    questions: list[m.Question]  # the scored questions, tree order
    scoring_input: ScoringInput
    result: Result  # what counts now, consensus scores included
    panel: Result  # the evaluators' own aggregate, without consensus scores
    consensus: dict[Pair, m.ConsensusScore]
    dispersion: dict[Pair, Dispersion]
    flagged: list[Pair]  # shown as flagged for calibration, in the engine's order
    pairs: list[Pair]  # every pair shown: the flagged ones first
    details: PairDetails
    numbering: Numbering = field(default_factory=Numbering)  # the whole tree's numbers


def load_consensus(
    session: Session, evaluation: m.Evaluation, only: Sequence[Pair] | None = None
) -> ConsensusRows:
    """Every flagged pair and every pair with a consensus score; or just `only`."""
    vendors = sorted(evaluation.vendors, key=lambda v: (v.position, v.id))
    criteria = sorted(evaluation.criteria, key=lambda c: (c.position, c.id))
    questions = [
        q
        for c in criteria
        if c.kind == CriterionKind.SCORED
        for q in c.questions
        if q.kind == QuestionKind.SCORED
    ]
    vendor_by_key = {v.key: v for v in vendors}
    question_by_key = {q.key: q for q in questions}
    inp = load_scoring_input(session, evaluation)
    result, panel = score_evaluation(inp), score_evaluation(replace(inp, consensus=()))
    consensus = {
        (c.vendor_id, c.question_id): c
        for c in session.scalars(
            select(m.ConsensusScore).where(m.ConsensusScore.evaluation_id == evaluation.id)
        )
    }
    dispersion = {
        (vendor_by_key[d.vendor].id, question_by_key[d.question].id): d
        for d in result.dispersion
        if d.vendor in vendor_by_key and d.question in question_by_key
    }
    if only is not None:
        pairs = list(only)
        flagged = [p for p in pairs if p in dispersion and dispersion[p].flagged]
    else:
        flagged = [
            (vendor_by_key[d.vendor].id, question_by_key[d.question].id)
            for d in result.flagged_dispersion
            if d.vendor in vendor_by_key and d.question in question_by_key
        ]
        position = {v.id: i for i, v in enumerate(vendors)}
        order = {q.id: i for i, q in enumerate(questions)}
        pairs = flagged + sorted(
            (p for p in consensus if p not in set(flagged)),
            key=lambda p: (position.get(p[0], len(vendors)), order.get(p[1], len(questions))),
        )
    return ConsensusRows(
        vendors=vendors,
        questions=questions,
        scoring_input=inp,
        result=result,
        panel=panel,
        consensus=consensus,
        dispersion=dispersion,
        flagged=flagged,
        pairs=pairs,
        details=_pair_details(session, evaluation.id, pairs),
        numbering=number_objects(criteria),
    )


def _pair_details(session: Session, evaluation_id: int, pairs: list[Pair]) -> PairDetails:
    if not pairs:
        return PairDetails()
    answers = {
        (a.vendor_id, a.question_id): a
        for a in session.scalars(
            select(m.Answer).where(tuple_(m.Answer.vendor_id, m.Answer.question_id).in_(pairs))
        )
    }
    members = [
        (membership_id, name)
        for membership_id, name in session.execute(
            select(m.Membership.id, m.User.name)
            .join(m.User, m.User.id == m.Membership.user_id)
            .where(
                m.Membership.evaluation_id == evaluation_id,
                m.Membership.role == Role.EVALUATOR,
                m.Membership.active.is_(True),
            )
            .order_by(m.Membership.id)
        )
    ]
    limits: dict[int, set[int]] = {}
    for membership_id, criterion_id in session.execute(
        select(m.membership_criteria.c.membership_id, m.membership_criteria.c.criterion_id)
        .join(m.Membership, m.Membership.id == m.membership_criteria.c.membership_id)
        .where(m.Membership.evaluation_id == evaluation_id)
    ):
        limits.setdefault(membership_id, set()).add(criterion_id)
    conflicts = {
        (membership_id, vendor_id)
        for membership_id, vendor_id in session.execute(
            select(m.ConflictDeclaration.membership_id, m.ConflictDeclaration.vendor_id)
            .join(m.Membership)
            .where(m.Membership.evaluation_id == evaluation_id)
        )
    }
    given: dict[Pair, dict[int, tuple[float | None, str]]] = {}
    for vendor_id, question_id, membership_id, value, comment in session.execute(
        select(
            m.Score.vendor_id,
            m.Score.question_id,
            m.Score.membership_id,
            m.Score.value,
            m.Score.comment,
        ).where(
            m.Score.evaluation_id == evaluation_id,
            tuple_(m.Score.vendor_id, m.Score.question_id).in_(pairs),
        )
    ):
        given.setdefault((vendor_id, question_id), {})[membership_id] = (value, comment)
    return PairDetails(
        answers=answers, members=members, limits=limits, conflicts=conflicts, given=given
    )
