"""Outgoing e-mail, configured from the environment, sent off the request.

An operation calls `queue_mail(...)`: a `MailMessage` row and a background job are
written in the same transaction as the action, so the action never loses its message
and a rolled-back action sends nothing. The job (rfp.core.jobs) renders the body, commits
whatever the rendering made (a single-use link's hash), and only then hands the message
to the transport, outside any transaction that could still roll back. A failed send is
retried with growing delays and, when it gives up, the message is marked "not
delivered" for the lead to see and send again.

Settings (environment):

RFP_MAIL_TRANSPORT  `folder` (default: each message written as an .eml file under
                    RFP_MAIL_FOLDER, default <instance>/mail, and a line in the log, so a
                    workstation needs no mail server) or `smtp`
RFP_SMTP_HOST, RFP_SMTP_PORT (587), RFP_SMTP_TLS (`starttls`, `ssl` or `none`),
RFP_SMTP_USER, RFP_SMTP_PASSWORD, RFP_SMTP_TIMEOUT (20 s)
RFP_MAIL_SENDER     the From address (default `rfp <rfp@localhost>`)
RFP_BASE_URL        the app's address, for links in messages (default http://127.0.0.1:5000)

Nothing secret is logged: the log names the message, its kind and where it went.
"""

from __future__ import annotations

import html
import importlib
import logging
import os
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core import jobs
from rfp.core.config import instance_path
from rfp.core.db import utcnow
from rfp.domain.vocabulary import MailStatus

log = logging.getLogger(__name__)

MAIL_JOB = "mail"
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Rendered:
    text: str
    html: str


Renderer = Callable[[Session, m.MailMessage], Rendered]


