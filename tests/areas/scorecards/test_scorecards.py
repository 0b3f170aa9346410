"""The evaluator's scorecards: conflict-of-interest gate, saving (JSON and form),
submitting and reopening, blind scoring, independence before consensus, limits.

Data: the demo evaluation moved back to `scoring` (the `scoring` fixture): Dana has not
declared and has no score; Luis and Priya keep the demo's scores; nobody has submitted.
The demo has 5 vendors and 12 scored questions (cultural fit 4, compliance 2, tooling 2,
stability 4), so an unlimited evaluator is expected to enter 5 x 12 = 60 scores.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import event, func, select

from rfp import models as m
from rfp.areas.scorecards.operations import save_score, save_scores, submit_scores
from rfp.core.db import utcnow
from rfp.core.refusal import Refused
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from rfp.scenario import normalise_scenario
from rfp.scenario.store import import_scenario
from rfp.scenario.synthetic import generate_scenario
from tests.fixtures.evaluations import audit, make_user, set_stage
from tests.fixtures.setup import load

PASSWORD = "rfp-demo-2027"
VENDOR_NAMES = (
    "Cottonwood Ridge CX",
    "Puente Norte CX",
    "Valle Claro Soluciones",
    "Tanglaw Support Services",
    "Threadline Commerce Care",
)


# -- arranging data ----------------------------------------------------------------------


def _ids(s: Any, evaluation_id: int) -> dict[str, Any]:
    ev = s.get(m.Evaluation, evaluation_id)
    ids: dict[str, Any] = {"evaluation": ev.id}
    for v in ev.vendors:
        ids[v.key] = v.id
    for ms in ev.memberships:
        ids[f"ms_{ms.key}"] = ms.id
    ids["q"] = {
        q.key: q.id for q in s.scalars(select(m.Question).where(m.Question.evaluation_id == ev.id))
    }
    return ids


@pytest.fixture
def outsider(db: Any) -> str:
    make_user(db, "olga", "Olga Outsider")
    return "olga"


def declare(client: Any, ids: dict[str, Any], conflicts: tuple[str, ...] = ()) -> Any:
    data = {
        f"conflict-{ids[key]}": ("yes" if key in conflicts else "no")
        for key in ("cottonwood", "puente_norte", "valle_claro", "tanglaw", "threadline")
    }
    return client.post(f"/evaluations/{ids['evaluation']}/scorecards/conflicts", data=data)


def save_json(
    client: Any, ids: dict[str, Any], vendor: str, question: str, score: Any, comment: str = ""
) -> Any:
    return client.post(
        f"/evaluations/{ids['evaluation']}/scorecards/{ids[vendor]}/questions/{ids['q'][question]}",
        json={"score": score, "comment": comment},
        headers={"Accept": "application/json"},
    )


def dana_scores(db: Any, ids: dict[str, Any]) -> dict[tuple[int, int], tuple[float, str]]:
    with db.transaction() as s:
        return {
            (sc.vendor_id, sc.question_id): (sc.value, sc.comment)
            for sc in s.scalars(select(m.Score).where(m.Score.membership_id == ids["ms_dana"]))
        }


SCORED = (
    "timezone",
    "language",
    "escalation",
    "operating_model",
    "certifications",
    "data_security",
    "helpdesk",
    "qa_dashboards",
    "attrition",
    "financial",
    "ramp",
    "pilot",
)


def fill_dana(db: Any, ids: dict[str, Any], vendors: tuple[str, ...] | None = None) -> int:
    """Every expected score of Dana's (3 each, no comment needed), as rows."""
    vendors = vendors or ("cottonwood", "puente_norte", "valle_claro", "tanglaw", "threadline")
    with db.transaction() as s:
        for v in vendors:
            for q in SCORED:
                s.add(
                    m.Score(
                        evaluation_id=ids["evaluation"],
                        membership_id=ids["ms_dana"],
                        vendor_id=ids[v],
                        question_id=ids["q"][q],
                        value=3.0,
                    )
                )
    return len(vendors) * len(SCORED)


# -- authorization -----------------------------------------------------------------------


