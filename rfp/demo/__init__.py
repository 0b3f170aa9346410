"""The demo evaluation and its people, for the quick start and the tests.

The evaluation is a scenario file shipped in the package
(customer_service_2027.json); its criteria, questions and document slots are also the
"Customer service outsourcing" template for new evaluations. The files its documents
name by SHA-256 are shipped in documents/ and copied into the document store when the
demo is loaded with one.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.domain.template import template_texts
from rfp.scenario import normalise_scenario

DEMO_FILE = "customer_service_2027.json"
DEMO_PASSWORD = "rfp-demo-2027"  # noqa: S105  (printed to the user on purpose)

# username, full name, e-mail, role in the demo evaluation (None: admin only)
DEMO_PEOPLE: tuple[tuple[str, str, str, str | None], ...] = (
    ("admin", "Site Administrator", "admin@fernbrook.example", None),
    ("morgan", "Morgan Avery", "morgan.avery@fernbrook.example", "lead"),
    ("dana", "Dana Whitfield", "dana.whitfield@fernbrook.example", "evaluator"),
    ("luis", "Luis Ortega", "luis.ortega@fernbrook.example", "evaluator"),
    ("priya", "Priya Raman", "priya.raman@fernbrook.example", "evaluator"),
    ("elena", "Elena Brooks (CFO)", "elena.brooks@fernbrook.example", "viewer"),
)


@cache
def _demo_text() -> str:
    return resources.files(__package__).joinpath(DEMO_FILE).read_text(encoding="utf-8")


def demo_scenario(today: date | None = None) -> dict[str, Any]:
    """The demo as a canonical scenario document (a fresh copy each call). With `today`,
    its story is moved back by whole weeks so that it has ended before that day (see
    `moved_before`); without, it keeps the file's dates (the tests' fixed demo)."""
    text = _demo_text()
    if today is None:
        return normalise_scenario(json.loads(text), source=text)
    return normalise_scenario(moved_before(json.loads(text), today))


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def moved_before(doc: Any, today: date) -> Any:
    """`doc` (a parsed scenario) with every date and time in it moved back by the fewest
    whole weeks that put its latest date before `today`; as it is when that date is past.

    The demo tells a finished story (the RFP, scoring, consensus and a ten-week pilot
    with all its figures): loaded on a day inside it, its pilot would show figures for
    weeks still to come and call itself finished. Moving every date by the same whole
    weeks keeps each interval and weekday of the story, and its figures (by week number)
    as they are."""
    days = list(_dates(doc))
    if not days or max(days) < today:
        return doc
    shift = timedelta(weeks=(max(days) - today).days // 7 + 1)
    return _shifted(doc, shift)


def _dates(value: Any) -> Iterator[date]:
    if isinstance(value, dict):
        for inner in value.values():
            yield from _dates(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _dates(inner)
    elif isinstance(value, str):
        if _DAY.fullmatch(value):
            yield date.fromisoformat(value)
        elif _MOMENT.fullmatch(value):
            yield datetime.fromisoformat(value).date()


def _shifted(value: Any, shift: timedelta) -> Any:
    if isinstance(value, dict):
        return {key: _shifted(inner, shift) for key, inner in value.items()}
    if isinstance(value, list):
        return [_shifted(inner, shift) for inner in value]
    if isinstance(value, str):
        if _DAY.fullmatch(value):
            return (date.fromisoformat(value) - shift).isoformat()
        if _MOMENT.fullmatch(value):
            return (datetime.fromisoformat(value) - shift).isoformat()
    return value


# The template's scope: the demo's volumes and cost baseline (a starting point the lead
# edits), none of its company's facts (its languages, hours, tools).
TEMPLATE_SCOPE = {
    "functions": ["customer care"],
    "languages": ["en"],
    "coverage": "",
    "time_zones": [],
    "tools": [],
    "compliance": ["SOC 2", "PCI-DSS"],
    "term_months": 24,
    "pilot_weeks": None,  # the seeds advise 8 to 12 weeks: the lead sets it
}


def template_scenario() -> dict[str, Any]:
    """The "Customer service outsourcing" template: the demo's criteria, questions,
    scale and volumes, with no vendors, people or scores. The questions that would name
    the demo company's facts are worded from the template's scope
    (rfp.domain.template), so they follow the new evaluation's scope."""
    doc = demo_scenario()
    ev = copy.deepcopy(doc["evaluation"])
    ev["scope"] = dict(ev["scope"], **copy.deepcopy(TEMPLATE_SCOPE))
    texts = template_texts(ev["scope"])
    for criterion in doc["criteria"]:
        for question in criterion["questions"]:
            if question["key"] in texts:
                question["text"] = texts[question["key"]].text
                question["guidance"] = texts[question["key"]].guidance
    ev.update(
        title="Customer service outsourcing",
        stage="draft",
        deadline=None,
        scoring_due=None,
        award=None,
        readiness={},
        description="",
    )
    return {
        "evaluation": ev,
        "criteria": doc["criteria"],
        "document_slots": doc["document_slots"],
    }


def store_demo_documents(document_dir: str | Path) -> int:
    """Put the demo's document files into the document store; how many were added."""
    from rfp.core.document_store import DocumentStore

    store = DocumentStore(document_dir)
    added = 0
    for entry in resources.files(__package__).joinpath("documents").iterdir():
        if entry.name.startswith(".") or not entry.is_file():
            continue
        data = entry.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        if not store.has(sha256, len(data)):
            store.put(sha256, data)
            added += 1
    return added


def load_demo(
    session: Session,
    *,
    force: bool = False,
    document_dir: str | Path | None = None,
    today: date | None = None,
) -> tuple[m.Evaluation, list[tuple[str, str]], bool]:
    """Load the demo (users and evaluation); flush, no commit. With `document_dir`, the
    demo's document files are put into that document store too; with `today`, its dates
    are moved to have ended before that day (`demo_scenario`).

    Returns (evaluation, [(username, role)], created). Without `force`, an evaluation
    already loaded under the demo's title is returned as it is.
    """
    if document_dir is not None:
        store_demo_documents(document_dir)
    from rfp.scenario.store import import_scenario

    doc = demo_scenario(today)
    logins = [(u, role or "admin") for u, _n, _e, role in DEMO_PEOPLE]
    existing = session.scalar(
        select(m.Evaluation)
        .where(m.Evaluation.title == doc["evaluation"]["title"])
        .order_by(m.Evaluation.id)
    )
    users = {}
    for username, name, email, role in DEMO_PEOPLE:
        user = session.scalar(select(m.User).where(m.User.username == username))
        if user is None:
            user = m.User(username=username, name=name, email=email, is_admin=role is None)
            session.add(user)
        if user.password_hash is None:
            user.set_password(DEMO_PASSWORD)
        users[username] = user
    session.flush()
    if existing is not None and not force:
        return existing, logins, False
    evaluation = import_scenario(session, doc, lead=users["morgan"], actor="demo")
    session.add(
        m.Membership(
            evaluation_id=evaluation.id, user_id=users["elena"].id, role="viewer", key="elena"
        )
    )
    session.flush()
    return evaluation, logins, True
