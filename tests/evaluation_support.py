"""Helpers every area's web tests use to arrange an evaluation and read back what a
request wrote: accounts, a stage set directly, audit events, membership ids.

Importable as `evaluation_support` from any test module (tests/ is on sys.path, as the
folder of the top conftest.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from rfp import models as m
from rfp.demo import DEMO_PASSWORD


def make_user(db: Any, username: str, name: str | None = None, *, admin: bool = False) -> int:
    """An account with the demo password (and no part in any evaluation, unless it has
    one already: an existing account is kept as it is). Returns its id."""
    with db.transaction() as s:
        user = s.scalar(select(m.User).where(m.User.username == username))
        if user is None:
            user = m.User(username=username, name=name or username.title(), is_admin=admin)
            user.set_password(DEMO_PASSWORD)
            s.add(user)
            s.flush()
        return user.id


def set_stage(db: Any, evaluation_id: int, stage: str, **changes: Any) -> None:
    """Put the evaluation in `stage` directly, without the transition rules; back in
    draft or open its responses are sealed again. `changes`: other columns to set."""
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        evaluation.stage = stage
        if stage in ("draft", "open"):
            evaluation.unsealed_at = None
        for name, value in changes.items():
            setattr(evaluation, name, value)


def events(db: Any, evaluation_id: int, action: str) -> list[m.AuditEvent]:
    """The evaluation's audit events with this action, oldest first."""
    with db.transaction() as s:
        return list(
            s.scalars(
                select(m.AuditEvent)
                .where(m.AuditEvent.evaluation_id == evaluation_id, m.AuditEvent.action == action)
                .order_by(m.AuditEvent.id)
            )
        )


def audit(db: Any, action: str) -> list[m.AuditEvent]:
    """Every audit event with this action, in any evaluation, oldest first."""
    with db.transaction() as s:
        return list(
            s.scalars(
                select(m.AuditEvent).where(m.AuditEvent.action == action).order_by(m.AuditEvent.id)
            )
        )


def membership_id(db: Any, evaluation_id: int, key: str) -> int:
    with db.transaction() as s:
        return s.scalar(
            select(m.Membership.id).where(
                m.Membership.evaluation_id == evaluation_id, m.Membership.key == key
            )
        )
