"""People: adding evaluators, viewers and leads; taking evaluators off the panel without
losing their scores; reopening a scorecard."""

from __future__ import annotations

from sqlalchemy import select

from rfp import models as m
from rfp.models.adapter import load_scoring_input
from tests.fixtures.evaluations import events, make_user, membership_id, set_stage
from tests.fixtures.setup import count, criterion_id, load


def _url(evaluation_id: int, rest: str = "") -> str:
    return f"/evaluations/{evaluation_id}/people{rest}"


def test_the_people_page_shows_each_evaluators_progress(client, auth, db, demo):
    auth.login("morgan")
    page = client.get(_url(demo["evaluation"])).data.decode()
    # Dana scores every criterion: 12 scored questions x 5 vendors = 60.
    # Priya is limited to compliance (2 scored) and tooling (2): 4 x 5 vendors = 20.
    assert "60 of 60" in page and "20 of 20" in page
    assert "Compliance and security, Tooling" in page
    assert "Elena Brooks (CFO)" in page


def test_an_existing_account_is_added_as_an_evaluator_limited_to_some_criteria(
    client, auth, db, demo
):
    evaluation_id = demo["evaluation"]
    omar = make_user(db, "omar", "Omar Haddad")
    compliance = criterion_id(db, evaluation_id, "compliance")
    auth.login("morgan")
    response = client.post(
        _url(evaluation_id, "/add"),
        data={
            "role": "evaluator",
            "account": "existing",
            "user_id": str(omar),
            "criteria": [str(compliance)],
        },
    )
    assert response.status_code == 302
    with db.transaction() as s:
        membership = s.scalar(select(m.Membership).where(m.Membership.user_id == omar))
        assert (membership.role, membership.key, membership.active) == ("evaluator", "omar", True)
        assert [c.key for c in membership.criteria] == ["compliance"]
    [event] = events(db, evaluation_id, "membership.added")
    assert event.new == {"role": "evaluator", "criteria": ["compliance"]}


