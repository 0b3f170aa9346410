"""Password guessing: wrong passwords slow down (429 with the time to wait, per account
and per address), then lock the account for a while (audited); the lock runs out by
itself or an administrator lifts it from the users page (audited)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from tests.areas.accounts.test_accounts import error_under, user_named
from tests.fixtures.evaluations import audit

PASSWORD = "rfp-demo-2027"


class Clock:
    """The time as the limiter's in-memory storage and strategies read it, moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import time

        self.now = time.time()
        fake = SimpleNamespace(time=lambda: self.now)
        monkeypatch.setattr("limits.storage.memory.time", fake)
        monkeypatch.setattr("limits.strategies.time", fake)
        self._utc = utcnow()
        self._start = self.now
        monkeypatch.setattr(
            "rfp.areas.accounts.operations.utcnow",
            lambda: self._utc + timedelta(seconds=self.now - self._start),
        )

    def advance(self, seconds: float) -> None:
        self.now += seconds


WRONG = "wrong-password-1"


def _try(client: Any, username: str, password: str = WRONG) -> Any:
    return client.post("/login", data={"username": username, "password": password})


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def lenient(app: Any) -> Any:
    """No slowing down, so that the lockout alone is tested: 4 failures lock for 15 min."""
    app.config.update(
        RFP_LOGIN_FAILURES_PER_ACCOUNT="1000 per minute",
        RFP_LOGIN_FAILURES_PER_ADDRESS="1000 per minute",
        RFP_LOCKOUT_AFTER=4,
        RFP_LOCKOUT_MINUTES=15,
    )
    return app


# -- slowing down ------------------------------------------------------------------------------


def test_the_sixth_wrong_password_within_a_minute_is_answered_429_with_the_wait(
    client, demo, clock
):
    # The default: 5 failures a minute per account.
    for _ in range(5):
        assert _try(client, "dana").status_code == 200
    throttled = _try(client, "dana")
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["Retry-After"]) <= 60
    assert "Too many failed log-ins: wait" in throttled.get_data(as_text=True)
    # Even the right password waits: it is not checked at all.
    assert _try(client, "dana", PASSWORD).status_code == 429
    # A minute later (the moving window has emptied) the right password works.
    clock.advance(61)
    assert _try(client, "dana", PASSWORD).status_code == 302


def test_the_count_is_per_account_whatever_the_case_and_another_account_is_not_slowed(
    client, demo, clock
):
    for name in ("dana", "DANA", " Dana", "dana", "dAna"):
        _try(client, name)
    assert _try(client, "dana").status_code == 429
    assert _try(client, "morgan", PASSWORD).status_code == 302


def test_an_unknown_username_is_slowed_down_alike(client, demo, clock):
    """So that the answers say nothing about which accounts exist."""
    for _ in range(5):
        assert _try(client, "nobody-here").status_code == 200
    assert _try(client, "nobody-here").status_code == 429


def test_many_accounts_tried_from_one_address_are_slowed_down(app, client, demo, clock):
    app.config["RFP_LOGIN_FAILURES_PER_ADDRESS"] = "8 per minute"
    for i in range(8):
        assert _try(client, f"guess-{i}").status_code == 200
    assert _try(client, "morgan", PASSWORD).status_code == 429


def test_right_passwords_are_never_slowed_down(client, demo, clock):
    for _ in range(8):
        assert _try(client, "morgan", PASSWORD).status_code == 302
        client.post("/logout")


# -- locking -----------------------------------------------------------------------------------


def test_four_wrong_passwords_in_a_row_lock_the_account_and_the_lock_is_audited(
    lenient, client, db, demo, clock
):
    for _ in range(3):
        assert _try(client, "dana").status_code == 200
    assert user_named(db, "dana").failed_logins == 3
    locked = _try(client, "dana")
    assert locked.status_code == 429
    message = error_under(locked.get_data(as_text=True), "Password")
    assert "This account is locked after 4 failed log-ins in a row, until" in message
    assert "ask an administrator to unlock it" in message
    dana = user_named(db, "dana")
    # 15 minutes from the fourth failure.
    assert dana.locked_until - utcnow() > timedelta(minutes=14)
    [event] = audit(db, "user.locked")
    assert event.target == "dana"
    assert event.actor == "rfp (log-in protection)"
    assert event.reason == "4 wrong passwords in a row, the last from 127.0.0.1"
    # While locked, the right password is refused too, and nothing more is counted.
    refused = _try(client, "dana", PASSWORD)
    assert refused.status_code == 429
    assert "This account is locked" in refused.get_data(as_text=True)
    assert user_named(db, "dana").failed_logins == 4
    assert len(audit(db, "user.locked")) == 1


