"""What the addenda pages read: an evaluation's addenda in order, who acknowledged which,
and which addenda a vendor has still to acknowledge (its submission waits for them)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m


def addenda_of(session: Session, evaluation_id: int) -> Sequence[m.Addendum]:
    return session.scalars(
        select(m.Addendum)
        .where(m.Addendum.evaluation_id == evaluation_id)
        .options(selectinload(m.Addendum.acknowledgements), selectinload(m.Addendum.question))
        .order_by(m.Addendum.number)
    ).all()


def addendum_of(session: Session, evaluation_id: int, addendum_id: int) -> m.Addendum | None:
    """An addendum of this evaluation (None for another evaluation's)."""
    addendum = session.get(m.Addendum, addendum_id)
    return addendum if addendum is not None and addendum.evaluation_id == evaluation_id else None


def next_number(session: Session, evaluation_id: int) -> int:
    highest = session.scalar(
        select(func.max(m.Addendum.number)).where(m.Addendum.evaluation_id == evaluation_id)
    )
    return (highest or 0) + 1


def acknowledged_by(session: Session, vendor_id: int) -> dict[int, m.AddendumAcknowledgement]:
    """The vendor's acknowledgements, by addendum id."""
    return {
        ack.addendum_id: ack
        for ack in session.scalars(
            select(m.AddendumAcknowledgement).where(
                m.AddendumAcknowledgement.vendor_id == vendor_id
            )
        )
    }


def unacknowledged(session: Session, vendor: m.Vendor) -> list[m.Addendum]:
    """The addenda the vendor has not acknowledged yet, in order."""
    done = acknowledged_by(session, vendor.id)
    return [a for a in addenda_of(session, vendor.evaluation_id) if a.id not in done]


def attachments_of(session: Session, evaluation_id: int) -> dict[int, list[m.Document]]:
    """The files published with each addendum, by addendum id."""
    out: dict[int, list[m.Document]] = {}
    for document in session.scalars(
        select(m.Document)
        .where(
            m.Document.evaluation_id == evaluation_id,
            m.Document.addendum_id.is_not(None),
            m.Document.superseded_at.is_(None),
        )
        .order_by(m.Document.id)
    ):
        if document.addendum_id is not None:
            out.setdefault(document.addendum_id, []).append(document)
    return out
