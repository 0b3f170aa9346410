"""The scorecards' messages (rfp.core.mail): reminders to evaluators before the scoring
due date, and a note to the leads when every scorecard is in.

Reminders follow Bonfire's rhythm: 5 and 2 days before the due date and on the day
(`REMINDER_DAYS`), only to active evaluators who have not submitted, each reminder once
(rfp.models.ScoringReminder). `rfp send-due`, run daily by cron or a systemd timer,
queues the reminders due (`queue_due_reminders`); a run that missed a day sends the
latest reminder reached, never the ones it skipped. A reminder checks again when it is
sent: an evaluator who submitted meanwhile gets nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.scorecards.queries import progress_by_evaluation
from rfp.core.db import utcnow
from rfp.core.mail import NotToBeSent, Rendered, base_url, compose, queue_mail
from rfp.domain.formatting import counted, long_day
from rfp.domain.vocabulary import MailKind, Role, Stage

MESSAGES = "rfp.areas.scorecards.messages"
REMINDER_DAYS = (5, 2, 0)  # days before the due date


# -- every scorecard in ------------------------------------------------------------------


def note_when_all_in(session: Session, evaluation: m.Evaluation) -> int:
    """Tell the leads when the last active evaluator has submitted; how many notes."""
    evaluators = [ms for ms in evaluation.memberships if ms.role == Role.EVALUATOR and ms.active]
    if not evaluators or any(ms.submitted_at is None for ms in evaluators):
        return 0
    leads = [
        ms.user
        for ms in evaluation.memberships
        if ms.role == Role.LEAD and ms.user.active and ms.user.email
    ]
    for lead in leads:
        queue_mail(
            session,
            kind=MailKind.SCORECARDS_IN,
            to_address=lead.email or "",
            to_name=lead.name,
            subject="Every scorecard is in",
            renderer=f"{MESSAGES}:scorecards_in",
            context={"evaluators": len(evaluators)},
            evaluation=evaluation,
        )
    return len(leads)


def scorecards_in(session: Session, message: m.MailMessage) -> Rendered:
    evaluation = session.get(m.Evaluation, message.evaluation_id)
    if evaluation is None:
        raise NotToBeSent("the evaluation was deleted")
    count = message.context["evaluators"]
    return compose(
        [
            f"All {counted(count, 'evaluator')} of “{evaluation.title}” have submitted "
            "their scorecards.",
            "Next: review where the panel disagrees (the dispersion flags), then move the "
            "evaluation to consensus and record the consensus scores with their rationale.",
        ],
        action=("Open the evaluation", f"{base_url()}/evaluations/{evaluation.id}"),
    )


# -- reminders before the due date -------------------------------------------------------


def reminder_due(due: date, today: date) -> int | None:
    """Which reminder goes out today (its days before the due date): the latest one
    reached; None before the first and after the due date."""
    if today > due:
        return None
    reached = [days for days in REMINDER_DAYS if due - timedelta(days=days) <= today]
    return min(reached) if reached else None


def queue_due_reminders(session: Session, today: date | None = None) -> int:
    """Queue the reminders due today (UTC) that have not gone out; how many."""
    today = today or utcnow().date()
    queued = 0
    evaluations = session.scalars(
        select(m.Evaluation).where(
            m.Evaluation.stage == Stage.SCORING,
            m.Evaluation.scoring_due.is_not(None),
            m.Evaluation.scoring_due >= today,
        )
    )
    for evaluation in evaluations:
        assert evaluation.scoring_due is not None
        days = reminder_due(evaluation.scoring_due, today)
        if days is None:
            continue
        sent = set(
            session.scalars(
                select(m.ScoringReminder.membership_id)
                .join(m.Membership)
                .where(
                    m.Membership.evaluation_id == evaluation.id,
                    m.ScoringReminder.due_on == evaluation.scoring_due,
                    m.ScoringReminder.days_before == days,
                )
            )
        )
        for membership in evaluation.memberships:
            user = membership.user
            if (
                membership.role != Role.EVALUATOR
                or not membership.active
                or membership.submitted_at is not None
                or membership.id in sent
                or not (user.active and user.email)
            ):
                continue
            message = queue_mail(
                session,
                kind=MailKind.SCORING_REMINDER,
                to_address=user.email or "",
                to_name=user.name,
                subject="Your scores are due "
                + ("today" if days == 0 else f"in {counted(days, 'day')}"),
                renderer=f"{MESSAGES}:scoring_reminder",
                context={
                    "membership_id": membership.id,
                    "due_on": evaluation.scoring_due.isoformat(),
                    "days_before": days,
                },
                evaluation=evaluation,
            )
            session.add(
                m.ScoringReminder(
                    membership_id=membership.id,
                    due_on=evaluation.scoring_due,
                    days_before=days,
                    message_id=message.id,
                )
            )
            queued += 1
    session.flush()
    return queued


def scoring_reminder(session: Session, message: m.MailMessage) -> Rendered:
    membership = session.get(m.Membership, message.context["membership_id"])
    if membership is None or not membership.active:
        raise NotToBeSent("the evaluator is no longer on the panel")
    if membership.submitted_at is not None:
        raise NotToBeSent(f"{membership.user.name} has submitted since")
    evaluation = membership.evaluation
    due = date.fromisoformat(message.context["due_on"])
    if evaluation.stage != Stage.SCORING:
        raise NotToBeSent("scoring is over")
    if evaluation.scoring_due != due:
        raise NotToBeSent("the due date has changed since")
    left = (due - utcnow().date()).days
    when_due = (
        f"today, {long_day(due)}" if left <= 0 else f"in {counted(left, 'day')}, on {long_day(due)}"
    )
    progress = next(
        (
            p
            for p in progress_by_evaluation(session, [evaluation.id])[evaluation.id]
            if p.membership_id == membership.id
        ),
        None,
    )
    intro = [
        f"Hello {membership.user.name},",
        f"Your scores for “{evaluation.title}” are due {when_due}.",
    ]
    if membership.coi_declared_at is None:
        intro.append("Start by declaring your conflicts of interest: scoring opens once you have.")
    if progress is not None:
        intro.append(
            f"You have entered {progress.entered} of {progress.expected} scores. When "
            "every score is in, submit your scorecard so the lead knows you are done."
        )
    return compose(
        intro,
        action=("Open your scorecards", f"{base_url()}/evaluations/{evaluation.id}/scorecards"),
        closing=[
            "Reminders go out 5 and 2 days before the due date and on the day, until you submit."
        ],
    )
