"""Slowing down password guessing, with Flask-Limiter's storage and strategies.

Failed log-ins are counted per account (the username as typed, lower-cased, whether the
account exists or not, so that the answer says nothing about which accounts exist) and
per client address; past either limit the log-in form answers 429 with the time to
wait, before the password is even checked. Only failures count: a person who types
their password right is never slowed down. The lockout of an account after more
failures in a row is the accounts area's (a lock survives restarts and is lifted by an
administrator); this is the first, softer line.

Settings (environment, read by rfp.core.config):

RFP_RATELIMIT_STORAGE_URL      where the counts live: `memory://` (default: per process)
                               or a storage shared by several app processes, such as
                               `redis://localhost:6379/0`
RFP_LOGIN_FAILURES_PER_ACCOUNT failures allowed per account (default `5 per minute`)
RFP_LOGIN_FAILURES_PER_ADDRESS failures allowed per address (default `20 per minute`)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

ACCOUNT = "login-account"
ADDRESS = "login-address"


def init_limiter(app: Flask) -> Limiter:
    """One limiter per app (its storage is the app's), with no limit on any route of its
    own: the log-in view asks it (LoginThrottle)."""
    limiter = Limiter(
        get_remote_address,
        storage_uri=app.config["RFP_RATELIMIT_STORAGE_URL"],
        strategy="moving-window",
        key_prefix="rfp",
    )
    limiter.init_app(app)
    app.extensions["rfp.limiter"] = limiter
    return limiter


@dataclass(frozen=True)
class LoginThrottle:
    limiter: Limiter
    per_account: RateLimitItem
    per_address: RateLimitItem

    def _limits(self, username: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        return [
            (self.per_account, ACCOUNT, username.strip().lower()),
            (self.per_address, ADDRESS, address or "-"),
        ]

    def wait_seconds(self, username: str, address: str) -> int:
        """0 when a log-in may be tried now; else the seconds until it may."""
        waits = [0]
        for item, scope, key in self._limits(username, address):
            if not self.limiter.limiter.test(item, scope, key):
                reset = self.limiter.limiter.get_window_stats(item, scope, key).reset_time
                waits.append(max(1, math.ceil(reset - time.time())))
        return max(waits)

    def failed(self, username: str, address: str) -> None:
        for item, scope, key in self._limits(username, address):
            self.limiter.limiter.hit(item, scope, key)

    def clear(self, username: str) -> None:
        """Forget an account's failures (a successful log-in, an administrator's unlock)."""
        self.limiter.limiter.clear(self.per_account, ACCOUNT, username.strip().lower())


def login_throttle() -> LoginThrottle:
    config = current_app.config
    return LoginThrottle(
        current_app.extensions["rfp.limiter"],
        parse(config["RFP_LOGIN_FAILURES_PER_ACCOUNT"]),
        parse(config["RFP_LOGIN_FAILURES_PER_ADDRESS"]),
    )
