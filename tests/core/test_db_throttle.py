"""Throttling in the database: at most `limit` requests per window and key, refused
requests not counted, keys kept as hashes, old rows deleted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from rfp import models as m
from rfp.core.db import utcnow
from rfp.core.db_throttle import allow, key_hash

HOUR = timedelta(hours=1)


def test_a_key_is_allowed_up_to_the_limit_in_the_window_then_again_after(session):
    start = utcnow()
    answers = [allow(session, "b", "k", limit=3, window=HOUR, now=start) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    assert allow(session, "b", "other key", limit=3, window=HOUR, now=start)
    assert allow(session, "other bucket", "k", limit=3, window=HOUR, now=start)
    # the window moves past the first three
    assert allow(session, "b", "k", limit=3, window=HOUR, now=start + HOUR + timedelta(seconds=1))


def test_keys_are_stored_hashed_and_old_rows_go(session):
    start = utcnow()
    allow(session, "b", "dana@fernbrook.example", limit=3, window=HOUR, now=start)
    allow(session, "b", "luis@fernbrook.example", limit=3, window=HOUR, now=start + 2 * HOUR)
    [row] = session.scalars(select(m.ThrottleEvent))  # the first is out of the window: gone
    assert row.key_hash == key_hash("b", "luis@fernbrook.example")
    assert "@" not in row.key_hash
    assert session.scalar(select(func.count()).select_from(m.ThrottleEvent)) == 1
