"""The intake's messages to vendors, rendered when they are sent (rfp.core.mail): the
invitation to respond, carrying the vendor's portal link (made here, at send time, so it
exists only in the message), and the receipt of a submitted response with its digest
(rfp.areas.intake.receipt)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.intake.content import public_scope
from rfp.areas.intake.links import MESSAGES, create_link
from rfp.core.mail import NotToBeSent, Rendered, base_url, compose, queue_mail
from rfp.core.refusal import Refused
from rfp.domain.formatting import money, when
from rfp.domain.vocabulary import MailKind, PricingModel

PORTAL_PATH = "/portal/{token}"


def _vendor(session: Session, message: m.MailMessage) -> tuple[m.Vendor, m.Evaluation]:
    vendor = session.get(m.Vendor, message.context["vendor_id"])
    if vendor is None or vendor.evaluation_id != message.evaluation_id:
        raise NotToBeSent("the vendor was removed from the evaluation")
    return vendor, vendor.evaluation


def _lead(session: Session, message: m.MailMessage) -> m.User | None:
    by_id = message.context.get("by_user_id")
    return session.get(m.User, by_id) if by_id else None


def vendor_invitation(session: Session, message: m.MailMessage) -> Rendered:
    vendor, evaluation = _vendor(session, message)
    lead = _lead(session, message)
    try:
        link, token = create_link(session, evaluation, vendor, lead, sent_by_mail=True)
    except Refused as refused:
        raise NotToBeSent(refused.message) from refused
    scope = public_scope(evaluation.scope or {})
    intro = [
        f"Hello {vendor.contact_name or vendor.name},",
        f"{lead.name if lead else 'The procurement team'} invites {vendor.name} to respond "
        f"to the request for proposal “{evaluation.title}”.",
    ]
    if evaluation.description.strip():
        intro.append(evaluation.description.strip())
    if scope:
        intro.append("The scope in brief:\n" + "\n".join(f"- {k}: {v}" for k, v in scope))
    intro.append(
        f"Responses are due by {when(link.expires_at)}. Answer online through the private "
        "link below, or download the Excel questionnaire from the same page, fill it in and "
        "upload it there. You can save a draft and come back; once submitted, your response "
        "stays sealed until the evaluation moves to scoring."
    )
    return compose(
        intro,
        action=("Open your response", base_url() + PORTAL_PATH.format(token=token)),
        closing=[
            f"The link is for {vendor.name} only and works until the deadline: please do "
            "not forward it. A new invitation replaces it.",
            "Questions about the request? Reply to this message.",
        ],
        reply_to=lead.email if lead is not None and lead.email else "",
    )


def queue_receipt(
    session: Session,
    vendor: m.Vendor,
    digest: dict[str, object],
    submitted_at: datetime,
    *,
    received_by: m.User | None,
) -> None:
    """The vendor's receipt, with the digest of what was submitted (none without a
    contact e-mail)."""
    address = (vendor.contact_email or "").strip()
    if not address:
        return
    queue_mail(
        session,
        kind=MailKind.SUBMISSION_RECEIPT,
        to_address=address,
        to_name=vendor.contact_name or vendor.name,
        subject="Your response was received",
        renderer=f"{MESSAGES}:submission_receipt",
        context={
            "vendor_id": vendor.id,
            "submitted_at": submitted_at.isoformat(),
            "digest": digest,
            "received_by_lead": received_by is not None,
        },
        evaluation=vendor.evaluation,
    )


def _pricing_words(pricing: dict[str, Any] | None) -> str:
    if not pricing:
        return "none given"
    parts = [f"{PricingModel(pricing['model']).label}, rate {money(pricing['rate'], 2)}"]
    if pricing.get("setup_fee") is not None:
        parts.append(f"setup fee {money(pricing['setup_fee'], 2)}")
    if pricing.get("monthly_fee") is not None:
        parts.append(f"monthly fee {money(pricing['monthly_fee'], 2)}")
    return ", ".join(parts)


def submission_receipt(session: Session, message: m.MailMessage) -> Rendered:
    vendor, evaluation = _vendor(session, message)
    context = message.context
    digest = context["digest"]
    knockouts = digest["knockouts"]
    submitted_at = datetime.fromisoformat(context["submitted_at"])
    how = (
        " The procurement lead recorded it as received." if context.get("received_by_lead") else ""
    )
    lines = [
        f"- Questions answered: {digest['answered']} of {digest['questions']}",
        f"- Requirements (knockouts): {knockouts['yes']} met, {knockouts['no']} not met, "
        f"{knockouts['unanswered']} unanswered",
        f"- Pricing: {_pricing_words(digest['pricing'])}",
    ]
    if digest["missing"]:
        lines.append(f"- Not complete: {'; '.join(digest['missing'])}")
    lines.append(f"- Fingerprint (SHA-256 of the response): {digest['sha256']}")
    return compose(
        [
            f"Hello {vendor.contact_name or vendor.name},",
            f"We received the response of {vendor.name} to “{evaluation.title}” on "
            f"{when(submitted_at)}.{how}",
            "What was received:\n" + "\n".join(lines),
        ],
        closing=[
            "Keep this message: the fingerprint identifies exactly what was submitted, and "
            "the same fingerprint is recorded on our side.",
            "The response stays sealed until the evaluation moves to scoring. To change it "
            "before the deadline, ask the procurement lead to reopen it.",
        ],
    )
