"""A world built once per test module from the demo evaluation, for the cross-cutting
tests (authorization matrix, CSRF, escaping): one database holding a copy of the demo
at each stage, with every kind of object a URL can name, and a logged-in test client
per role.

The demo is loaded once per stage (`load_demo(force=True)` makes another copy with the
same people), so one app and one set of clients serve every stage. On top of the demo:

- luis declared a conflict of interest with Puente Norte in every copy (the
  "evaluator with a conflict" role); dana is the plain evaluator, invited by the lead
  to the AHP weighting;
- `stranger` is an account with no part in any evaluation;
- each copy has a portal link for Puente Norte (its token is kept here) and, unless
  told otherwise, an Excel report; the open copy's deadline is in the future so that
  its link works;
- texts only the protected data holds (SENTINELS) are put into Puente Norte's answer,
  Dana's comment on it, a reference call's notes and its rate, so a test can assert
  that a refused response carries none of them.

The database is a SQLite file of the module, or with TEST_DATABASE_URL a PostgreSQL
database of its own per worker and module (the per-test databases of conftest.py are
emptied between tests, which a module-wide world cannot afford).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from database_support import postgres_database_url, recreate_schema, sqlite_database_url
from sqlalchemy import func, select, text, union_all
from werkzeug.security import generate_password_hash

from rfp import models as m
from rfp.areas.intake import tokens
from rfp.core.db import Base, Database, utcnow

PASSWORD = "rfp-demo-2027"
STAGES = ("draft", "open", "scoring", "consensus", "decided")
LOGINS = {
    "viewer": "elena",
    "evaluator": "dana",
    "conflicted": "luis",
    "lead": "morgan",
    "admin": "admin",
    "stranger": "stranger",
}
# The vendor named in URLs, the one luis declared a conflict with.
VENDOR = "puente_norte"
SENTINELS = {
    "answer": "MTX-ANSWER-7Q2 Puente Norte staffs Monterrey from 07:00",
    "comment": "MTX-COMMENT-4K9 Dana found their overlap convincing",
    "call_note": "MTX-CALLNOTE-8D1 Brightwell praised the site lead",
    "rate": "2,713.57",
}
RATE = 2713.57


@dataclass
class EvaluationIds:
    """The ids of one demo copy, by what they are."""

    evaluation: int
    stage: str
    vendors: dict[str, int] = field(default_factory=dict)
    criteria: dict[str, int] = field(default_factory=dict)
    questions: dict[str, int] = field(default_factory=dict)
    memberships: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)  # "dana:puente_norte" -> id
    link: int | None = None
    token: str | None = None
    report: int | None = None


@dataclass
class World:
    app: Any
    db: Database
    evaluations: dict[str, EvaluationIds]  # by stage
    users: dict[str, int]
    clients: dict[str, Any] = field(default_factory=dict)  # role -> logged-in client

    def at(self, stage: str) -> EvaluationIds:
        return self.evaluations[stage]

    def other_than(self, stage: str) -> EvaluationIds:
        """Another copy (same lead, same people) whose ids must not open this one's URLs."""
        return self.evaluations["consensus" if stage != "consensus" else "decided"]

    def client(self, role: str) -> Any:
        """A test client logged in as the role (anonymous: no session)."""
        if role not in self.clients:
            client = self.app.test_client()
            if role != "anonymous":
                log_in(client, LOGINS[role])
            self.clients[role] = client
        return self.clients[role]

    def rule(self, endpoint: str, method: str) -> Any:
        return rule_of(self.app, endpoint, method)

    def value(self, ids: EvaluationIds, name: str) -> Any:
        """The value of a URL parameter in a copy (URL_PARAMETERS says which object)."""
        from authorization_table import URL_PARAMETERS

        values = {
            "evaluation_id": ids.evaluation,
            "vendor_id": ids.vendors[VENDOR],
            "question_id": ids.questions["timezone"],
            "criterion_id": ids.criteria["tooling"],
            "membership_id": ids.memberships["priya"],
            "call_id": ids.calls[f"dana:{VENDOR}"],
            "report_id": ids.report,
            "link_id": ids.link,
            "token": ids.token,
            "user_id": self.users["elena"],
            "direction": URL_PARAMETERS["direction"],
        }
        assert name in values, (
            f"URL parameter <{name}> is new: describe it in authorization_table."
            "URL_PARAMETERS and give it a value in demo_world.World.value"
        )
        assert values[name] is not None, f"no {name} in the {ids.stage} copy of the demo"
        return values[name]

    def url(self, rule: Any, stage: str | None, **override: Any) -> str:
        """The rule's URL in the copy at `stage` (consensus for routes with no stage)."""
        ids = self.at(stage or "consensus")
        url = rule.rule
        for name in rule.arguments:
            value = override.get(name)
            if value is None:
                value = self.value(ids, name)
            url = re.sub(rf"<(?:[a-z]+:)?{name}>", str(value), url)
        return url

    def row_counts(self) -> dict[str, int]:
        """Rows per table, in one query: what a harmless or refused request leaves alone."""
        tables = Base.metadata.sorted_tables
        query = union_all(
            *(select(text(f"'{t.name}'"), func.count()).select_from(t) for t in tables)
        )
        with self.db.engine.connect() as connection:
            return dict(connection.execute(query).all())


