"""The mail area's own message: a notice to a vendor's contact (rfp.areas.mail.
operations.queue_vendor_notice), its text as written, its files attached when it is
sent (rfp.core.mail)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.mail import NotToBeSent, Rendered, compose


def vendor_notice(session: Session, message: m.MailMessage) -> Rendered:
    vendor = session.get(m.Vendor, message.context["vendor_id"])
    if vendor is None or vendor.evaluation_id != message.evaluation_id:
        raise NotToBeSent("the vendor was removed from the evaluation")
    by_id = message.context.get("by_user_id")
    by = session.get(m.User, by_id) if by_id else None
    paragraphs = [p for p in re.split(r"\n\s*\n", message.context["text"]) if p.strip()]
    return compose(
        [f"Hello {vendor.contact_name or vendor.name},", *paragraphs],
        reply_to=by.email if by is not None and by.email else "",
    )
