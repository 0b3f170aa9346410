"""The accounts' reads: every account for the administrator's list, one account."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m


def every_user(session: Session) -> list[m.User]:
    return list(session.scalars(select(m.User).order_by(func.lower(m.User.name))))


def active_users(session: Session) -> list[m.User]:
    """The accounts that may take part in an evaluation, by name."""
    return list(
        session.scalars(
            select(m.User).where(m.User.active.is_(True)).order_by(func.lower(m.User.name))
        )
    )
