"""Scoring reminders before the due date (5 and 2 days before and on the day, only to
evaluators who have not submitted, each once) and the note to the lead when every
scorecard is in, through the loopback SMTP server."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.areas.scorecards.messages import queue_due_reminders, reminder_due
from rfp.areas.scorecards.queries import progress_by_evaluation
from rfp.core import jobs
from rfp.core.db import utcnow
from rfp.domain.vocabulary import MailStatus
from tests.fixtures.evaluations import set_stage
from tests.fixtures.mail import links_in, text_of

TITLE = "Customer service outsourcing 2027"
DUE = date(2026, 9, 25)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 9, 19), None),  # 6 days before: nothing yet
        (date(2026, 9, 20), 5),
        (date(2026, 9, 22), 5),  # a run that missed the 20th sends the 5-day one late
        (date(2026, 9, 23), 2),
        (date(2026, 9, 24), 2),
        (date(2026, 9, 25), 0),  # on the day
        (date(2026, 9, 26), None),  # past due: reminders stop
    ],
)
def test_the_reminder_of_the_day_is_the_latest_one_reached(today, expected):
    assert reminder_due(DUE, today) == expected


def _scoring(db: Any, demo: dict[str, int], due: date, *, submitted: tuple[str, ...] = ()) -> int:
    """The demo evaluation in scoring, due on `due`; only `submitted` have submitted."""
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring", scoring_due=due)
    with db.transaction() as s:
        for ms in s.get(m.Evaluation, evaluation_id).memberships:
            ms.submitted_at = utcnow() if ms.key in submitted else None
    return evaluation_id


def _queue(db: Any, today: date) -> int:
    with db.transaction() as s:
        return queue_due_reminders(s, today)


def _reminded(db: Any) -> list[tuple[str, int]]:
    with db.transaction() as s:
        rows = s.execute(
            select(m.Membership.key, m.ScoringReminder.days_before)
            .join(m.Membership)
            .order_by(m.ScoringReminder.id)
        ).all()
    return [tuple(row) for row in rows]


def test_reminders_go_5_and_2_days_before_and_on_the_day_to_those_not_finished_each_once(db, demo):
    _scoring(db, demo, DUE, submitted=("dana",))
    days = [DUE - timedelta(days=n) for n in range(7, -2, -1)]  # 18th to 26th
    # twice a day, as an hourly cron job would, from a week before to the day after
    queued = [_queue(db, day) + _queue(db, day) for day in days]
    # the 20th (5 days before), the 23rd (2 days before) and the 25th: luis and priya
    assert queued == [0, 0, 2, 0, 0, 2, 0, 2, 0]
    assert _reminded(db) == [
        ("luis", 5), ("priya", 5), ("luis", 2), ("priya", 2), ("luis", 0), ("priya", 0)
    ]  # fmt: skip


def test_no_reminder_outside_scoring_nor_to_someone_off_the_panel(db, demo):
    evaluation_id = _scoring(db, demo, DUE)
    with db.transaction() as s:
        [priya] = [ms for ms in s.get(m.Evaluation, evaluation_id).memberships if ms.key == "priya"]
        priya.active = False
    assert _queue(db, DUE) == 2  # dana and luis
    set_stage(db, evaluation_id, "consensus")
    assert _queue(db, DUE - timedelta(days=2)) == 0


def test_a_moved_due_date_starts_a_new_series(db, demo):
    evaluation_id = _scoring(db, demo, DUE, submitted=("dana", "luis"))
    assert _queue(db, DUE - timedelta(days=5)) == 1
    set_stage(db, evaluation_id, "scoring", scoring_due=DUE + timedelta(days=7))
    assert _queue(db, DUE - timedelta(days=5)) == 0  # 12 days before the new date
    assert _queue(db, DUE + timedelta(days=2)) == 1  # 5 days before it
    assert _reminded(db) == [("priya", 5), ("priya", 5)]


def test_a_reminder_tells_the_evaluator_how_far_they_are(db, demo, smtp_server):
    today = utcnow().date()
    evaluation_id = _scoring(db, demo, today + timedelta(days=2), submitted=("dana", "priya"))
    with db.transaction() as s:
        luis = s.scalar(
            select(m.Membership).where(
                m.Membership.evaluation_id == evaluation_id, m.Membership.key == "luis"
            )
        )
        [progress] = [
            p for p in progress_by_evaluation(s, [evaluation_id])[evaluation_id] if p.key == "luis"
        ]
        expected = progress.expected
        assert progress.entered == expected
        # luis has 3 scores fewer than expected
        for score in s.scalars(select(m.Score).where(m.Score.membership_id == luis.id).limit(3)):
            s.delete(score)
    assert _queue(db, today) == 1
    jobs.run_pending(db)
    [mail] = smtp_server.messages
    assert mail["To"] == "Luis Ortega <luis.ortega@fernbrook.example>"
    assert mail["Subject"] == f"Your scores are due in 2 days — {TITLE}"
    text = text_of(mail)
    due = today + timedelta(days=2)
    assert f"are due in 2 days, on {due:%A} {due.day} {due:%B %Y}." in text
    # What the people page shows for him (every score he is expected to give), less 3.
    assert f"You have entered {expected - 3} of {expected} scores." in text
    assert links_in(mail) == [f"http://rfp.test/evaluations/{evaluation_id}/scorecards"]


def test_a_reminder_is_not_sent_to_someone_who_submitted_since(db, demo, smtp_server):
    today = utcnow().date()
    evaluation_id = _scoring(db, demo, today, submitted=("dana", "priya"))
    assert _queue(db, today) == 1
    with db.transaction() as s:
        for ms in s.get(m.Evaluation, evaluation_id).memberships:
            if ms.key == "luis":
                ms.submitted_at = utcnow()
    jobs.run_pending(db)
    assert smtp_server.messages == []
    with db.transaction() as s:
        message = s.scalar(select(m.MailMessage))
    assert message.status is MailStatus.FAILED
    assert message.last_error == "Not sent: Luis Ortega has submitted since"


# -- every scorecard in --------------------------------------------------------------------


def test_the_lead_is_told_when_the_last_scorecard_is_submitted(client, auth, db, demo, smtp_server):
    evaluation_id = _scoring(db, demo, DUE, submitted=("luis",))
    auth.login("priya")
    assert client.post(f"/evaluations/{evaluation_id}/scorecards/submit").status_code == 302
    assert jobs.run_pending(db) == 0  # dana has not submitted yet
    auth.logout()
    auth.login("dana")
    assert client.post(f"/evaluations/{evaluation_id}/scorecards/submit").status_code == 302
    assert jobs.run_pending(db) == 1
    [mail] = smtp_server.messages
    assert mail["To"] == "Morgan Avery <morgan.avery@fernbrook.example>"
    assert mail["Subject"] == f"Every scorecard is in — {TITLE}"
    assert f"All 3 evaluators of “{TITLE}” have submitted their scorecards." in text_of(mail)
    assert links_in(mail) == [f"http://rfp.test/evaluations/{evaluation_id}"]
