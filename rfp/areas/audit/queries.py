"""What the audit trail page reads: the kinds of action recorded, and one page of events
(with who acted), newest first; a fixed number of queries however long the trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    events: list[m.AuditEvent]
    total: int  # events of the chosen type
    page: int  # counted from 1
    pages: int

    @property
    def first(self) -> int:
        """The position of the page's first event among all of them (from 1)."""
        return (self.page - 1) * PAGE_SIZE + 1


def recorded_actions(session: Session, evaluation: m.Evaluation) -> list[str]:
    """Every action the evaluation's trail holds (each once)."""
    return list(
        session.scalars(
            select(m.AuditEvent.action)
            .where(m.AuditEvent.evaluation_id == evaluation.id)
            .distinct()
        )
    )


def audit_page(session: Session, evaluation: m.Evaluation, group: str, page: int) -> AuditPage:
    """One page of the trail, of one group of actions ("stage" is `stage` and
    `stage.*`; "" is every action); a page past the end is the last one."""
    query = select(m.AuditEvent).where(m.AuditEvent.evaluation_id == evaluation.id)
    if group:
        query = query.where(
            or_(m.AuditEvent.action == group, m.AuditEvent.action.like(f"{group}.%"))
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    events = session.scalars(
        query.options(selectinload(m.AuditEvent.user))
        .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return AuditPage(list(events), total, page, pages)