def rule_of(app: Any, endpoint: str, method: str) -> Any:
    """The URL rule of an endpoint that accepts the method."""
    return next(
        r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods
    )


def csrf_token_of(html: str) -> str:
    """The CSRF token of the first form (or the csrf-token meta tag) of a page."""
    found = re.search(r'name="csrf_token"[^>]*? value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def log_in(client: Any, username: str) -> None:
    """Log in through the form (with its CSRF token when the app checks them)."""
    data = {"username": username, "password": PASSWORD}
    if client.application.config.get("WTF_CSRF_ENABLED", True):
        data["csrf_token"] = csrf_token_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data=data)
    assert response.status_code == 302, f"login of {username} failed"


# -- the database ------------------------------------------------------------------------


def module_database_url(tmp_dir: Path, name: str, worker: str) -> str:
    """An empty database with the latest schema, for one module on one worker."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        return sqlite_database_url(tmp_dir / f"{name}.sqlite")
    url = postgres_database_url(server, f"_{worker}_{name}")
    database = Database(url)
    recreate_schema(database)
    database.dispose()
    return url


def make_app(database_url: str, tmp_dir: Path, *, csrf: bool = False) -> Any:
    from rfp import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "world-secret",
            "DATABASE_URL": database_url,
            "EXPORT_DIR": str(tmp_dir / "exports"),
            "WTF_CSRF_ENABLED": csrf,
        }
    )


@pytest.fixture(scope="module")
def fast_hashing_for_module() -> Iterator[None]:
    """Cheap password hashes while a module-wide world is built (the autouse fixture of
    conftest.py is per test and comes too late); checking reads the method from the hash."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "rfp.models.users.generate_password_hash",
            partial(generate_password_hash, method="pbkdf2:sha256:1000"),
        )
        yield


# -- building the world ------------------------------------------------------------------


def build_world(
    app: Any, stages: tuple[str, ...] = STAGES, *, report: bool = True, sentinels: bool = True
) -> World:
    """Load a demo copy per stage into the app's (empty) database."""
    from rfp.demo import load_demo

    db: Database = app.extensions["rfp.core.db"]
    evaluations: dict[str, EvaluationIds] = {}
    with db.transaction() as s:
        stranger = m.User(username="stranger", name="Sam Stranger", email=None)
        stranger.set_password(PASSWORD)
        s.add(stranger)
        s.flush()
        for stage in stages:
            evaluation, _logins, _created = load_demo(s, force=True)
            evaluations[stage] = _arrange(s, evaluation, stage, sentinels=sentinels)
        users = {u.username: u.id for u in s.scalars(select(m.User))}
    if report:
        for ids in evaluations.values():
            _generate_report(app, db, ids)
    return World(app=app, db=db, evaluations=evaluations, users=users)


