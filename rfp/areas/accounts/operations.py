"""Accounts: creating users and changing passwords."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.audit import record

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """An account change was refused; the message names the field."""


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")


def create_user(
    session: Session,
    username: str,
    name: str,
    password: str | None,
    *,
    email: str | None = None,
    is_admin: bool = False,
    by: m.User | None = None,
    actor: str = "",
) -> m.User:
    username = username.strip()
    if not username:
        raise AccountError("username: is required")
    if session.scalar(select(m.User).where(func.lower(m.User.username) == username.lower())):
        raise AccountError(f"username: {username!r} is already taken")
    if email and session.scalar(select(m.User).where(func.lower(m.User.email) == email.lower())):
        raise AccountError(f"email: {email!r} is already used by another account")
    user = m.User(
        username=username, name=name.strip() or username, email=email or None, is_admin=is_admin
    )
    if password is not None:
        check_password_strength(password)
        user.set_password(password)
    session.add(user)
    session.flush()
    record(session, None, by, "user.created", username, new={"admin": is_admin}, actor=actor)
    return user


def set_password(
    session: Session, user: m.User, password: str, *, by: m.User | None = None
) -> None:
    check_password_strength(password)
    user.set_password(password)
    record(session, None, by, "user.password_set", user.username, actor="" if by else "cli")
