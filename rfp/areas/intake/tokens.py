"""Portal link tokens: made once, shown once (or sent by e-mail), stored only as a
SHA-256 hash (rfp.core.tokens). A link is refused alike when the token is malformed,
unknown, revoked or expired, so a caller can never tell which.
"""

from __future__ import annotations

from datetime import datetime

from rfp.core.tokens import TOKEN_BYTES, hash_token, new_token, token_matches, well_formed

__all__ = ["TOKEN_BYTES", "hash_token", "link_usable", "new_token", "token_matches", "well_formed"]


def link_usable(*, revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    """A link works until it is revoked or its expiry (the response deadline) passes."""
    if revoked_at is not None:
        return False
    return expires_at is None or now < expires_at
