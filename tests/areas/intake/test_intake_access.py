"""Who may use the intake pages, what sealing hides, two envelopes, and CSRF."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.areas.stages.operations import advance
from rfp.core.access import Access
from rfp.core.db import utcnow

SECRET = "Our Cebu site runs 24/7 with 412 agents"


def intake_routes(world: Any, link_id: int = 1) -> list[tuple[str, str]]:
    ev, vendor = world.evaluation, world.vendors["alpha"]
    base = f"/evaluations/{ev}/intake"
    return [
        ("GET", base),
        ("GET", f"{base}/vendors/{vendor}"),
        ("GET", f"{base}/vendors/{vendor}/questionnaire.xlsx"),
        ("POST", f"{base}/vendors/{vendor}/links"),
        ("POST", f"{base}/vendors/{vendor}/invite"),
        ("POST", f"{base}/links/{link_id}/revoke"),
        ("POST", f"{base}/vendors/{vendor}/reopen"),
        ("POST", f"{base}/vendors/{vendor}/upload"),
    ]


@pytest.fixture
def answered(client: Any, world: Any) -> str:
    """Alpha has submitted a response with a secret answer and a price."""
    token = world.link("alpha")
    client.post(
        f"/portal/{token}",
        data={
            "answer_timezone": SECRET,
            "pricing_model": "per_hour",
            "rate": "17.25",
            "knockout_soc2": "yes",
            "evidence_soc2": "Report 2026",
            "action": "submit",
            "confirm": "y",
        },
    )
    assert world.response("alpha")["status"] == "submitted"
    return token


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for method, url in intake_routes(world):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("username", "status"), [("otto", 404), ("ana", 403), ("vic", 403)])
def test_non_members_get_404_and_evaluators_and_viewers_403(client, auth, world, username, status):
    world.link("alpha")
    before = world.snapshot()
    auth.login(username)
    for method, url in intake_routes(world):
        assert client.open(url, method=method).status_code == status, (method, url)
    assert world.snapshot() == before


def _row(html: str, vendor_id: int) -> str:
    return re.search(rf'<tr id="vendor-{vendor_id}">(.*?)</tr>', html, re.S).group(1)


def test_the_lead_opens_intake_and_sees_status_only_while_sealed(client, auth, world, answered):
    auth.login("lena")
    index = client.get(f"/evaluations/{world.evaluation}/intake")
    assert index.status_code == 200
    html = index.get_data(as_text=True)
    assert "Responses are sealed" in html
    row = _row(html, world.vendors["alpha"])
    assert "received" in row
    # 1 of 5 questions (timezone), 1 of 1 knockout, a price.
    assert "1/5 questions" in row and "1/1 knockouts" in row and "price given" in row
    beta = _row(html, world.vendors["beta"])
    assert "not started" in beta
    vendor = client.get(f"/evaluations/{world.evaluation}/intake/vendors/{world.vendors['alpha']}")
    page = vendor.get_data(as_text=True)
    assert "Sealed until scoring opens" in page
    for sealed in (SECRET, "17.25", "Report 2026", "$17"):
        assert sealed not in html and sealed not in page


def test_once_scoring_opens_the_lead_reads_the_response_and_the_audit_has_the_times(
    client, auth, world, answered
):
    with world.db.transaction() as s:
        evaluation = s.get(m.Evaluation, world.evaluation)
        lead = s.get(m.User, world.users["lena"])
        # The deadline is a week away: unsealing now needs a reason and a confirmation.
        advance(s, evaluation, lead, "scoring", reason="Every vendor is in", confirmed=True)
    auth.login("lena")
    page = client.get(
        f"/evaluations/{world.evaluation}/intake/vendors/{world.vendors['alpha']}"
    ).get_data(as_text=True)
    assert SECRET in page and "$17.25" in page and "Report 2026" in page
    with world.db.transaction() as s:
        events = {e.action: e for e in s.scalars(select(m.AuditEvent))}
        unsealed_at = s.get(m.Evaluation, world.evaluation).unsealed_at
    assert events["response.submitted"].new["submitted_at"]
    assert "responses.unsealed" in events
    assert unsealed_at is not None and events["responses.unsealed"].at <= utcnow()
    assert events["response.submitted"].at <= events["responses.unsealed"].at


def test_evaluators_get_nothing_from_intake_even_after_unsealing(client, auth, world, answered):
    world.set(stage="scoring")
    auth.login("ana")
    for method, url in intake_routes(world):
        response = client.open(url, method=method)
        assert response.status_code == 403
        assert SECRET.encode() not in response.data


def test_a_submitted_response_can_no_longer_be_reopened_once_unsealed(
    client, auth, world, answered
):
    world.set(stage="scoring")
    auth.login("lena")
    client.post(f"/evaluations/{world.evaluation}/intake/vendors/{world.vendors['alpha']}/reopen")
    assert world.response("alpha")["status"] == "submitted"


# -- two envelopes ---------------------------------------------------------------------------


def _access(s: Any, world: Any, username: str) -> Access:
    user = s.get(m.User, world.users[username])
    membership = s.scalar(
        select(m.Membership).where(
            m.Membership.evaluation_id == world.evaluation, m.Membership.user_id == user.id
        )
    )
    return Access(
        evaluation=s.get(m.Evaluation, world.evaluation), user=user, membership=membership
    )


def _pricing_visible(world: Any) -> dict[str, bool]:
    with world.db.transaction() as s:
        return {u: _access(s, world, u).can_see_pricing() for u in ("lena", "ana", "raj", "vic")}


def test_with_two_envelopes_evaluators_see_prices_only_after_submitting_quality_scores(world):
    world.set(two_envelope=True)
    assert _pricing_visible(world) == {"lena": True, "ana": False, "raj": False, "vic": False}
    world.set(stage="scoring")
    assert _pricing_visible(world) == {"lena": True, "ana": False, "raj": False, "vic": True}
    with world.db.transaction() as s:
        ana = s.scalar(select(m.Membership).where(m.Membership.key == "ana"))
        ana.submitted_at = utcnow()
    assert _pricing_visible(world) == {"lena": True, "ana": True, "raj": False, "vic": True}


def test_with_one_envelope_prices_are_unsealed_with_the_answers(world):
    world.set(two_envelope=False)
    assert _pricing_visible(world) == {"lena": True, "ana": False, "raj": False, "vic": False}
    world.set(stage="scoring")
    assert _pricing_visible(world) == {"lena": True, "ana": True, "raj": True, "vic": True}


def test_the_cost_criterion_is_computed_whatever_the_envelopes(client, world, answered):
    from rfp.domain.scoring import score_evaluation
    from rfp.models.adapter import load_scoring_input

    world.set(two_envelope=True, stage="scoring")
    with world.db.transaction() as s:
        result = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, world.evaluation)))
    alpha = result.vendor("alpha")
    # H = 20000 * 6 / 60 / 0.8 = 2500 h; TCO = 24 * 2500 * 17.25 = 1,035,000 (no fees,
    # no overhead); alpha is the only vendor with a price: 100 on cost.
    assert alpha.cost.tco == pytest.approx(1_035_000)
    assert alpha.criteria["cost"] == pytest.approx(100)


# -- CSRF ------------------------------------------------------------------------------------


def test_every_intake_and_portal_post_needs_its_csrf_token(csrf_app, world):
    token = world.link("alpha")
    with world.db.transaction() as s:
        link_id = s.scalar(select(m.VendorLink.id))
    client = csrf_app.test_client()
    login = client.get("/login").get_data(as_text=True)
    csrf = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" '
        r'value="([^"]+)"',
        login,
    )
    csrf_token = next(g for g in csrf.groups() if g)
    assert (
        client.post(
            "/login",
            data={"username": "lena", "password": "rfp-demo-2027", "csrf_token": csrf_token},
        ).status_code
        == 302
    )
    posts = [url for method, url in intake_routes(world, link_id) if method == "POST"]
    posts += [f"/portal/{token}", f"/portal/{token}/upload"]
    rules = {
        r.endpoint
        for r in csrf_app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith(("portal.", "intake."))
    }
    assert len(rules) == len(posts)  # every POST route of the two areas is tried
    before = world.snapshot()
    for url in posts:
        refused = client.post(url, data={"action": "save", "answer_timezone": "x"})
        assert refused.status_code == 400, url
        assert b"security token" in refused.data or b"page has expired" in refused.data
    assert world.snapshot() == before
    # With the token the same request goes through.
    page = client.get(f"/portal/{token}").get_data(as_text=True)
    form_token = re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page
    ).group(1)
    saved = client.post(
        f"/portal/{token}",
        data={"action": "save", "answer_timezone": "x", "csrf_token": form_token},
    )
    assert saved.status_code == 302
    assert world.response("alpha")["answers"] == {"timezone": "x"}


def test_links_are_refused_without_a_future_deadline(client, auth, world):
    auth.login("lena")
    url = f"/evaluations/{world.evaluation}/intake/vendors/{world.vendors['alpha']}/links"
    world.set(deadline=None)
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "set the response deadline first" in page
    world.set(deadline=utcnow() - timedelta(hours=1))
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "the response deadline has passed" in page
    with world.db.transaction() as s:
        assert s.scalar(select(m.VendorLink)) is None


def test_a_made_link_is_shown_once_and_audited_without_the_token(client, auth, world):
    auth.login("lena")
    page = client.post(
        f"/evaluations/{world.evaluation}/intake/vendors/{world.vendors['alpha']}/links"
    )
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    token = re.search(r"/portal/([A-Za-z0-9_-]{43})", page.get_data(as_text=True)).group(1)
    again = client.get(f"/evaluations/{world.evaluation}/intake").get_data(as_text=True)
    assert token not in again
    assert "active" in again
    with world.db.transaction() as s:
        [event] = s.scalars(
            select(m.AuditEvent).where(m.AuditEvent.action == "vendor_link.created")
        )
        assert event.target == "Alpha CX"
        assert token not in str(event.new)
