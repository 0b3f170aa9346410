"""Optimistic locking of set-up data (the evaluation's settings and scope, criteria,
questions, vendors, and the weights table over criteria and questions).

Two leads saving weights at once: the second silently reverted the first, and the audit
trail blamed the second. Each of these rows has a `version`, SQLAlchemy's version
counter (`version_id_col`): every UPDATE of the row moves it, and is written as
`UPDATE ... WHERE id = :id AND version = :loaded`, so that a change committed by
someone else between this request's read and its write fails the flush (StaleDataError,
answered 409 by rfp.core.errors) instead of being overwritten.

An edit form carries the version it was opened at (a hidden VersionField); the save
checks it with `check_version` before writing: a form opened before someone else's
change is refused with who changed it and when, from the audit trail, and the route
shows the current values. A save that does not come from a form (the CLI, an import,
the API) passes None and is checked at the flush only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.refusal import CONFLICT, Refused
from rfp.domain.formatting import when

# The field a stale form's refusal names: routes show it above the form (it is hidden).
VERSION_FIELD = "version"


def check_version(
    session: Session,
    item: Any,
    opened: int | None,
    *,
    what: str,
    actions: Iterable[str],
    target: str | None = None,
) -> None:
    """Refuse (CONFLICT) when `item` (a versioned row) has moved on from the version
    `opened` that the form was opened at. `what` names it for the person ("Tooling",
    "Settings"); `actions` and `target` find the change in the audit trail
    ("criterion.%" and its name)."""
    if opened is None or opened == item.version:
        return
    evaluation_id = item.id if isinstance(item, m.Evaluation) else item.evaluation_id
    raise Refused(
        VERSION_FIELD, stale_message(session, evaluation_id, what, actions, target), CONFLICT
    )


def stale_message(
    session: Session,
    evaluation_id: int,
    what: str,
    actions: Iterable[str],
    target: str | None,
) -> str:
    """ "Tooling: changed by Morgan Lee at 2026-12-03 13:40 UTC since you opened it.
    ..." from the latest matching audit event."""
    query = select(m.AuditEvent).where(
        m.AuditEvent.evaluation_id == evaluation_id,
        or_(*(m.AuditEvent.action.like(action) for action in actions)),
    )
    latest = (m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
    event = None
    if target is not None:  # this row's own change, else the latest of its kind
        event = session.scalar(query.where(m.AuditEvent.target == target).order_by(*latest))
    event = event or session.scalar(query.order_by(*latest))
    by = f" by {event.actor or 'someone'} at {when(event.at)}" if event is not None else ""
    return (
        f"{what}: changed{by} since you opened it. Nothing of yours was saved: the "
        "current values are shown; make your change again on them."
    )
