"""With CSRF checks on (the test default is off), every POST route of the URL map, the
vendor portal's included, refuses a request without a valid token with 400, when made
by someone allowed to call it, and writes nothing; with the token the same kind of
request goes through.

Who calls each route, and at which stage, comes from the authorization table (the first
role it allows); the data is what would change something if the token were not
checked (EFFECTIVE_POSTS), so that "nothing written" means something.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from rfp import models as m
from tests.app.authorization_table import OK, ROLES, TABLE, Row
from tests.fixtures.demo_world import (
    PASSWORD,
    VENDOR,
    World,
    build_world,
    csrf_token_of,
    fast_hashing_for_module,  # noqa: F401  (module fixture)
    make_app,
    module_database_url,
)

CALLERS = ("lead", "admin", "evaluator", "conflicted", "viewer", "stranger", "anonymous")


@pytest.fixture(scope="module")
def world(tmp_path_factory, worker_id, fast_hashing_for_module) -> Any:  # noqa: F811
    folder = tmp_path_factory.mktemp("csrf")
    app = make_app(module_database_url(folder, "csrf", worker_id), folder, csrf=True)
    built = build_world(app, report=False, sentinels=False)
    yield built
    built.db.dispose()


def _post_rows(app: Any) -> list[Row]:
    """One row per POST route of the URL map: the first of the table (its stage and
    allowed roles), or for a route the table lacks yet, the lead at consensus."""
    rows: dict[str, Row] = {}
    for row in TABLE:
        if row.method == "POST":
            rows.setdefault(row.endpoint, row)
    posts = sorted({r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods})
    fallback = dict.fromkeys(ROLES, 403) | {"lead": OK}
    return [
        rows.get(endpoint) or Row(endpoint, "POST", "consensus", fallback) for endpoint in posts
    ]


def _effective_data(world: World, row: Row) -> dict[str, Any]:
    """Form data that would change something if the token were not checked."""
    ids = world.at(row.stage or "consensus")
    vendor, criterion = ids.vendors[VENDOR], ids.criteria["tooling"]
    long_password = "another-long-password-2027"
    return {
        "auth.login": {"username": "dana", "password": PASSWORD},
        "auth.change_password": {
            "current": PASSWORD,
            "new": long_password,
            "confirm": long_password,
        },
        "admin.new_user": {"username": "csrf-user", "name": "C", "password": long_password},
        "admin.edit_user": {"username": "elena", "name": "Renamed", "active": "y"},
        "evaluations.new": {"start": "blank", "title": "Made without a token"},
        "evaluations.settings": {"title": "Renamed without a token"},
        "criteria.save_weights": {f"criterion-{criterion}": "30", "reason": "r"},
        "criteria.new_criterion": {"name": "Innovation", "kind": "scored", "weight": "5"},
        "criteria.edit_criterion": {"name": "Tools", "kind": "scored", "weight": "15"},
        "criteria.new_question": {"text": "Q", "kind": "scored", "weight": "1"},
        "criteria.edit_question": {"text": "Q", "kind": "scored", "weight": "1"},
        "vendors.new": {"name": "Late CX"},
        "vendors.edit": {"name": "Renamed CX"},
        "vendors.response": {"pricing_model": "per_hour", "rate": "20"},
        "members.add": {
            "role": "viewer",
            "account": "new",
            "name": "Late",
            "email": "late@fernbrook.example",
        },
        "auth.forgot_password": {"email": "dana.whitfield@fernbrook.example"},
        "auth.set_password": {"password": long_password, "confirm": long_password},
        "stages.advance": {"to": "open"},
        "stages.back": {"reason": "r"},
        "stages.decide": {"vendor_id": str(vendor), "rationale": "r"},
        "scorecards.conflicts": {f"conflict-{vendor}": "no"},
        "scorecards.save": {f"score-{ids.questions['timezone']}": "3"},
        "references.create": {
            "vendor_id": str(vendor),
            "company": "Acme",
            "call_date": "2026-10-01",
            "similar_business": "yes",
            "rating": "4",
            "would_sign_again": "yes",
        },
        "consensus.record": {"score": "3", "rationale": "r"},
        "reports.generate": {"kind": "xlsx"},
        "letters.edit": {"opening": "Saved without a token"},
        "portal.response": {"action": "save", "answer_timezone": "x"},
        "pilot.shortlist": {f"role_{vendor}": "champion"},
        "pilot.baseline": {"baseline_fcr_pct": "71"},
        "pilot.weeks": {"w1_fcr_pct": "75"},
        "pilot.verdict": {f"v{vendor}-verdict": "unwind", f"v{vendor}-reason": "r"},
        "pilot.award": {f"share_{vendor}": "100", "rationale": "r"},
    }.get(row.endpoint, {"reason": "r"})


def _caller(row: Row) -> str:
    if row.endpoint == "auth.login":
        return "anonymous"  # logging in is what a token-less request would do
    return next(role for role in CALLERS if row.expected[role] == OK)


def _url(world: World, row: Row) -> str:
    return world.url(world.rule(row.endpoint, "POST"), row.stage)


@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_every_post_route_refuses_a_request_without_a_valid_token(world, token):
    refused = []
    for row in _post_rows(world.app):
        caller = _caller(row)
        client = world.client(caller)
        data = dict(_effective_data(world, row))
        if token == "wrong":
            data["csrf_token"] = "IjAxMjM0NTY3ODki.not-a-token"
        before = world.row_counts()
        if row.endpoint == "scorecards.save_one":
            headers = {"X-CSRFToken": data["csrf_token"]} if token == "wrong" else {}
            response = client.post(_url(world, row), json={"score": 3}, headers=headers)
        else:
            response = client.post(_url(world, row), data=data)
        body = response.get_data(as_text=True)
        if response.status_code != 400 or not re.search(r"security token|page has expired", body):
            refused.append(f"{caller} POST {row.endpoint}: {response.status_code}")
        assert world.row_counts() == before, f"{caller} POST {row.endpoint} wrote something"
        if row.endpoint == "auth.logout":
            assert client.get("/evaluations").status_code == 200, "logged out without a token"
        if row.endpoint == "auth.login":
            assert client.get("/evaluations").status_code == 302, "logged in without a token"
    assert not refused, "POST routes that did not refuse a missing/wrong CSRF token:\n" + (
        "\n".join(refused)
    )
    with world.db.transaction() as s:
        assert s.get(m.User, world.users["elena"]).name == "Elena Brooks (CFO)"


def test_with_its_token_the_same_kind_of_request_goes_through(world):
    """The lead starts an evaluation with the form's token: proof the test can tell."""
    client = world.client("lead")
    page = client.get("/evaluations/new").get_data(as_text=True)
    before = world.row_counts()
    response = client.post(
        "/evaluations/new",
        data={"start": "blank", "title": "Made with a token", "csrf_token": csrf_token_of(page)},
    )
    assert response.status_code == 302
    assert world.row_counts()["evaluations"] == before["evaluations"] + 1


def test_the_scorecard_json_save_takes_its_token_from_the_header(world):
    """Save-as-you-go sends the token in X-CSRFToken: with it, the refusal is no longer
    about the token (Dana's scorecard is submitted, so the answer is 409, locked)."""
    ids = world.at("scoring")
    client = world.client("evaluator")
    vendor = ids.vendors["cottonwood"]
    page = client.get(f"/evaluations/{ids.evaluation}/scorecards/{vendor}")
    token = csrf_token_of(page.get_data(as_text=True))
    url = f"/evaluations/{ids.evaluation}/scorecards/{vendor}/questions/{ids.questions['timezone']}"
    assert client.post(url, json={"score": 3}).status_code == 400
    response = client.post(url, json={"score": 3}, headers={"X-CSRFToken": token})
    assert response.status_code == 409
    assert "locked" in response.get_json()["error"]
