"""The people pages' reads: the evaluation's members with what the page shows of them,
each evaluator's progress, and the scores each member has on record."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.areas.scorecards.queries import EvaluatorProgress, progress_by_evaluation
from rfp.core.mail import latest_by
from rfp.domain.vocabulary import MailKind


def members_of(session: Session, evaluation: m.Evaluation) -> list[m.Membership]:
    return list(
        session.scalars(
            select(m.Membership)
            .where(m.Membership.evaluation_id == evaluation.id)
            .options(
                selectinload(m.Membership.user),
                selectinload(m.Membership.criteria),
                selectinload(m.Membership.conflicts).selectinload(m.ConflictDeclaration.vendor),
            )
            .order_by(m.Membership.id)
        )
    )


def progress_of(session: Session, evaluation: m.Evaluation) -> dict[int, EvaluatorProgress]:
    """Each active evaluator's progress, by membership id."""
    return {
        p.membership_id: p for p in progress_by_evaluation(session, [evaluation.id])[evaluation.id]
    }


def scores_kept(session: Session, evaluation: m.Evaluation) -> dict[int, int]:
    """Membership id -> how many scores it has on record (counted or not)."""
    return dict(
        session.execute(
            select(m.Score.membership_id, func.count())
            .where(m.Score.evaluation_id == evaluation.id)
            .group_by(m.Score.membership_id)
        ).all()
    )


def score_count(session: Session, membership: m.Membership) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(m.Score).where(m.Score.membership_id == membership.id)
        )
        or 0
    )


def membership_of(
    session: Session, evaluation: m.Evaluation, membership_id: int
) -> m.Membership | None:
    membership = session.get(m.Membership, membership_id)
    return membership if membership and membership.evaluation_id == evaluation.id else None


def people_to_add(session: Session, evaluation: m.Evaluation) -> list[m.User]:
    """Active accounts that take no part in the evaluation yet, by name."""
    members = {ms.user_id for ms in evaluation.memberships}
    active = session.scalars(
        select(m.User).where(m.User.active.is_(True)).order_by(func.lower(m.User.name))
    )
    return [u for u in active if u.id not in members]


def invitations_of(session: Session, evaluation: m.Evaluation) -> dict[int, m.MailMessage]:
    """User id -> the latest invitation sent to them for this evaluation."""
    return latest_by(session, evaluation.id, MailKind.INVITATION, "user_id")


def pending_invitations_of(session: Session, evaluation: m.Evaluation) -> list[m.PendingInvitation]:
    """The people a scenario import named, waiting for the lead's confirmation, in the
    file's order."""
    return list(
        session.scalars(
            select(m.PendingInvitation)
            .where(m.PendingInvitation.evaluation_id == evaluation.id)
            .order_by(m.PendingInvitation.id)
        )
    )


def pending_invitation_of(
    session: Session, evaluation: m.Evaluation, pending_id: int
) -> m.PendingInvitation | None:
    pending = session.get(m.PendingInvitation, pending_id)
    return pending if pending and pending.evaluation_id == evaluation.id else None
