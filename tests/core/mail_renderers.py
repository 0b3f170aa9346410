"""Renderers for the tests of rfp.core.mail."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.mail import Attachment, NotToBeSent, Rendered, base_url, html_of_text

SECRET = "s3cret-token-0123456789"


def greeting(session: Session, message: m.MailMessage) -> Rendered:
    text = f"Hello {message.to_name},\n\n{message.context['line']}\n\n{base_url()}/login"
    return Rendered(text=text, html=html_of_text(text))


def with_secret_link(session: Session, message: m.MailMessage) -> Rendered:
    """Mints a secret at send time (as a set-your-password link does)."""
    session.add(m.AuditEvent(action="mail.test.token", target="minted"))
    text = f"Set your password: {base_url()}/set-password/{SECRET}"
    return Rendered(text=text, html=html_of_text(text))


def refusing(session: Session, message: m.MailMessage) -> Rendered:
    """Decides at send time that the message must not go out."""
    session.add(m.AuditEvent(action="mail.test.begun", target="rolled back"))
    raise NotToBeSent("the evaluator has submitted since")


def with_a_made_attachment(session: Session, message: m.MailMessage) -> Rendered:
    """Builds a file at send time (as a letter rendered then would)."""
    rendered = greeting(session, message)
    made = Attachment("made-now.txt", "text/plain", b"made when sent")
    return Rendered(rendered.text, rendered.html, (made,))


def letter_pdf(session: Session, args: dict[str, object]) -> bytes:
    """A loader: the bytes of "letter" args["n"] (as an outcome-letter loader would)."""
    return b"%PDF-1.4 letter " + str(args["n"]).encode()
