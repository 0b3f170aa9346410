"""The audit trail's "target" (what changed, in words: 300 characters) is built from
names and texts of up to 200 characters each. With the longest valid names PostgreSQL
refused the event (a 500 on the save); the target is now cut on purpose at the column's
length, an ellipsis marking the cut, and the save goes through."""

from __future__ import annotations

from sqlalchemy import select, update

from rfp import models as m
from rfp.core.audit import TARGET_LENGTH
from tests.areas.scorecards.conftest import scoring  # noqa: F401  (the fixture)
from tests.areas.scorecards.test_scorecards import declare, save_json

__all__ = ["scoring"]  # the scorecards' fixture, used here

LONGEST_NAME = 200  # users.name and vendors.name


def test_a_score_change_by_the_longest_names_is_audited_with_its_target_cut(
    client, auth, db, scoring
):
    evaluator = "Dana " + "W" * (LONGEST_NAME - 5)
    vendor = "Cottonwood " + "R" * (LONGEST_NAME - 11)
    with db.transaction() as s:
        s.execute(update(m.User).where(m.User.username == "dana").values(name=evaluator))
        s.execute(update(m.Vendor).where(m.Vendor.id == scoring["cottonwood"]).values(name=vendor))
    auth.login("dana")
    declare(client, scoring)
    assert save_json(client, scoring, "cottonwood", "timezone", 3).status_code == 200
    changed = save_json(client, scoring, "cottonwood", "timezone", 4)
    assert changed.status_code == 200
    with db.transaction() as s:
        target = s.scalar(select(m.AuditEvent.target).where(m.AuditEvent.action == "score.changed"))
    # "<evaluator> on <vendor>, 1.1 Time zone ...": 200 + 4 + 200 + ... > 300
    assert len(target) == TARGET_LENGTH == 300
    assert target.startswith(f"{evaluator} on {vendor[:80]}")
    assert target.endswith("…")


def test_a_short_target_is_kept_whole(client, auth, db, scoring):
    auth.login("dana")
    declare(client, scoring)
    save_json(client, scoring, "cottonwood", "timezone", 3)
    save_json(client, scoring, "cottonwood", "timezone", 4)
    with db.transaction() as s:
        target = s.scalar(select(m.AuditEvent.target).where(m.AuditEvent.action == "score.changed"))
    assert target.startswith("Dana Whitfield on Cottonwood Ridge CX, 1.1 ")
    assert not target.endswith("…")
