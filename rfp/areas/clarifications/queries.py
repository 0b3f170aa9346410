"""What the Q&A pages read: an evaluation's clarifications, and what one vendor sees of
them (every published one, anonymised, and its own)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.domain.vocabulary import ClarificationStatus


def clarifications_of(
    session: Session, evaluation_id: int, *, published_only: bool = False
) -> Sequence[m.Clarification]:
    query = (
        select(m.Clarification)
        .where(m.Clarification.evaluation_id == evaluation_id)
        .options(selectinload(m.Clarification.question), selectinload(m.Clarification.vendor))
        .order_by(m.Clarification.number)
    )
    if published_only:
        query = query.where(m.Clarification.status == ClarificationStatus.PUBLISHED)
    return session.scalars(query).all()


def clarification_of(
    session: Session, evaluation_id: int, clarification_id: int
) -> m.Clarification | None:
    """A clarification of this evaluation (None for another evaluation's)."""
    found = session.get(m.Clarification, clarification_id)
    return found if found is not None and found.evaluation_id == evaluation_id else None


def seen_by_vendor(session: Session, vendor: m.Vendor) -> Sequence[m.Clarification]:
    """Every published clarification, and the vendor's own questions whatever their state."""
    return session.scalars(
        select(m.Clarification)
        .where(
            m.Clarification.evaluation_id == vendor.evaluation_id,
            or_(
                m.Clarification.status == ClarificationStatus.PUBLISHED,
                m.Clarification.vendor_id == vendor.id,
            ),
        )
        .options(selectinload(m.Clarification.question))
        .order_by(m.Clarification.number)
    ).all()


def waiting_count(session: Session, evaluation_id: int) -> int:
    """How many questions wait for an answer."""
    return len(
        session.scalars(
            select(m.Clarification.id).where(
                m.Clarification.evaluation_id == evaluation_id,
                m.Clarification.status == ClarificationStatus.OPEN,
            )
        ).all()
    )
