"""Portal links: made (shown once to the lead, or sent by e-mail in an invitation),
revoked, noted when used. Only a link's SHA-256 is stored (rfp.areas.intake.tokens).
Flush and audit, never commit.

An invitation by e-mail carries a link made when the message is sent
(rfp.areas.intake.messages.vendor_invitation), so the link is never stored or shown
readable anywhere, and like any new link it replaces the vendor's earlier one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.intake import tokens
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.mail import queue_mail
from rfp.core.refusal import CONFLICT, Refused
from rfp.domain.vocabulary import MailKind

MESSAGES = "rfp.areas.intake.messages"


def check_link_possible(evaluation: m.Evaluation, now: datetime, field: str = "link") -> None:
    """Refused unless a link can be made now: responses are collected and the response
    deadline is set and ahead."""
    if not evaluation.current_stage.collecting:
        raise Refused(
            field,
            "links are made while responses are collected (draft or open); this evaluation "
            "is past that",
            CONFLICT,
        )
    if evaluation.deadline is None:
        raise Refused(
            field,
            "set the response deadline first: a link is valid until the deadline",
            CONFLICT,
        )
    if evaluation.deadline <= now:
        raise Refused(field, "the response deadline has passed: extend it first", CONFLICT)


def create_link(
    session: Session,
    evaluation: m.Evaluation,
    vendor: m.Vendor,
    user: m.User | None,
    *,
    sent_by_mail: bool = False,
) -> tuple[m.VendorLink, str]:
    """A new secret link for the vendor; returns the plain token, which is never stored.
    The vendor's earlier links are revoked: one working link per vendor."""
    now = utcnow()
    check_link_possible(evaluation, now)
    assert evaluation.deadline is not None
    replaced = []
    for old in session.scalars(
        select(m.VendorLink).where(
            m.VendorLink.vendor_id == vendor.id, m.VendorLink.revoked_at.is_(None)
        )
    ):
        old.revoked_at = now
        replaced.append(old.id)
    token = tokens.new_token()
    link = m.VendorLink(
        vendor_id=vendor.id,
        token_hash=tokens.hash_token(token),
        created_at=now,
        created_by_id=user.id if user is not None else None,
        expires_at=evaluation.deadline,
    )
    session.add(link)
    session.flush()
    record(
        session,
        evaluation,
        user,
        "vendor_link.created",
        vendor.name,
        new={
            "link": link.id,
            "expires_at": evaluation.deadline.isoformat(),
            "replaces": replaced or None,
            **({"sent_by_mail": True} if sent_by_mail else {}),
        },
    )
    return link, token


def send_invitation(
    session: Session, evaluation: m.Evaluation, vendor: m.Vendor, user: m.User
) -> m.MailMessage:
    """E-mail the vendor's contact an invitation with its portal link. The link is made
    when the message is sent (rfp.areas.intake.messages), so it is never stored or shown
    readable; it replaces the vendor's earlier link."""
    check_link_possible(evaluation, utcnow(), field="invitation")
    address = (vendor.contact_email or "").strip()
    if not address:
        raise Refused(
            "invitation",
            f"{vendor.name} has no contact e-mail: add it on the vendor's page first",
            CONFLICT,
        )
    message = queue_mail(
        session,
        kind=MailKind.VENDOR_INVITATION,
        to_address=address,
        to_name=vendor.contact_name or vendor.name,
        subject="Invitation to respond",
        renderer=f"{MESSAGES}:vendor_invitation",
        context={"vendor_id": vendor.id, "by_user_id": user.id},
        evaluation=evaluation,
    )
    record(session, evaluation, user, "mail.vendor_invitation", vendor.name, new={"to": address})
    return message


def revoke_link(session: Session, link: m.VendorLink, user: m.User) -> bool:
    """Revoke a link; False if it already was."""
    if link.revoked_at is not None:
        return False
    link.revoked_at = utcnow()
    session.flush()
    record(
        session,
        link.vendor.evaluation,
        user,
        "vendor_link.revoked",
        f"{link.vendor.name}, link {link.id}",
        old={"revoked": False},
        new={"revoked": True},
    )
    return True


def use_link(link: m.VendorLink) -> None:
    """Note that the link was used (shown to the lead as "last used")."""
    link.last_used_at = utcnow()


def follow_deadline(session: Session, evaluation: m.Evaluation) -> list[int]:
    """Every link not revoked expires at the (new) deadline: an extension brings back a
    link that the old deadline had expired. Returns the ids of the links changed."""
    changed = []
    for link in session.scalars(
        select(m.VendorLink)
        .join(m.Vendor)
        .where(m.Vendor.evaluation_id == evaluation.id, m.VendorLink.revoked_at.is_(None))
    ):
        if link.expires_at != evaluation.deadline:
            link.expires_at = evaluation.deadline
            changed.append(link.id)
    session.flush()
    return changed