def test_a_log_in_in_between_resets_the_count(lenient, client, db, demo, clock):
    for _ in range(3):
        _try(client, "dana")
    assert _try(client, "dana", PASSWORD).status_code == 302
    client.post("/logout")
    assert user_named(db, "dana").failed_logins == 0
    for _ in range(3):
        assert _try(client, "dana").status_code == 200
    assert user_named(db, "dana").locked_until is None


def test_the_lock_runs_out_by_itself(lenient, client, db, demo, clock):
    for _ in range(4):
        _try(client, "dana")
    clock.advance(14 * 60)
    assert _try(client, "dana", PASSWORD).status_code == 429  # 14 minutes: still locked
    clock.advance(61)
    assert _try(client, "dana", PASSWORD).status_code == 302  # 15 minutes and a second
    dana = user_named(db, "dana")
    assert (dana.failed_logins, dana.locked_until) == (0, None)


def test_after_an_expired_lock_the_count_starts_again(lenient, client, db, demo, clock):
    for _ in range(4):
        _try(client, "dana")
    clock.advance(16 * 60)
    assert _try(client, "dana").status_code == 200  # one failure: not locked again
    assert user_named(db, "dana").failed_logins == 1


def test_the_administrator_sees_the_lock_and_lifts_it(lenient, client, auth, db, demo, clock):
    for _ in range(4):
        _try(client, "dana")
    auth.login("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "locked" in page and "after 4 failed log-ins" in page
    with db.transaction() as s:
        dana_id = s.scalar(select(m.User.id).where(m.User.username == "dana"))
    response = client.post(f"/admin/users/{dana_id}/unlock")
    assert response.status_code == 302
    assert "Account dana unlocked" in client.get("/admin/users").get_data(as_text=True)
    [event] = audit(db, "user.unlocked")
    assert event.target == "dana" and event.actor == "Site Administrator"
    assert event.old["failed_logins"] == 4 and event.new == {
        "locked_until": None,
        "failed_logins": 0,
    }
    client.post("/logout")
    assert _try(client, "dana", PASSWORD).status_code == 302


def test_unlocking_an_account_that_is_not_locked_writes_nothing(client, auth, db, demo):
    auth.login("admin")
    with db.transaction() as s:
        dana_id = s.scalar(select(m.User.id).where(m.User.username == "dana"))
    response = client.post(f"/admin/users/{dana_id}/unlock", follow_redirects=True)
    assert "Account dana was not locked." in response.get_data(as_text=True)
    assert audit(db, "user.unlocked") == []


def test_the_administrator_s_unlock_also_forgets_the_slowing_down(client, auth, db, demo, clock):
    for _ in range(5):
        _try(client, "dana")
    assert _try(client, "dana", PASSWORD).status_code == 429
    admin = client.application.test_client()
    type(auth)(admin).login("admin")
    with db.transaction() as s:
        dana_id = s.scalar(select(m.User.id).where(m.User.username == "dana"))
        s.scalar(select(m.User).where(m.User.id == dana_id)).failed_logins = 5
    admin.post(f"/admin/users/{dana_id}/unlock")
    assert _try(client, "dana", PASSWORD).status_code == 302


def test_a_shared_storage_url_is_used_when_set(tmp_path, monkeypatch):
    """Several app processes share their counts through e.g. redis://; the setting is
    the storage Flask-Limiter opens."""
    from rfp import create_app

    monkeypatch.setenv("RFP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("RFP_RATELIMIT_STORAGE_URL", "redis://127.0.0.1:6399/0")
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    )
    try:
        storage = app.extensions["rfp.limiter"].storage
        assert type(storage).__name__ == "RedisStorage"
    finally:
        app.extensions["rfp.core.db"].dispose()