def _get_routes(ids: dict[str, Any]) -> list[str]:
    e = ids["evaluation"]
    return [
        f"/evaluations/{e}/scorecards",
        f"/evaluations/{e}/scorecards/conflicts",
        f"/evaluations/{e}/scorecards/{ids['cottonwood']}",
    ]


def _post_routes(ids: dict[str, Any]) -> list[str]:
    e, v, q = ids["evaluation"], ids["cottonwood"], ids["q"]["timezone"]
    return [
        f"/evaluations/{e}/scorecards/conflicts",
        f"/evaluations/{e}/scorecards/{v}",
        f"/evaluations/{e}/scorecards/{v}/questions/{q}",
        f"/evaluations/{e}/scorecards/submit",
    ]


def reopen_url(ids: dict[str, Any]) -> str:
    """The lead's reopen button lives in the members area (the people page)."""
    return f"/evaluations/{ids['evaluation']}/people/{ids['ms_dana']}/reopen"


def test_anonymous_is_sent_to_login_on_every_route(client, scoring):
    for url in _get_routes(scoring) + _post_routes(scoring):
        method = client.post if url in _post_routes(scoring) else client.get
        response = method(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


def test_a_user_with_no_part_in_the_evaluation_gets_404(client, auth, scoring, outsider):
    auth.login(outsider)
    for url in _get_routes(scoring):
        assert client.get(url).status_code == 404, url
    for url in _post_routes(scoring):
        assert client.post(url, data={}).status_code == 404, url


@pytest.mark.parametrize("who", ["elena", "morgan", "admin"])
def test_only_an_active_evaluator_opens_scorecards(client, auth, scoring, who):
    # elena is a viewer, morgan the lead, admin has no membership: none of them scores.
    auth.login(who)
    for url in _get_routes(scoring):
        assert client.get(url).status_code == 403, (who, url)
    for url in _post_routes(scoring):
        assert client.post(url, data={}).status_code == 403, (who, url)


def test_evaluators_and_viewers_cannot_reopen(client, auth, scoring):
    url = reopen_url(scoring)
    for who in ("dana", "elena"):
        auth.login(who)
        assert client.post(url).status_code == 403, who
        auth.logout()


def test_a_removed_evaluator_can_do_nothing(client, auth, db, scoring):
    with db.transaction() as s:
        s.get(m.Membership, scoring["ms_dana"]).active = False
    auth.login("dana")
    for url in _get_routes(scoring):
        assert client.get(url).status_code == 404, url
    assert save_json(client, scoring, "cottonwood", "timezone", 3).status_code == 404


def test_before_scoring_the_evaluator_has_no_scorecards(client, auth, db, scoring):
    set_stage(db, scoring["evaluation"], "open")
    auth.login("dana")
    assert client.get(_get_routes(scoring)[0]).status_code == 403


# -- conflict of interest ----------------------------------------------------------------


def test_the_declaration_comes_before_the_first_score(client, auth, db, scoring):
    auth.login("dana")
    page = client.get(f"/evaluations/{scoring['evaluation']}/scorecards")
    assert page.status_code == 200
    assert b"Before you score: conflicts of interest" in page.data
    card = client.get(f"/evaluations/{scoring['evaluation']}/scorecards/{scoring['cottonwood']}")
    assert card.status_code == 302 and card.headers["Location"].endswith("/scorecards")
    refused = save_json(client, scoring, "cottonwood", "timezone", 3, "ok")
    assert refused.status_code == 409
    assert "Declare your conflicts" in refused.json["error"]
    assert dana_scores(db, scoring) == {}

    assert declare(client, scoring).status_code == 302
    with db.transaction() as s:
        dana = s.get(m.Membership, scoring["ms_dana"])
        assert dana.coi_declared_at is not None
        assert dana.conflicts == []
    [event_] = audit(db, "coi.declared")
    assert event_.new["Cottonwood Ridge CX"] == "no conflict"
    assert save_json(client, scoring, "cottonwood", "timezone", 3, "ok").status_code == 200


def test_every_vendor_needs_an_answer(client, auth, db, scoring):
    auth.login("dana")
    response = client.post(
        f"/evaluations/{scoring['evaluation']}/scorecards/conflicts",
        data={f"conflict-{scoring['cottonwood']}": "no"},
    )
    assert response.status_code == 200
    assert b"Puente Norte CX: choose conflict or no conflict" in response.data
    with db.transaction() as s:
        assert s.get(m.Membership, scoring["ms_dana"]).coi_declared_at is None


def test_a_declared_conflict_removes_the_vendor(client, auth, db, scoring):
    auth.login("dana")
    declare(client, scoring, conflicts=("cottonwood",))
    index = client.get(f"/evaluations/{scoring['evaluation']}/scorecards")
    assert b"Puente Norte CX" in index.data
    assert b"Cottonwood Ridge CX</strong></a>" not in index.data
    # 4 vendors left x 12 questions = 48 expected
    assert b"<strong>0</strong> of 48 scores" in index.data
    card = client.get(f"/evaluations/{scoring['evaluation']}/scorecards/{scoring['cottonwood']}")
    assert card.status_code == 403
    assert save_json(client, scoring, "cottonwood", "timezone", 3).status_code == 403
    assert dana_scores(db, scoring) == {}
    # The engine expects nothing of Dana on Cottonwood, and 12 on each other vendor.
    with db.transaction() as s:
        result = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, scoring["evaluation"])))
    assert not [x for x in result.vendor("cottonwood").missing if x.evaluator == "dana"]
    assert len([x for x in result.vendor("puente_norte").missing if x.evaluator == "dana"]) == 12


