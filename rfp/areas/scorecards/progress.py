"""Scoring progress: scores entered of expected, per evaluator, in a fixed number of
queries for any number of evaluations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, null, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.scorecards.assignments import is_computed


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
            m.Membership.role == "evaluator",
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
            case((m.Question.answer_type == "number", m.Question.bands), else_=null()),
        ).where(m.Question.evaluation_id.in_(ids), m.Question.kind == "scored")
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
        .where(m.Score.evaluation_id.in_(ids), m.Question.kind == "scored")
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
