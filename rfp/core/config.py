"""Settings from the environment, with no silent production defaults.

DATABASE_URL   SQLAlchemy URL; default: SQLite file instance/rfp.sqlite under the
               working directory (RFP_INSTANCE_PATH moves the instance folder).
SECRET_KEY     signs sessions and CSRF tokens. Required unless RFP_ENV=development,
               where one is generated per instance folder and kept in it.
EXPORT_DIR     where generated reports are kept; default exports/ in the working directory.
RFP_DOCUMENT_DIR  where uploaded documents are kept, named by their SHA-256; default
               documents/ in the instance folder.
RFP_DOCUMENT_MAX_BYTES  the largest document a slot may take (default 10 MB, and never
               more than RFP_MAX_UPLOAD_BYTES, the largest request).
RFP_JOBS       who runs background jobs (reports, e-mail): `thread` (default: a worker
               thread in each app process), `rq` (Redis queue, `rfp worker` processes;
               needs RFP_REDIS_URL) or `manual` (tests; `rfp run-jobs`).
RFP_RESULTS_CACHE_SIZE  results kept per process (rfp.core.result_cache); 0: none.
RFP_RATELIMIT_STORAGE_URL, RFP_LOGIN_FAILURES_PER_ACCOUNT, RFP_LOGIN_FAILURES_PER_ADDRESS
               log-in throttling (rfp.core.throttle)
RFP_LOCKOUT_AFTER, RFP_LOCKOUT_MINUTES
               failed log-ins in a row that lock an account, and for how long
RFP_SECURE_COOKIES  1 behind HTTPS: the session and remember-me cookies are Secure
RFP_REMEMBER_DAYS   how long "keep me logged in" lasts (default 14 days)
RFP_IMPORT_ALLOWED  who may import a scenario file: admins_and_leads (default), admins,
               anyone (rfp.areas.evaluations.operations.may_import)
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """A setting the app cannot start without is missing or wrong."""


def instance_path() -> Path:
    return Path(os.environ.get("RFP_INSTANCE_PATH", "instance")).resolve()


def document_dir() -> Path:
    """Where uploaded documents are kept: RFP_DOCUMENT_DIR, or documents/ in the
    instance folder."""
    configured = os.environ.get("RFP_DOCUMENT_DIR")
    return Path(configured).resolve() if configured else instance_path() / "documents"


def default_database_url() -> str:
    return f"sqlite:///{instance_path() / 'rfp.sqlite'}"


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or default_database_url()
    # Heroku-style URLs name the scheme "postgres"; SQLAlchemy wants a driver name.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _development_secret(folder: Path) -> str:
    """A per-installation secret kept in the instance folder, for local use only."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


IMPORT_RIGHTS = ("admins_and_leads", "admins", "anyone")


def import_allowed() -> str:
    value = os.environ.get("RFP_IMPORT_ALLOWED", "admins_and_leads").strip().lower()
    if value not in IMPORT_RIGHTS:
        raise ConfigError(
            f"RFP_IMPORT_ALLOWED={value!r}: must be one of {', '.join(IMPORT_RIGHTS)}"
        )
    return value


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Flask config mapping for create_app()."""
    overrides = dict(overrides or {})
    env = os.environ.get("RFP_ENV", "production")
    secret = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret:
        if env != "development" and not overrides.get("TESTING"):
            raise ConfigError(
                "SECRET_KEY is not set. Set it in the environment (for example "
                "`export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')`)"
                " or run with RFP_ENV=development for a local installation."
            )
        secret = _development_secret(instance_path())
    secure_cookies = os.environ.get("RFP_SECURE_COOKIES", "0") == "1"
    config: dict[str, Any] = {
        "SECRET_KEY": secret,
        "DATABASE_URL": database_url(),
        "EXPORT_DIR": str(Path(os.environ.get("EXPORT_DIR", "exports")).resolve()),
        "RFP_ENV": env,
        "MAX_CONTENT_LENGTH": int(os.environ.get("RFP_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        # "Keep me logged in": the same flags as the session cookie, a lifetime in days;
        # the cookie names the account's session token (revoked by a new one).
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(os.environ.get("RFP_REMEMBER_DAYS", "14"))),
        "RFP_IMPORT_ALLOWED": import_allowed(),
        "WTF_CSRF_TIME_LIMIT": None,
        "RFP_JOBS": os.environ.get("RFP_JOBS")
        or ("manual" if overrides.get("TESTING") else "thread"),
        "RFP_REDIS_URL": os.environ.get("RFP_REDIS_URL", ""),
        "RFP_JOBS_POLL_SECONDS": float(os.environ.get("RFP_JOBS_POLL_SECONDS", 5)),
        "RFP_RESULTS_CACHE_SIZE": int(os.environ.get("RFP_RESULTS_CACHE_SIZE", 64)),
        "RFP_DOCUMENT_DIR": str(document_dir()),
        "RFP_DOCUMENT_MAX_BYTES": int(os.environ.get("RFP_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)),
        # Log-in throttling and lockout (rfp.core.throttle, rfp.areas.accounts).
        "RFP_RATELIMIT_STORAGE_URL": os.environ.get("RFP_RATELIMIT_STORAGE_URL", "memory://"),
        "RFP_LOGIN_FAILURES_PER_ACCOUNT": os.environ.get(
            "RFP_LOGIN_FAILURES_PER_ACCOUNT", "5 per minute"
        ),
        "RFP_LOGIN_FAILURES_PER_ADDRESS": os.environ.get(
            "RFP_LOGIN_FAILURES_PER_ADDRESS", "20 per minute"
        ),
        "RFP_LOCKOUT_AFTER": int(os.environ.get("RFP_LOCKOUT_AFTER", "10")),
        "RFP_LOCKOUT_MINUTES": int(os.environ.get("RFP_LOCKOUT_MINUTES", "15")),
    }
    config.update(overrides)
    return config