# -- saving ------------------------------------------------------------------------------


def test_json_save_creates_then_changes_a_score_and_audits_the_change(client, db, declared):
    first = save_json(client, declared, "cottonwood", "timezone", 4, "8 h overlap")
    assert first.status_code == 200
    assert first.json["vendor_progress"] == {"entered": 1, "expected": 12}
    assert first.json["overall"] == {"entered": 1, "expected": 60}
    assert audit(db, "score.changed") == []  # first entries are not audited
    second = save_json(client, declared, "cottonwood", "timezone", 3, "overlap, but evenings thin")
    assert second.status_code == 200 and second.json["changed"] is True
    key = (declared["cottonwood"], declared["q"]["timezone"])
    assert dana_scores(db, declared)[key] == (3.0, "overlap, but evenings thin")
    [change] = audit(db, "score.changed")
    assert change.old == {"score": 4.0, "comment": "8 h overlap"}
    assert change.new == {"score": 3.0, "comment": "overlap, but evenings thin"}
    # the same again changes nothing and records nothing
    assert (
        save_json(client, declared, "cottonwood", "timezone", 3, "overlap, but evenings thin").json[
            "changed"
        ]
        is False
    )
    assert len(audit(db, "score.changed")) == 1


@pytest.mark.parametrize("score", [0, 5])
def test_a_justification_is_required_at_the_ends_of_the_scale(client, db, declared, score):
    refused = save_json(client, declared, "cottonwood", "timezone", score, "  ")
    assert refused.status_code == 400
    assert refused.json["field"] == "comment"
    assert "justification comment is required" in refused.json["error"]
    assert dana_scores(db, declared) == {}
    assert save_json(client, declared, "cottonwood", "timezone", score, "why").status_code == 200


def test_a_middle_score_needs_no_comment(client, declared):
    assert save_json(client, declared, "cottonwood", "timezone", 3).status_code == 200


@pytest.mark.parametrize("score", [6, -1, 2.5, "abc", None, True])
def test_a_score_must_be_a_point_of_the_scale(client, db, declared, score):
    refused = save_json(client, declared, "cottonwood", "timezone", score, "text")
    assert refused.status_code == 400
    assert refused.json["field"] == "score"
    assert dana_scores(db, declared) == {}


def test_json_save_refuses_a_body_that_is_not_an_object(client, declared):
    url = (
        f"/evaluations/{declared['evaluation']}/scorecards/{declared['cottonwood']}"
        f"/questions/{declared['q']['timezone']}"
    )
    assert client.post(url, data="3", content_type="application/json").status_code == 400


