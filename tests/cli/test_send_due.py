"""`rfp send-due`, as cron runs it: the reminders due today are queued once and sent
through the mail server (a real SMTP server on loopback), a refused send waits for the
next run, and bad settings or an old schema stop it with a clear message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from rfp import models as m
from rfp.cli import main
from rfp.core.db import Database, utcnow
from tests.fixtures.mail import text_of


def rfp(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The demo in a database of the command's own, in scoring, due in 2 days, with
    Luis the only evaluator who has not submitted."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("RFP_INSTANCE_PATH", str(tmp_path / "instance"))
    assert rfp("demo").exit_code == 0
    database = Database(url)
    with database.transaction() as s:
        evaluation = s.scalar(select(m.Evaluation))
        evaluation.stage = "scoring"
        evaluation.scoring_due = utcnow().date() + timedelta(days=2)
        for ms in evaluation.memberships:
            if ms.key == "luis":
                ms.submitted_at = None
    yield database
    database.dispose()


def test_send_due_queues_the_reminders_of_the_day_once_and_sends_them(database, smtp_server):
    first = rfp("send-due")
    assert first.exit_code == 0, first.output
    assert first.output == "1 reminder queued.\n1 message sent.\n"
    [mail] = smtp_server.messages
    assert mail["To"] == "Luis Ortega <luis.ortega@fernbrook.example>"
    assert "are due in 2 days" in text_of(mail)
    again = rfp("send-due")  # the next hourly run, the same day
    assert again.output == "0 reminders queued.\n0 messages sent.\n"
    assert len(smtp_server.messages) == 1


def test_a_refused_send_waits_for_the_next_run(database, smtp_server):
    smtp_server.refuse = "421 service not available"
    assert rfp("send-due").output == "1 reminder queued.\n0 messages sent, 1 to try again later.\n"
    smtp_server.refuse = None
    with database.transaction() as s:
        for job in s.scalars(select(m.Job)):
            job.run_after = utcnow() - timedelta(seconds=1)  # the retry delay has passed
    assert rfp("send-due").output == "0 reminders queued.\n1 message sent.\n"
    assert len(smtp_server.messages) == 1


def test_queue_only_leaves_the_sending_to_the_app(database, smtp_server):
    assert rfp("send-due", "--queue-only").output == "1 reminder queued.\n"
    assert smtp_server.messages == []
    with database.transaction() as s:
        assert s.scalar(select(m.MailMessage.status)) == "queued"


def test_bad_mail_settings_stop_it_before_anything_is_queued(database, monkeypatch):
    monkeypatch.setenv("RFP_MAIL_TRANSPORT", "smtp")
    monkeypatch.delenv("RFP_SMTP_HOST", raising=False)
    result = CliRunner().invoke(main, ["send-due"])
    assert result.exit_code == 2
    assert "RFP_MAIL_TRANSPORT=smtp needs RFP_SMTP_HOST" in result.output
    with database.transaction() as s:
        assert s.scalar(select(m.MailMessage)) is None


def test_a_database_not_at_the_latest_schema_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    result = CliRunner().invoke(main, ["send-due"])
    assert result.exit_code == 1
    assert "is not at the latest schema: run `rfp db upgrade`" in result.output
