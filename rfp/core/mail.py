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
RFP_MAIL_ATTACHMENTS  where files attached by `store_attachment` are kept (default
                    <instance>/mail-attachments), named by their SHA-256

Attachments are stored by reference (`AttachmentRef`: a loader "module:function" and its
arguments, kept with the message) and loaded when the message is sent, so a large file
is never copied into the database and a letter built at send time is the latest one.

A renderer that finds the message should no longer go out (the account was deactivated,
the evaluator submitted meanwhile) raises `NotToBeSent`: the message is marked not
delivered with the reason, and not retried.

Nothing secret is logged: the log names the message, its kind and where it went.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import logging
import os
import re
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core import jobs
from rfp.core.config import instance_path
from rfp.core.db import utcnow
from rfp.domain.vocabulary import MailStatus

log = logging.getLogger(__name__)

MAIL_JOB = "mail"
MAX_ATTEMPTS = 5
# The most a message may carry in attachments (what most mail servers accept).
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
STORED_ATTACHMENT = "rfp.core.mail:stored_attachment"


class NotToBeSent(Exception):  # noqa: N818  (a decision, not an error)
    """Raised by a renderer: this message must not go out any more (the reason is shown
    to the lead as its last error). It is marked not delivered and not retried."""


@dataclass(frozen=True)
class Attachment:
    """A file as it goes out with a message."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class AttachmentRef:
    """A file to attach, by reference: `loader` ("module:function", called with the
    session and `args`) returns its bytes when the message is sent. `store_attachment`
    makes one for bytes at hand."""

    filename: str
    content_type: str
    loader: str = STORED_ATTACHMENT
    args: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "loader": self.loader,
            "args": dict(self.args),
        }

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> AttachmentRef:
        return cls(
            filename=value["filename"],
            content_type=value["content_type"],
            loader=value["loader"],
            args=dict(value.get("args") or {}),
        )


@dataclass(frozen=True)
class Rendered:
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()
    reply_to: str = ""  # where answers go (the lead who sent it), when not the sender


Renderer = Callable[[Session, m.MailMessage], Rendered]
AttachmentLoader = Callable[[Session, dict[str, Any]], bytes]


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


def attachment_folder() -> Path:
    return Path(os.environ.get("RFP_MAIL_ATTACHMENTS") or instance_path() / "mail-attachments")


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
    attachments: Sequence[AttachmentRef] = (),
) -> m.MailMessage:
    """A message to send once the session commits. `renderer` ("module:function") makes
    its text and HTML when it is sent; `context` must hold no secret (it is stored).
    `attachments` are loaded when it is sent. The evaluation's name is put in the
    subject."""
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
        attachments=[ref.as_dict() for ref in attachments],
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


def latest_by(
    session: Session, evaluation_id: int, kind: str, key: str
) -> dict[int, m.MailMessage]:
    """The latest message of `kind` in the evaluation per `context[key]` (a user's or a
    vendor's id): what a page says of "the invitation" of each person or vendor."""
    latest: dict[int, m.MailMessage] = {}
    for message in session.scalars(
        select(m.MailMessage)
        .where(m.MailMessage.evaluation_id == evaluation_id, m.MailMessage.kind == kind)
        .order_by(m.MailMessage.id)
    ):
        value = message.context.get(key)
        if isinstance(value, int):
            latest[value] = message
    return latest


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
    try:
        rendered = render(session, message)
    except NotToBeSent as reason:
        session.rollback()  # nothing the renderer began is kept
        message.status = MailStatus.FAILED
        message.last_error = f"Not sent: {reason}"[:1000]
        log.info("mail %s (%s) not sent: %s", message.id, message.kind, reason)
        return {"not_sent": str(reason)}
    email = build_email(message, rendered, settings)
    message.attempts += 1
    session.commit()  # what the renderer made (a link's hash) exists before the mail does
    try:
        transport_for(settings).send(email)
    except Exception as exc:
        message.last_error = error_words(exc)[:1000]
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


def error_words(exc: Exception) -> str:
    """Why a send failed, as the lead reads it in the outbox."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{code} {_text(reply)}" for code, reply in exc.recipients.values())
        return f"The mail server refused the address: {answers}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"The mail server refused the message: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPException | OSError):
        return f"Could not reach the mail server: {exc or type(exc).__name__}"
    return f"{type(exc).__name__}: {exc}"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def render(session: Session, message: m.MailMessage) -> Rendered:
    """The message as it goes out: its renderer's text and HTML, with the files its
    stored references name and those the renderer made."""
    rendered = _target(message.renderer)(session, message)
    attached = rendered.attachments + load_attachments(session, message)
    if sum(len(a.data) for a in attached) > MAX_ATTACHMENT_BYTES:
        raise NotToBeSent(
            f"its attachments are larger than {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB"
        )
    return Rendered(rendered.text, rendered.html, attached, rendered.reply_to)


def _target(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


# -- attachments -------------------------------------------------------------------------


def safe_filename(name: str) -> str:
    """A file name fit for a mail header: no folders, no control characters or quotes."""
    base = re.split(r"[/\\]", name)[-1]
    base = re.sub(r'[\x00-\x1f\x7f"]', "", base).strip(" .")
    return base[:120] or "attachment"


def store_attachment(data: bytes, filename: str, content_type: str) -> AttachmentRef:
    """Keep `data` under the attachment folder, named by its SHA-256 (stored once however
    many messages carry it), and return the reference to queue with a message."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValueError(f"an attachment may be at most {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
    _check_content_type(content_type)
    digest = hashlib.sha256(data).hexdigest()
    folder = attachment_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest
    if not path.exists():
        partial = folder / f".{digest}.partial"
        partial.write_bytes(data)
        partial.replace(path)
    return AttachmentRef(
        filename=safe_filename(filename),
        content_type=content_type,
        args={"sha256": digest, "size": len(data)},
    )


def stored_attachment(session: Session, args: dict[str, Any]) -> bytes:
    """The loader of `store_attachment`'s files: the bytes, checked against their hash."""
    digest = str(args["sha256"])
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError("an attachment reference names no stored file")
    data = (attachment_folder() / digest).read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise ValueError("a stored attachment changed since it was queued")
    return data


def load_attachments(session: Session, message: m.MailMessage) -> tuple[Attachment, ...]:
    """The files the message's references name, loaded now."""
    out = []
    for value in message.attachments or []:
        ref = AttachmentRef.from_dict(value)
        loader: AttachmentLoader = _target(ref.loader)
        data = loader(session, ref.args)
        out.append(Attachment(safe_filename(ref.filename), ref.content_type, data))
    return tuple(out)


def _check_content_type(content_type: str) -> tuple[str, str]:
    maintype, _, subtype = content_type.partition("/")
    if not (re.fullmatch(r"[a-z]+", maintype) and re.fullmatch(r"[a-z0-9.+-]+", subtype)):
        raise ValueError(f"not a content type: {content_type!r}")
    return maintype, subtype


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
    if rendered.reply_to:
        email["Reply-To"] = rendered.reply_to
    email.set_content(rendered.text)
    email.add_alternative(rendered.html, subtype="html")
    for attachment in rendered.attachments:
        maintype, subtype = _check_content_type(attachment.content_type)
        email.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return email


def html_of_text(text: str) -> str:
    """A plain-text body as simple HTML: escaped paragraphs, addresses made links."""
    return _html_page("\n".join(_html_paragraphs(text)))


def _html_paragraphs(text: str) -> list[str]:
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if not block.strip():
            continue
        escaped = html.escape(block)
        linked = re.sub(r"(https?://[^\s<]+)", r'<a href="\1">\1</a>', escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return paragraphs


def _html_page(body: str) -> str:
    return (
        '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5; '
        f'max-width: 40em">{body}</body></html>'
    )


def compose(
    intro: Sequence[str],
    *,
    action: tuple[str, str] | None = None,
    closing: Sequence[str] = (),
    reply_to: str = "",
) -> Rendered:
    """A message's text and HTML from plain paragraphs: `intro`, then the one thing to
    do (`action`: a label and its address, a button in HTML with the address below it
    for clients that hide buttons), then `closing`. Everything is escaped."""
    text_parts = [p.strip() for p in intro if p.strip()]
    html_parts = [h for p in intro for h in _html_paragraphs(p)]
    if action is not None:
        label, url = action
        text_parts.append(f"{label}:\n{url}")
        href = html.escape(url, quote=True)
        html_parts.append(
            f'<p><a href="{href}" style="display: inline-block; padding: 0.6em 1.2em; '
            "background: #1f4e79; color: #ffffff; text-decoration: none; border-radius: 4px"
            f'">{html.escape(label)}</a></p>'
            '<p style="font-size: small; color: #555555">Or open this address: '
            f'<a href="{href}">{html.escape(url)}</a></p>'
        )
    text_parts += [p.strip() for p in closing if p.strip()]
    html_parts += [h for p in closing for h in _html_paragraphs(p)]
    return Rendered(
        text="\n\n".join(text_parts) + "\n",
        html=_html_page("\n".join(html_parts)),
        reply_to=reply_to,
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