def test_knockout_info_and_other_evaluations_questions_are_not_scored(
    client, db, declared, make_scenario
):
    assert save_json(client, declared, "cottonwood", "soc2", 3).status_code == 400
    assert save_json(client, declared, "cottonwood", "sites", 3).status_code == 400
    with db.transaction() as s:
        other = import_scenario(s, normalise_scenario(make_scenario(stage="scoring")))
        foreign = other.criteria[0].questions[0].id
    url = (
        f"/evaluations/{declared['evaluation']}/scorecards/{declared['cottonwood']}"
        f"/questions/{foreign}"
    )
    assert client.post(url, json={"score": 3}).status_code == 404
    assert dana_scores(db, declared) == {}


def _form_url(ids: dict[str, Any], vendor: str) -> str:
    return f"/evaluations/{ids['evaluation']}/scorecards/{ids[vendor]}"


def test_form_save_is_all_or_nothing_with_errors_naming_the_question(client, db, declared):
    q = declared["q"]
    data = {
        f"score-{q['timezone']}": "4",
        f"comment-{q['timezone']}": "good overlap",
        f"score-{q['language']}": "5",
        f"comment-{q['language']}": "",
        f"score-{q['escalation']}": "",
        f"comment-{q['escalation']}": "",
    }
    refused = client.post(_form_url(declared, "cottonwood"), data=data)
    assert refused.status_code == 200
    assert b"Nothing was saved" in refused.data
    assert b"English and Spanish fluency of agents" in refused.data  # the question's text
    assert b"justification comment is required" in refused.data
    assert dana_scores(db, declared) == {}

    data[f"comment-{q['language']}"] = "native speakers, 24 % bilingual"
    saved = client.post(_form_url(declared, "cottonwood"), data=data)
    assert saved.status_code == 302
    v = declared["cottonwood"]
    assert dana_scores(db, declared) == {
        (v, q["timezone"]): (4.0, "good overlap"),
        (v, q["language"]): (5.0, "native speakers, 24 % bilingual"),
    }
    page = client.get(_form_url(declared, "cottonwood"))
    assert b"Saved 2 scores." in page.data
    assert b'2</strong> of <span data-progress="vendor-expected">12' in page.data


def test_form_save_writes_only_what_changed(client, db, declared):
    q = declared["q"]
    save_json(client, declared, "cottonwood", "timezone", 4, "good overlap")
    save_json(client, declared, "cottonwood", "language", 3, "")
    data = {
        f"score-{q['timezone']}": "4",
        f"comment-{q['timezone']}": "good overlap",
        f"score-{q['language']}": "2",
        f"comment-{q['language']}": "weak Spanish",
    }
    assert client.post(_form_url(declared, "cottonwood"), data=data).status_code == 302
    [change] = audit(db, "score.changed")
    # In the product's words: who, which vendor, the question's number and text.
    assert change.target.startswith("Dana Whitfield on Cottonwood")
    assert ", 1.2 English and Spanish fluency" in change.target
    assert change.old == {"score": 3.0, "comment": ""}


# -- limited evaluators ------------------------------------------------------------------


def test_a_limited_evaluator_cannot_score_outside_their_criteria(client, auth, db, scoring):
    # Priya scores compliance and tooling only; the demo gave her certifications = ... on
    # every vendor. Nothing of a refused request is written.
    auth.login("priya")
    q, v = scoring["q"], scoring["cottonwood"]
    with db.transaction() as s:
        before = s.scalar(
            select(m.Score).where(
                m.Score.membership_id == scoring["ms_priya"],
                m.Score.vendor_id == v,
                m.Score.question_id == q["certifications"],
            )
        )
        kept = (before.value, before.comment)
    refused = save_json(client, scoring, "cottonwood", "timezone", 3, "x")
    assert refused.status_code == 403
    assert "outside the criteria you are assigned" in refused.json["error"]
    new_value = "1" if kept[0] != 1 else "2"
    form = client.post(
        _form_url(scoring, "cottonwood"),
        data={
            f"score-{q['certifications']}": new_value,
            f"comment-{q['certifications']}": "changed",
            f"score-{q['timezone']}": "3",
            f"comment-{q['timezone']}": "x",
        },
    )
    assert form.status_code == 200
    assert b"outside the criteria you are assigned to score" in form.data
    with db.transaction() as s:
        rows = s.scalars(
            select(m.Score).where(
                m.Score.membership_id == scoring["ms_priya"], m.Score.vendor_id == v
            )
        ).all()
        assert q["timezone"] not in {r.question_id for r in rows}
        cert = next(r for r in rows if r.question_id == q["certifications"])
        assert (cert.value, cert.comment) == kept
    page = client.get(_form_url(scoring, "cottonwood"))
    assert b"Daily overlap with our business hours" not in page.data
    assert b"Helpdesk" in page.data or b"helpdesk" in page.data.lower()