@dataclass(frozen=True)
class MailSettings:
    transport: str
    sender: str
    base_url: str
    folder: Path
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_tls: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 20.0

    @classmethod
    def from_environment(cls) -> MailSettings:
        env = os.environ
        transport = env.get("RFP_MAIL_TRANSPORT", "folder")
        if transport not in ("folder", "smtp"):
            raise ValueError(f"RFP_MAIL_TRANSPORT must be folder or smtp, not {transport!r}")
        tls = env.get("RFP_SMTP_TLS", "starttls")
        if tls not in ("starttls", "ssl", "none"):
            raise ValueError(f"RFP_SMTP_TLS must be starttls, ssl or none, not {tls!r}")
        if transport == "smtp" and not env.get("RFP_SMTP_HOST"):
            raise ValueError("RFP_MAIL_TRANSPORT=smtp needs RFP_SMTP_HOST")
        return cls(
            transport=transport,
            sender=env.get("RFP_MAIL_SENDER", "rfp <rfp@localhost>"),
            base_url=env.get("RFP_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            folder=Path(env.get("RFP_MAIL_FOLDER") or instance_path() / "mail"),
            smtp_host=env.get("RFP_SMTP_HOST", ""),
            smtp_port=int(env.get("RFP_SMTP_PORT", "465" if tls == "ssl" else "587")),
            smtp_tls=tls,
            smtp_user=env.get("RFP_SMTP_USER", ""),
            smtp_password=env.get("RFP_SMTP_PASSWORD", ""),
            smtp_timeout=float(env.get("RFP_SMTP_TIMEOUT", "20")),
        )


def base_url() -> str:
    """The app's own address for links in messages (RFP_BASE_URL)."""
    return os.environ.get("RFP_BASE_URL", "http://127.0.0.1:5000").rstrip("/")


# -- queueing ----------------------------------------------------------------------------


def queue_mail(
    session: Session,
    *,
    kind: str,
    to_address: str,
    subject: str,
    renderer: str,
    context: dict[str, Any] | None = None,
    to_name: str = "",
    evaluation: m.Evaluation | None = None,
) -> m.MailMessage:
    """A message to send once the session commits. `renderer` ("module:function") makes
    its text and HTML when it is sent; `context` must hold no secret (it is stored).
    The evaluation's name is put in the subject."""
    if evaluation is not None and evaluation.title not in subject:
        subject = f"{subject} — {evaluation.title}"
    message = m.MailMessage(
        evaluation_id=evaluation.id if evaluation is not None else None,
        kind=kind,
        to_address=to_address,
        to_name=to_name,
        subject=_one_line(subject)[:300],
        renderer=renderer,
        context=context or {},
    )
    session.add(message)
    session.flush()
    job = jobs.enqueue(
        session,
        MAIL_JOB,
        {"message_id": message.id},
        evaluation_id=message.evaluation_id,
        max_attempts=MAX_ATTEMPTS,
    )
    message.job_id = job.id
    return message


def send_again(session: Session, message: m.MailMessage) -> None:
    """The lead's "send again" for a message that was not delivered."""
    message.status = MailStatus.QUEUED
    message.last_error = ""
    job = jobs.enqueue(
        session,
        MAIL_JOB,
        {"message_id": message.id},
        evaluation_id=message.evaluation_id,
        max_attempts=MAX_ATTEMPTS,
    )
    message.job_id = job.id


def _one_line(text: str) -> str:
    return re.sub(r"[\r\n]+", " ", text).strip()


# -- sending (the job) --------------------------------------------------------------------


def deliver(session: Session, job: m.Job, progress: Any) -> dict[str, Any]:
    """The "mail" job: render, commit what rendering made, then send outside the
    transaction; mark it sent, or record the error (and give up after MAX_ATTEMPTS)."""
    message = session.get(m.MailMessage, job.payload["message_id"])
    if message is None:
        return {"skipped": "the message no longer exists"}
    if message.status is MailStatus.SENT:
        return {"skipped": "already sent"}
    settings = MailSettings.from_environment()
    rendered = _renderer(message.renderer)(session, message)
    email = build_email(message, rendered, settings)
    message.attempts += 1
    session.commit()  # what the renderer made (a link's hash) exists before the mail does
    try:
        transport_for(settings).send(email)
    except Exception as exc:
        message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        if job.attempts >= job.max_attempts:
            message.status = MailStatus.FAILED
        session.commit()
        log.warning(
            "mail %s (%s) to %s not sent: %s",
            message.id,
            message.kind,
            _domain(message.to_address),
            type(exc).__name__,
        )
        raise
    message.status = MailStatus.SENT
    message.sent_at = utcnow()
    message.last_error = ""
    log.info("mail %s (%s) sent to %s", message.id, message.kind, _domain(message.to_address))
    return {"message_id": message.id}


def _renderer(target: str) -> Renderer:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _domain(address: str) -> str:
    """Where a message went, for the log, without the whole address."""
    return "…@" + address.rpartition("@")[2]


def build_email(message: m.MailMessage, rendered: Rendered, settings: MailSettings) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = settings.sender
    email["To"] = formataddr((message.to_name, message.to_address))
    email["Message-ID"] = make_msgid(domain="rfp.local")
    email["X-RFP-Message"] = str(message.id)
    email.set_content(rendered.text)
    email.add_alternative(rendered.html, subtype="html")
    return email


def html_of_text(text: str) -> str:
    """A plain-text body as simple HTML: escaped paragraphs, addresses made links."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        escaped = html.escape(block)
        linked = re.sub(r"(https?://[^\s<]+)", r'<a href="\1">\1</a>', escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    body = "\n".join(paragraphs)
    return (
        '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5; '
        f'max-width: 40em">{body}</body></html>'
    )


# -- transports ---------------------------------------------------------------------------


class Transport(Protocol):
    def send(self, email: EmailMessage) -> None: ...


class FolderTransport:
    """Each message as an .eml file (the workstation default: no mail server needed)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, email: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
        path = self.folder / f"{stamp}-{email['X-RFP-Message']}.eml"
        path.write_bytes(bytes(email))
        log.info("mail %s written to %s", email["X-RFP-Message"], path)


class SmtpTransport:
    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, email: EmailMessage) -> None:
        s = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if s.smtp_tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=s.smtp_timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        with smtp:
            if s.smtp_tls == "starttls":
                smtp.starttls(context=context)
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(email)


def transport_for(settings: MailSettings) -> Transport:
    if settings.transport == "smtp":
        return SmtpTransport(settings)
    return FolderTransport(settings.folder)
