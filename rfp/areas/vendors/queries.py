"""What the vendor pages read: the vendors with their responses, how far each response
is answered, and a vendor's reference calls (one query each)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m


def vendors_of(session: Session, evaluation: m.Evaluation) -> list[m.Vendor]:
    """The evaluation's vendors in their order, each with its response."""
    return list(
        session.scalars(
            select(m.Vendor)
            .where(m.Vendor.evaluation_id == evaluation.id)
            .options(selectinload(m.Vendor.response))
            .order_by(m.Vendor.position, m.Vendor.id)
        )
    )


def answer_counts(session: Session, evaluation: m.Evaluation) -> dict[int, int]:
    """Vendor id -> number of questions answered."""
    return dict(
        session.execute(
            select(m.Answer.vendor_id, func.count())
            .join(m.Vendor, m.Vendor.id == m.Answer.vendor_id)
            .where(m.Vendor.evaluation_id == evaluation.id)
            .group_by(m.Answer.vendor_id)
        ).all()
    )


def reference_calls_of(session: Session, vendor: m.Vendor) -> list[m.ReferenceCall]:
    """The vendor's reference calls by date, each with who called."""
    return list(
        session.scalars(
            select(m.ReferenceCall)
            .where(m.ReferenceCall.vendor_id == vendor.id)
            .options(selectinload(m.ReferenceCall.caller).selectinload(m.Membership.user))
            .order_by(m.ReferenceCall.call_date, m.ReferenceCall.id)
        )
    )
