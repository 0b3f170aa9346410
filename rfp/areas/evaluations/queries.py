"""What the dashboard and the overview read: the evaluations a person takes part in,
and an evaluation's counts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.domain.vocabulary import Role

DashboardRow = tuple[m.Evaluation, m.Membership | None]


def dashboard_rows(session: Session, user: m.User) -> list[DashboardRow]:
    """The evaluations on the person's dashboard, newest first, with their membership:
    every evaluation for an admin; for others those they take part in (an evaluator
    taken off the panel no longer does)."""
    newest_first = (m.Evaluation.created_at.desc(), m.Evaluation.id.desc())
    if user.is_admin:
        mine = {
            ms.evaluation_id: ms
            for ms in session.scalars(select(m.Membership).where(m.Membership.user_id == user.id))
        }
        evaluations = session.scalars(select(m.Evaluation).order_by(*newest_first))
        return [(ev, mine.get(ev.id)) for ev in evaluations]
    # Rows unpack like tuples (Result.tuples() is deprecated since SQLAlchemy 2.1).
    return [
        (evaluation, membership)
        for evaluation, membership in session.execute(
            select(m.Evaluation, m.Membership)
            .join(m.Membership, m.Membership.evaluation_id == m.Evaluation.id)
            .where(m.Membership.user_id == user.id)
            .where((m.Membership.role != Role.EVALUATOR) | m.Membership.active.is_(True))
            .order_by(*newest_first)
        )
    ]


def question_count(session: Session, evaluation: m.Evaluation) -> int:
    return session.scalar(
        select(func.count())
        .select_from(m.Question)
        .where(m.Question.evaluation_id == evaluation.id)
    )
