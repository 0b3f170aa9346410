"""Who may open each set-up route, CSRF on every set-up POST, and read-only once decided.

The expected answer of every (role, route) pair is in EXPECTED below; the routes are
read from the app's URL map, so a new set-up route cannot go untested.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.fixtures.evaluations import make_user, membership_id, set_stage
from tests.fixtures.setup import criterion_id, question_id

SETUP_BLUEPRINTS = ("evaluations", "criteria", "vendors", "members", "stages", "audit")
# Routes every member may read (DESIGN.md: criteria, vendors and scope are theirs to see;
# sealed responses are hidden inside the page, see test_setup_vendors).
READ_ROUTES = {"evaluations.overview", "criteria.index", "vendors.index", "vendors.detail"}
POST_ROUTES = {
    "evaluations.new",
    "evaluations.settings",
    "criteria.save_weights",
    "criteria.new_criterion",
    "criteria.edit_criterion",
    "criteria.delete_criterion",
    "criteria.move_criterion",
    "criteria.new_question",
    "criteria.edit_question",
    "criteria.delete_question",
    "criteria.move_question",
    "vendors.new",
    "vendors.edit",
    "vendors.response",
    "vendors.remove",
    "vendors.amend",
    "members.add",
    "members.edit",
    "members.remove",
    "members.reactivate",
    "members.reopen",
    "members.invite",
    "members.pending",  # issue 14: the people a scenario import named
    "stages.readiness",
    "stages.advance",
    "stages.back",
    "stages.decide",
}
# Routes that answer 409 in draft to those who may use them: an amendment changes a
# frozen response, and in draft nothing is frozen yet (issue 10).
CONFLICT_IN_DRAFT = {"vendors.amend"}
# role -> (answer on READ_ROUTES, answer on every other evaluation route)
EXPECTED = {
    "anonymous": (302, 302),
    "stranger": (404, 404),  # logged in, no part in the evaluation
    "viewer": (200, 403),
    "evaluator": (200, 403),
    "lead": (200, 200),
    "admin": (200, 200),
}
LOGINS = {"viewer": "elena", "evaluator": "dana", "lead": "morgan", "admin": "admin"}


def _setup_rules(app: Any) -> list[Any]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in SETUP_BLUEPRINTS),
        key=lambda r: r.rule,
    )


def _url(rule: Any, ids: dict[str, Any]) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[a-z]+:)?{name}>", str(ids[name]), url)
    return url


@pytest.fixture
def ids(db, demo) -> dict[str, Any]:
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")  # every lead route answers in draft
    return {
        "evaluation_id": evaluation_id,
        "criterion_id": criterion_id(db, evaluation_id, "tooling"),
        "question_id": question_id(db, evaluation_id, "helpdesk"),
        "vendor_id": demo["puente_norte"],
        "membership_id": membership_id(db, evaluation_id, "priya"),
        "direction": "down",
    }


def test_the_setup_post_routes_are_the_ones_listed(app):
    posts = {r.endpoint for r in _setup_rules(app) if "POST" in r.methods}
    assert posts == POST_ROUTES


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_gets_the_expected_answer_on_every_setup_route(app, client, auth, db, ids, role):
    if role == "stranger":
        make_user(db, "stranger")
        auth.login("stranger")
    elif role != "anonymous":
        auth.login(LOGINS[role])
    read_answer, other_answer = EXPECTED[role]
    posted = set()
    for rule in _setup_rules(app):
        url = _url(rule, ids)
        if rule.endpoint == "evaluations.new":
            expected = 302 if role == "anonymous" else 200
        elif rule.endpoint in READ_ROUTES:
            expected = read_answer
        elif rule.endpoint in CONFLICT_IN_DRAFT and other_answer == 200:
            expected = 409
        else:
            expected = other_answer
        methods = ["GET"] if "GET" in rule.methods else []
        if "POST" in rule.methods and expected != 200:
            methods.append("POST")  # refused POSTs: the same answer, nothing written
        for method in methods:
            response = client.open(url, method=method, data={})
            assert response.status_code == expected, (role, method, url)
            if expected == 302:
                assert "/login" in response.headers["Location"]
            if expected in (403, 404):
                assert b"Puente Norte" not in response.data
            if method == "POST":
                posted.add(rule.endpoint)
    if other_answer != 200:
        assert posted | {"evaluations.new"} == POST_ROUTES


def test_an_evaluator_with_a_conflict_still_reads_the_vendor_page_without_its_response(
    client, auth, db, ids
):
    from rfp import models as m

    set_stage(db, ids["evaluation_id"], "scoring")
    with db.transaction() as s:
        s.add(
            m.ConflictDeclaration(
                membership_id=membership_id(db, ids["evaluation_id"], "dana"),
                vendor_id=ids["vendor_id"],
            )
        )
    auth.login("dana")
    response = client.get(f"/evaluations/{ids['evaluation_id']}/vendors/{ids['vendor_id']}")
    assert response.status_code == 200
    assert b"You declared a conflict of interest" in response.data


def _valid_post_data(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    """Data that would change something, so that only the stage can refuse it."""
    return {
        "criteria.save_weights": {f"criterion-{ids['criterion_id']}": "30", "reason": "r"},
        "criteria.new_criterion": {
            "name": "Innovation",
            "kind": "scored",
            "weight": "5",
            "reason": "r",
        },
        "criteria.edit_criterion": {
            "name": "Tools",
            "kind": "scored",
            "weight": "15",
            "reason": "r",
        },
        "criteria.new_question": {"text": "Q", "kind": "scored", "weight": "1", "reason": "r"},
        "criteria.edit_question": {"text": "Q", "kind": "scored", "weight": "1", "reason": "r"},
        "vendors.new": {"name": "Late CX"},
        "vendors.edit": {"name": "Renamed CX"},
        "members.add": {
            "role": "viewer",
            "account": "new",
            "name": "Late",
            "email": "late@fernbrook.example",
        },
        "members.remove": {"reason": "r"},
        "members.reopen": {"reason": "r"},
        "stages.advance": {"to": "open"},
        "stages.back": {"reason": "r"},
        "stages.decide": {"vendor_id": str(ids["vendor_id"]), "rationale": "r"},
        "evaluations.settings": {"title": "Renamed"},
    }.get(endpoint, {"reason": "r"})


def test_once_decided_every_setup_post_answers_409_and_writes_nothing(app, client, auth, db, ids):
    from rfp import models as m
    from tests.fixtures.setup import count

    set_stage(db, ids["evaluation_id"], "decided")
    auth.login("morgan")
    before = count(db, m.AuditEvent)
    for rule in _setup_rules(app):
        if "POST" not in rule.methods or rule.endpoint == "evaluations.new":
            continue
        response = client.post(_url(rule, ids), data=_valid_post_data(rule.endpoint, ids))
        assert response.status_code == 409, rule.endpoint
    assert count(db, m.AuditEvent) == before


def test_every_setup_post_rejects_a_request_without_a_csrf_token(csrf_app):
    from rfp.demo import load_demo

    database = csrf_app.extensions["rfp.core.db"]
    with database.transaction() as s:
        evaluation, _logins, _created = load_demo(s)
        evaluation.stage = "draft"
        puente_norte = evaluation.vendors[1].id
    ids = {
        "evaluation_id": evaluation.id,
        "criterion_id": criterion_id(database, evaluation.id, "tooling"),
        "question_id": question_id(database, evaluation.id, "helpdesk"),
        "vendor_id": puente_norte,
        "membership_id": membership_id(database, evaluation.id, "priya"),
        "direction": "down",
    }
    client = csrf_app.test_client()
    login_page = client.get("/login").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    response = client.post(
        "/login", data={"username": "morgan", "password": "rfp-demo-2027", "csrf_token": token}
    )
    assert response.status_code == 302
    rules = [r for r in _setup_rules(csrf_app) if "POST" in r.methods]
    assert {r.endpoint for r in rules} == POST_ROUTES
    for rule in rules:
        response = client.post(_url(rule, ids), data=_valid_post_data(rule.endpoint, ids))
        assert response.status_code == 400, rule.endpoint
        assert b"security token" in response.data
    # and with the token, a POST goes through
    page = client.get(f"/evaluations/{evaluation.id}/criteria").data.decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    response = client.post(
        f"/evaluations/{evaluation.id}/criteria/{ids['criterion_id']}/move/down",
        data={"csrf_token": token},
    )
    assert response.status_code == 302
