"""The criteria and questions editor: percentages, warnings, edits, frozen weights."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from tests.fixtures.evaluations import events, membership_id, set_stage
from tests.fixtures.setup import count, criterion_id, load, question_id


def _row(page: str, element_id: str) -> str:
    """The HTML of one table row of the editor."""
    match = re.search(rf'<tr[^>]*id="{element_id}".*?</tr>', page, re.S)
    assert match, element_id
    return match.group(0)


def _criteria_url(evaluation_id: int, rest: str = "") -> str:
    return f"/evaluations/{evaluation_id}/criteria{rest}"


def test_weights_are_shown_as_percentages_of_their_level_and_of_the_total(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    page = client.get(_criteria_url(evaluation_id)).data.decode()
    # Criteria weigh 20, 20, 15, 15, 20, 10 (sum 100): cultural fit is 20.0 %.
    # Its questions weigh 3, 3, 2, 2 (sum 10): time zone overlap is 3/10 = 30.0 % of
    # the criterion and 30 % x 20 % = 6.0 % of the total.
    timezone = _row(page, f"question-{question_id(db, evaluation_id, 'timezone')}")
    assert "30.0 %" in timezone and "6.0 %" in timezone
    # Compliance: two knockouts (not weighted) and 2 + 3: data security is 3/5 = 60.0 %
    # of the criterion, 60 % x 20 % = 12.0 % of the total.
    security = _row(page, f"question-{question_id(db, evaluation_id, 'data_security')}")
    assert "60.0 %" in security and "12.0 %" in security
    knockout = _row(page, f"question-{question_id(db, evaluation_id, 'soc2')}")
    assert "pass / fail" in knockout and "%" not in knockout
    # The question levels sum to 10, not 100: a warning in words, not an error.
    assert "Question weights in Cultural fit add up to" in page


def test_a_level_that_does_not_sum_to_100_is_saved_with_a_warning(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    cultural_fit = criterion_id(db, evaluation_id, "cultural_fit")
    response = client.post(
        _criteria_url(evaluation_id, "/weights"), data={f"criterion-{cultural_fit}": "30"}
    )
    assert response.status_code == 302
    page = client.get(_criteria_url(evaluation_id)).data.decode()
    # 30 + 20 + 15 + 15 + 20 + 10 = 110; cultural fit is now 30/110 = 27.3 %
    assert "Criterion weights add up to" in page and ">110<" in page
    assert "27.3 %" in page


def test_in_draft_a_weight_change_is_audited_without_a_reason(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    cost = criterion_id(db, evaluation_id, "cost")
    description = load(db, m.Criterion, cost).description
    response = client.post(
        _criteria_url(evaluation_id, f"/{cost}/edit"),
        data={"name": "Cost", "kind": "cost", "weight": "25", "description": description},
    )
    assert response.status_code == 302
    assert load(db, m.Criterion, cost).weight == 25
    [event] = events(db, evaluation_id, "criterion.weight")
    assert (event.old, event.new, event.reason) == ({"weight": 20}, {"weight": 25}, "")


def test_after_draft_a_weight_change_needs_a_reason_and_is_audited_with_it(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "open")
    auth.login("morgan")
    references = criterion_id(db, evaluation_id, "references")
    criterion = load(db, m.Criterion, references)
    form = {
        "name": criterion.name,
        "kind": "references",
        "weight": "15",
        "description": criterion.description,
    }
    response = client.post(_criteria_url(evaluation_id, f"/{references}/edit"), data=form)
    assert response.status_code == 200
    assert b"Give a reason for this change" in response.data
    assert load(db, m.Criterion, references).weight == 10
    assert events(db, evaluation_id, "criterion.weight") == []

    form["reason"] = "Leadership asked for more weight on references after the pilot review"
    response = client.post(_criteria_url(evaluation_id, f"/{references}/edit"), data=form)
    assert response.status_code == 302
    [event] = events(db, evaluation_id, "criterion.weight")
    assert (event.old, event.new) == ({"weight": 10}, {"weight": 15})
    assert event.reason.startswith("Leadership asked")
    assert event.target == "References"


def test_the_weight_table_is_frozen_after_draft_too(client, auth, db, demo):
    evaluation_id = demo["evaluation"]  # consensus
    auth.login("morgan")
    timezone = question_id(db, evaluation_id, "timezone")
    data = {f"question-{timezone}": "40"}
    response = client.post(_criteria_url(evaluation_id, "/weights"), data=data)
    assert response.status_code == 200
    assert b"Weights are fixed since the evaluation left draft" in response.data
    assert load(db, m.Question, timezone).weight == 30

    data["reason"] = "Calibration: overlap matters more than we thought"
    assert client.post(_criteria_url(evaluation_id, "/weights"), data=data).status_code == 302
    assert load(db, m.Question, timezone).weight == 40
    [event] = events(db, evaluation_id, "question.weight")
    assert (event.old, event.new) == ({"weight": 30}, {"weight": 40})
    assert event.reason == "Calibration: overlap matters more than we thought"


def test_a_weight_that_is_not_a_positive_number_names_its_field(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    tooling = criterion_id(db, evaluation_id, "tooling")
    helpdesk = question_id(db, evaluation_id, "helpdesk")
    response = client.post(
        _criteria_url(evaluation_id, "/weights"),
        data={f"criterion-{tooling}": "0", f"question-{helpdesk}": "lots"},
    )
    page = response.data.decode()
    assert "Must be a number." in _row(page, f"question-{helpdesk}")
    response = client.post(
        _criteria_url(evaluation_id, "/weights"), data={f"criterion-{tooling}": "0"}
    )
    assert "Tooling must be greater than 0." in response.data.decode()
    assert load(db, m.Criterion, tooling).weight == 15


def test_adding_a_criterion_and_a_question_after_draft_needs_a_reason(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")
    auth.login("morgan")
    new = {"name": "Innovation", "kind": "scored", "weight": "5"}
    response = client.post(_criteria_url(evaluation_id, "/new"), data=new)
    assert b"Give a reason" in response.data
    assert count(db, m.Criterion, evaluation_id=evaluation_id) == 6
    new["reason"] = "Added at the steering committee's request"
    assert client.post(_criteria_url(evaluation_id, "/new"), data=new).status_code == 302
    [added] = events(db, evaluation_id, "criterion.added")
    assert added.new["weight"] == 5 and added.reason.startswith("Added at")

    innovation = criterion_id(db, evaluation_id, "innovation")
    question = {"text": "Automation roadmap", "kind": "scored", "weight": "1"}
    url = _criteria_url(evaluation_id, f"/{innovation}/questions/new")
    assert b"Give a reason" in client.post(url, data=question).data
    question["reason"] = "Needed to score the new criterion"
    assert client.post(url, data=question).status_code == 302
    assert question_id(db, evaluation_id, "automation_roadmap")


def test_rewording_a_question_after_draft_needs_no_reason_but_is_audited(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    pilot = question_id(db, evaluation_id, "pilot")
    question = load(db, m.Question, pilot)
    response = client.post(
        _criteria_url(evaluation_id, f"/questions/{pilot}/edit"),
        data={
            "text": "Pilot willingness (8-12 weeks)",
            "kind": "scored",
            "weight": str(question.weight),
            "guidance": question.guidance,
        },
    )
    assert response.status_code == 302
    [event] = events(db, evaluation_id, "question.updated")
    assert event.new == {"text": "Pilot willingness (8-12 weeks)"}


def test_while_vendors_respond_a_question_is_reworded_by_an_addendum_only(client, auth, db, demo):
    # A quiet edit while the RFP is open would leave vendors answering different texts;
    # an addendum tells each of them. Once the deadline has passed, the panel may fix a
    # wording again (audited), as in the test above.
    evaluation_id = demo["evaluation"]
    soon = utcnow() + timedelta(days=7)
    set_stage(db, evaluation_id, "open", deadline=soon)
    auth.login("morgan")
    pilot = question_id(db, evaluation_id, "pilot")
    question = load(db, m.Question, pilot)
    data = {
        "text": "Pilot willingness (8-12 weeks)",
        "kind": "scored",
        "weight": str(question.weight),
        "guidance": question.guidance,
    }
    url = _criteria_url(evaluation_id, f"/questions/{pilot}/edit")
    response = client.post(url, data=data)
    assert response.status_code == 200  # the form again, the refusal under the text
    assert "reword a question with an addendum" in response.get_data(as_text=True)
    assert load(db, m.Question, pilot).text == question.text
    assert events(db, evaluation_id, "question.updated") == []

    set_stage(db, evaluation_id, "open", deadline=utcnow() - timedelta(minutes=1))
    assert client.post(url, data=data).status_code == 302
    assert load(db, m.Question, pilot).text == "Pilot willingness (8-12 weeks)"


def test_deleting_a_scored_question_after_draft_needs_a_reason_and_counts_lost_scores(
    client, auth, db, demo
):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    timezone = question_id(db, evaluation_id, "timezone")
    url = _criteria_url(evaluation_id, f"/questions/{timezone}/delete")
    # Dana and Luis score every criterion, Priya only compliance and tooling:
    # 2 evaluators x 5 vendors = 10 scores on time zone overlap.
    assert b"10 scores" in client.get(url).data
    assert b"Give a reason" in client.post(url, data={}).data
    assert count(db, m.Score, question_id=timezone) == 10
    response = client.post(url, data={"reason": "Duplicate of the coverage question"})
    assert response.status_code == 302
    assert count(db, m.Question, id=timezone) == 0
    [event] = events(db, evaluation_id, "question.removed")
    assert event.old["scores_deleted"] == 10
    assert event.reason == "Duplicate of the coverage question"


def test_in_draft_criteria_are_added_moved_and_deleted_freely(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    tooling = criterion_id(db, evaluation_id, "tooling")
    stability = criterion_id(db, evaluation_id, "stability")
    assert client.post(_criteria_url(evaluation_id, f"/{tooling}/move/down")).status_code == 302
    assert load(db, m.Criterion, tooling).position == 3
    assert load(db, m.Criterion, stability).position == 2
    [moved] = events(db, evaluation_id, "criterion.moved")
    assert moved.new == {"position": 4}

    assert client.post(_criteria_url(evaluation_id, f"/{tooling}/delete")).status_code == 302
    assert count(db, m.Criterion, evaluation_id=evaluation_id) == 5
    [removed] = events(db, evaluation_id, "criterion.removed")
    assert removed.old["questions"] == 2 and removed.reason == ""


def test_there_is_only_one_cost_criterion_and_it_has_no_questions(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    response = client.post(
        _criteria_url(evaluation_id, "/new"), data={"name": "Price", "kind": "cost", "weight": "5"}
    )
    assert b"there is already a cost criterion (Cost)" in response.data
    cost = criterion_id(db, evaluation_id, "cost")
    response = client.post(
        _criteria_url(evaluation_id, f"/{cost}/questions/new"),
        data={"text": "Rate card", "kind": "scored", "weight": "1"},
    )
    assert b"the cost criterion is computed and has no questions" in response.data


def test_a_criterion_an_evaluator_is_limited_to_alone_cannot_be_deleted(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    priya = membership_id(db, evaluation_id, "priya")
    tooling = criterion_id(db, evaluation_id, "tooling")
    with db.transaction() as s:
        membership = s.get(m.Membership, priya)
        membership.criteria = [s.get(m.Criterion, tooling)]
    auth.login("morgan")
    response = client.post(_criteria_url(evaluation_id, f"/{tooling}/delete"))
    assert b"Priya Raman is assigned to this criterion only" in response.data
    assert load(db, m.Criterion, tooling) is not None


def test_evaluators_and_viewers_read_the_criteria_but_cannot_change_them(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    cost = criterion_id(db, evaluation_id, "cost")
    for user in ("dana", "elena"):
        auth.login(user)
        page = client.get(_criteria_url(evaluation_id)).data.decode()
        assert "Cultural fit" in page and "20.0 %" in page
        assert "Save weights" not in page and "Add criterion" not in page
        assert (
            client.post(
                _criteria_url(evaluation_id, "/weights"), data={f"criterion-{cost}": "50"}
            ).status_code
            == 403
        )
        assert client.get(_criteria_url(evaluation_id, f"/{cost}/edit")).status_code == 403
        auth.logout()
    with db.transaction() as s:
        assert s.scalar(select(m.Criterion.weight).where(m.Criterion.id == cost)) == 20


def _field_block(page: str, name: str) -> str:
    """The HTML of one form field's block (label, input, help and errors)."""
    match = re.search(
        rf'<div class="field [^"]*">(?:(?!<div class="field ).)*?name="{name}".*?</div>', page, re.S
    )
    assert match, name
    return match.group(0)


def test_a_refused_change_is_shown_under_the_field_it_names(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "draft")
    auth.login("morgan")
    response = client.post(
        _criteria_url(evaluation_id, "/new"), data={"name": "Price", "kind": "cost", "weight": "5"}
    )
    assert response.status_code == 200
    kind = _field_block(response.data.decode(), "kind")
    assert "there is already a cost criterion (Cost)" in kind and "has-error" in kind


def test_a_criterion_of_another_evaluation_is_not_found(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    response = client.post("/evaluations/new", data={"start": "blank", "title": "Other"})
    other = int(response.headers["Location"].rsplit("/", 1)[1])
    cost = criterion_id(db, evaluation_id, "cost")
    timezone = question_id(db, evaluation_id, "timezone")
    assert client.get(_criteria_url(other, f"/{cost}/edit")).status_code == 404
    assert client.get(_criteria_url(other, f"/questions/{timezone}/edit")).status_code == 404
    assert client.post(_criteria_url(other, f"/{cost}/move/up")).status_code == 404
