"""The accounts' reads: every account, for the administrator's list."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m


def every_user(session: Session) -> list[m.User]:
    return list(session.scalars(select(m.User).order_by(func.lower(m.User.name))))
