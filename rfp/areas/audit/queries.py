"""What the audit trail page reads: the kinds of action recorded, and one page of events
(with who acted), newest first; a fixed number of queries however long the trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.core.numbering import evaluation_numbering
from rfp.domain.formatting import shorten

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


def _trail(evaluation: m.Evaluation, group: str) -> Select[tuple[m.AuditEvent]]:
    """The evaluation's events of one group of actions ("stage" is `stage` and
    `stage.*`; "" is every action)."""
    query = select(m.AuditEvent).where(m.AuditEvent.evaluation_id == evaluation.id)
    if group:
        query = query.where(
            or_(m.AuditEvent.action == group, m.AuditEvent.action.like(f"{group}.%"))
        )
    return query


def audit_page(session: Session, evaluation: m.Evaluation, group: str, page: int) -> AuditPage:
    """One page of the trail, of one group of actions; a page past the end is the last."""
    query = _trail(evaluation, group)
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


def every_event(session: Session, evaluation: m.Evaluation, group: str) -> list[m.AuditEvent]:
    """The whole trail of one group of actions (the exports), oldest first."""
    return list(
        session.scalars(
            _trail(evaluation, group)
            .options(selectinload(m.AuditEvent.user))
            .order_by(m.AuditEvent.at, m.AuditEvent.id)
        )
    )


def names_in_trail(session: Session, evaluation: m.Evaluation) -> dict[str, str]:
    """What the trail's keys stand for: question keys -> "2.3 Daily overlap ...",
    criterion keys -> their names (one query, and the numbering's)."""
    numbering = evaluation_numbering(session, evaluation.id)
    names: dict[str, str] = {}
    for key, name in session.execute(
        select(m.Criterion.key, m.Criterion.name).where(m.Criterion.evaluation_id == evaluation.id)
    ):
        names[key] = name
    for key, text in session.execute(
        select(m.Question.key, m.Question.text).where(m.Question.evaluation_id == evaluation.id)
    ):
        names[key] = numbering.label(key, shorten(text, 120))
    return names
