"""The stages' guard-rails: no opening with a deadline in the past; unsealing before the
deadline with a reason and a confirmation; consensus freezing every score, submitting
what is not submitted as it stands; the award confirmed, naming what is still open and
needing a reason for it. Each refused in the operation, whatever the view."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select

from rfp import models as m
from rfp.areas.stages import operations as ops
from rfp.areas.stages import queries
from rfp.core.db import utcnow
from rfp.core.refusal import Refused
from tests.fixtures.evaluations import events, membership_id, set_stage
from tests.fixtures.setup import load


def _url(evaluation_id: int, rest: str = "") -> str:
    return f"/evaluations/{evaluation_id}/stage{rest}"


def _lead(s: Any, evaluation_id: int) -> m.User:
    return s.scalar(select(m.User).where(m.User.username == "morgan"))


# -- opening --------------------------------------------------------------------------------


def test_opening_with_a_deadline_in_the_past_is_refused_naming_the_field(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    yesterday = utcnow() - timedelta(days=1)
    set_stage(db, evaluation_id, "draft", deadline=yesterday)
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "Must fix</span> Response deadline (" in page and "is in the past" in page
    response = client.post(
        _url(evaluation_id, "/advance"), data={"to": "open"}, follow_redirects=True
    )
    assert b"Response deadline (" in response.data
    assert load(db, m.Evaluation, evaluation_id).stage == "draft"
    assert events(db, evaluation_id, "stage") == []
    with db.transaction() as s, pytest.raises(Refused) as refused:
        ops.advance(s, s.get(m.Evaluation, evaluation_id), _lead(s, evaluation_id), "open")
    assert refused.value.field == "deadline"
    # a deadline ahead: it opens
    set_stage(db, evaluation_id, "draft", deadline=utcnow() + timedelta(days=14))
    assert client.post(_url(evaluation_id, "/advance"), data={"to": "open"}).status_code == 302
    assert load(db, m.Evaluation, evaluation_id).stage == "open"


def test_after_opening_the_next_step_is_sending_the_vendor_links(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft", deadline=utcnow() + timedelta(days=14))
    auth.login("morgan")
    opened = client.post(
        _url(evaluation_id, "/advance"), data={"to": "open"}, follow_redirects=True
    ).data.decode()
    assert "send each vendor its response link from the Intake tab" in opened
    steps = opened.split("What to do next", 1)[1].split("</section>", 1)[0]
    assert f'href="/evaluations/{evaluation_id}/intake"' in steps
    assert "Send each vendor its response link" in steps


# -- unsealing before the deadline ----------------------------------------------------------


def test_unsealing_before_the_deadline_needs_a_reason_then_a_confirmation(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    deadline = utcnow() + timedelta(days=5)
    set_stage(db, evaluation_id, "open", deadline=deadline)
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "has not passed yet: unsealing now needs a reason" in page
    assert "Why unseal before the deadline (required, audited)" in page
    assert "Unseal before the deadline…" in page

    refused = client.post(_url(evaluation_id, "/advance"), data={"to": "scoring"})
    assert refused.status_code == 200
    assert b"say why the responses are unsealed before it" in refused.data
    assert load(db, m.Evaluation, evaluation_id).stage == "open"

    reason = "All five vendors submitted; the board meets on Monday"
    confirmation = client.post(
        _url(evaluation_id, "/advance"), data={"to": "scoring", "note": reason}
    ).data.decode()
    assert "Unseal the responses before the deadline?" in confirmation
    assert reason in confirmation and 'name="confirm" value="yes"' in confirmation
    assert load(db, m.Evaluation, evaluation_id).stage == "open"
    assert events(db, evaluation_id, "responses.unsealed") == []

    done = client.post(
        _url(evaluation_id, "/advance"),
        data={"to": "scoring", "note": reason, "confirm": "yes"},
    )
    assert done.status_code == 302
    assert load(db, m.Evaluation, evaluation_id).stage == "scoring"
    [unsealed] = events(db, evaluation_id, "responses.unsealed")
    assert unsealed.reason == reason
    assert unsealed.new["sealed"] is False and unsealed.new["deadline"]
    history = client.get(_url(evaluation_id)).data.decode()
    assert "responses unsealed before the deadline" in history


def test_the_operation_refuses_early_unsealing_without_reason_or_confirmation(db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "open", deadline=utcnow() + timedelta(days=5))
    with db.transaction() as s:
        evaluation, lead = s.get(m.Evaluation, evaluation_id), _lead(s, evaluation_id)
        with pytest.raises(Refused) as no_reason:
            ops.advance(s, evaluation, lead, "scoring", confirmed=True)
        assert no_reason.value.field == "note"
        with pytest.raises(Refused) as unconfirmed:
            ops.advance(s, evaluation, lead, "scoring", reason="Early")
        assert unconfirmed.value.field == "confirm"
    assert load(db, m.Evaluation, evaluation_id).stage == "open"


# -- consensus: scores frozen, scorecards submitted as they stand ---------------------------


def test_opening_consensus_submits_every_scorecard_as_it_stands(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")
    luis = membership_id(db, evaluation_id, "luis")
    with db.transaction() as s:
        s.get(m.Membership, luis).submitted_at = None
        # three of Luis's 60 scores are blank: his Cottonwood timezone, language, escalation
        questions = s.scalars(
            select(m.Question.id).where(
                m.Question.evaluation_id == evaluation_id,
                m.Question.key.in_(("timezone", "language", "escalation")),
            )
        ).all()
        s.execute(
            delete(m.Score).where(
                m.Score.membership_id == luis,
                m.Score.vendor_id == demo["cottonwood"],
                m.Score.question_id.in_(questions),
            )
        )
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "Luis Ortega has not submitted (57 of 60 scores entered)." in page
    assert "3 blanks will be listed as missing" in page
    moved = client.post(
        _url(evaluation_id, "/advance"), data={"to": "consensus"}, follow_redirects=True
    ).data.decode()
    assert "every evaluator&#39;s scores are frozen" in moved
    assert "Submitted as it stood: Luis Ortega (3 blanks)" in moved
    membership = load(db, m.Membership, luis)
    assert membership.submitted_at is not None and membership.auto_submitted
    [closed] = events(db, evaluation_id, "scorecard.submitted_at_consensus")
    assert closed.target == "Luis Ortega"
    assert closed.new == {"scores": 57, "expected": 60, "blank": 3}
    # Dana and Priya had submitted: nothing is done for them.
    assert not load(db, m.Membership, membership_id(db, evaluation_id, "dana")).auto_submitted
    # The blanks are missing in the result, by name.
    data = client.get(f"/api/evaluations/{evaluation_id}/results").get_json()
    cottonwood = next(v for v in data["vendors"] if v["key"] == "cottonwood")
    assert {(gap["question"], gap["evaluator"]) for gap in cottonwood["missing"]} == {
        ("timezone", "luis"),
        ("language", "luis"),
        ("escalation", "luis"),
    }
    # and the people page says how it was submitted
    people = client.get(f"/evaluations/{evaluation_id}/people").data.decode()
    assert "submitted at consensus" in people


# -- the award --------------------------------------------------------------------------------


def _open_everything(db: Any, demo: dict[str, Any]) -> None:
    """Luis's scorecard closed at consensus with a blank, Tanglaw's timezone disagreement
    without its consensus score (Dana 2, Luis 5), Threadline with two reference calls."""
    evaluation_id = demo["evaluation"]
    luis = membership_id(db, evaluation_id, "luis")
    with db.transaction() as s:
        s.get(m.Membership, luis).auto_submitted = True
        timezone = s.scalar(
            select(m.Question.id).where(
                m.Question.evaluation_id == evaluation_id, m.Question.key == "timezone"
            )
        )
        s.execute(
            delete(m.ConsensusScore).where(
                m.ConsensusScore.vendor_id == demo["tanglaw"],
                m.ConsensusScore.question_id == timezone,
            )
        )
        s.execute(
            delete(m.Score).where(
                m.Score.membership_id == luis,
                m.Score.vendor_id == demo["cottonwood"],
                m.Score.question_id == timezone,
            )
        )


OPEN_ITEMS = [
    "Luis Ortega's scorecard was submitted as it stood when consensus opened: 1 score "
    "never entered.",
    "Tanglaw Support Services · Daily overlap with our business hours (Mon-Sat 07:00-22:00 "
    "US Central): the evaluators' scores range over 3 points and no consensus score is "
    "recorded.",
    "Threadline Commerce Care: Only 2 reference calls; talk to 3 customers in similar businesses.",
]


def test_the_award_names_what_is_open_and_needs_a_reason_then_a_confirmation(
    client, auth, db, demo
):
    _open_everything(db, demo)
    evaluation_id = demo["evaluation"]
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        items = queries.open_items_before_award(
            s, evaluation, queries.result_for_award(s, evaluation)
        )
        assert [item.message for item in items] == OPEN_ITEMS
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "Still open" in page and "Why award with these items open" in page
    data = {"vendor_id": str(demo["puente_norte"]), "rationale": "Highest total"}
    refused = client.post(_url(evaluation_id, "/decide"), data=data).data.decode()
    assert "3 items are still open (listed above): say why the award is recorded" in refused
    data["open_items_reason"] = "The board meets tomorrow; none of these moves the leader"
    confirmation = client.post(_url(evaluation_id, "/decide"), data=data).data.decode()
    assert "Record the award to Puente Norte CX?" in confirmation
    assert "Still open, and kept with the award" in confirmation
    assert "1 score never entered" in confirmation and "range over 3 points" in confirmation
    assert load(db, m.Evaluation, evaluation_id).stage == "consensus"

    assert client.post(_url(evaluation_id, "/decide"), data=data | {"confirm": "yes"}).status_code
    evaluation = load(db, m.Evaluation, evaluation_id)
    assert evaluation.stage == "decided"
    assert evaluation.award_open_items == OPEN_ITEMS
    assert evaluation.award_open_items_reason == data["open_items_reason"]
    [award] = events(db, evaluation_id, "award.recorded")
    assert award.new["open_items"] == OPEN_ITEMS
    assert award.new["open_items_reason"] == data["open_items_reason"]
    decided = client.get(_url(evaluation_id)).data.decode()
    assert "Open when the award was recorded" in decided


def test_with_nothing_open_the_award_needs_no_reason_but_a_confirmation(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    with db.transaction() as s:  # a third reference call for Threadline
        s.add(
            m.ReferenceCall(
                evaluation_id=evaluation_id,
                vendor_id=demo["threadline"],
                company="Harbor Goods",
                rating=4,
            )
        )
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "Nothing is open" in page and "Why award with these items open" not in page
    data = {"vendor_id": str(demo["puente_norte"]), "rationale": "Highest total"}
    confirmation = client.post(_url(evaluation_id, "/decide"), data=data).data.decode()
    assert "Record the award to Puente Norte CX?" in confirmation
    assert "Still open" not in confirmation
    assert (
        client.post(_url(evaluation_id, "/decide"), data=data | {"confirm": "yes"}).status_code
        == 302
    )
    evaluation = load(db, m.Evaluation, evaluation_id)
    assert evaluation.stage == "decided"
    assert evaluation.award_open_items == [] and evaluation.award_open_items_reason == ""


def test_the_award_operation_refuses_without_confirmation_whatever_the_view(db, demo):
    evaluation_id = demo["evaluation"]
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        result = queries.result_for_award(s, evaluation)
        vendor = s.get(m.Vendor, demo["puente_norte"])
        with pytest.raises(Refused) as no_reason:
            ops.decide(
                s, evaluation, _lead(s, evaluation_id), result, vendor, "Best", confirmed=True
            )
        assert no_reason.value.field == "open_items_reason"
        with pytest.raises(Refused) as unconfirmed:
            ops.decide(
                s, evaluation, _lead(s, evaluation_id), result, vendor, "Best",
                open_items_reason="Threadline is not a contender",
            )  # fmt: skip
        assert unconfirmed.value.field == "confirm"
    assert load(db, m.Evaluation, evaluation_id).stage == "consensus"


def test_amendments_after_unsealing_plug_in_as_open_items(db, demo, monkeypatch):
    """The amendments branch replaces `amendments_after_unsealing`; what it returns is
    named at the award like everything else that is open."""
    amended = queries.OpenItem(
        queries.AMENDMENT,
        "Price amended by the lead after unsealing: $2.35 -> $1.95 per contact, reason ...",
    )
    monkeypatch.setattr(queries, "amendments_after_unsealing", lambda s, e: [amended])
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, demo["evaluation"])
        items = queries.open_items_before_award(
            s, evaluation, queries.result_for_award(s, evaluation)
        )
    assert amended in items
    with db.transaction() as s:  # without the branch: nothing
        evaluation = s.get(m.Evaluation, demo["evaluation"])
        monkeypatch.undo()
        assert queries.amendments_after_unsealing(s, evaluation) == []
