"""Portal tokens: random, stored as a SHA-256 hash, compared in constant time."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from rfp.areas.intake import tokens

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def test_a_token_is_43_url_safe_characters_and_never_repeats():
    made = {tokens.new_token() for _ in range(200)}
    assert len(made) == 200
    assert all(tokens.well_formed(t) for t in made)


def test_the_stored_form_is_the_hex_sha256_of_the_token():
    token = tokens.new_token()
    assert tokens.hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
    assert len(tokens.hash_token(token)) == 64
    assert token not in tokens.hash_token(token)


def test_only_the_right_token_matches_its_hash():
    token = tokens.new_token()
    stored = tokens.hash_token(token)
    assert tokens.token_matches(token, stored)
    assert not tokens.token_matches(tokens.new_token(), stored)
    assert not tokens.token_matches(token[:-1] + ("A" if token[-1] != "A" else "B"), stored)


def test_malformed_tokens_never_match():
    for bad in ("", "short", "x" * 44, "a/b" + "c" * 40, "é" * 43, "x" * 42 + "\n"):
        assert not tokens.well_formed(bad)
        assert not tokens.token_matches(bad, tokens.hash_token("x" * 43))


def test_a_link_works_until_its_expiry_or_revocation():
    later = NOW + timedelta(days=1)
    assert tokens.link_usable(revoked_at=None, expires_at=later, now=NOW)
    assert not tokens.link_usable(revoked_at=None, expires_at=NOW, now=NOW)  # at the deadline
    assert not tokens.link_usable(revoked_at=None, expires_at=NOW - timedelta(seconds=1), now=NOW)
    assert not tokens.link_usable(revoked_at=NOW, expires_at=later, now=NOW)