# -- submitting and reopening ------------------------------------------------------------


def test_submit_needs_every_expected_score(client, db, declared):
    fill_dana(db, declared, vendors=("cottonwood",))
    response = client.post(f"/evaluations/{declared['evaluation']}/scorecards/submit")
    assert response.status_code == 302
    page = client.get(f"/evaluations/{declared['evaluation']}/scorecards")
    assert b"48 scores still to enter" in page.data  # 60 - 12
    with db.transaction() as s:
        assert s.get(m.Membership, declared["ms_dana"]).submitted_at is None


def test_submitted_scores_are_locked_until_the_lead_reopens_them(client, auth, db, declared):
    e = declared["evaluation"]
    assert fill_dana(db, declared) == 60
    assert client.post(f"/evaluations/{e}/scorecards/submit").status_code == 302
    with db.transaction() as s:
        assert s.get(m.Membership, declared["ms_dana"]).submitted_at is not None
    [submitted] = audit(db, "scores.submitted")
    assert submitted.new == {"scores": 60}

    assert save_json(client, declared, "cottonwood", "timezone", 4).status_code == 409
    form = client.post(
        _form_url(declared, "cottonwood"), data={f"score-{declared['q']['timezone']}": "4"}
    )
    assert form.status_code == 409
    assert client.post(f"/evaluations/{e}/scorecards/conflicts", data={}).status_code == 409
    assert client.post(f"/evaluations/{e}/scorecards/submit").status_code == 409
    assert b"locked" in client.get(_form_url(declared, "cottonwood")).data

    auth.logout()
    auth.login("morgan")
    reopened = client.post(reopen_url(declared), data={"reason": "typo on Tanglaw"})
    assert reopened.status_code == 302
    with db.transaction() as s:
        assert s.get(m.Membership, declared["ms_dana"]).submitted_at is None
    [event_] = audit(db, "scorecard.reopened")
    assert event_.reason == "typo on Tanglaw"
    auth.logout()
    auth.login("dana")
    assert save_json(client, declared, "cottonwood", "timezone", 4).status_code == 200


def test_scores_are_frozen_from_consensus_on_even_for_the_lead_to_reopen(
    client, auth, db, declared
):
    """Once the panel's scores are visible, nobody scores independently any more: a
    change is a consensus score, never an edit of the evaluator's own."""
    e = declared["evaluation"]
    fill_dana(db, declared)
    client.post(f"/evaluations/{e}/scorecards/submit")
    set_stage(db, e, "consensus")
    refused = save_json(client, declared, "cottonwood", "timezone", 4)
    assert refused.status_code == 409
    assert "Scores are frozen since consensus opened" in refused.json["error"]
    auth.logout()
    auth.login("morgan")
    client.post(reopen_url(declared), data={"reason": "She wants to revisit"})
    assert load(db, m.Membership, declared["ms_dana"]).submitted_at is not None
    assert audit(db, "scorecard.reopened") == []
    auth.logout()
    auth.login("dana")
    assert save_json(client, declared, "cottonwood", "timezone", 4).status_code == 409
    set_stage(db, e, "decided")
    assert save_json(client, declared, "cottonwood", "timezone", 2).status_code == 409
    assert dana_scores(db, declared)[(declared["cottonwood"], declared["q"]["timezone"])] == (
        3.0,
        "",
    )


def test_the_operations_refuse_a_frozen_score_whatever_the_view(db, declared):
    """The rule lives in the operation: a caller that skips the views is refused too."""
    set_stage(db, declared["evaluation"], "consensus")
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, declared["evaluation"])
        dana = s.get(m.Membership, declared["ms_dana"])
        vendor = s.get(m.Vendor, declared["cottonwood"])
        with pytest.raises(Refused, match="Scores are frozen"):
            save_score(s, evaluation, dana, None, vendor, declared["q"]["timezone"], 4, "")
        with pytest.raises(Refused, match="Scores are frozen"):
            save_scores(s, evaluation, dana, None, vendor, {declared["q"]["timezone"]: (4, "")})
        with pytest.raises(Refused, match="Scores are frozen"):
            submit_scores(s, evaluation, dana, None)


