"""Who takes part in an evaluation: leads, evaluators (optionally limited to some
criteria) and viewers. Flush, audit, never commit; refusals name the form field at
fault (`membership` for the member as a whole).

Nobody types another person's password: a new account gets an invitation by e-mail
with a set-your-password link (so does an existing account that has no password yet),
and an account that can log in gets a note that it was added
(rfp.areas.accounts.operations.invite, note_added).

An evaluator is never deleted: removing one marks the membership inactive with a
reason, so their scores stay on record but out of the aggregate.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.accounts.operations import (
    available_username,
    checked_username,
    create_user,
    invite,
    note_added,
)
from rfp.areas.consensus.operations import flags_kept
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.operations import require_writable, unique_key
from rfp.core.refusal import CONFLICT, Refused
from rfp.domain.vocabulary import CriterionKind, Role

# What adding someone sent them (the people page says it to the lead).
INVITED, NOTIFIED, NOT_EMAILED = "invited", "notified", "not_emailed"


def _criteria_keys(criteria: list[m.Criterion]) -> list[str] | None:
    return [c.key for c in criteria] or None


def _check_limits(evaluation: m.Evaluation, role: str, criteria: list[m.Criterion]) -> None:
    if criteria and role != Role.EVALUATOR:
        raise Refused("criteria", "only evaluators can be limited to some criteria")
    for criterion in criteria:
        if criterion.evaluation_id != evaluation.id or criterion.kind != CriterionKind.SCORED:
            raise Refused("criteria", f"{criterion.name} is not a scored criterion")


def add_member(
    session: Session,
    evaluation: m.Evaluation,
    person: m.User,
    role: str,
    by: m.User,
    *,
    criteria: list[m.Criterion] | None = None,
) -> m.Membership:
    require_writable(evaluation)
    if role not in Role.values():
        raise Refused("role", f"must be one of {', '.join(Role.values())}")
    criteria = list(criteria or [])
    _check_limits(evaluation, role, criteria)
    existing = session.scalar(
        select(m.Membership).where(
            m.Membership.evaluation_id == evaluation.id, m.Membership.user_id == person.id
        )
    )
    if existing is not None:
        hint = (
            " (removed from the panel: reactivate them instead)"
            if existing.role == Role.EVALUATOR and not existing.active
            else ""
        )
        raise Refused("user_id", f"{person.name} is already {existing.role} here{hint}")
    taken = session.scalars(
        select(m.Membership.key).where(m.Membership.evaluation_id == evaluation.id)
    )
    membership = m.Membership(
        evaluation_id=evaluation.id,
        user=person,
        role=role,
        key=unique_key(person.username, taken, "member"),
        criteria=criteria,
    )
    session.add(membership)
    session.flush()
    record(
        session,
        evaluation,
        by,
        "membership.added",
        person.name,
        new={"role": role, "criteria": _criteria_keys(criteria)},
    )
    return membership


def welcome(session: Session, membership: m.Membership, by: m.User) -> str:
    """The message a newly added member gets: an invitation to set a password when the
    account has none, else a note that they were added. Says which (INVITED, NOTIFIED,
    or NOT_EMAILED when the account has no e-mail address)."""
    person, evaluation = membership.user, membership.evaluation
    if not person.email:
        return NOT_EMAILED
    if person.password_hash is None:
        invite(session, person, evaluation, membership.role, by)
        return INVITED
    note_added(session, person, evaluation, membership.role, by)
    return NOTIFIED


def add_existing_member(
    session: Session,
    evaluation: m.Evaluation,
    user_id: int,
    role: str,
    by: m.User,
    *,
    criteria: list[m.Criterion] | None = None,
) -> tuple[m.Membership, str]:
    """Add an existing, active account and tell them (see `welcome`)."""
    person = session.get(m.User, user_id)
    if person is None or not person.active:
        raise Refused("user_id", "Choose an active account.")
    membership = add_member(session, evaluation, person, role, by, criteria=criteria)
    return membership, welcome(session, membership, by)


def add_new_account(
    session: Session,
    evaluation: m.Evaluation,
    by: m.User,
    *,
    name: str,
    email: str,
    role: str,
    username: str = "",
    criteria: list[m.Criterion] | None = None,
) -> m.Membership:
    """Create an account on the spot, without a password, add it, and send it an
    invitation to set its password (a refusal names the account's field). Without a
    username, one is made from the e-mail address."""
    require_writable(evaluation)
    email = email.strip()
    if not email:
        raise Refused("email", "is required: the invitation is sent to it")
    person = create_user(
        session,
        username.strip() or available_username(session, email),
        name,
        None,
        email=email,
        by=by,
    )
    membership = add_member(session, evaluation, person, role, by, criteria=criteria)
    invite(session, person, evaluation, role, by)
    return membership


def send_invitation_again(session: Session, membership: m.Membership, by: m.User) -> None:
    """A new invitation for a member who has not set a password yet (the new link
    revokes the earlier one)."""
    evaluation = membership.evaluation
    require_writable(evaluation)
    if membership.role == Role.EVALUATOR and not membership.active:
        raise Refused("membership", f"{membership.user.name} is off the panel", CONFLICT)
    invite(session, membership.user, evaluation, membership.role, by)


def update_limits(
    session: Session, membership: m.Membership, by: m.User, criteria: list[m.Criterion]
) -> bool:
    evaluation = membership.evaluation
    require_writable(evaluation)
    _check_limits(evaluation, membership.role, criteria)
    old = _criteria_keys(membership.criteria)
    new = _criteria_keys(criteria)
    if old == new:
        return False
    with flags_kept(session, evaluation, "criteria"):
        membership.criteria = list(criteria)
        session.flush()
    record(
        session,
        evaluation,
        by,
        "membership.criteria",
        membership.user.name,
        old={"criteria": old},
        new={"criteria": new},
    )
    return True


def deactivate_evaluator(
    session: Session, membership: m.Membership, by: m.User, reason: str
) -> None:
    """Take an evaluator off the panel; their scores stay, out of the aggregate."""
    evaluation = membership.evaluation
    require_writable(evaluation)
    if membership.role != Role.EVALUATOR:
        raise Refused("membership", "only evaluators are deactivated; remove others")
    if not membership.active:
        raise Refused("membership", f"{membership.user.name} is already off the panel")
    reason = reason.strip()
    if not reason:
        raise Refused("reason", "say why the evaluator leaves the panel (it is audited)")
    with flags_kept(session, evaluation):
        membership.active = False
        membership.removed_reason = reason
        membership.removed_at = utcnow()
        session.flush()
    record(
        session,
        evaluation,
        by,
        "membership.deactivated",
        membership.user.name,
        old={"active": True},
        new={"active": False},
        reason=reason,
    )


def reactivate_evaluator(
    session: Session, membership: m.Membership, by: m.User, reason: str = ""
) -> None:
    evaluation = membership.evaluation
    require_writable(evaluation)
    if membership.role != Role.EVALUATOR or membership.active:
        raise Refused("membership", f"{membership.user.name} is not an inactive evaluator")
    old_reason = membership.removed_reason
    membership.active = True
    membership.removed_reason = ""
    membership.removed_at = None
    session.flush()
    record(
        session,
        evaluation,
        by,
        "membership.reactivated",
        membership.user.name,
        old={"active": False, "removed_reason": old_reason},
        new={"active": True},
        reason=reason.strip(),
    )


def remove_member(session: Session, membership: m.Membership, by: m.User, reason: str = "") -> None:
    """Remove a viewer or a lead (never the last lead; evaluators are deactivated)."""
    evaluation = membership.evaluation
    require_writable(evaluation)
    if membership.role == Role.EVALUATOR:
        raise Refused("membership", "evaluators are taken off the panel, never deleted")
    if membership.role == Role.LEAD:
        leads = [ms for ms in evaluation.memberships if ms.role == Role.LEAD]
        if len(leads) <= 1:
            raise Refused("membership", "an evaluation keeps at least one lead")
    name, role = membership.user.name, membership.role
    evaluation.memberships.remove(membership)
    session.flush()
    record(
        session,
        evaluation,
        by,
        "membership.removed",
        name,
        old={"role": role},
        reason=reason.strip(),
    )


def reopen_scorecard(
    session: Session, membership: m.Membership, by: m.User, reason: str = ""
) -> None:
    """Unlock a submitted scorecard so that the evaluator can change their scores; only
    while scoring is independent: from consensus on the evaluator has read the panel's
    scores, and a change is a consensus score with its rationale."""
    evaluation = membership.evaluation
    require_writable(evaluation)
    if membership.role != Role.EVALUATOR or membership.submitted_at is None:
        raise Refused("membership", f"{membership.user.name} has no submitted scorecard")
    if evaluation.current_stage.scores_frozen:
        raise Refused(
            "membership",
            f"{membership.user.name}'s scores are frozen since consensus opened: record a "
            "consensus score with its rationale instead.",
            CONFLICT,
        )
    submitted = membership.submitted_at.isoformat()
    membership.submitted_at = None
    membership.auto_submitted = False
    session.flush()
    record(
        session,
        evaluation,
        by,
        "scorecard.reopened",
        membership.user.name,
        old={"submitted_at": submitted},
        new={"submitted_at": None},
        reason=reason.strip(),
    )


# -- the people a scenario import named (issue 14) ------------------------------------------


def confirm_pending(
    session: Session, pending: m.PendingInvitation, by: m.User
) -> tuple[m.Membership, str]:
    """The lead confirms an evaluator a scenario file named: an active account with the
    file's e-mail address is added (and told, see `welcome`); otherwise a new account is
    made and invited by e-mail (its username the file's key when the username rule
    allows it, else one made from the address). The pending invitation is spent."""
    evaluation = pending.evaluation
    require_writable(evaluation)
    if not pending.email:
        raise Refused(
            "pending_id",
            f"The file gives no e-mail address for {pending.name}: add them with "
            "“Add someone” instead (and dismiss this one).",
        )
    wanted = set(pending.criteria)
    criteria = [
        c for c in evaluation.criteria if c.key in wanted and c.kind == CriterionKind.SCORED
    ]
    person = session.scalar(select(m.User).where(func.lower(m.User.email) == pending.email.lower()))
    if person is not None:
        if not person.active:
            raise Refused("pending_id", f"The account of {pending.email} is deactivated")
        membership = add_member(session, evaluation, person, Role.EVALUATOR, by, criteria=criteria)
        said = welcome(session, membership, by)
    else:
        membership = add_new_account(
            session,
            evaluation,
            by,
            name=pending.name,
            email=pending.email,
            role=Role.EVALUATOR,
            username=_free_key(session, pending.key),
            criteria=criteria,
        )
        said = INVITED
    record(
        session,
        evaluation,
        by,
        "pending_invitation.confirmed",
        pending.name,
        new={"key": pending.key, "email": pending.email, "account": membership.user.username},
    )
    session.delete(pending)
    session.flush()
    return membership, said


def _free_key(session: Session, key: str) -> str:
    """The file's key as a username when the rule of every account allows it; "" (a
    username made from the e-mail address) when not."""
    try:
        return checked_username(session, key)
    except Refused:
        return ""


def dismiss_pending(session: Session, pending: m.PendingInvitation, by: m.User) -> None:
    """The lead drops someone a scenario file named: nobody is invited or enrolled."""
    require_writable(pending.evaluation)
    record(
        session,
        pending.evaluation,
        by,
        "pending_invitation.dismissed",
        pending.name,
        old={"key": pending.key, "email": pending.email},
    )
    session.delete(pending)
    session.flush()
