"""The weights page (AHP): inviting participants, filling comparisons, consistency in
words, the combined weights, and applying them in draft, audited."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from rfp import models as m
from tests.fixtures.decision_web import (
    comparison,
    consistent_values,
    criterion_keys,
    criterion_weights,
    import_small,
    section,
    text_of,
)
from tests.fixtures.evaluations import events, membership_id, set_stage

# The demo's criteria in order, and their weights (percentages that sum to 100).
DEMO_KEYS = ["cultural_fit", "compliance", "tooling", "stability", "cost", "references"]
DEMO_WEIGHTS = {
    "cultural_fit": 20,
    "compliance": 20,
    "tooling": 15,
    "stability": 15,
    "cost": 20,
    "references": 10,
}
# A consistent comparison: weights in proportion 4 : 2 : 2 : 1 : 4 : 1 (sum 14), every
# ratio a point of Saaty's scale (2, 4, or equal).
PROPORTIONS = {
    "cultural_fit": 4,
    "compliance": 2,
    "tooling": 2,
    "stability": 1,
    "cost": 4,
    "references": 1,
}


def _weights_url(evaluation_id: int, rest: str = "") -> str:
    return f"/evaluations/{evaluation_id}/weights{rest}"


@pytest.fixture
def draft_demo(db, demo):
    set_stage(db, demo["evaluation"], "draft")
    assert criterion_keys(db, demo["evaluation"]) == DEMO_KEYS
    return demo


def _invite(client, auth, db, evaluation_id: int, *keys: str) -> None:
    auth.login("morgan")
    ids = [membership_id(db, evaluation_id, k) for k in keys]
    response = client.post(_weights_url(evaluation_id, "/participants"), data={"participants": ids})
    assert response.status_code == 302
    auth.logout()


def _judge(client, auth, evaluation_id: int, username: str, values: list[str], keys=DEMO_KEYS):
    auth.login(username)
    response = client.post(_weights_url(evaluation_id, "/judgment"), data=comparison(keys, values))
    auth.logout()
    return response


def test_the_lead_invites_participants_and_the_change_is_audited(client, auth, db, draft_demo):
    ev = draft_demo["evaluation"]
    _invite(client, auth, db, ev, "morgan", "dana")
    with db.transaction() as s:
        invited = set(
            s.scalars(
                select(m.Membership.key).where(
                    m.Membership.evaluation_id == ev, m.Membership.ahp_invited.is_(True)
                )
            )
        )
    assert invited == {"morgan", "dana"}
    [event] = events(db, ev, "ahp.participants")
    assert event.old == {"invited": []}
    assert event.new == {"invited": ["Dana Whitfield", "Morgan Avery"]}
    auth.login("morgan")
    page = client.get(_weights_url(ev)).data.decode()
    participants = text_of(section(page, "participants"))
    assert "0 of 2 invited have filled theirs in" in participants
    assert "Dana Whitfield evaluator waiting" in participants
    assert "Luis Ortega evaluator not invited" in participants


def test_an_invited_evaluator_fills_in_a_comparison_an_uninvited_one_may_not(
    client, auth, db, draft_demo
):
    ev = draft_demo["evaluation"]
    _invite(client, auth, db, ev, "dana")
    auth.login("dana")
    page = client.get(_weights_url(ev, "/judgment"))
    assert page.status_code == 200
    assert b"Your comparison of the criteria" in page.data
    # Dana is an evaluator: the lead's page stays closed to her.
    assert client.get(_weights_url(ev)).status_code == 403
    auth.logout()
    values = consistent_values(DEMO_KEYS, PROPORTIONS)
    assert _judge(client, auth, ev, "dana", values).status_code == 302
    with db.transaction() as s:
        judgment = s.scalar(select(m.AhpJudgment).where(m.AhpJudgment.evaluation_id == ev))
        assert judgment.criteria == DEMO_KEYS
        # cultural_fit against stability: 4 / 1 = 4, and its reciprocal below the diagonal
        assert judgment.matrix[0][3] == 4 and judgment.matrix[3][0] == 0.25
    [event] = events(db, ev, "ahp.judgment")
    assert event.target == "Dana Whitfield" and event.new["cr"] == 0
    # Luis was not invited: 403 on his comparison, reading or saving, nothing stored.
    auth.login("luis")
    assert client.get(_weights_url(ev, "/judgment")).status_code == 403
    response = client.post(_weights_url(ev, "/judgment"), data=comparison(DEMO_KEYS, values))
    assert response.status_code == 403
    with db.transaction() as s:
        assert len(s.scalars(select(m.AhpJudgment)).all()) == 1


def test_a_consistent_comparison_has_cr_0_and_gives_the_weights_it_implies(
    client, auth, db, draft_demo
):
    ev = draft_demo["evaluation"]
    # Morgan is not invited yet: as the lead, saving her comparison makes her a participant.
    values = consistent_values(DEMO_KEYS, PROPORTIONS)
    assert _judge(client, auth, ev, "morgan", values).status_code == 302
    assert events(db, ev, "ahp.participants")[0].new == {"joined": "Morgan Avery"}
    auth.login("morgan")
    own = text_of(client.get(_weights_url(ev, "/judgment")).data.decode())
    assert "Consistency ratio 0.000: your answers hang together" in own
    # 4/14 = 28.6 %, 2/14 = 14.3 %, 1/14 = 7.1 %
    assert (
        "Cultural fit 28.6 %, Compliance and security 14.3 %, Tooling 14.3 %, "
        "Stability and ramp 7.1 %, Cost 28.6 %, References 7.1 %" in own
    )
    combined = text_of(section(client.get(_weights_url(ev)).data.decode(), "combined"))
    # Current 20 % -> AHP 28.6 %: +8.6 points; stability 15 % -> 7.1 %: -7.9 points.
    # Morgan's own weights are shown beside them.
    assert "Cultural fit 20.0 % 28.6 % +8.6 pp 28.6 %" in combined
    assert "Stability and ramp 15.0 % 7.1 % −7.9 pp 7.1 %" in combined
    assert "CR 0.000" in combined


def test_an_inconsistent_comparison_names_the_judgment_to_revise(client, auth, db, make_scenario):
    # Three criteria in a circle: Fit 3x Compliance, Compliance 3x Cost, Cost 3x Fit.
    # By symmetry the weights are equal (1/3 each), so lambda_max = 1 + 3 + 1/3 = 13/3,
    # CI = (13/3 - 3) / 2 = 2/3 and CR = (2/3) / 0.58 (Saaty's RI for n = 3) = 1.149.
    # Every judgment strays equally (ln 3) from the weights' ratio 1: the first one,
    # Fit against Compliance, is named, and the weights imply "about equally important".
    doc = make_scenario()
    doc["criteria"] = [c for c in doc["criteria"] if c["key"] != "references"]
    ids = import_small(db, doc)
    ev = ids["evaluation"]
    keys = ["fit", "compliance", "cost"]
    auth.login("lena")
    response = client.post(_weights_url(ev, "/judgment"), data=comparison(keys, ["a3", "b3", "a3"]))
    assert response.status_code == 302
    own = text_of(client.get(_weights_url(ev, "/judgment")).data.decode())
    assert "Consistency ratio 1.149: above 0.10" in own
    assert (
        "You rated Cultural fit 3× as important as Compliance, but your other answers imply "
        "they are about equally important. Revise that pair first." in own
    )
    lead_page = text_of(client.get(_weights_url(ev)).data.decode())
    assert (
        "Inconsistent (CR above 0.10). Lena rated Cultural fit 3× as important as "
        "Compliance, but their other answers imply they are about equally important." in lead_page
    )


def test_the_combined_result_is_the_element_wise_geometric_mean(client, auth, db, draft_demo):
    ev = draft_demo["evaluation"]
    _invite(client, auth, db, ev, "morgan", "dana")
    _judge(client, auth, ev, "morgan", consistent_values(DEMO_KEYS, PROPORTIONS))
    _judge(client, auth, ev, "dana", ["eq"] * 15)  # everything equally important
    # Geometric mean of a_ij = w_i/w_j and 1: sqrt(w_i/w_j), consistent again with the
    # weights sqrt(4, 2, 2, 1, 4, 1) = (2, 1.414, 1.414, 1, 2, 1), sum 8.828:
    # 22.65 %, 16.02 %, 16.02 %, 11.33 %, 22.65 %, 11.33 %; in tenths by largest
    # remainder: 22.7, 16.0, 16.0, 11.3, 22.7, 11.3 (sum 100.0).
    auth.login("morgan")
    combined = text_of(section(client.get(_weights_url(ev)).data.decode(), "combined"))
    assert "Geometric mean of the comparisons of Morgan Avery, Dana Whitfield." in combined
    assert "CR 0.000" in combined
    for name, current, ahp in (
        ("Cultural fit", "20.0", "22.7"),
        ("Compliance and security", "20.0", "16.0"),
        ("Stability and ramp", "15.0", "11.3"),
        ("References", "10.0", "11.3"),
    ):
        assert f"{name} {current} % {ahp} %" in combined


def test_applying_in_draft_sets_every_weight_in_one_audited_change(client, auth, db, draft_demo):
    ev = draft_demo["evaluation"]
    _judge(client, auth, ev, "morgan", consistent_values(DEMO_KEYS, PROPORTIONS))
    auth.login("morgan")
    response = client.post(_weights_url(ev, "/apply"))
    assert response.status_code == 302
    # 4/14, 2/14, 1/14 in tenths of a percent by largest remainder: 28.6, 14.3, 7.1
    expected = {
        "cultural_fit": 28.6,
        "compliance": 14.3,
        "tooling": 14.3,
        "stability": 7.1,
        "cost": 28.6,
        "references": 7.1,
    }
    assert criterion_weights(db, ev) == pytest.approx(expected)
    assert math.isclose(sum(criterion_weights(db, ev).values()), 100)
    [event] = events(db, ev, "criteria.weights_from_ahp")
    assert event.old == {"weights": DEMO_WEIGHTS}
    assert event.new["weights"] == expected and event.new["cr"] == 0
    assert event.reason == (
        "AHP: geometric mean of the pairwise comparisons of Morgan Avery (CR 0.000)"
    )
    # Applying again changes nothing and writes no second event.
    client.post(_weights_url(ev, "/apply"))
    assert len(events(db, ev, "criteria.weights_from_ahp")) == 1


def test_after_draft_inviting_judging_and_applying_answer_409(client, auth, db, draft_demo):
    ev = draft_demo["evaluation"]
    _judge(client, auth, ev, "morgan", consistent_values(DEMO_KEYS, PROPORTIONS))
    set_stage(db, ev, "open")
    auth.login("morgan")
    assert client.post(_weights_url(ev, "/apply")).status_code == 409
    assert criterion_weights(db, ev) == DEMO_WEIGHTS
    dana = membership_id(db, ev, "dana")
    response = client.post(_weights_url(ev, "/participants"), data={"participants": [dana]})
    assert response.status_code == 409
    response = client.post(_weights_url(ev, "/judgment"), data=comparison(DEMO_KEYS, ["eq"] * 15))
    assert response.status_code == 409
    # The page still shows the record, read-only.
    page = client.get(_weights_url(ev)).data.decode()
    assert "The weights are fixed" in page and "Apply the AHP weights" not in page
    assert events(db, ev, "criteria.weights_from_ahp") == []


def test_applying_refuses_when_the_comparisons_changed_after_the_page_was_read(
    client, auth, db, draft_demo
):
    ev = draft_demo["evaluation"]
    _judge(client, auth, ev, "morgan", consistent_values(DEMO_KEYS, PROPORTIONS))
    auth.login("morgan")
    page = client.get(_weights_url(ev)).data.decode()
    expected = page.split('name="expected" type="hidden" value="')[1].split('"')[0]
    auth.logout()
    _judge(client, auth, ev, "morgan", ["eq"] * 15)  # she changes her mind meanwhile
    auth.login("morgan")
    response = client.post(_weights_url(ev, "/apply"), data={"expected": expected})
    assert response.status_code == 409
    assert b"review the weights again" in response.data
    assert criterion_weights(db, ev) == DEMO_WEIGHTS


def test_the_comparison_form_names_every_unanswered_or_invalid_pair(client, auth, db, draft_demo):
    ev = draft_demo["evaluation"]
    auth.login("morgan")
    data = comparison(DEMO_KEYS, ["eq"] * 15)
    del data["pair-cost-references"]
    data["pair-cultural_fit-tooling"] = "a10"
    response = client.post(_weights_url(ev, "/judgment"), data=data)
    assert response.status_code == 200
    page = text_of(response.data.decode())
    assert "2 pairs not answered: nothing was saved." in page
    assert "Cost or References: choose which matters more and how much, or equal." in page
    assert "Cultural fit or Tooling: 'a10' is not a point of the scale." in page
    # What was typed is kept: the other pairs stay checked.
    assert response.data.decode().count("checked") == 13
    assert events(db, ev, "ahp.judgment") == []


def test_a_comparison_of_criteria_that_changed_since_is_not_counted(client, auth, db, draft_demo):
    ev = draft_demo["evaluation"]
    _judge(client, auth, ev, "morgan", ["eq"] * 15)
    auth.login("morgan")
    response = client.post(
        f"/evaluations/{ev}/criteria/new",
        data={"name": "Innovation", "kind": "scored", "weight": "5"},
    )
    assert response.status_code == 302
    page = text_of(client.get(_weights_url(ev)).data.decode())
    assert "Morgan Avery lead criteria changed compare again" in page
    assert "No invited participant has compared the current criteria yet" in page
    assert client.post(_weights_url(ev, "/apply")).status_code == 400
    own = text_of(client.get(_weights_url(ev, "/judgment")).data.decode())
    assert "The criteria have changed since your last comparison." in own
    # A form drawn for the old criteria saves nothing.
    response = client.post(_weights_url(ev, "/judgment"), data=comparison(DEMO_KEYS, ["eq"] * 15))
    assert response.status_code == 200
    assert b"The criteria changed while you were comparing them" in response.data
