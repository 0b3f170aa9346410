"""A vendor's link opens its own response and nothing else: not another vendor's, not
any other page of the app. Links are stored only as hashes and refused alike whether
they are unknown, revoked or expired."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from rfp import models as m
from rfp.areas.intake.tokens import hash_token
from rfp.core.db import utcnow

BETA_SECRET = "Beta's confidential answer: 412 agents in Cebu"
BETA_RATE = "9.75"


@pytest.fixture
def two_links(client: Any, world: Any) -> tuple[str, str]:
    """Vendor beta has a saved draft with a secret answer; alpha has a link of its own."""
    beta = world.link("beta")
    client.post(
        f"/portal/{beta}",
        data={
            "answer_timezone": BETA_SECRET,
            "pricing_model": "per_hour",
            "rate": BETA_RATE,
            "action": "save",
        },
    )
    assert world.response("beta")["answers"] == {"timezone": BETA_SECRET}
    return world.link("alpha"), beta


def _url_for_rule(rule: Any, world: Any, token: str) -> str:
    """Fill a rule's arguments: ids of beta's things for numbers, alpha's token for text."""
    values: dict[str, Any] = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if type(converter).__name__ in ("IntegerConverter", "FloatConverter"):
            values[name] = world.evaluation if "evaluation" in name else world.vendors["beta"]
        else:
            values[name] = token
    path = rule.build(values, append_unknown=False)[1]
    return f"{path}?token={token}&vendor={world.vendors['beta']}"


def test_alpha_s_token_opens_no_other_route_of_the_app(app, world, two_links):
    alpha, _beta = two_links
    beta_name = "Beta Support"
    # Endpoints an anonymous visitor may get a 200 from, and what they may show: logging
    # in, asking for a new password, and the set-password page (which opens nothing for a
    # portal token: "This link no longer works").
    public = {"auth.login", "auth.forgot_password", "auth.set_password", "static"}
    checked = 0
    for rule in app.url_map.iter_rules():
        url = _url_for_rule(rule, world, alpha)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            client = app.test_client()  # no cookies: nobody is logged in
            response = client.open(url, method=method, data={"token": alpha})
            body = response.data
            checked += 1
            assert BETA_SECRET.encode() not in body, (method, url)
            assert BETA_RATE.encode() not in body, (method, url)
            if rule.endpoint.startswith(("portal.", "portal_")):
                assert beta_name.encode() not in body, (method, url)
                continue  # alpha's own portal pages
            if response.status_code == 200:
                assert rule.endpoint in public, (method, url, response.status_code)
                continue
            assert response.status_code in (302, 400, 401, 403, 404, 405), (method, url)
            if response.status_code == 302:
                expected = (
                    "/account/set-password"
                    if rule.endpoint == "auth.set_password_link"
                    else "/login"
                )
                assert expected in response.headers["Location"], (method, url)
            if rule.endpoint == "auth.set_password":
                assert b"This link no longer works" in body
    assert checked > 20


def test_alpha_s_saves_never_touch_beta_s_response(client, world, two_links):
    alpha, _beta = two_links
    before = world.response("beta")
    client.post(
        f"/portal/{alpha}",
        data={
            "answer_timezone": "Alpha's answer",
            "pricing_model": "per_contact",
            "rate": "3",
            "vendor_id": str(world.vendors["beta"]),
            "vendor": "beta",
            "action": "save",
        },
    )
    assert world.response("alpha")["answers"] == {"timezone": "Alpha's answer"}
    assert world.response("beta") == before


def test_alpha_s_pages_show_nothing_of_beta(client, world, two_links):
    alpha, _beta = two_links
    for path in ("", "/questionnaire.xlsx"):
        response = client.get(f"/portal/{alpha}{path}")
        assert response.status_code == 200
        assert b"Beta Support" not in response.data
        assert BETA_SECRET.encode() not in response.data


def _refusal(client: Any, token: str) -> tuple[int, str]:
    response = client.get(f"/portal/{token}")
    return response.status_code, response.get_data(as_text=True)


def test_revoked_expired_unknown_and_malformed_links_are_refused_alike(app, client, auth, world):
    revoked = world.link("alpha")
    auth.login("lena")
    with world.db.transaction() as s:
        link_id = s.scalar(select(m.VendorLink.id).where(m.VendorLink.revoked_at.is_(None)))
    assert (
        client.post(f"/evaluations/{world.evaluation}/intake/links/{link_id}/revoke").status_code
        == 302
    )
    auth.logout()
    expired = world.link("beta")
    with world.db.transaction() as s:
        link = s.scalar(select(m.VendorLink).where(m.VendorLink.revoked_at.is_(None)))
        link.expires_at = utcnow() - timedelta(seconds=1)
        s.get(m.Evaluation, world.evaluation).deadline = utcnow() - timedelta(seconds=1)
    unknown = "A" * 43
    refusals = {
        name: _refusal(app.test_client(), token)
        for name, token in (
            ("revoked", revoked),
            ("expired", expired),
            ("unknown", unknown),
            ("malformed", "not-a-token"),
        )
    }
    codes = {name: code for name, (code, _body) in refusals.items()}
    assert codes == {"revoked": 404, "expired": 404, "unknown": 404, "malformed": 404}
    bodies = {re.sub(r"/portal/[^\"']*", "", body) for _code, body in refusals.values()}
    assert len(bodies) == 1  # the same page, whatever the reason
    assert "This link is not valid" in bodies.pop()
    for token in (revoked, expired):
        assert client.post(f"/portal/{token}", data={"action": "save"}).status_code == 404
        assert client.post(f"/portal/{token}/upload").status_code == 404


def test_a_new_link_replaces_the_vendor_s_earlier_one(client, world):
    first = world.link("alpha")
    second = world.link("alpha")
    assert client.get(f"/portal/{first}").status_code == 404
    assert client.get(f"/portal/{second}").status_code == 200


def test_tokens_are_never_stored_in_plain_text(client, auth, world):
    made = [world.link("alpha")]
    auth.login("lena")
    page = client.post(
        f"/evaluations/{world.evaluation}/intake/vendors/{world.vendors['beta']}/links"
    ).get_data(as_text=True)
    made.append(re.search(r"/portal/([A-Za-z0-9_-]{43})", page).group(1))
    auth.logout()
    for token in made:  # used, so that last-used and audit rows exist too
        client.post(f"/portal/{token}", data={"answer_timezone": "x", "action": "save"})
    found = []
    with world.db.transaction() as s:
        for table in m.Answer.metadata.sorted_tables:
            for row in s.execute(select(table)):
                for column, value in zip(table.columns, row, strict=True):
                    if any(token in str(value) for token in made):
                        found.append(f"{table.name}.{column.name}")
        hashes = set(s.scalars(select(m.VendorLink.token_hash)))
        sqlite = s.bind.dialect.name == "sqlite"
        if sqlite:  # write the WAL back, so that the file holds every page written
            assert s.execute(text("PRAGMA wal_checkpoint(FULL)")).all()
    assert found == []
    assert {hash_token(t) for t in made} <= hashes
    if sqlite:  # not even in a free page of the database file
        raw = Path(world.db.engine.url.database).read_bytes()
        assert not any(t.encode() in raw for t in made)