# -- blind scoring and independence ------------------------------------------------------


def _pages_of(client: Any, ids: dict[str, Any]) -> list[bytes]:
    e = ids["evaluation"]
    pages = [
        client.get(f"/evaluations/{e}/scorecards").data,
        client.get(f"/evaluations/{e}/references").data,
    ]
    for key in ("cottonwood", "puente_norte", "valle_claro", "tanglaw", "threadline"):
        response = client.get(f"/evaluations/{e}/scorecards/{ids[key]}")
        assert response.status_code == 200
        pages.append(response.data)
    pages.append(save_json(client, ids, "cottonwood", "timezone", 3).data)
    return pages


def test_blind_scoring_shows_letters_by_position_until_consensus(client, auth, db, scoring):
    # The demo's reference notes name their vendor ("three years with Cottonwood"): the
    # references page must keep the calls' details back until consensus too.
    set_stage(db, scoring["evaluation"], "scoring", blind_scoring=True)
    auth.login("dana")
    declaration = client.get(f"/evaluations/{scoring['evaluation']}/scorecards").data
    # The declaration names the vendors (a conflict is with a company), without letters.
    assert all(name.encode() in declaration for name in VENDOR_NAMES)
    assert b"Vendor A" not in declaration
    declare(client, scoring)
    pages = _pages_of(client, scoring)
    for page in pages:
        for name in VENDOR_NAMES:
            assert name.encode() not in page, name
    index = pages[0]
    assert [f"Vendor {x}".encode() in index for x in "ABCDE"] == [True] * 5
    # Vendor A is the first by position (Cottonwood); the title says so too.
    cottonwood = pages[2]
    assert re.search(rb"<title>Vendor A \xc2\xb7 Scorecard", cottonwood)
    assert b"Vendor B \xe2\x86\x92" in cottonwood  # the link to the next vendor

    set_stage(db, scoring["evaluation"], "consensus")
    index = client.get(f"/evaluations/{scoring['evaluation']}/scorecards").data
    assert b"Cottonwood Ridge CX" in index and b"Vendor A" not in index


def test_the_lead_is_never_blind(client, auth, db, scoring):
    set_stage(db, scoring["evaluation"], "scoring", blind_scoring=True)
    auth.login("morgan")
    page = client.get(f"/evaluations/{scoring['evaluation']}/references").data
    assert b"Cottonwood Ridge CX" in page and b"Vendor A" not in page


# Luis's justification of his timezone score for Cottonwood, in the demo.
LUIS_COMMENT = b"intraday re-forecasts happen live with us"


def test_evaluators_see_each_others_scores_from_consensus_once_their_own_are_in(
    client, auth, db, declared
):
    url = _form_url(declared, "cottonwood")
    before = client.get(url).data
    assert LUIS_COMMENT not in before
    assert b"Luis Ortega" not in before
    assert b"The panel's scores" not in before
    # In consensus, but her scorecard not submitted: still nothing of the panel.
    set_stage(db, declared["evaluation"], "consensus")
    unsubmitted = client.get(url).data
    assert LUIS_COMMENT not in unsubmitted and b"Luis Ortega" not in unsubmitted
    assert b"The panel's scores" not in unsubmitted
    with db.transaction() as s:
        s.get(m.Membership, declared["ms_dana"]).submitted_at = utcnow()
    after = client.get(url).data
    assert LUIS_COMMENT in after
    assert b"Luis Ortega" in after


def test_markup_in_a_comment_is_shown_as_text(client, declared):
    save_json(client, declared, "cottonwood", "timezone", 3, "<script>alert(1)</script>")
    page = client.get(_form_url(declared, "cottonwood")).data
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- CSRF --------------------------------------------------------------------------------


