"""Stages and their rules: readiness before open, unsealing at scoring, the award at
decided, stepping back with a reason; every change audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from tests.fixtures.evaluations import events, membership_id, set_stage
from tests.fixtures.setup import load


def _url(evaluation_id: int, rest: str = "") -> str:
    return f"/evaluations/{evaluation_id}/stage{rest}"


def test_before_open_the_checklist_and_set_up_gaps_are_warnings_not_blockers(
    client, auth, db, demo
):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        evaluation.readiness = {}
        evaluation.deadline = None
        # The demo's question weights add up to 100 in every criterion; break one.
        timezone = s.scalar(
            select(m.Question).where(
                m.Question.evaluation_id == evaluation_id, m.Question.key == "timezone"
            )
        )
        timezone.weight = 40
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "5 of 5 readiness items are not confirmed" in page
    # 40 + 30 + 20 + 20
    assert "Question weights do not add up to 100 in Cultural fit (110)" in page
    assert "No response deadline is set" in page
    response = client.post(
        _url(evaluation_id, "/advance"),
        data={"to": "open", "objectives": "y", "escalation_protocols": "y"},
    )
    assert response.status_code == 302
    evaluation = load(db, m.Evaluation, evaluation_id)
    assert evaluation.stage == "open"
    assert evaluation.readiness == {
        "objectives": True,
        "process_maturity": False,
        "security_requirements": False,
        "stakeholder_alignment": False,
        "escalation_protocols": True,
    }
    [stage] = events(db, evaluation_id, "stage")
    assert (stage.old, stage.new) == ({"stage": "draft"}, {"stage": "open"})
    [readiness] = events(db, evaluation_id, "readiness.updated")
    assert readiness.new == {"objectives": True, "escalation_protocols": True}


def test_no_vendors_and_no_evaluators_are_warned_about(client, auth, db, demo):
    auth.login("morgan")
    response = client.post("/evaluations/new", data={"start": "template", "title": "Fresh"})
    evaluation_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(_url(evaluation_id)).data.decode()
    assert "No vendors yet: add the vendors invited to respond." in page
    assert "No evaluators yet" in page
    assert client.post(_url(evaluation_id, "/advance"), data={"to": "open"}).status_code == 302
    assert load(db, m.Evaluation, evaluation_id).stage == "open"


def test_an_evaluation_without_criteria_cannot_open(client, auth, db, demo):
    auth.login("morgan")
    response = client.post("/evaluations/new", data={"start": "blank", "title": "Empty"})
    evaluation_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = client.post(
        _url(evaluation_id, "/advance"), data={"to": "open"}, follow_redirects=True
    )
    assert b"There are no criteria yet" in response.data
    assert load(db, m.Evaluation, evaluation_id).stage == "draft"
    assert events(db, evaluation_id, "stage") == []


def test_stages_cannot_be_skipped(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    for target in ("scoring", "decided", "draft", ""):
        response = client.post(_url(evaluation_id, "/advance"), data={"to": target})
        assert response.status_code == 409, target
    assert load(db, m.Evaluation, evaluation_id).stage == "draft"


def test_starting_scoring_unseals_the_responses(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "open")
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "Starting scoring unseals the responses" in page
    response = client.post(
        _url(evaluation_id, "/advance"), data={"to": "scoring", "note": "Deadline passed"}
    )
    assert response.status_code == 302
    evaluation = load(db, m.Evaluation, evaluation_id)
    assert evaluation.stage == "scoring" and evaluation.unsealed_at is not None
    [unsealed] = events(db, evaluation_id, "responses.unsealed")
    assert unsealed.new == {"sealed": False} and unsealed.reason == "Deadline passed"


def test_opening_consensus_warns_about_scorecards_not_submitted(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")
    with db.transaction() as s:
        s.get(m.Membership, membership_id(db, evaluation_id, "luis")).submitted_at = None
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "Luis Ortega has not submitted (60 of 60 scores entered)." in page
    assert "Dana Whitfield has not submitted" not in page
    assert client.post(_url(evaluation_id, "/advance"), data={"to": "consensus"}).status_code == 302
    assert load(db, m.Evaluation, evaluation_id).stage == "consensus"


def test_the_award_goes_to_the_first_ranked_vendor_with_a_rationale(client, auth, db, demo):
    evaluation_id = demo["evaluation"]  # consensus
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    # The demo ranks Puente Norte first at 80.7; Valle Claro fails the PCI knockout.
    assert "1. Puente Norte CX (80.7)" in page
    assert "failed: PCI-DSS attestation for card-handling agents" in page
    response = client.post(
        _url(evaluation_id, "/decide"),
        data={"vendor_id": str(demo["puente_norte"]), "rationale": ""},
    )
    assert b"record why this vendor is awarded" in response.data
    data = {
        "vendor_id": str(demo["puente_norte"]),
        "rationale": "Highest total, full overlap, strongest pilot plan",
        # The demo's one open item: Threadline has two reference calls of three.
        "open_items_reason": "Threadline is not a contender",
    }
    confirmation = client.post(_url(evaluation_id, "/decide"), data=data)
    assert confirmation.status_code == 200
    assert b"Record the award to Puente Norte CX?" in confirmation.data
    assert load(db, m.Evaluation, evaluation_id).stage == "consensus"
    response = client.post(_url(evaluation_id, "/decide"), data=data | {"confirm": "yes"})
    assert response.status_code == 302
    evaluation = load(db, m.Evaluation, evaluation_id)
    assert evaluation.stage == "decided" and evaluation.read_only
    assert evaluation.award_vendor_id == demo["puente_norte"]
    assert evaluation.award_rationale == "Highest total, full overlap, strongest pilot plan"
    assert evaluation.decided_at is not None
    [award] = events(db, evaluation_id, "award.recorded")
    assert award.new["vendor"] == "Puente Norte CX" and award.new["rank"] == 1
    assert award.new["total"] == 80.7
    [stage] = events(db, evaluation_id, "stage")
    assert stage.new == {"stage": "decided"}
    overview = client.get(f"/evaluations/{evaluation_id}").data.decode()
    assert "Awarded to Puente Norte CX" in overview


def test_another_vendor_than_the_first_needs_its_own_reason(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    data = {"vendor_id": str(demo["tanglaw"]), "rationale": "Lowest cost at scale"}
    response = client.post(_url(evaluation_id, "/decide"), data=data)
    assert (
        b"Tanglaw Support Services is ranked 2: say why it is chosen over Puente Norte CX"
        in response.data
    )
    assert load(db, m.Evaluation, evaluation_id).stage == "consensus"
    data["override_reason"] = "Board mandate to consolidate in Manila"
    data["open_items_reason"] = "Threadline is not a contender"
    confirmation = client.post(_url(evaluation_id, "/decide"), data=data).data.decode()
    assert "Record the award to Tanglaw Support Services?" in confirmation
    assert "Board mandate to consolidate in Manila" in confirmation
    data["confirm"] = "yes"
    assert client.post(_url(evaluation_id, "/decide"), data=data).status_code == 302
    evaluation = load(db, m.Evaluation, evaluation_id)
    assert evaluation.award_vendor_id == demo["tanglaw"]
    assert "Board mandate to consolidate in Manila" in evaluation.award_rationale
    [award] = events(db, evaluation_id, "award.recorded")
    assert award.new["override_reason"] == "Board mandate to consolidate in Manila"


def test_a_disqualified_vendor_cannot_be_awarded(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    response = client.post(
        _url(evaluation_id, "/decide"),
        data={
            "vendor_id": str(demo["valle_claro"]),
            "rationale": "Cheapest",
            "override_reason": "Cheapest",
        },
    )
    assert b"Valle Claro Soluciones failed PCI-DSS attestation" in response.data
    assert load(db, m.Evaluation, evaluation_id).stage == "consensus"


def test_stepping_back_needs_a_reason_and_only_where_sensible(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "open", deadline=utcnow() + timedelta(days=7))
    auth.login("morgan")
    response = client.post(_url(evaluation_id, "/back"), data={"reason": ""})
    assert b"say why the evaluation goes back" in response.data
    assert load(db, m.Evaluation, evaluation_id).stage == "open"
    response = client.post(
        _url(evaluation_id, "/back"), data={"reason": "Scope changed: adding chat"}
    )
    assert response.status_code == 302
    assert load(db, m.Evaluation, evaluation_id).stage == "draft"
    [stage] = events(db, evaluation_id, "stage")
    assert (stage.old, stage.new, stage.reason) == (
        {"stage": "open"},
        {"stage": "draft"},
        "Scope changed: adding chat",
    )
    # once responses are unsealed, scoring cannot go back to open
    set_stage(db, evaluation_id, "scoring")
    assert client.post(_url(evaluation_id, "/back"), data={"reason": "x"}).status_code == 409
    # decided is final
    set_stage(db, evaluation_id, "decided")
    assert client.post(_url(evaluation_id, "/back"), data={"reason": "x"}).status_code == 409


def test_open_cannot_go_back_to_draft_once_the_deadline_has_passed(client, auth, db, demo):
    # In draft the deadline moves freely: back there and open again, the responses
    # frozen at the deadline would reopen, and a vendor could change its bid after it.
    evaluation_id = demo["evaluation"]
    passed = (utcnow() - timedelta(hours=1)).replace(microsecond=0)
    set_stage(db, evaluation_id, "open", deadline=passed)
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).get_data(as_text=True)
    assert "Open cannot go back to draft: the response deadline passed on" in page
    assert "Go back to draft" not in page
    response = client.post(_url(evaluation_id, "/back"), data={"reason": "Extend the RFP"})
    assert response.status_code == 409
    assert load(db, m.Evaluation, evaluation_id).stage == "open"
    assert events(db, evaluation_id, "stage") == []


def test_consensus_cannot_go_back_to_scoring(client, auth, db, demo):
    """The evaluators have read each other's scores: scoring again would not be
    independent any more."""
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "Consensus cannot go back to scoring" in page
    assert "Go back to" not in page
    response = client.post(
        _url(evaluation_id, "/back"), data={"reason": "Two scorecards to revisit"}
    )
    assert response.status_code == 409
    assert load(db, m.Evaluation, evaluation_id).stage == "consensus"
    assert events(db, evaluation_id, "stage") == []


def test_the_stage_page_is_the_leads(client, auth, db, demo):
    for user in ("dana", "elena"):
        auth.login(user)
        assert client.get(_url(demo["evaluation"])).status_code == 403
        assert (
            client.post(_url(demo["evaluation"], "/back"), data={"reason": "x"}).status_code == 403
        )
        auth.logout()