def _arrange(s: Any, evaluation: m.Evaluation, stage: str, *, sentinels: bool) -> EvaluationIds:
    ids = EvaluationIds(evaluation=evaluation.id, stage=stage)
    ids.vendors = {v.key: v.id for v in evaluation.vendors}
    ids.criteria = {c.key: c.id for c in evaluation.criteria}
    ids.questions = {q.key: q.id for c in evaluation.criteria for q in c.questions}
    ids.memberships = {ms.key: ms.id for ms in evaluation.memberships}
    by_membership = {ms.id: ms.key for ms in evaluation.memberships}
    vendor_keys = {v.id: v.key for v in evaluation.vendors}
    for call in s.scalars(
        select(m.ReferenceCall)
        .where(m.ReferenceCall.evaluation_id == evaluation.id)
        .order_by(m.ReferenceCall.id)
    ):
        key = f"{by_membership.get(call.caller_membership_id)}:{vendor_keys[call.vendor_id]}"
        ids.calls.setdefault(key, call.id)
    vendor_id = ids.vendors[VENDOR]
    luis = next(ms for ms in evaluation.memberships if ms.key == "luis")
    dana = next(ms for ms in evaluation.memberships if ms.key == "dana")
    dana.ahp_invited = True  # she may fill in her own comparison of the criteria (AHP)
    s.add(m.ConflictDeclaration(membership_id=luis.id, vendor_id=vendor_id, note="ex-employer"))
    if sentinels:
        _put_sentinels(s, evaluation, ids)
    # A portal link for Puente Norte (made directly: the operation refuses past deadlines).
    token = tokens.new_token()
    now = utcnow()
    if stage == "open":
        evaluation.deadline = now + timedelta(days=30)
    link = m.VendorLink(
        vendor_id=vendor_id,
        token_hash=tokens.hash_token(token),
        created_at=now,
        expires_at=evaluation.deadline,
    )
    s.add(link)
    evaluation.stage = stage
    if stage in ("draft", "open"):
        evaluation.unsealed_at = None
    if stage == "decided":
        evaluation.award_vendor_id = ids.vendors["puente_norte"]
        evaluation.award_rationale = "Best fit and price."
        evaluation.decided_at = now
    s.flush()
    ids.link, ids.token = link.id, token
    return ids


def _put_sentinels(s: Any, evaluation: m.Evaluation, ids: EvaluationIds) -> None:
    vendor_id = ids.vendors[VENDOR]
    answer = s.scalar(
        select(m.Answer).where(
            m.Answer.vendor_id == vendor_id, m.Answer.question_id == ids.questions["timezone"]
        )
    )
    answer.text = SENTINELS["answer"]
    score = s.scalar(
        select(m.Score).where(
            m.Score.membership_id == ids.memberships["dana"],
            m.Score.vendor_id == vendor_id,
            m.Score.question_id == ids.questions["timezone"],
        )
    )
    score.comment = SENTINELS["comment"]
    call = s.get(m.ReferenceCall, ids.calls[f"dana:{VENDOR}"])
    call.notes = SENTINELS["call_note"]
    response = s.scalar(select(m.VendorResponse).where(m.VendorResponse.vendor_id == vendor_id))
    response.rate = RATE


def _generate_report(app: Any, db: Database, ids: EvaluationIds) -> None:
    from rfp.reports.archive import generate_report

    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, ids.evaluation)
        report = generate_report(
            s, evaluation, "xlsx", export_dir=app.config["EXPORT_DIR"], created_by_name="test"
        )
        s.flush()
        ids.report = report.id
