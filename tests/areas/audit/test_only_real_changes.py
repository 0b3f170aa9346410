"""The trail holds only real changes: the guard in rfp.core.audit.record, and the
operations that used to write unchanged values next to changed ones ("2 -> 2")."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from rfp import models as m
from rfp.areas.accounts import operations as accounts
from rfp.core.audit import record
from tests.areas.scorecards.conftest import declared, scoring  # noqa: F401
from tests.areas.scorecards.test_scorecards import save_json
from tests.fixtures.evaluations import audit, set_stage


def _record(db: Any, old: Any, new: Any) -> m.AuditEvent | None:
    with db.transaction() as s:
        event = record(s, None, None, "vendor.updated", "Altamira", old=old, new=new, actor="t")
        return None if event is None else (event.old, event.new)


def test_unchanged_fields_are_left_out_and_a_change_of_nothing_is_not_written(db):
    assert _record(db, {"weight": 2, "name": "A"}, {"weight": 2.0, "name": "B"}) == (
        {"name": "A"},
        {"name": "B"},
    )
    assert _record(db, {"weight": 2}, {"weight": 2.0}) is None  # "2 -> 2"
    assert _record(db, 5, 5) is None
    assert _record(db, {}, {}) is None
    # A field on one side only is a change; so is a boolean against a number.
    assert _record(db, {"a": 1}, {"a": 1, "b": 2}) == ({}, {"b": 2})
    assert _record(db, {"pass": True}, {"pass": 1}) == ({"pass": True}, {"pass": 1})
    # An event without values (a submission, a report) is still written.
    assert _record(db, None, None) == (None, None)
    assert len(audit(db, "vendor.updated")) == 4


def test_a_score_whose_justification_alone_changes_records_only_the_justification(
    client,
    db,
    declared,  # noqa: F811  (the fixture)
):
    ids = declared
    save_json(client, ids, "cottonwood", "timezone", 4, "8 h overlap")
    save_json(client, ids, "cottonwood", "timezone", 4, "8 h overlap, evenings thin")
    [change] = audit(db, "score.changed")
    assert change.old == {"comment": "8 h overlap"}
    assert change.new == {"comment": "8 h overlap, evenings thin"}
    # In the product's words: who, which vendor, the question's number and text.
    assert change.target.startswith("Dana Whitfield on Cottonwood")
    assert ", 1.1 " in change.target


def test_an_account_change_records_only_what_changed(db, demo):
    with db.transaction() as s:
        admin = s.scalar(select(m.User).where(m.User.username == "admin"))
        elena = s.scalar(select(m.User).where(m.User.username == "elena"))
        accounts.update_user(
            s,
            elena,
            admin,
            username=elena.username,
            name="Elena Brooks, CFO",
            email=elena.email,
            is_admin=False,
            active=True,
        )
        # Saving the form again unchanged writes nothing.
        accounts.update_user(
            s,
            elena,
            admin,
            username=elena.username,
            name="Elena Brooks, CFO",
            email=elena.email,
            is_admin=False,
            active=True,
        )
    [event] = audit(db, "user.updated")
    assert set(event.old) == set(event.new) == {"name"}


def test_saving_the_weights_unchanged_writes_no_event(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        data = {f"criterion-{c.id}": f"{c.weight:g}" for c in evaluation.criteria}
        data.update(
            {
                f"question-{q.id}": f"{q.weight:g}"
                for c in evaluation.criteria
                for q in c.questions
                if q.kind == "scored"
            }
        )
        before = len(s.scalars(select(m.AuditEvent)).all())
    client.post(f"/evaluations/{evaluation_id}/criteria/weights", data=data)
    with db.transaction() as s:
        assert len(s.scalars(select(m.AuditEvent)).all()) == before
