"""Outgoing e-mail (rfp.core.mail) through a real SMTP server on loopback: sent only
after the action commits, retried when the server refuses, marked not delivered when it
keeps refusing, never with a secret in the log."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from rfp import models as m
from rfp.core import jobs
from rfp.core.db import utcnow
from rfp.core.mail import queue_mail, send_again
from rfp.domain.vocabulary import MailStatus
from tests.core.mail_renderers import SECRET
from tests.fixtures.mail import html_of, text_of

GREETING = "tests.core.mail_renderers:greeting"


def _evaluation(database) -> int:
    with database.transaction() as s:
        evaluation = m.Evaluation(title="Customer care 2027")
        s.add(evaluation)
        s.flush()
        return evaluation.id


def _queue(database, evaluation_id, **kw) -> int:
    with database.transaction() as s:
        message = queue_mail(
            s,
            kind=kw.pop("kind", "test"),
            to_address=kw.pop("to_address", "ana@vendor.example"),
            to_name="Ana Ruiz",
            subject=kw.pop("subject", "You are invited"),
            renderer=kw.pop("renderer", GREETING),
            context={"line": "Welcome aboard."},
            evaluation=s.get(m.Evaluation, evaluation_id),
        )
        return message.id


def _message(database, message_id) -> m.MailMessage:
    with database.transaction() as s:
        return s.get(m.MailMessage, message_id)


def _make_due(database) -> None:
    with database.transaction() as s:
        for job in s.scalars(select(m.Job).where(m.Job.status == "queued")):
            job.run_after = utcnow() - timedelta(seconds=1)


def test_a_message_is_delivered_with_text_html_and_the_evaluation_in_the_subject(
    database, smtp_server
):
    message_id = _queue(database, _evaluation(database))
    assert smtp_server.messages == []  # queued with the action, not sent inside it
    assert jobs.run_pending(database) == 1
    [received] = smtp_server.messages
    assert received["Subject"] == "You are invited — Customer care 2027"
    assert received["From"] == "rfp <rfp@buyer.example>"
    assert received["To"] == "Ana Ruiz <ana@vendor.example>"
    assert "Welcome aboard." in text_of(received)
    assert "http://rfp.test/login" in text_of(received)
    assert '<a href="http://rfp.test/login">' in html_of(received)
    sent = _message(database, message_id)
    assert sent.status is MailStatus.SENT and sent.sent_at is not None and sent.attempts == 1


def test_an_action_that_rolls_back_sends_nothing(database, smtp_server):
    evaluation_id = _evaluation(database)
    with database.session() as s:
        queue_mail(
            s,
            kind="test",
            to_address="x@y.example",
            subject="No",
            renderer=GREETING,
            context={"line": ""},
            evaluation=s.get(m.Evaluation, evaluation_id),
        )
        s.rollback()
    assert jobs.run_pending(database) == 0
    assert smtp_server.messages == []
    with database.transaction() as s:
        assert s.scalar(select(func.count()).select_from(m.MailMessage)) == 0


def test_a_refused_send_is_retried_then_marked_not_delivered_then_sent_again(database, smtp_server):
    message_id = _queue(database, _evaluation(database))
    smtp_server.refuse = "550 mailbox unavailable"
    assert jobs.run_pending(database) == 1
    waiting = _message(database, message_id)
    assert waiting.status is MailStatus.QUEUED  # it will be tried again
    assert "550" in waiting.last_error and waiting.attempts == 1
    for _ in range(4):  # the remaining attempts of MAX_ATTEMPTS (5)
        _make_due(database)
        assert jobs.run_pending(database) == 1
    failed = _message(database, message_id)
    assert failed.status is MailStatus.FAILED and failed.attempts == 5
    assert smtp_server.messages == []
    # The server accepts mail again; the lead sends the message again.
    smtp_server.refuse = None
    with database.transaction() as s:
        send_again(s, s.get(m.MailMessage, message_id))
    assert jobs.run_pending(database) == 1
    assert _message(database, message_id).status is MailStatus.SENT
    assert len(smtp_server.messages) == 1


def test_what_the_renderer_makes_is_kept_and_no_secret_reaches_the_log(
    database, smtp_server, caplog
):
    caplog.set_level(logging.DEBUG)
    _queue(database, _evaluation(database), renderer="tests.core.mail_renderers:with_secret_link")
    assert jobs.run_pending(database) == 1
    assert SECRET in text_of(smtp_server.messages[0])
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("rfp"))
    assert "sent to …@vendor.example" in ours  # the log names the domain only
    assert SECRET not in ours
    assert "ana@vendor.example" not in ours
    with database.transaction() as s:
        minted = s.scalar(
            select(func.count())
            .select_from(m.AuditEvent)
            .where(m.AuditEvent.action == "mail.test.token")
        )
    assert minted == 1


def test_the_folder_transport_writes_each_message_as_a_file(database, tmp_path, monkeypatch):
    monkeypatch.setenv("RFP_MAIL_TRANSPORT", "folder")
    monkeypatch.setenv("RFP_MAIL_FOLDER", str(tmp_path / "mail"))
    message_id = _queue(database, _evaluation(database))
    assert jobs.run_pending(database) == 1
    [path] = (tmp_path / "mail").glob("*.eml")
    assert path.name.endswith(f"-{message_id}.eml")
    assert b"Welcome aboard." in path.read_bytes()


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("RFP_MAIL_TRANSPORT", "pigeon", "RFP_MAIL_TRANSPORT must be folder or smtp"),
        ("RFP_SMTP_TLS", "maybe", "RFP_SMTP_TLS must be starttls, ssl or none"),
    ],
)
def test_bad_mail_settings_are_named(monkeypatch, name, value, error):
    from rfp.core.mail import MailSettings

    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=error):
        MailSettings.from_environment()
