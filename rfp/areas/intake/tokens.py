"""Portal link tokens: made once, shown once, stored only as a SHA-256 hash.

A token is 32 random bytes (`secrets.token_urlsafe`, 43 characters). The database keeps
its hex SHA-256; a request's token is hashed and looked up, then compared in constant
time. A link is refused alike when the token is malformed, unknown, revoked or expired,
so a caller can never tell which.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

TOKEN_BYTES = 32
# token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    """Could this be one of our tokens? (Checked before touching the database.)"""
    return bool(_TOKEN_SHAPE.match(token))


def token_matches(token: str, token_hash: str) -> bool:
    """Constant-time comparison of a presented token with a stored hash."""
    if not well_formed(token):
        return False
    return hmac.compare_digest(hash_token(token), token_hash)


def link_usable(*, revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    """A link works until it is revoked or its expiry (the response deadline) passes."""
    if revoked_at is not None:
        return False
    return expires_at is None or now < expires_at
