"""Helpers of the set-up tests (tests/web/test_setup_*.py): arranging stages, users
and reading back what a request wrote."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from rfp import models as m

DEMO_PASSWORD = "rfp-demo-2027"


def make_user(db: Any, username: str, name: str | None = None) -> int:
    """An account with the demo password and no part in any evaluation."""
    with db.transaction() as s:
        user = m.User(username=username, name=name or username.title(), email=None)
        user.set_password(DEMO_PASSWORD)
        s.add(user)
        s.flush()
        return user.id


def set_stage(db: Any, evaluation_id: int, stage: str) -> None:
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        evaluation.stage = stage
        if stage in ("draft", "open"):
            evaluation.unsealed_at = None


def events(db: Any, evaluation_id: int, action: str) -> list[m.AuditEvent]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(m.AuditEvent)
                .where(m.AuditEvent.evaluation_id == evaluation_id, m.AuditEvent.action == action)
                .order_by(m.AuditEvent.id)
            )
        )


def criterion_id(db: Any, evaluation_id: int, key: str) -> int:
    with db.transaction() as s:
        return s.scalar(
            select(m.Criterion.id).where(
                m.Criterion.evaluation_id == evaluation_id, m.Criterion.key == key
            )
        )


def question_id(db: Any, evaluation_id: int, key: str) -> int:
    with db.transaction() as s:
        return s.scalar(
            select(m.Question.id).where(
                m.Question.evaluation_id == evaluation_id, m.Question.key == key
            )
        )


def membership_id(db: Any, evaluation_id: int, key: str) -> int:
    with db.transaction() as s:
        return s.scalar(
            select(m.Membership.id).where(
                m.Membership.evaluation_id == evaluation_id, m.Membership.key == key
            )
        )


def count(db: Any, model: Any, **where: Any) -> int:
    with db.transaction() as s:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return s.scalar(query)


def load(db: Any, model: Any, ident: int) -> Any:
    with db.transaction() as s:
        return s.get(model, ident)