def test_every_post_route_rejects_a_request_without_a_csrf_token(
    csrf_client, login_as, db, declared
):
    rules = [
        r
        for r in csrf_client.application.url_map.iter_rules()
        if r.endpoint.startswith("scorecards.") and "POST" in (r.methods or ())
    ]
    assert {r.endpoint for r in rules} == {
        "scorecards.conflicts",
        "scorecards.save",
        "scorecards.save_one",
        "scorecards.submit",
    }
    login_as(csrf_client, "dana")
    q = declared["q"]["timezone"]
    for url in _post_routes(declared):
        response = csrf_client.post(url, data={f"score-{q}": "3"})
        assert response.status_code == 400, url
    json_url = _post_routes(declared)[2]
    assert csrf_client.post(json_url, json={"score": 3}).status_code == 400
    assert dana_scores(db, declared) == {}
    # With the token (as the page's script sends it) the same save goes through.
    page = csrf_client.get(_form_url(declared, "cottonwood")).data.decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    ok = csrf_client.post(json_url, json={"score": 3}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200


# -- query counts ------------------------------------------------------------------------


def _queries_for_scorecard(app: Any, db: Any, client: Any, auth: Any, size: int) -> int:
    doc = generate_scenario(vendors=2 * size, questions=8 * size, evaluators=2 * size, seed=size)
    with db.transaction() as s:
        ev = import_scenario(s, normalise_scenario(doc))
        ms = next(x for x in ev.memberships if x.key == "evaluator_01")
        ms.user.set_password(PASSWORD)
        ms.user.username = f"bench{size}"
        url = f"/evaluations/{ev.id}/scorecards/{ev.vendors[0].id}"
    auth.login(f"bench{size}")
    statements: list[str] = []

    def count(*_args: Any) -> None:
        statements.append("q")

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    auth.logout()
    return len(statements)


def test_a_scorecard_runs_a_fixed_number_of_queries(app, db, client, auth):
    small = _queries_for_scorecard(app, db, client, auth, 1)
    large = _queries_for_scorecard(app, db, client, auth, 3)
    assert small == large, (small, large)


def test_the_progress_shown_matches_the_dashboard_count(client, db, declared):
    save_json(client, declared, "cottonwood", "timezone", 3)
    save_json(client, declared, "tanglaw", "pilot", 2)
    from rfp.areas.scorecards.queries import progress_by_evaluation

    with db.transaction() as s:
        mine = next(
            p
            for p in progress_by_evaluation(s, [declared["evaluation"]])[declared["evaluation"]]
            if p.key == "dana"
        )
        assert (mine.entered, mine.expected) == (2, 60)
        assert (
            s.scalar(
                select(func.count())
                .select_from(m.Score)
                .where(m.Score.membership_id == declared["ms_dana"])
            )
            == 2
        )


def test_a_question_scored_by_bands_is_not_on_the_evaluators_scorecard(
    client, auth, db, make_scenario
):
    # make_scenario has 3 questions evaluators score (timezone, language, audits); a
    # quantitative question with bands is scored from the vendor's number instead, so
    # Ana is expected to enter 2 vendors x 3 questions = 6 scores.
    doc = make_scenario(stage="scoring")
    doc["criteria"][0]["questions"].append(
        {
            "key": "attrition",
            "text": "Agent attrition, % a year",
            "weight": 1,
            "answer_type": "number",
            "unit": "%",
            "bands": [{"max": 30, "score": 5}, {"min": 30, "score": 2}],
        }
    )
    for vendor, number in zip(doc["vendors"], (25, 45), strict=True):
        vendor["numbers"] = {"attrition": number}
    with db.transaction() as s:
        ev = import_scenario(s, normalise_scenario(doc))
        ana = next(ms for ms in ev.memberships if ms.key == "ana")
        ana.user.set_password(PASSWORD)
        ids = {"evaluation": ev.id, "alpha": ev.vendors[0].id, "q": {}}
        for c in ev.criteria:
            for q in c.questions:
                ids["q"][q.key] = q.id
    auth.login("ana")
    index = client.get(f"/evaluations/{ids['evaluation']}/scorecards").data
    assert b"<strong>0</strong> of 6 scores" in index
    card = client.get(f"/evaluations/{ids['evaluation']}/scorecards/{ids['alpha']}").data
    assert b"Agent attrition, % a year" in card
    assert b"scored from the number" in card
    assert f'name="score-{ids["q"]["attrition"]}"'.encode() not in card
    refused = save_json(client, ids, "alpha", "attrition", 4, "x")
    assert refused.status_code == 400
    assert "not scored by evaluators" in refused.json["error"]


# -- refusals on the form, under their question ----------------------------------------------


def _article(page: str, question_id: int) -> str:
    start = page.rindex("<article", 0, page.index(f'id="q-{question_id}"'))
    return page[start : page.index("</article>", start)]


def test_a_refused_form_shows_each_message_under_its_question_with_what_was_typed(
    client, db, declared
):
    q = declared["q"]
    save_json(client, declared, "cottonwood", "escalation", 2, "stored before")
    refused = client.post(
        _form_url(declared, "cottonwood"),
        data={
            f"score-{q['timezone']}": "4",
            f"comment-{q['timezone']}": "typed, not saved",
            f"score-{q['language']}": "0",
            f"comment-{q['language']}": "",
            f"score-{q['escalation']}": "9",
            f"comment-{q['escalation']}": "off the scale",
        },
    )
    assert refused.status_code == 200
    page = refused.data.decode()
    language = _article(page, q["language"])
    assert "has-error" in language and "justification comment is required" in language
    escalation = _article(page, q["escalation"])
    assert "must be one of the scale&#39;s points" in escalation
    assert "justification comment is required" not in escalation
    timezone = _article(page, q["timezone"])
    assert 'class="error"' not in timezone
    # what the evaluator typed is shown again, not what is stored
    assert ">typed, not saved</textarea>" in timezone and 'value="4" checked' in timezone
    assert ">off the scale</textarea>" in escalation
    # both refusals are listed above the form too, and nothing was written
    summary = page[
        page.index("Nothing was saved") : page.index("</ul>", page.index("Nothing was saved"))
    ]
    assert summary.count("<li>") == 2
    v = declared["cottonwood"]
    assert dana_scores(db, declared) == {(v, q["escalation"]): (2.0, "stored before")}


def test_a_comment_without_a_score_keeps_the_stored_score(client, db, declared):
    q, v = declared["q"], declared["cottonwood"]
    save_json(client, declared, "cottonwood", "timezone", 4, "first")
    response = client.post(
        _form_url(declared, "cottonwood"), data={f"comment-{q['timezone']}": "second thoughts"}
    )
    assert response.status_code == 302
    assert dana_scores(db, declared)[(v, q["timezone"])] == (4.0, "second thoughts")


def test_save_and_go_on_opens_the_next_vendor(client, declared):
    q = declared["q"]
    response = client.post(
        _form_url(declared, "cottonwood"),
        data={
            f"score-{q['timezone']}": "3",
            f"comment-{q['timezone']}": "",
            "then": "next",
            "next_vendor": str(declared["puente_norte"]),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_form_url(declared, "puente_norte"))


def test_a_missing_answer_is_shown_beside_its_vendor(client, auth, scoring):
    auth.login("dana")
    data = {
        f"conflict-{scoring[key]}": "no"
        for key in ("cottonwood", "valle_claro", "tanglaw", "threadline")
    }
    data[f"note-{scoring['cottonwood']}"] = "kept as typed"
    response = client.post(f"/evaluations/{scoring['evaluation']}/scorecards/conflicts", data=data)
    page = response.data.decode()
    assert "Please answer for every vendor (1 without an answer)" in page
    rows = {row.split("</strong>")[0]: row for row in page.split("<tr class=")[1:]}
    puente = next(row for name, row in rows.items() if "Puente Norte CX" in name)
    assert '"has-error"' in puente and "Puente Norte CX: choose conflict or no conflict" in puente
    assert all("has-error" not in row for name, row in rows.items() if "Puente Norte" not in name)
    assert 'value="kept as typed"' in page


def test_the_save_as_you_go_refusal_names_the_question_outside_ones_criteria(client, auth, scoring):
    auth.login("priya")
    refused = save_json(client, scoring, "cottonwood", "timezone", 3, "x")
    assert refused.status_code == 403
    assert (refused.json["field"], refused.json["status"]) == ("question", 403)
    assert refused.json["error"].startswith("Daily overlap with our business hours")
    assert refused.json["error"].endswith(": outside the criteria you are assigned to score.")
