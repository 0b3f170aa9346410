"""The outbox's reads: an evaluation's messages, newest first, with a count per status."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.domain.vocabulary import MailStatus

OUTBOX_LIMIT = 500


def outbox(
    session: Session, evaluation: m.Evaluation, status: MailStatus | None = None
) -> list[m.MailMessage]:
    query = select(m.MailMessage).where(m.MailMessage.evaluation_id == evaluation.id)
    if status is not None:
        query = query.where(m.MailMessage.status == status)
    return list(
        session.scalars(
            query.order_by(m.MailMessage.created_at.desc(), m.MailMessage.id.desc()).limit(
                OUTBOX_LIMIT
            )
        )
    )


def counts_by_status(session: Session, evaluation: m.Evaluation) -> dict[MailStatus, int]:
    rows = session.execute(
        select(m.MailMessage.status, func.count())
        .where(m.MailMessage.evaluation_id == evaluation.id)
        .group_by(m.MailMessage.status)
    ).all()
    counts = dict.fromkeys(MailStatus, 0)
    counts.update({MailStatus(status): n for status, n in rows})
    return counts


def message_of(session: Session, evaluation: m.Evaluation, message_id: int) -> m.MailMessage | None:
    """A message of this evaluation (None for another evaluation's or none at all)."""
    message = session.get(m.MailMessage, message_id)
    return message if message is not None and message.evaluation_id == evaluation.id else None
