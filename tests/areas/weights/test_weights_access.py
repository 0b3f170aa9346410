"""Who may open each route of decision support, and CSRF on every new POST route.

anonymous -> the login page; no part in the evaluation -> 404; a role that may not ->
403. The weights page and applying are the lead's (and admin's); a comparison is the
lead's own or an invited evaluator's; choosing the price formula is the lead's.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from tests.fixtures.decision_web import PASSWORD, comparison, criterion_keys
from tests.fixtures.evaluations import events, membership_id, set_stage


def _stranger(db: Any) -> None:
    with db.transaction() as s:
        user = m.User(username="stranger", name="Stan Stranger")
        user.set_password(PASSWORD)
        s.add(user)


def _routes(ev: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"/evaluations/{ev}/weights"),
        ("POST", f"/evaluations/{ev}/weights/participants"),
        ("GET", f"/evaluations/{ev}/weights/judgment"),
        ("POST", f"/evaluations/{ev}/weights/judgment"),
        ("POST", f"/evaluations/{ev}/weights/apply"),
        ("POST", f"/evaluations/{ev}/price-formula"),
    ]


def _call(client: Any, method: str, url: str) -> Any:
    return client.get(url) if method == "GET" else client.post(url, data={})


@pytest.fixture
def draft_demo(db, demo):
    set_stage(db, demo["evaluation"], "draft")
    _stranger(db)
    return demo


def test_anonymous_visitors_are_sent_to_the_login_page(client, draft_demo):
    for method, url in _routes(draft_demo["evaluation"]):
        response = _call(client, method, url)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"], (method, url)


def test_someone_with_no_part_in_the_evaluation_gets_404(client, auth, draft_demo):
    auth.login("stranger")
    for method, url in _routes(draft_demo["evaluation"]):
        assert _call(client, method, url).status_code == 404, (method, url)


@pytest.mark.parametrize("username", ["elena", "dana"])
def test_viewers_and_evaluators_may_not_use_the_leads_routes(client, auth, draft_demo, username):
    auth.login(username)
    for method, url in _routes(draft_demo["evaluation"]):
        # Neither is invited: their own comparison is closed too.
        response = _call(client, method, url)
        assert response.status_code == 403, (username, method, url)
        assert b"Combined result" not in response.data


def test_an_invited_evaluator_opens_only_their_own_comparison(client, auth, db, draft_demo):
    ev = draft_demo["evaluation"]
    with db.transaction() as s:
        s.get(m.Membership, membership_id(db, ev, "dana")).ahp_invited = True
    auth.login("dana")
    for method, url in _routes(ev):
        expected = 200 if url.endswith("/judgment") and method == "GET" else 403
        if url.endswith("/judgment") and method == "POST":
            expected = 200  # an empty form: shown again with every pair marked
        assert _call(client, method, url).status_code == expected, (method, url)


def test_the_lead_and_admin_open_the_weights_page_admin_judges_only_as_a_member(
    client, auth, draft_demo
):
    ev = draft_demo["evaluation"]
    for username in ("morgan", "admin"):
        auth.login(username)
        assert client.get(f"/evaluations/{ev}/weights").status_code == 200
        expected = 200 if username == "morgan" else 403
        assert client.get(f"/evaluations/{ev}/weights/judgment").status_code == expected
        auth.logout()


def test_the_weights_tab_shows_for_the_lead_only(client, auth, draft_demo):
    ev = draft_demo["evaluation"]
    auth.login("morgan")
    assert f'href="/evaluations/{ev}/weights"' in client.get(f"/evaluations/{ev}").data.decode()
    auth.logout()
    auth.login("dana")
    assert f'href="/evaluations/{ev}/weights"' not in client.get(f"/evaluations/{ev}").data.decode()


def test_an_invited_evaluator_finds_the_comparison_among_their_next_steps(
    client, auth, db, draft_demo
):
    ev = draft_demo["evaluation"]
    with db.transaction() as s:
        s.get(m.Membership, membership_id(db, ev, "dana")).ahp_invited = True
    auth.login("dana")
    page = client.get(f"/evaluations/{ev}").data.decode()
    assert f'href="/evaluations/{ev}/weights/judgment"' in page
    assert "compare them two at a time" in page


# -- CSRF ----------------------------------------------------------------------------------


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_every_new_post_route_refuses_a_request_without_a_csrf_token(csrf_app):
    from rfp.demo import load_demo

    db = csrf_app.extensions["rfp.core.db"]
    with db.transaction() as s:
        evaluation, _logins, _created = load_demo(s)
        ev = evaluation.id
    set_stage(db, ev, "draft")
    client = csrf_app.test_client()
    token = _token(client.get("/login").data.decode())
    data = {"username": "morgan", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    keys = criterion_keys(db, ev)
    morgan = membership_id(db, ev, "morgan")
    posts = [
        (f"/evaluations/{ev}/weights/participants", {"participants": [morgan]}),
        (f"/evaluations/{ev}/weights/judgment", comparison(keys, ["eq"] * 15)),
        (f"/evaluations/{ev}/weights/apply", {}),
        (f"/evaluations/{ev}/price-formula", {"price_formula": "linear"}),
    ]
    for url, data in posts:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert b"security token" in response.data
    with db.transaction() as s:
        assert s.scalars(select(m.AhpJudgment)).all() == []
        assert s.get(m.Evaluation, ev).price_formula == "lowest_ratio"
    assert events(db, ev, "ahp.participants") == []
    # With the page's token each goes through.
    token = _token(client.get(f"/evaluations/{ev}/weights").data.decode())
    for url, data in posts:
        response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code == 302, url
    with db.transaction() as s:
        assert len(s.scalars(select(m.AhpJudgment)).all()) == 1
        assert s.get(m.Evaluation, ev).price_formula == "linear"
    assert len(events(db, ev, "criteria.weights_from_ahp")) == 1
