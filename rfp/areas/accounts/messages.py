"""The accounts' messages, rendered when they are sent (rfp.core.mail): an invitation
with a set-your-password link, a note that an account was added to an evaluation, and a
password reset. The links are made here, at send time, so that they exist only in the
message (rfp.areas.accounts.password_links)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.accounts import password_links
from rfp.core.mail import NotToBeSent, Rendered, base_url, compose
from rfp.domain.formatting import long_day, when
from rfp.domain.vocabulary import Role, TokenPurpose

# What each role does, in the sentence "... invited you to <title> as <this>".
ROLE_SENTENCES = {
    Role.EVALUATOR: (
        "an evaluator: you declare any conflict of interest with the vendors, then score "
        "their responses on the evaluation's scale, with a justification for each score"
    ),
    Role.VIEWER: "a viewer: you read the results and download the reports for leadership",
    Role.LEAD: "a lead: you run the evaluation with the procurement team",
}


def _account(session: Session, message: m.MailMessage) -> m.User:
    user = session.get(m.User, message.context["user_id"])
    if user is None or not user.active:
        raise NotToBeSent("the account no longer exists or is deactivated")
    return user


def _membership(session: Session, message: m.MailMessage, user: m.User) -> m.Evaluation:
    evaluation = session.get(m.Evaluation, message.evaluation_id)
    membership = session.scalar(
        select(m.Membership).where(
            m.Membership.evaluation_id == message.evaluation_id,
            m.Membership.user_id == user.id,
        )
    )
    if evaluation is None or membership is None or not membership.active:
        raise NotToBeSent(f"{user.name} no longer takes part in the evaluation")
    return evaluation


def _inviter(session: Session, message: m.MailMessage) -> m.User | None:
    by_id = message.context.get("by_user_id")
    return session.get(m.User, by_id) if by_id else None


def _role_sentence(evaluation: m.Evaluation, role: str, by: m.User | None) -> str:
    who = by.name if by is not None else "The procurement lead"
    sentence = f"{who} invited you to “{evaluation.title}” as {ROLE_SENTENCES[Role(role)]}."
    if role == Role.EVALUATOR and evaluation.scoring_due is not None:
        sentence += f" Scoring is due on {long_day(evaluation.scoring_due)}."
    return sentence


def invitation(session: Session, message: m.MailMessage) -> Rendered:
    user = _account(session, message)
    if user.password_hash is not None:
        raise NotToBeSent(f"{user.name} has set a password since")
    evaluation = _membership(session, message, user)
    by = _inviter(session, message)
    token, link = password_links.mint_link(
        session,
        user,
        TokenPurpose.INVITATION,
        message=message,
        evaluation_id=evaluation.id,
    )
    who = by.name if by is not None else "the procurement lead"
    return compose(
        [
            f"Hello {user.name},",
            _role_sentence(evaluation, message.context["role"], by),
            f"Your username is {user.username}. Choose your password to log in:",
        ],
        action=("Set your password", password_links.link_url(base_url(), token)),
        closing=[
            f"The link works once, until {when(link.expires_at)}. If it has expired, ask "
            f"{who} to send the invitation again.",
            "If you did not expect this message, you can ignore it: nothing happens "
            "until the link is used.",
        ],
        reply_to=by.email if by is not None and by.email else "",
    )


def added(session: Session, message: m.MailMessage) -> Rendered:
    user = _account(session, message)
    evaluation = _membership(session, message, user)
    by = _inviter(session, message)
    return compose(
        [
            f"Hello {user.name},",
            _role_sentence(evaluation, message.context["role"], by),
            f"Log in with your username, {user.username}, to open it:",
        ],
        action=("Open the evaluation", f"{base_url()}/evaluations/{evaluation.id}"),
        closing=[
            f"Forgotten your password? Ask for a new one on the login page: {base_url()}/login",
        ],
        reply_to=by.email if by is not None and by.email else "",
    )


def password_reset(session: Session, message: m.MailMessage) -> Rendered:
    user = _account(session, message)
    token, link = password_links.mint_link(
        session, user, TokenPurpose.PASSWORD_RESET, message=message
    )
    return compose(
        [
            f"Hello {user.name},",
            "Someone, probably you, asked for a new password for your rfp account "
            f"({user.username}).",
        ],
        action=("Set a new password", password_links.link_url(base_url(), token)),
        closing=[
            f"The link works once, until {when(link.expires_at)}. Your current password "
            "keeps working until you set a new one.",
            "If you did not ask for this, ignore this message.",
        ],
    )