def test_a_new_account_is_refused_with_the_field_named(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    users = count(db, m.User)
    response = client.post(
        _url(evaluation_id, "/add"),
        data={
            "role": "evaluator",
            "account": "new",
            "username": "dana",
            "name": "Another Dana",
            "email": "another.dana@fernbrook.example",
        },
    )
    assert b"is already taken" in response.data
    response = client.post(
        _url(evaluation_id, "/add"),
        data={"role": "evaluator", "account": "new", "name": "Zoe"},
    )
    assert b"Required to invite someone new." in response.data
    response = client.post(
        _url(evaluation_id, "/add"),
        data={
            "role": "evaluator",
            "account": "new",
            "name": "Zoe",
            "email": "dana.whitfield@fernbrook.example",
        },
    )
    assert b"is already used by another account" in response.data
    assert count(db, m.User) == users


def test_only_evaluators_are_limited_and_nobody_is_added_twice(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    auth.login("morgan")
    omar = make_user(db, "omar")
    tooling = criterion_id(db, evaluation_id, "tooling")
    response = client.post(
        _url(evaluation_id, "/add"),
        data={
            "role": "viewer",
            "account": "existing",
            "user_id": str(omar),
            "criteria": [str(tooling)],
        },
    )
    assert b"Only evaluators are limited to some criteria." in response.data
    with db.transaction() as s:
        luis = s.scalar(select(m.User.id).where(m.User.username == "luis"))
    response = client.post(
        _url(evaluation_id, "/add"),
        data={"role": "viewer", "account": "existing", "user_id": str(luis)},
    )
    assert b"Luis Ortega is already evaluator here" in response.data


def test_removing_an_evaluator_keeps_their_scores_out_of_the_aggregate(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    dana = membership_id(db, evaluation_id, "dana")
    auth.login("morgan")
    url = _url(evaluation_id, f"/{dana}/remove")
    assert b"Their 60 scores are kept on record" in client.get(url).data
    response = client.post(url, data={"reason": ""})
    assert b"say why the evaluator leaves the panel" in response.data
    assert load(db, m.Membership, dana).active is True

    response = client.post(url, data={"reason": "Left the company"})
    assert response.status_code == 302
    membership = load(db, m.Membership, dana)
    assert (membership.active, membership.removed_reason) == (False, "Left the company")
    assert membership.removed_at is not None
    assert count(db, m.Score, membership_id=dana) == 60  # never deleted
    [event] = events(db, evaluation_id, "membership.deactivated")
    assert (event.old, event.new, event.reason) == (
        {"active": True},
        {"active": False},
        "Left the company",
    )
    with db.transaction() as s:
        scoring_input = load_scoring_input(s, s.get(m.Evaluation, evaluation_id))
    # 140 scores in the demo, 60 of them Dana's: 80 count.
    assert {e.key for e in scoring_input.evaluators} == {"luis", "priya"}
    assert len(scoring_input.scores) == 80
    assert all(score.evaluator != "dana" for score in scoring_input.scores)
    page = client.get(_url(evaluation_id)).data.decode()
    assert "off the panel" in page and "60 scores kept, not counted" in page
    auth.logout()
    auth.login("dana")
    assert client.get(f"/evaluations/{evaluation_id}").status_code == 404


def test_a_removed_evaluator_is_reactivated_and_counts_again(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    dana = membership_id(db, evaluation_id, "dana")
    auth.login("morgan")
    client.post(_url(evaluation_id, f"/{dana}/remove"), data={"reason": "On leave"})
    response = client.post(_url(evaluation_id, f"/{dana}/reactivate"))
    assert response.status_code == 302
    assert load(db, m.Membership, dana).active is True
    with db.transaction() as s:
        assert len(load_scoring_input(s, s.get(m.Evaluation, evaluation_id)).scores) == 140
    [event] = events(db, evaluation_id, "membership.reactivated")
    assert event.old == {"active": False, "removed_reason": "On leave"}


def test_the_lead_reopens_a_submitted_scorecard_while_scoring(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    set_stage(db, evaluation_id, "scoring")
    luis = membership_id(db, evaluation_id, "luis")
    assert load(db, m.Membership, luis).submitted_at is not None
    auth.login("morgan")
    response = client.post(
        _url(evaluation_id, f"/{luis}/reopen"),
        data={"reason": "Asked to revisit the tooling scores"},
    )
    assert response.status_code == 302
    assert load(db, m.Membership, luis).submitted_at is None
    [event] = events(db, evaluation_id, "scorecard.reopened")
    assert event.new == {"submitted_at": None}
    assert event.reason == "Asked to revisit the tooling scores"
    # nothing left to reopen
    client.post(_url(evaluation_id, f"/{luis}/reopen"))
    assert len(events(db, evaluation_id, "scorecard.reopened")) == 1


def test_from_consensus_on_a_scorecard_is_not_reopened(client, auth, db, demo):
    """Luis has read the panel's scores: a change now is a consensus score."""
    evaluation_id = demo["evaluation"]  # consensus
    luis = membership_id(db, evaluation_id, "luis")
    auth.login("morgan")
    page = client.get(_url(evaluation_id)).data.decode()
    assert "Reopen scorecard" not in page
    response = client.post(
        _url(evaluation_id, f"/{luis}/reopen"), data={"reason": "Revisit tooling"}
    )
    assert response.status_code == 302
    assert load(db, m.Membership, luis).submitted_at is not None
    assert events(db, evaluation_id, "scorecard.reopened") == []
    page = client.get(_url(evaluation_id)).data.decode()
    assert "scores are frozen since consensus opened" in page


def test_viewers_are_removed_but_never_the_last_lead(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    elena = membership_id(db, evaluation_id, "elena")
    morgan = membership_id(db, evaluation_id, "morgan")
    auth.login("morgan")
    assert client.post(_url(evaluation_id, f"/{elena}/remove")).status_code == 302
    assert load(db, m.Membership, elena) is None
    [event] = events(db, evaluation_id, "membership.removed")
    assert event.old == {"role": "viewer"}
    response = client.post(_url(evaluation_id, f"/{morgan}/remove"))
    assert b"an evaluation keeps at least one lead" in response.data
    assert load(db, m.Membership, morgan) is not None


def test_the_assignment_of_an_evaluator_is_changed_and_audited(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    priya = membership_id(db, evaluation_id, "priya")
    tooling = criterion_id(db, evaluation_id, "tooling")
    auth.login("morgan")
    response = client.post(_url(evaluation_id, f"/{priya}/edit"), data={"criteria": [str(tooling)]})
    assert response.status_code == 302
    [event] = events(db, evaluation_id, "membership.criteria")
    assert (event.old, event.new) == (
        {"criteria": ["compliance", "tooling"]},
        {"criteria": ["tooling"]},
    )


def test_a_refusal_of_an_existing_account_is_shown_under_the_person(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    with db.transaction() as s:
        luis = s.scalar(select(m.User.id).where(m.User.username == "luis"))
    auth.login("morgan")
    response = client.post(
        _url(evaluation_id, "/add"),
        data={"role": "viewer", "account": "existing", "user_id": str(luis)},
    )
    page = response.data.decode()
    field = page[
        page.index('<label for="user_id"') : page.index(
            "</div>", page.index('<label for="user_id"')
        )
    ]
    assert "Luis Ortega is already evaluator here" in field
    inactive = make_user(db, "ivy")
    with db.transaction() as s:
        s.get(m.User, inactive).active = False
    response = client.post(
        _url(evaluation_id, "/add"),
        data={"role": "viewer", "account": "existing", "user_id": str(inactive)},
    )
    assert b"Choose an active account." in response.data
    assert events(db, evaluation_id, "membership.added") == []


def test_a_refused_reopen_is_flashed_and_changes_nothing(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    priya = membership_id(db, evaluation_id, "priya")
    with db.transaction() as s:
        s.get(m.Membership, priya).submitted_at = None
    auth.login("morgan")
    response = client.post(_url(evaluation_id, f"/{priya}/reopen"), follow_redirects=True)
    assert b"Priya" in response.data and b"has no submitted scorecard" in response.data
    assert events(db, evaluation_id, "scorecard.reopened") == []
