"""What the document pages read: an evaluation's slots, the RFP's own documents, each
vendor's current uploads, and what a vendor still has to upload before it may submit.
Queries only; a page loads in a fixed number of them however many vendors and slots."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m


def slots_of(session: Session, evaluation_id: int) -> Sequence[m.DocumentSlot]:
    return session.scalars(
        select(m.DocumentSlot)
        .where(m.DocumentSlot.evaluation_id == evaluation_id)
        .options(selectinload(m.DocumentSlot.question))
        .order_by(m.DocumentSlot.position, m.DocumentSlot.id)
    ).all()


def slot_of(session: Session, evaluation_id: int, slot_id: int) -> m.DocumentSlot | None:
    """A slot of this evaluation (None for another evaluation's)."""
    slot = session.get(m.DocumentSlot, slot_id)
    return slot if slot is not None and slot.evaluation_id == evaluation_id else None


def document_of(session: Session, evaluation_id: int, document_id: int) -> m.Document | None:
    """A current document of this evaluation (None for another's, or a superseded one)."""
    document = session.get(m.Document, document_id)
    if document is None or document.evaluation_id != evaluation_id or not document.current:
        return None
    return document


def rfp_documents(session: Session, evaluation_id: int) -> Sequence[m.Document]:
    """The buyer's documents, every vendor's to read: set-up files, then addenda's."""
    return session.scalars(
        select(m.Document)
        .where(
            m.Document.evaluation_id == evaluation_id,
            m.Document.vendor_id.is_(None),
            m.Document.superseded_at.is_(None),
        )
        .order_by(m.Document.addendum_id.is_not(None), m.Document.uploaded_at, m.Document.id)
    ).all()


def vendor_documents(session: Session, vendor_id: int) -> dict[int, m.Document]:
    """A vendor's current upload in each slot, by slot id."""
    return {
        d.slot_id: d
        for d in session.scalars(
            select(m.Document).where(
                m.Document.vendor_id == vendor_id,
                m.Document.superseded_at.is_(None),
                m.Document.slot_id.is_not(None),
            )
        )
        if d.slot_id is not None
    }


def uploads_by_vendor(session: Session, evaluation_id: int) -> dict[int, dict[int, m.Document]]:
    """Every vendor's current uploads: vendor id -> slot id -> document (one query)."""
    out: dict[int, dict[int, m.Document]] = {}
    for d in session.scalars(
        select(m.Document).where(
            m.Document.evaluation_id == evaluation_id,
            m.Document.vendor_id.is_not(None),
            m.Document.slot_id.is_not(None),
            m.Document.superseded_at.is_(None),
        )
    ):
        if d.vendor_id is not None and d.slot_id is not None:
            out.setdefault(d.vendor_id, {})[d.slot_id] = d
    return out


def missing_required_slots(session: Session, vendor: m.Vendor) -> list[m.DocumentSlot]:
    """The required slots the vendor has not filled: its submission waits for them."""
    uploaded = vendor_documents(session, vendor.id)
    return [
        s for s in slots_of(session, vendor.evaluation_id) if s.required and s.id not in uploaded
    ]


def uploads_in_slot(session: Session, slot: m.DocumentSlot) -> int:
    """How many uploads (current or superseded) a slot holds."""
    return len(session.scalars(select(m.Document.id).where(m.Document.slot_id == slot.id)).all())
