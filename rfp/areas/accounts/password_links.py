"""Set-your-password links: the single-use, expiring links an invitation or a password
reset carries (rfp.models.AccountToken).

A link is made when its message is sent (`mint_link`, called by the message's
renderer), so its token exists only in that message: the database keeps the SHA-256.
Making a link revokes the account's earlier ones; setting a password (by a link or
otherwise) revokes them all. A link is used by setting the password: opening it changes
nothing, so a mail scanner that follows links does not spend it.

Lifetimes come from the environment: RFP_INVITATION_DAYS (default 7) and
RFP_PASSWORD_RESET_MINUTES (default 60).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.db import utcnow
from rfp.core.tokens import hash_token, new_token, token_matches, well_formed
from rfp.domain.vocabulary import TokenPurpose

DEFAULT_LIFETIMES = {
    TokenPurpose.INVITATION: ("RFP_INVITATION_DAYS", timedelta(days=1), 7),
    TokenPurpose.PASSWORD_RESET: ("RFP_PASSWORD_RESET_MINUTES", timedelta(minutes=1), 60),
}
LINK_PATH = "/account/set-password/{token}"


def lifetime(purpose: TokenPurpose) -> timedelta:
    """How long a link of this purpose works (from the environment)."""
    variable, unit, default = DEFAULT_LIFETIMES[purpose]
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return unit * default
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if not 0 < value <= 10_000:
        raise ValueError(f"{variable} must be a positive number, not {raw!r}")
    return unit * value


def revoke_links(session: Session, user: m.User, now: datetime | None = None) -> int:
    """Revoke every link of the account that could still be used; how many."""
    return _update_unspent(m.AccountToken.user_id == user.id, session, revoked_at=now or utcnow())


def mint_link(
    session: Session,
    user: m.User,
    purpose: TokenPurpose,
    *,
    message: m.MailMessage | None = None,
    evaluation_id: int | None = None,
) -> tuple[str, m.AccountToken]:
    """A new link for the account (its earlier ones revoked): the plain token, to put in
    the message and nowhere else, and its row."""
    now = utcnow()
    revoke_links(session, user, now)
    token = new_token()
    row = m.AccountToken(
        user_id=user.id,
        purpose=purpose,
        token_hash=hash_token(token),
        evaluation_id=evaluation_id,
        message_id=message.id if message is not None else None,
        created_at=now,
        expires_at=now + lifetime(purpose),
    )
    session.add(row)
    session.flush()
    return token, row


def usable_link(session: Session, token: str, now: datetime | None = None) -> m.AccountToken | None:
    """The link a presented token opens, or None: malformed, unknown, used, revoked,
    expired and an inactive account are all alike to the caller."""
    if not well_formed(token):
        return None
    row = session.scalar(
        select(m.AccountToken).where(m.AccountToken.token_hash == hash_token(token))
    )
    if row is None or not token_matches(token, row.token_hash):
        return None
    if not row.usable(now or utcnow()) or not row.user.active:
        return None
    return row


def spend(session: Session, row: m.AccountToken, now: datetime) -> bool:
    """Mark the link used, once: an atomic UPDATE, so that two requests racing with the
    same token cannot both set a password."""
    return _update_unspent(m.AccountToken.id == row.id, session, used_at=now) == 1


def _update_unspent(which: Any, session: Session, **values: datetime) -> int:
    """Set `values` on the links `which` picks that are neither used nor revoked (one
    UPDATE, atomic); how many rows changed."""
    result = session.execute(
        update(m.AccountToken)
        .where(which, m.AccountToken.used_at.is_(None), m.AccountToken.revoked_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def link_url(base: str, token: str) -> str:
    return base + LINK_PATH.format(token=token)
