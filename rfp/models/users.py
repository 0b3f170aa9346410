"""People who log in. Roles other than admin are per evaluation (see Membership)."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from functools import cache

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from rfp.core.db import Base, UTCDateTime, utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


@cache
def _dummy_hash() -> str:
    """A hash of nothing anyone knows, made like a real one (same method, same cost)."""
    return generate_password_hash(secrets.token_urlsafe(16))


def spend_a_password_check(password: str) -> bool:
    """Check `password` against a dummy hash, so that a log-in for an unknown account
    (or one with no password yet) costs what a real one does. Always False."""
    check_password_hash(_dummy_hash(), password)
    return False


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # None: the account cannot log in until an admin sets a password (imported panel).
    password_hash: Mapped[str | None] = mapped_column(String(256))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Wrong passwords in a row (reset by a log-in or an unlock); at the lockout policy's
    # count the account is locked until `locked_until` (rfp.areas.accounts.lockout).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every session and remember-me cookie (see get_id): a new one ends every
    # session of the account (a password change, "log out of all sessions", logging
    # out, deactivation).
    session_token: Mapped[str] = mapped_column(
        String(64), default=new_session_token, nullable=False
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        if self.password_hash is None:
            return spend_a_password_check(password)
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def has_session_token(self, token: str) -> bool:
        return bool(self.session_token) and hmac.compare_digest(
            self.session_token.encode(), token.encode()
        )

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active and self.password_hash is not None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What the session and the remember-me cookie carry: the account and its
        current session token (rfp.areas.load_user checks both)."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"
