"""Shared fixtures.

Database tests run on a fresh SQLite file per test by default, and on a real
PostgreSQL server when TEST_DATABASE_URL is set (one database per xdist worker,
emptied between tests).
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from database_support import postgres_database_url, recreate_schema, sqlite_database_url
from sqlalchemy import select, text

from rfp import models  # noqa: F401  (registers the tables)
from rfp.core.db import Base, Database

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap password hashes in tests: scrypt costs about 0.4 s a hash here and the
    demo alone sets six. Checking is unchanged (the method is read from the hash);
    tests of hashing itself use werkzeug directly."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr(
        "rfp.models.users.generate_password_hash",
        partial(generate_password_hash, method="pbkdf2:sha256:1000"),
    )
DEMO_PASSWORD = "rfp-demo-2027"


@pytest.fixture(scope="session")
def postgres_database(worker_id: str) -> Iterator[Database | None]:
    """With TEST_DATABASE_URL, a database of its own for this xdist worker."""
    if not TEST_DATABASE_URL:
        yield None
        return
    suffix = f"_{worker_id}" if worker_id != "master" else ""
    database = Database(postgres_database_url(TEST_DATABASE_URL, suffix))
    recreate_schema(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "master"


@pytest.fixture
def database_url(tmp_path: Path, postgres_database: Database | None) -> Iterator[str]:
    """A URL to an empty database with the latest schema."""
    if postgres_database is not None:
        _truncate(postgres_database)
        yield postgres_database.url
        _truncate(postgres_database)
        return
    yield sqlite_database_url(tmp_path / "test.sqlite")


def _truncate(database: Database) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Any]:
    with database.session() as s:
        yield s


def _test_app(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, csrf: bool
) -> Any:
    from rfp import create_app

    instance = "instance-csrf" if csrf else "instance"
    monkeypatch.setenv("RFP_INSTANCE_PATH", str(tmp_path / instance))
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "EXPORT_DIR": str(tmp_path / "exports"),
            "WTF_CSRF_ENABLED": csrf,
        }
    )


@pytest.fixture
def app(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    app = _test_app(database_url, tmp_path, monkeypatch, csrf=False)
    yield app
    app.extensions["rfp.core.db"].dispose()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def csrf_app(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The app with CSRF checks on, as in production, on the same database as `app`."""
    app = _test_app(database_url, tmp_path, monkeypatch, csrf=True)
    yield app
    app.extensions["rfp.core.db"].dispose()


@pytest.fixture
def csrf_client(csrf_app: Any) -> Any:
    return csrf_app.test_client()


@pytest.fixture
def db(app: Any) -> Database:
    """The app's database, for arranging data and checking what a request wrote."""
    return app.extensions["rfp.core.db"]


class AuthActions:
    def __init__(self, client: Any) -> None:
        self._client = client

    def login(self, username: str, password: str = DEMO_PASSWORD) -> Any:
        response = self._client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, f"login of {username} failed"
        return response

    def logout(self) -> Any:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: Any) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def login_as() -> Callable[[Any, str], None]:
    """Log a client in without the (CSRF-protected) login form: `login_as(client, "dana")`
    puts the user's id in the client's session."""
    from rfp.models import User

    def log_in(client: Any, username: str) -> None:
        with client.application.extensions["rfp.core.db"].transaction() as s:
            user_id = s.scalar(select(User.id).where(User.username == username))
        with client.session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True

    return log_in


@pytest.fixture
def demo(db: Database) -> dict[str, Any]:
    """The demo evaluation loaded with its users; returns ids by name."""
    from rfp.demo import load_demo

    with db.transaction() as s:
        evaluation, _logins, _created = load_demo(s)
        ids = {"evaluation": evaluation.id}
        for vendor in evaluation.vendors:
            ids[vendor.key] = vendor.id
    return ids


# -- scenario factories ------------------------------------------------------------------

DEMO_FILE = Path(__file__).resolve().parents[1] / "rfp" / "demo" / "customer_service_2027.json"


@pytest.fixture
def demo_doc() -> dict[str, Any]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def minimal_scenario(**evaluation: Any) -> dict[str, Any]:
    """A small valid scenario: two scored criteria, cost and references, two vendors,
    two evaluators. Tests change what they need."""
    doc: dict[str, Any] = {
        "format": 1,
        "evaluation": {
            "title": "Test evaluation",
            "scale": {"min": 0, "max": 5},
            "scope": {
                "contacts_per_month": 20000,
                "aht_minutes": 6,
                "occupancy": 0.8,
                "term_months": 24,
                "governance_overhead_pct": 0,
                "inhouse_rate": 38,
            },
        },
        "criteria": [
            {
                "key": "fit",
                "name": "Cultural fit",
                "weight": 40,
                "questions": [
                    {"key": "timezone", "text": "Time zone overlap", "weight": 2},
                    {"key": "language", "text": "Language fluency", "weight": 1},
                ],
            },
            {
                "key": "compliance",
                "name": "Compliance",
                "weight": 30,
                "questions": [
                    {"key": "soc2", "text": "SOC 2 Type II", "kind": "knockout"},
                    {"key": "audits", "text": "Audit cadence", "weight": 1},
                ],
            },
            {"key": "cost", "name": "Cost", "weight": 20, "kind": "cost"},
            {"key": "references", "name": "References", "weight": 10, "kind": "references"},
        ],
        "vendors": [
            {
                "key": "alpha",
                "name": "Alpha CX",
                "model": "nearshore",
                "pricing": {"model": "per_hour", "rate": 16},
                "knockouts": {"soc2": True},
            },
            {
                "key": "beta",
                "name": "Beta Support",
                "model": "offshore",
                "pricing": {"model": "per_hour", "rate": 10},
                "knockouts": {"soc2": True},
            },
        ],
        "evaluators": [{"key": "ana", "name": "Ana Ruiz"}, {"key": "raj", "name": "Raj Patel"}],
        "scores": [],
        "references": [],
    }
    doc["evaluation"].update(evaluation)
    return doc


@pytest.fixture
def make_scenario() -> Callable[..., dict[str, Any]]:
    def factory(**evaluation: Any) -> dict[str, Any]:
        return copy.deepcopy(minimal_scenario(**evaluation))

    return factory
