"""Secret tokens for links sent to people outside a login: made once, handed over once
(on a page or in an e-mail), stored only as their SHA-256.

A token is 32 random bytes (`secrets.token_urlsafe`, 43 characters). The database keeps
its hex SHA-256; a presented token is checked for its shape before the database is
touched, hashed and looked up, then compared in constant time. Vendor portal links
(rfp.areas.intake) and the set-your-password links of accounts (rfp.areas.accounts) both
use them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

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
