"""Attachments by reference, a renderer that decides a message must not go out, and
the other additions to rfp.core.mail for issue 12, through the loopback SMTP server."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select, text

from rfp import models as m
from rfp.core import jobs
from rfp.core.db import Database
from rfp.core.mail import (
    MAX_ATTACHMENT_BYTES,
    AttachmentRef,
    compose,
    queue_mail,
    safe_filename,
    store_attachment,
)
from rfp.core.migrate import upgrade
from rfp.domain.vocabulary import JobStatus, MailStatus
from tests.fixtures.mail import html_of, text_of

PDF = b"%PDF-1.4\n" + b"letter body " * 2000 + b"\n%%EOF"


@pytest.fixture(autouse=True)
def attachment_folder(tmp_path, monkeypatch):
    folder = tmp_path / "attachments"
    monkeypatch.setenv("RFP_MAIL_ATTACHMENTS", str(folder))
    return folder


def _queue(database, renderer="tests.core.mail_renderers:greeting", attachments=()) -> int:
    with database.transaction() as s:
        evaluation = m.Evaluation(title="Customer care 2027")
        s.add(evaluation)
        s.flush()
        message = queue_mail(
            s,
            kind="vendor_notice",
            to_address="rosa@altamira.example",
            to_name="Rosa Díaz",
            subject="Outcome of the RFP",
            renderer=renderer,
            context={"line": "Please find our letter attached."},
            evaluation=evaluation,
            attachments=attachments,
        )
        return message.id


def _message(database, message_id) -> m.MailMessage:
    with database.transaction() as s:
        return s.get(m.MailMessage, message_id)


def _files(message) -> list[tuple[str, str, bytes]]:
    return [
        (part.get_filename(), part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    ]


def test_a_stored_file_goes_out_attached_beside_the_text_and_html(
    database, smtp_server, attachment_folder
):
    ref = store_attachment(PDF, "Award letter.pdf", "application/pdf")
    digest = hashlib.sha256(PDF).hexdigest()
    assert ref.args == {"sha256": digest, "size": len(PDF)}
    assert (attachment_folder / digest).read_bytes() == PDF
    message_id = _queue(database, attachments=[ref])
    with database.transaction() as s:
        # Stored by reference: the row holds the name and the hash, not the bytes.
        stored = s.get(m.MailMessage, message_id).attachments
        assert stored == [ref.as_dict()] and "letter body" not in repr(stored)
    assert jobs.run_pending(database) == 1
    [received] = smtp_server.messages
    assert "Please find our letter attached." in text_of(received)
    assert "Please find our letter attached." in html_of(received)
    assert _files(received) == [("Award letter.pdf", "application/pdf", PDF)]


def test_a_loader_builds_the_file_when_the_message_is_sent(database, smtp_server):
    ref = AttachmentRef(
        "regret-letter.pdf", "application/pdf", "tests.core.mail_renderers:letter_pdf", {"n": 7}
    )
    _queue(
        database,
        renderer="tests.core.mail_renderers:with_a_made_attachment",
        attachments=[ref],
    )
    jobs.run_pending(database)
    [received] = smtp_server.messages
    assert _files(received) == [
        ("made-now.txt", "text/plain", "made when sent"),
        ("regret-letter.pdf", "application/pdf", b"%PDF-1.4 letter 7"),
    ]


def test_a_missing_file_fails_the_send_which_is_retried_and_shown(
    database, smtp_server, attachment_folder
):
    ref = store_attachment(PDF, "award.pdf", "application/pdf")
    (attachment_folder / ref.args["sha256"]).unlink()
    message_id = _queue(database, attachments=[ref])
    assert jobs.run_pending(database) == 1
    assert smtp_server.messages == []
    waiting = _message(database, message_id)
    assert waiting.status is MailStatus.QUEUED  # tried again later (the share may be back)
    with database.transaction() as s:
        job = s.get(m.Job, waiting.job_id)
        assert job.status is JobStatus.QUEUED and "FileNotFoundError" in job.error


def test_a_file_changed_since_it_was_queued_is_not_sent(database, smtp_server, attachment_folder):
    ref = store_attachment(PDF, "award.pdf", "application/pdf")
    (attachment_folder / ref.args["sha256"]).write_bytes(b"%PDF-1.4 another letter")
    _queue(database, attachments=[ref])
    jobs.run_pending(database)
    assert smtp_server.messages == []


def test_attachments_are_limited_in_size_and_named_safely():
    with pytest.raises(ValueError, match="at most 10 MB"):
        store_attachment(b"x" * (MAX_ATTACHMENT_BYTES + 1), "big.pdf", "application/pdf")
    with pytest.raises(ValueError, match="not a content type"):
        store_attachment(b"x", "a.pdf", "application/pdf\r\nBcc: x@y")
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\letters\\award.pdf") == "award.pdf"
    assert safe_filename('a"b\r\nBcc: x.pdf') == "abBcc: x.pdf"
    assert safe_filename("..") == "attachment"


def test_attachments_over_the_limit_together_are_not_sent(database, smtp_server):
    half = b"x" * (MAX_ATTACHMENT_BYTES // 2 + 1)
    refs = [store_attachment(half + bytes([n]), f"part{n}.bin", "application/pdf") for n in (1, 2)]
    message_id = _queue(database, attachments=refs)
    jobs.run_pending(database)
    assert smtp_server.messages == []
    failed = _message(database, message_id)
    assert failed.status is MailStatus.FAILED
    assert failed.last_error == "Not sent: its attachments are larger than 10 MB"


def test_a_renderer_that_says_not_to_send_marks_it_not_delivered_without_retrying(
    database, smtp_server
):
    message_id = _queue(database, renderer="tests.core.mail_renderers:refusing")
    assert jobs.run_pending(database) == 1
    assert smtp_server.messages == []
    refused = _message(database, message_id)
    assert refused.status is MailStatus.FAILED
    assert refused.last_error == "Not sent: the evaluator has submitted since"
    assert refused.attempts == 0
    with database.transaction() as s:
        assert s.get(m.Job, refused.job_id).status is JobStatus.DONE  # not retried
        begun = select(func.count()).select_from(m.AuditEvent)
        assert s.scalar(begun.where(m.AuditEvent.action == "mail.test.begun")) == 0
    assert jobs.run_pending(database) == 0


def test_compose_escapes_and_puts_the_action_as_a_button_and_as_text():
    rendered = compose(
        ["Hello <b>Rosa</b>,", "Line one\nline two"],
        action=("Open & answer", "http://rfp.test/portal/abc?x=1&y=2"),
        closing=["Thanks."],
        reply_to="lead@buyer.example",
    )
    assert rendered.text == (
        "Hello <b>Rosa</b>,\n\nLine one\nline two\n\n"
        "Open & answer:\nhttp://rfp.test/portal/abc?x=1&y=2\n\nThanks.\n"
    )
    assert "&lt;b&gt;Rosa&lt;/b&gt;" in rendered.html and "<b>Rosa" not in rendered.html
    assert 'href="http://rfp.test/portal/abc?x=1&amp;y=2"' in rendered.html
    assert ">Open &amp; answer</a>" in rendered.html
    assert rendered.reply_to == "lead@buyer.example"


def test_run_pending_can_run_only_the_mail(database, smtp_server):
    jobs.register_kind("test.write", "tests.core.job_handlers:write_audit_event")
    _queue(database)
    with database.transaction() as s:
        jobs.enqueue(s, "test.write", {"target": "a report, say"})
    assert jobs.run_pending(database, kinds=["mail"]) == 1
    with database.transaction() as s:
        kinds = dict(s.execute(select(m.Job.kind, m.Job.status)).all())
    assert kinds == {"mail": JobStatus.DONE, "test.write": JobStatus.QUEUED}


def test_the_migration_keeps_queued_messages_with_no_attachment(empty_database_url):
    upgrade(empty_database_url, "0004")
    database = Database(empty_database_url)
    try:
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO mail_messages (kind, to_address, to_name, subject, renderer,"
                    " context, status, attempts, last_error, created_at) VALUES ('invitation',"
                    " 'a@b.example', '', 'Welcome', 'x:y', '{}', 'queued', 0, '',"
                    " CURRENT_TIMESTAMP)"
                )
            )
        upgrade(empty_database_url)
        with database.transaction() as s:
            [message] = s.scalars(select(m.MailMessage))
            assert (message.subject, message.attachments) == ("Welcome", [])
    finally:
        database.dispose()
