"""What the weights (AHP) pages read: the criteria, who takes part, and each one's
pairwise comparison analysed, with the combined result.

A comparison is kept against the criterion keys it was made for; when the criteria
change (one added, removed or renamed) it no longer counts and is shown as stale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from rfp import models as m
from rfp.domain.decision.ahp import AhpError, AhpResult, Matrix, analyse
from rfp.domain.vocabulary import Role

PARTICIPANT_ROLES = (Role.LEAD, Role.EVALUATOR)


@dataclass(frozen=True)
class CriterionRef:
    key: str
    name: str
    weight: float  # the stored (relative) weight
    share: float  # its normalised weight, 0..1


@dataclass(frozen=True)
class Participant:
    membership_id: int
    key: str
    name: str
    role: Role
    invited: bool
    matrix: Matrix | None  # aligned to the current criteria; None: none, or stale
    stale: bool  # a judgment of criteria that have changed since
    updated_at: datetime | None
    analysis: AhpResult | None

    @property
    def counted(self) -> bool:
        """Part of the combined result: invited, with a judgment of the current criteria."""
        return self.invited and self.analysis is not None


@dataclass(frozen=True)
class AhpPanel:
    criteria: tuple[CriterionRef, ...]
    participants: tuple[Participant, ...]  # the lead(s) and the active evaluators
    combined: AhpResult | None  # geometric mean over the counted participants

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    @property
    def names(self) -> dict[str, str]:
        return {c.key: c.name for c in self.criteria}

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """(key, name) of the criteria in the comparison's order."""
        return tuple((c.key, c.name) for c in self.criteria)

    def participant(self, membership_id: int) -> Participant | None:
        return next((p for p in self.participants if p.membership_id == membership_id), None)


def aligned_matrix(
    stored_keys: Sequence[str], stored: Sequence[Sequence[float]], keys: Sequence[str]
) -> Matrix | None:
    """A stored matrix in the order of `keys`, or None when the criteria differ (a
    criterion added, removed or renamed since: the comparison must be made again)."""
    if sorted(stored_keys) != sorted(keys) or len(set(keys)) != len(keys):
        return None
    at = {key: i for i, key in enumerate(stored_keys)}
    try:
        return tuple(tuple(float(stored[at[a]][at[b]]) for b in keys) for a in keys)
    except (IndexError, TypeError, ValueError):
        return None


def criterion_keys(session: Session, evaluation: m.Evaluation) -> list[str]:
    """The evaluation's criterion keys in their order: the rows and columns of a
    comparison."""
    return list(
        session.scalars(
            select(m.Criterion.key)
            .where(m.Criterion.evaluation_id == evaluation.id)
            .order_by(m.Criterion.position, m.Criterion.id)
        )
    )


def eligible_members(session: Session, evaluation: m.Evaluation) -> dict[int, m.Membership]:
    """Who may take part, by membership id: the lead(s) and the active evaluators, the
    lead first."""
    memberships = session.scalars(
        select(m.Membership)
        .options(joinedload(m.Membership.user))
        .where(
            m.Membership.evaluation_id == evaluation.id,
            m.Membership.role.in_(PARTICIPANT_ROLES),
        )
        .order_by(m.Membership.role.desc(), m.Membership.id)  # the lead first
    ).all()
    return {ms.id: ms for ms in memberships if ms.role == Role.LEAD or ms.active}


def _participant(ms: m.Membership, judgment: m.AhpJudgment | None, keys: list[str]) -> Participant:
    matrix = analysis = None
    stale = False
    if judgment is not None:
        matrix = aligned_matrix(judgment.criteria, judgment.matrix, keys)
        stale = matrix is None
        if matrix is not None and len(keys) >= 2:
            try:
                analysis = analyse(keys, [matrix])
            except AhpError:
                matrix, stale = None, True
    return Participant(
        membership_id=ms.id,
        key=ms.key,
        name=ms.user.name,
        role=Role(ms.role),
        invited=ms.ahp_invited,
        matrix=matrix,
        stale=stale,
        updated_at=judgment.updated_at if judgment else None,
        analysis=analysis,
    )


def ahp_panel(session: Session, evaluation: m.Evaluation) -> AhpPanel:
    """Everyone who may take part, their judgments analysed, and the combined result.
    Three queries, however many participants."""
    criteria_rows = session.execute(
        select(m.Criterion.key, m.Criterion.name, m.Criterion.weight)
        .where(m.Criterion.evaluation_id == evaluation.id)
        .order_by(m.Criterion.position, m.Criterion.id)
    ).all()
    total = math.fsum(w for _k, _n, w in criteria_rows)
    criteria = tuple(
        CriterionRef(k, n, w, w / total if total > 0 else 0.0) for k, n, w in criteria_rows
    )
    keys = [c.key for c in criteria]
    judgments = {
        j.membership_id: j
        for j in session.scalars(
            select(m.AhpJudgment).where(m.AhpJudgment.evaluation_id == evaluation.id)
        )
    }
    participants = tuple(
        _participant(ms, judgments.get(ms.id), keys)
        for ms in eligible_members(session, evaluation).values()
    )
    counted = [p.matrix for p in participants if p.counted and p.matrix is not None]
    combined = analyse(keys, counted) if counted else None
    return AhpPanel(criteria, participants, combined)


def own_judgment(
    session: Session, evaluation: m.Evaluation, membership: m.Membership
) -> m.AhpJudgment | None:
    return session.scalar(
        select(m.AhpJudgment).where(
            m.AhpJudgment.evaluation_id == evaluation.id,
            m.AhpJudgment.membership_id == membership.id,
        )
    )
