"""The e-mail of an evaluation, as the lead handles it: sending a message again once it
was not delivered, notices to a vendor's contact with files attached (the public
operation the outcome letters use), and the scheduled mail `rfp send-due` queues.
Flush and audit, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.scorecards.operations import queue_due_reminders
from rfp.core import mail
from rfp.core.audit import record
from rfp.core.mail import AttachmentRef, queue_mail
from rfp.core.refusal import CONFLICT, NOT_FOUND, Refused
from rfp.domain.vocabulary import MailKind, MailStatus

MAX_NOTICE_LENGTH = 50_000


def kind_label(kind: str) -> str:
    """A message's kind in words (kinds other parts add read as their name)."""
    try:
        return MailKind(kind).label
    except ValueError:
        return kind.replace("_", " ").capitalize()


def send_again(
    session: Session, evaluation: m.Evaluation, message: m.MailMessage, by: m.User
) -> None:
    """The lead sends a message that was not delivered again: rendered anew (a link it
    carries is made anew, and the earlier one stops working)."""
    if message.evaluation_id != evaluation.id:
        raise Refused("message", "No such message.", NOT_FOUND)
    if message.status is not MailStatus.FAILED:
        raise Refused(
            "message",
            "Only a message that was not delivered can be sent again.",
            CONFLICT,
        )
    mail.send_again(session, message)
    session.flush()
    record(
        session,
        evaluation,
        by,
        "mail.sent_again",
        f"{kind_label(message.kind)} to {message.to_name or message.to_address}",
        old={"last_error": message.last_error or None},
    )


def queue_vendor_notice(
    session: Session,
    vendor: m.Vendor,
    *,
    subject: str,
    text: str,
    attachments: Sequence[AttachmentRef] = (),
    kind: str = MailKind.VENDOR_NOTICE,
    by: m.User | None = None,
) -> m.MailMessage:
    """A notice to the vendor's contact (an award or regret letter, ...): `text` as the
    body (plain paragraphs, no markup), `attachments` by reference, loaded when it is sent
    (`rfp.core.mail.store_attachment(pdf_bytes, "award-letter.pdf", "application/pdf")`
    makes one). The evaluation's name goes in the subject; the lead who sends it gets
    the replies. Refused when the vendor has no contact e-mail."""
    address = (vendor.contact_email or "").strip()
    if not address:
        raise Refused("contact_email", f"{vendor.name} has no contact e-mail address", CONFLICT)
    text = text.replace("\x00", "").strip()
    if not text:
        raise Refused("text", "The notice has no text.")
    if len(text) > MAX_NOTICE_LENGTH:
        raise Refused("text", f"The notice is longer than {MAX_NOTICE_LENGTH:,} characters.")
    evaluation = vendor.evaluation
    message = queue_mail(
        session,
        kind=kind,
        to_address=address,
        to_name=vendor.contact_name or vendor.name,
        subject=subject,
        renderer="rfp.areas.mail.messages:vendor_notice",
        context={"vendor_id": vendor.id, "text": text, "by_user_id": by.id if by else None},
        evaluation=evaluation,
        attachments=attachments,
    )
    record(
        session,
        evaluation,
        by,
        "mail.vendor_notice",
        vendor.name,
        new={
            "kind": kind_label(kind),
            "to": address,
            "attachments": [a.filename for a in attachments] or None,
        },
        actor="" if by else "rfp",
    )
    return message


def send_due(session: Session, today: date | None = None) -> int:
    """Queue the scheduled mail due today (the scoring reminders); how many messages."""
    return queue_due_reminders(session, today)
