"""Helpers of the set-up tests (tests/web/test_setup_*.py): reading back what a request
wrote (accounts, stages, audit events and memberships: evaluation_support)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from rfp import models as m


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


def count(db: Any, model: Any, **where: Any) -> int:
    with db.transaction() as s:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return s.scalar(query)


def load(db: Any, model: Any, ident: int) -> Any:
    with db.transaction() as s:
        return s.get(model, ident)
