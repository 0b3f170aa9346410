"""Consensus (lead): flagged pairs with the panel's scores side by side, consensus
scores with a rationale that replace the aggregate, audited, in `consensus` only.

Data: the demo, in `consensus`. With the dispersion threshold of 2 points exactly one
pair is flagged: Tanglaw on `timezone`, Dana 2 and Luis 5 (range 3); Priya is limited
to compliance and tooling and does not score it. The demo records two consensus
scores: Tanglaw/timezone = 3 (resolving the flag) and Puente Norte/escalation = 4.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from rfp import models as m
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from tests.fixtures.evaluations import audit, make_user, set_stage


@pytest.fixture
def ids(db: Any, demo: dict[str, Any]) -> dict[str, Any]:
    with db.transaction() as s:
        ev = s.get(m.Evaluation, demo["evaluation"])
        out: dict[str, Any] = {"evaluation": ev.id}
        for v in ev.vendors:
            out[v.key] = v.id
        out["q"] = {
            q.key: q.id
            for q in s.scalars(select(m.Question).where(m.Question.evaluation_id == ev.id))
        }
    return out


def question_score(db: Any, ids: dict[str, Any], vendor: str, question: str) -> float | None:
    with db.transaction() as s:
        result = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, ids["evaluation"])))
    return result.vendor(vendor).questions[question]


def pair_url(ids: dict[str, Any], vendor: str, question: str, rest: str = "") -> str:
    return f"/evaluations/{ids['evaluation']}/consensus/{ids[vendor]}/{ids['q'][question]}{rest}"


def text_of(html: bytes) -> str:
    return " ".join(re.sub(rb"<[^>]+>", b" ", html).decode().split())


# -- the page ----------------------------------------------------------------------------


def test_flagged_pairs_show_every_evaluators_score_and_comment(client, auth, ids):
    auth.login("morgan")
    page = client.get(f"/evaluations/{ids['evaluation']}/consensus")
    assert page.status_code == 200
    text = text_of(page.data)
    assert "Flagged pairs 1 Resolved 1 Unresolved 0 Other consensus scores 1" in text
    flagged = text.split("Flagged for calibration", 1)[1].split("Other consensus scores", 1)[0]
    assert "Tanglaw Support Services · 1.1 Daily overlap with our business hours" in flagged
    assert "range 3 points" in flagged
    # Dana 2 and Luis 5 side by side with their justifications, each beside the consensus
    # 3 with the difference (3 - 2 = +1, 3 - 5 = -2); Priya does not score it.
    assert re.search(r"Dana Whitfield 2 3 \+1 Agents cover our hours on night shift", flagged)
    assert re.search(r"Luis Ortega 5 3 −2 Coverage overlap is 100 %", flagged)
    assert "Priya" not in flagged
    # panel mean (2 + 5) / 2 = 3.5 -> 70.0 of 100, 3 - 3.5 = -0.5 from the consensus;
    # the consensus 3 counts: 60.0 of 100
    assert "Panel mean 3.5 3 −0.5 70.0 of 100" in flagged
    assert "Counts now 3.0 60.0 of 100" in flagged


def test_a_consensus_score_replaces_the_aggregate_and_is_audited(client, auth, db, ids):
    auth.login("morgan")
    # Cottonwood/timezone: Dana 5, Luis 5 -> mean 100.0 before any consensus.
    assert question_score(db, ids, "cottonwood", "timezone") == pytest.approx(100.0)
    response = client.post(
        pair_url(ids, "cottonwood", "timezone"),
        data={"score": "3", "rationale": "Evenings rest on one on-call manager."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/consensus#pair-{ids['cottonwood']}-{ids['q']['timezone']}"
    )
    # 100 * (3 - 0) / (5 - 0) = 60
    assert question_score(db, ids, "cottonwood", "timezone") == pytest.approx(60.0)
    [recorded] = audit(db, "consensus.recorded")
    assert recorded.target == "Cottonwood Ridge CX, timezone"
    assert recorded.old is None
    assert recorded.new == {"score": 3.0, "rationale": "Evenings rest on one on-call manager."}

    client.post(
        pair_url(ids, "cottonwood", "timezone"),
        data={"score": "4", "rationale": "Checked the rota again."},
    )
    assert question_score(db, ids, "cottonwood", "timezone") == pytest.approx(80.0)
    [changed] = audit(db, "consensus.changed")
    assert changed.old == {"score": 3.0, "rationale": "Evenings rest on one on-call manager."}
    assert changed.new == {"score": 4.0, "rationale": "Checked the rota again."}

    page = client.get(f"/evaluations/{ids['evaluation']}/consensus")
    assert "Other consensus scores 2" in text_of(page.data)  # Puente Norte and this one

    assert client.post(pair_url(ids, "cottonwood", "timezone", "/remove")).status_code == 302
    assert question_score(db, ids, "cottonwood", "timezone") == pytest.approx(100.0)
    [removed] = audit(db, "consensus.removed")
    assert removed.old == {"score": 4.0, "rationale": "Checked the rota again."}
    assert client.post(pair_url(ids, "cottonwood", "timezone", "/remove")).status_code == 409


def test_removing_the_consensus_on_a_flagged_pair_makes_it_unresolved(client, auth, db, ids):
    auth.login("morgan")
    client.post(pair_url(ids, "tanglaw", "timezone", "/remove"))
    # the panel's mean counts again: (2 + 5) / 2 = 3.5 -> 70.0
    assert question_score(db, ids, "tanglaw", "timezone") == pytest.approx(70.0)
    text = text_of(client.get(f"/evaluations/{ids['evaluation']}/consensus").data)
    assert "Flagged pairs 1 Resolved 0 Unresolved 1" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"score": "3", "rationale": "   "}, b"Give the rationale for the consensus score."),
        ({"score": "3"}, b"Give the rationale for the consensus score."),
        ({"rationale": "agreed"}, b"Choose a consensus score."),
        ({"score": "9", "rationale": "agreed"}, b"Must be one of the scale&#39;s points"),
        ({"score": "2.5", "rationale": "agreed"}, b"Must be one of the scale&#39;s points"),
    ],
)
def test_a_consensus_score_needs_a_point_of_the_scale_and_a_rationale(
    client, auth, db, ids, data, message
):
    auth.login("morgan")
    response = client.post(pair_url(ids, "cottonwood", "timezone"), data=data)
    assert response.status_code == 200
    assert message in response.data
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(m.ConsensusScore)) == 2
    assert audit(db, "consensus.recorded") == []


def test_any_pair_can_be_opened_from_the_chooser(client, auth, ids):
    auth.login("morgan")
    response = client.get(
        f"/evaluations/{ids['evaluation']}/consensus/pick"
        f"?vendor={ids['valle_claro']}&question={ids['q']['ramp']}"
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert b"Valle Claro Soluciones" in page.data and b"Record consensus" in page.data
    knockout = pair_url(ids, "valle_claro", "soc2")
    assert client.get(knockout).status_code == 404


# -- stages and roles --------------------------------------------------------------------


def test_consensus_scores_are_recorded_in_consensus_only(client, auth, db, ids):
    auth.login("morgan")
    data = {"score": "3", "rationale": "agreed"}
    for stage in ("scoring", "decided"):
        set_stage(db, ids["evaluation"], stage)
        assert client.post(pair_url(ids, "cottonwood", "timezone"), data=data).status_code == 409
        assert client.post(pair_url(ids, "tanglaw", "timezone", "/remove")).status_code == 409
        page = client.get(f"/evaluations/{ids['evaluation']}/consensus")
        assert page.status_code == 200 and b"Record consensus" not in page.data
    set_stage(db, ids["evaluation"], "open")
    page = client.get(f"/evaluations/{ids['evaluation']}/consensus")
    assert page.status_code == 200 and b"Consensus starts once evaluators have scored" in page.data


def test_only_the_lead_and_the_admin_open_consensus(client, auth, db, ids):
    routes_get = [
        f"/evaluations/{ids['evaluation']}/consensus",
        pair_url(ids, "cottonwood", "timezone"),
        f"/evaluations/{ids['evaluation']}/consensus/pick?vendor=1&question=1",
    ]
    routes_post = [
        pair_url(ids, "cottonwood", "timezone"),
        pair_url(ids, "tanglaw", "timezone", "/remove"),
    ]
    for target in routes_get + routes_post:
        method = client.post if target in routes_post else client.get
        response = method(target)
        assert response.status_code == 302 and "/login" in response.headers["Location"], target
    for who in ("dana", "elena"):  # an evaluator, a viewer
        auth.login(who)
        for target in routes_get:
            assert client.get(target).status_code == 403, (who, target)
        for target in routes_post:
            assert client.post(target, data={"score": "3", "rationale": "x"}).status_code == 403, (
                who,
                target,
            )
        auth.logout()
    make_user(db, "olga")
    auth.login("olga")
    for target in routes_get:
        assert client.get(target).status_code == 404, target
    auth.logout()
    auth.login("admin")
    assert client.get(routes_get[0]).status_code == 200
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(m.ConsensusScore)) == 2


def test_markup_in_a_rationale_is_shown_as_text(client, auth, ids):
    auth.login("morgan")
    client.post(
        pair_url(ids, "cottonwood", "timezone"),
        data={"score": "3", "rationale": "<script>alert(1)</script>"},
    )
    page = client.get(f"/evaluations/{ids['evaluation']}/consensus").data
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- CSRF --------------------------------------------------------------------------------


def test_every_post_route_rejects_a_request_without_a_csrf_token(csrf_client, login_as, db, ids):
    rules = {
        r.endpoint
        for r in csrf_client.application.url_map.iter_rules()
        if r.endpoint.startswith("consensus.") and "POST" in (r.methods or ())
    }
    assert rules == {"consensus.record", "consensus.remove"}
    login_as(csrf_client, "morgan")
    data = {"score": "3", "rationale": "agreed"}
    assert csrf_client.post(pair_url(ids, "cottonwood", "timezone"), data=data).status_code == 400
    assert csrf_client.post(pair_url(ids, "tanglaw", "timezone", "/remove")).status_code == 400
    assert audit(db, "consensus.recorded") == [] and audit(db, "consensus.removed") == []
    page = csrf_client.get(pair_url(ids, "cottonwood", "timezone")).data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = csrf_client.post(
        pair_url(ids, "cottonwood", "timezone"), data={**data, "csrf_token": token}
    )
    assert ok.status_code == 302


@pytest.mark.parametrize("query", ["", "?vendor=x&question=1", "?vendor=1"])
def test_the_chooser_asks_again_for_a_vendor_and_a_question(client, auth, ids, query):
    auth.login("morgan")
    response = client.get(f"/evaluations/{ids['evaluation']}/consensus/pick{query}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/evaluations/{ids['evaluation']}/consensus")
    page = client.get(response.headers["Location"])
    assert b"Choose a vendor and a question." in page.data
