"""Secrets out of the logs: the request log of the development server (werkzeug) writes
every request line, and two kinds of address carry a secret in their path, the vendor
portal (/portal/<token>) and the set-your-password link (/account/set-password/<token>).
A filter on the request logger replaces the token with "[token]" before anything is
written.

A proxy or WSGI server in front of rfp keeps its own access log: configure it not to
log these paths (README, Security).
"""

from __future__ import annotations

import logging
import re

SECRET_IN_PATH = re.compile(r"(/(?:portal|account/set-password)/)(?!\[token\])[^/\s?#\"']+")
REQUEST_LOGGERS = ("werkzeug",)


def redact(text: str) -> str:
    return SECRET_IN_PATH.sub(r"\1[token]", text)


class RedactSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install() -> None:
    """Put the filter on the request loggers (once, however many apps are created)."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecretPaths) for f in logger.filters):
            logger.addFilter(RedactSecretPaths())
