"""Two first saves of the same score at the same moment (a double click, two tabs) both
read "no score yet", then both inserted: the second hit the unique constraint and got
an HTML 500. The first save is now INSERT ... ON CONFLICT, on SQLite and PostgreSQL:
both requests succeed and one row is kept. Real threads, each with its own client and
database connection; a barrier holds each INSERT until both requests have read."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select

from rfp import models as m
from tests.areas.scorecards.conftest import scoring  # noqa: F401  (the fixture)
from tests.areas.scorecards.test_scorecards import declare, save_json

__all__ = ["scoring"]  # the scorecards' fixture, used here


@pytest.fixture
def both_read_before_either_writes(db: Any) -> Iterator[threading.Barrier]:
    """Each INSERT into scores waits until two have been issued: both requests have read
    that there is no score by then, as in the race that produced the 500."""
    barrier = threading.Barrier(2, timeout=20)

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO SCORES"):
            barrier.wait()

    event.listen(db.engine, "before_cursor_execute", hold)
    yield barrier
    event.remove(db.engine, "before_cursor_execute", hold)


def _save_at_once(app: Any, login_as: Any, ids: dict[str, Any], comments: tuple[str, str]):
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        login_as(client, "dana")
    answers: list[Any] = [None, None]

    def save(i: int) -> None:
        answers[i] = save_json(clients[i], ids, "cottonwood", "timezone", 5, comments[i])

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _rows(db: Any, ids: dict[str, Any]) -> list[tuple[float, str]]:
    with db.session() as s:
        return [
            (score.value, score.comment)
            for score in s.scalars(
                select(m.Score).where(
                    m.Score.membership_id == ids["ms_dana"],
                    m.Score.vendor_id == ids["cottonwood"],
                    m.Score.question_id == ids["q"]["timezone"],
                )
            )
        ]


def test_a_double_click_on_a_first_score_saves_it_once(
    app, client, login_as, db, scoring, both_read_before_either_writes
):
    login_as(client, "dana")
    declare(client, scoring)
    first, second = _save_at_once(app, login_as, scoring, ("8 h overlap", "8 h overlap"))
    assert (first.status_code, second.status_code) == (200, 200), (first.data, second.data)
    assert first.is_json and second.is_json
    # One save wrote the score; the other found it written, the same: no change.
    assert sorted([first.json["changed"], second.json["changed"]]) == [False, True]
    assert _rows(db, scoring) == [(5.0, "8 h overlap")]
    with db.session() as s:  # the same score twice is no change: nothing audited
        assert s.scalar(select(func.count()).select_from(m.AuditEvent).where(
            m.AuditEvent.action == "score.changed")) == 0  # fmt: skip


def test_two_tabs_saving_different_first_scores_keep_one_row_and_audit_the_change(
    app, client, login_as, db, scoring, both_read_before_either_writes
):
    login_as(client, "dana")
    declare(client, scoring)
    answers = _save_at_once(app, login_as, scoring, ("from tab one", "from tab two"))
    assert [a.status_code for a in answers] == [200, 200]
    ((value, comment),) = _rows(db, scoring)
    assert value == 5.0 and comment in ("from tab one", "from tab two")
    with db.session() as s:
        change = s.scalar(select(m.AuditEvent).where(m.AuditEvent.action == "score.changed"))
    # The save that lost the race is a change of the other's score, with its old value.
    assert change is not None
    assert {change.old["comment"], change.new["comment"]} == {"from tab one", "from tab two"}
    assert change.new["comment"] == comment
