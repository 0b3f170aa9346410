"""Throttling requests anyone may make (a password reset by e-mail), in the database so
that it holds across app processes: at most `limit` requests per `window` for one key
(an e-mail address, a client address) in one bucket. Keys are kept as SHA-256 hashes, so
the table is not a list of addresses; rows older than the window are deleted as it goes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.db import utcnow


def key_hash(bucket: str, key: str) -> str:
    return hashlib.sha256(f"{bucket}\n{key}".encode()).hexdigest()


def allow(
    session: Session,
    bucket: str,
    key: str,
    *,
    limit: int,
    window: timedelta,
    now: datetime | None = None,
) -> bool:
    """Count this request and say whether it is within the limit (a refused request is
    not counted, so a client that keeps trying gets through once the window moves)."""
    now = now or utcnow()
    since = now - window
    session.execute(
        delete(m.ThrottleEvent)
        .where(m.ThrottleEvent.bucket == bucket, m.ThrottleEvent.at < since)
        .execution_options(synchronize_session=False)
    )
    hashed = key_hash(bucket, key)
    recent = session.scalar(
        select(func.count())
        .select_from(m.ThrottleEvent)
        .where(
            m.ThrottleEvent.bucket == bucket,
            m.ThrottleEvent.key_hash == hashed,
            m.ThrottleEvent.at >= since,
        )
    )
    if (recent or 0) >= limit:
        return False
    session.add(m.ThrottleEvent(bucket=bucket, key_hash=hashed, at=now))
    session.flush()
    return True
