"""Accounts: creating users, logging in, changing passwords, and the administrator's
changes to an account; the messages that bring people in (an invitation with a
set-your-password link, a note that they were added, a password reset by e-mail) and
setting a password by such a link. Flush and audit, never commit.

Refusals name the form field at fault; their `str` ("password: must be at least 10
characters") is what `rfp create-user` prints.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.accounts import password_links
from rfp.core import credentials, db_throttle
from rfp.core.audit import changed_fields, record
from rfp.core.db import utcnow
from rfp.core.mail import queue_mail
from rfp.core.refusal import CONFLICT, Refused
from rfp.domain.formatting import when
from rfp.domain.vocabulary import MailKind, Role
from rfp.models.users import spend_a_password_check

log = logging.getLogger(__name__)

# Password resets anyone may ask for: per address and per client, in an hour.
RESETS_PER_ADDRESS = 3
RESETS_PER_CLIENT = 10
RESET_WINDOW = timedelta(hours=1)
MESSAGES = "rfp.areas.accounts.messages"
LOGIN_REFUSED = "Unknown username or wrong password."
SYSTEM = "rfp (log-in protection)"


@dataclass(frozen=True)
class LockoutPolicy:
    """`after` wrong passwords in a row lock an account for `minutes`."""

    after: int = 10
    minutes: int = 15


def _by_username(session: Session, username: str) -> m.User | None:
    return session.scalar(select(m.User).where(func.lower(m.User.username) == username.lower()))


def _by_email(session: Session, email: str) -> m.User | None:
    return session.scalar(select(m.User).where(func.lower(m.User.email) == email.lower()))


def create_user(
    session: Session,
    username: str,
    name: str,
    password: str | None,
    *,
    email: str | None = None,
    is_admin: bool = False,
    active: bool = True,
    by: m.User | None = None,
    actor: str = "",
) -> m.User:
    username = checked_username(session, username)
    if email and _by_email(session, email) is not None:
        raise Refused("email", f"{email!r} is already used by another account")
    user = m.User(
        username=username,
        name=name.strip() or username,
        email=email or None,
        is_admin=is_admin,
        active=active,
    )
    if password is not None:
        credentials.check_password(password, username=username)
        user.set_password(password)
    session.add(user)
    session.flush()
    record(session, None, by, "user.created", username, new={"admin": is_admin}, actor=actor)
    return user


def set_password(
    session: Session,
    user: m.User,
    password: str,
    *,
    by: m.User | None = None,
    field: str = "password",
    actor: str = "",
) -> None:
    """A new password; any set-your-password link still out is revoked, and so is every
    session of the account (its session token changes)."""
    credentials.check_password(password, username=user.username, field=field)
    user.set_password(password)
    user.rotate_session_token()
    password_links.revoke_links(session, user)
    record(
        session,
        None,
        by,
        "user.password_set",
        user.username,
        actor=actor or ("" if by else "cli"),
    )


def is_locked(user: m.User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def locked_message(user: m.User) -> str:
    return (
        f"This account is locked after {user.failed_logins} failed log-ins in a row, until "
        f"{when(user.locked_until)}. Try again then, or ask an administrator to unlock it."
    )


def log_in(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> m.User:
    """The active account with this username and password, its login time noted and its
    count of failures reset. A locked account is refused before its password is checked
    (a conflict: the same log-in works once the lock is lifted)."""
    now = now or utcnow()
    user = _by_username(session, username.strip())
    if user is None:
        # As long as a wrong password for a real account: the time does not tell.
        spend_a_password_check(password)
        raise Refused("password", LOGIN_REFUSED)
    if is_locked(user, now):
        spend_a_password_check(password)
        raise Refused("password", locked_message(user), CONFLICT)
    if not user.check_password(password) or not user.is_active:
        raise Refused("password", LOGIN_REFUSED)
    user.last_login_at = now
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    return user


def note_failed_login(
    session: Session,
    username: str,
    policy: LockoutPolicy,
    *,
    address: str = "",
    now: datetime | None = None,
) -> m.User | None:
    """Count a wrong password against the account (if there is one); at the policy's
    count, lock it and audit the lock. Returns the account when it is now locked.
    A lock that has run out starts the count again."""
    now = now or utcnow()
    user = _by_username(session, username.strip())
    if user is None or is_locked(user, now):
        return None
    if user.locked_until is not None:  # an expired lock
        user.locked_until = None
        user.failed_logins = 0
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins < policy.after:
        session.flush()
        return None
    user.locked_until = now + timedelta(minutes=policy.minutes)
    record(
        session,
        None,
        None,
        "user.locked",
        user.username,
        new={"locked_until": user.locked_until.isoformat(), "failed_logins": user.failed_logins},
        reason=f"{user.failed_logins} wrong passwords in a row"
        + (f", the last from {address}" if address else ""),
        actor=SYSTEM,
    )
    return user


def unlock_user(session: Session, user: m.User, by: m.User, *, now: datetime | None = None) -> bool:
    """An administrator lifts a lock (and forgets the failures); False when there was
    nothing to lift, which writes nothing."""
    now = now or utcnow()
    if not is_locked(user, now) and not user.failed_logins:
        return False
    old = {
        "locked_until": user.locked_until.isoformat() if is_locked(user, now) else None,
        "failed_logins": user.failed_logins,
    }
    user.locked_until = None
    user.failed_logins = 0
    record(
        session,
        None,
        by,
        "user.unlocked",
        user.username,
        old=old,
        new={"locked_until": None, "failed_logins": 0},
    )
    return True


def end_sessions(session: Session, user: m.User, *, everywhere: bool = False) -> None:
    """End every session of the account, remember-me cookies included: its session token
    changes. `everywhere`: the person asked for it ("Log out of all sessions"), which is
    audited; a plain log-out is not."""
    user.rotate_session_token()
    if everywhere:
        record(session, None, user, "user.sessions_ended", user.username)
    session.flush()


def change_own_password(session: Session, user: m.User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise Refused("current", "The current password is wrong.")
    set_password(session, user, new, by=user, field="new")


def _profile(user: m.User) -> dict[str, object]:
    return {
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "admin": user.is_admin,
        "active": user.active,
    }


def update_user(
    session: Session,
    user: m.User,
    by: m.User,
    *,
    username: str,
    name: str,
    email: str | None,
    is_admin: bool,
    active: bool,
    password: str | None = None,
) -> None:
    """An administrator's change to an account (a new password only when given); the
    change of profile is audited as one event, a new password as its own."""
    username = username.strip()
    if username != user.username:
        username = checked_username(session, username, renaming=user)
    same_email = _by_email(session, email) if email else None
    if same_email is not None and same_email.id != user.id:
        raise Refused("email", "This e-mail is used by another account.")
    if user.id == by.id and (not is_admin or not active):
        raise Refused(
            "is_admin", "You cannot remove your own administrator rights or deactivate yourself."
        )
    old = _profile(user)
    user.username = username
    user.name = name
    user.email = email or None
    user.is_admin = is_admin
    user.active = active
    if old["active"] and not active:
        user.rotate_session_token()  # a deactivated account's sessions end now
    new = _profile(user)
    if password:
        set_password(session, user, password, by=by)
    before, after = changed_fields(old, new)
    if after:
        record(session, None, by, "user.updated", user.username, old=before, new=after)
    session.flush()


# -- usernames -------------------------------------------------------------------------------


def checked_username(session: Session, username: str, *, renaming: m.User | None = None) -> str:
    """The username to store for a new or renamed account (rfp.core.credentials:
    the shape, NFKC, no invisible characters, no look-alike of another account), or
    Refused under "username"."""
    others = select(m.User.username)
    if renaming is not None:
        others = others.where(m.User.id != renaming.id)
    return credentials.check_username(username, session.scalars(others))


def available_username(session: Session, email: str) -> str:
    """A free username made from an e-mail address (dana.whitfield@x -> dana.whitfield,
    then dana.whitfield2, ...), for people invited without one."""
    local = email.partition("@")[0].lower()
    base = re.sub(r"[^a-z0-9_.\-]", "", local).lstrip("._-")[:70] or "user"
    taken = list(session.scalars(select(m.User.username)))
    candidate, n = base, 1
    while True:
        try:
            return credentials.check_username(candidate, taken)
        except Refused:
            n += 1
            candidate = f"{base}{n}"


# -- messages that bring people in -------------------------------------------------------------


def invite(
    session: Session, user: m.User, evaluation: m.Evaluation, role: str, by: m.User
) -> m.MailMessage:
    """Send the account a set-your-password link for the evaluation (the link is made
    when the message goes out; a newer one revokes it)."""
    if not user.email:
        raise Refused("email", f"{user.name} has no e-mail address to send an invitation to")
    if user.password_hash is not None:
        raise Refused(
            "membership",
            f"{user.name} has a password already; they can reset it from the login page",
            CONFLICT,
        )
    message = _to_member(
        session, MailKind.INVITATION, user, evaluation, role, by, f"{by.name} invited you to"
    )
    record(session, evaluation, by, "mail.invitation", user.name, new={"role": role})
    return message


def note_added(
    session: Session, user: m.User, evaluation: m.Evaluation, role: str, by: m.User
) -> m.MailMessage | None:
    """Tell an account that can log in that it was added to the evaluation (None: it has
    no e-mail address)."""
    if not user.email:
        return None
    return _to_member(
        session, MailKind.ADDED, user, evaluation, role, by, f"{by.name} added you to"
    )


def _to_member(
    session: Session,
    kind: MailKind,
    user: m.User,
    evaluation: m.Evaluation,
    role: str,
    by: m.User,
    subject: str,
) -> m.MailMessage:
    """A message to someone taking part (its renderer: MESSAGES:<kind>)."""
    return queue_mail(
        session,
        kind=kind,
        to_address=user.email or "",
        to_name=user.name,
        subject=f"{subject} {_role_words(role)}",
        renderer=f"{MESSAGES}:{kind.value}",
        context={"user_id": user.id, "role": role, "by_user_id": by.id},
        evaluation=evaluation,
    )


def _role_words(role: str) -> str:
    return {
        Role.EVALUATOR: "score vendors",
        Role.VIEWER: "read the results",
        Role.LEAD: "run an evaluation",
    }.get(Role(role), "an evaluation")


def request_password_reset(session: Session, address: str, client: str) -> None:
    """Someone asks for a link to set a new password. The same happens to the caller
    whether an account uses the address or not (nothing tells them apart); at most
    RESETS_PER_ADDRESS an hour per address and RESETS_PER_CLIENT per client go out."""
    address = address.strip().lower()
    # The address first: a request refused for its address does not count against the
    # client (a colleague asking again for theirs does not lock the office out).
    within = db_throttle.allow(
        session, "reset.address", address, limit=RESETS_PER_ADDRESS, window=RESET_WINDOW
    ) and db_throttle.allow(
        session, "reset.client", client, limit=RESETS_PER_CLIENT, window=RESET_WINDOW
    )
    if not within:
        log.info("a password reset was throttled")
        return
    user = _by_email(session, address) if address else None
    if user is None or not user.active:
        return
    queue_mail(
        session,
        kind=MailKind.PASSWORD_RESET,
        to_address=user.email or address,
        to_name=user.name,
        subject="Set a new password for rfp",
        renderer=f"{MESSAGES}:password_reset",
        context={"user_id": user.id},
    )


def set_password_by_link(session: Session, token: str, password: str) -> m.AccountToken:
    """Set the account's password with a set-your-password link, which is spent by it;
    returns the link's row (its user, and the evaluation an invitation was for)."""
    now = utcnow()
    row = password_links.usable_link(session, token, now)
    if row is None or not password_links.spend(session, row, now):
        raise Refused("password", "This link no longer works. Ask for a new one.", CONFLICT)
    set_password(session, row.user, password, by=row.user, actor="set-password link")
    session.flush()
    return row
