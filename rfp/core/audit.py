"""Writing the audit trail: only real changes.

An operation records what changed, in old and new values. `record` is the last guard
against a trail that says "2 -> 2": fields whose old and new values are equal are left
out of an event, and an event left with no change at all is not written (operations
should not ask for one, and tests check that they do not).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.domain.formatting import shorten


def _length(column: str) -> int:
    """The length of an audit event's String(n) column."""
    column_type = m.AuditEvent.__table__.c[column].type
    assert isinstance(column_type, String) and column_type.length is not None
    return column_type.length


# A target is built from names and texts (a score's: the evaluator's name, the vendor's,
# the question's number and text), each up to 200 characters: rather than a column as
# long as every combination, it is cut on purpose at the column's length, the ellipsis
# marking the cut (PostgreSQL refused the longest valid names with a 500).
TARGET_LENGTH = _length("target")
ACTOR_LENGTH = _length("actor")


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
) -> m.AuditEvent | None:
    """Add an audit event: who (user or actor), what (action, target), old -> new, why.
    None, and nothing written, when old and new say the same."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        old, new = _differences(old, new)
        if not old and not new:
            return None
    elif old is not None and old == new:
        return None
    event = m.AuditEvent(
        evaluation_id=evaluation.id if evaluation is not None else None,
        user_id=user.id if user is not None else None,
        actor=shorten(actor or (user.name if user is not None else ""), ACTOR_LENGTH),
        action=action,
        target=shorten(target, TARGET_LENGTH),
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


def _differences(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that differ, a field on one side only included."""
    same = {k for k in old if k in new and _same(old[k], new[k])}
    return (
        {k: v for k, v in old.items() if k not in same},
        {k: v for k, v in new.items() if k not in same},
    )


def _same(a: object, b: object) -> bool:
    # 2 and 2.0 are the same number; True and 1 are not the same answer.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b
