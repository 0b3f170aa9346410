"""Writing the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from rfp import models as m


def record(
    session: Session,
    evaluation: m.Evaluation | None,
    user: m.User | None,
    action: str,
    target: str = "",
    *,
    old: Any = None,
    new: Any = None,
    reason: str = "",
    actor: str = "",
) -> m.AuditEvent:
    """Add an audit event: who (user or actor), what (action, target), old -> new, why."""
    event = m.AuditEvent(
        evaluation_id=evaluation.id if evaluation is not None else None,
        user_id=user.id if user is not None else None,
        actor=actor or (user.name if user is not None else ""),
        action=action,
        target=target,
        old=old,
        new=new,
        reason=reason,
    )
    session.add(event)
    session.flush()
    return event


def changed_fields(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose value differs, as the audit trail keeps a change: (their old
    values, their new values); both empty when nothing changed."""
    keys = [k for k in new if old[k] != new[k]]
    return {k: old[k] for k in keys}, {k: new[k] for k in keys}
