"""Scenario import is an administrator's or a lead's act (issue 14). Played as Mallory,
an account with no role anywhere: by default she may not import at all; where anyone
may, her file (naming two existing people, with scores and comments in their names,
and someone new) makes an evaluation she leads and three pending invitations, and no
score, no membership, no account. The lead confirms or dismisses each. Every import is
audited with the file's SHA-256."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from rfp import models as m
from tests.fixtures.evaluations import audit, make_user

TABLES = (m.Evaluation, m.User, m.Membership, m.Score, m.PendingInvitation, m.MailMessage)


def counts(db: Any) -> dict[str, int]:
    with db.transaction() as s:
        return {t.__name__: s.scalar(select(func.count()).select_from(t)) for t in TABLES}


def hostile_file(make_scenario: Any) -> bytes:
    """Dana and Priya (existing accounts) on the panel with scores and comments in their
    names, Dana's conflict declared for her, and a newcomer with no account."""
    doc = make_scenario(title="Mallory's evaluation", stage="scoring")
    doc["evaluators"] = [
        {"key": "dana", "name": "Dana Whitfield"},
        {"key": "priya", "name": "Priya", "email": "", "criteria": ["fit"]},
        {"key": "newbie", "name": "New Person", "email": "new.person@x.example"},
    ]
    doc["scores"] = [
        {"evaluator": "dana", "vendor": "alpha", "question": "timezone", "score": 0,
         "comment": "Dana says: terrible"},
        {"evaluator": "priya", "vendor": "beta", "question": "timezone", "score": 5,
         "comment": "Priya says: perfect"},
    ]  # fmt: skip
    doc["conflicts"] = [{"evaluator": "dana", "vendor": "beta", "note": "planted"}]
    return json.dumps(doc).encode()


def scores_in(db: Any, evaluation_id: int) -> int:
    with db.transaction() as s:
        return s.scalar(
            select(func.count()).select_from(m.Score).where(m.Score.evaluation_id == evaluation_id)
        )


def upload(client: Any, data: bytes) -> Any:
    return client.post(
        "/evaluations/new",
        data={"start": "upload", "title": "", "scenario": (io.BytesIO(data), "scenario.json")},
        content_type="multipart/form-data",
    )


def created_id(response: Any) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


@pytest.fixture
def mallory(db, demo) -> int:  # type: ignore[no-untyped-def]
    return make_user(db, "mallory", "Mallory", email="mallory@x.example")


def test_by_default_an_account_with_no_role_may_not_import(
    client, auth, db, mallory, make_scenario
):
    auth.login("mallory")
    page = client.get("/evaluations/new").get_data(as_text=True)
    assert 'value="upload"' not in page
    assert "Only administrators and the leads of an evaluation may import" in page
    before = counts(db)
    response = upload(client, hostile_file(make_scenario))
    assert response.status_code == 403
    assert counts(db) == before


def test_where_anyone_may_import_the_panel_waits_for_the_importer_and_nothing_is_stored_in_their_names(  # noqa: E501
    app, client, auth, db, mallory, make_scenario
):
    app.config["RFP_IMPORT_ALLOWED"] = "anyone"
    auth.login("mallory")
    data = hostile_file(make_scenario)
    before = counts(db)
    response = upload(client, data)
    evaluation_id = created_id(response)
    after = counts(db)
    # One evaluation, one membership (Mallory, its lead), three pending invitations; no
    # score, no account, no message to anyone.
    assert after["Evaluation"] == before["Evaluation"] + 1
    assert after["Membership"] == before["Membership"] + 1
    assert after["PendingInvitation"] == before["PendingInvitation"] + 3
    assert (after["User"], after["Score"], after["MailMessage"]) == (
        before["User"],
        before["Score"],
        before["MailMessage"],
    )
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        assert [(ms.user.username, ms.role) for ms in evaluation.memberships] == [
            ("mallory", "lead")
        ]
        assert s.scalars(select(m.ConflictDeclaration)).all() == [] or all(
            d.membership.evaluation_id != evaluation_id
            for d in s.scalars(select(m.ConflictDeclaration))
        )
    [event] = [e for e in audit(db, "evaluation.imported") if e.evaluation_id == evaluation_id]
    assert event.new["sha256"] == hashlib.sha256(data).hexdigest()
    assert event.new["pending_invitations"] == 3
    assert event.new["left_out"] == {"scores": 2, "conflicts": 1}
    assert event.user_id == mallory


def test_a_lead_confirms_and_dismisses_the_people_the_file_named(
    client, auth, db, demo, make_scenario, smtp_server
):
    auth.login("morgan")  # a lead (of the demo): allowed by default
    evaluation_id = created_id(upload(client, hostile_file(make_scenario)))
    page = client.get(f"/evaluations/{evaluation_id}/people").get_data(as_text=True)
    assert "Named in the imported file" in page and "New Person" in page
    assert "Cultural fit" in page  # Priya would score that criterion only
    with db.transaction() as s:
        pending = {
            p.key: p.id
            for p in s.scalars(
                select(m.PendingInvitation).where(
                    m.PendingInvitation.evaluation_id == evaluation_id
                )
            )
        }
    url = f"/evaluations/{evaluation_id}/people/pending"

    # The newcomer: a new account, no password, invited by e-mail.
    response = client.post(url, data={"pending_id": pending["newbie"], "action": "confirm"})
    assert response.status_code == 302
    # Priya: the file gives no e-mail address, so she cannot be confirmed from it.
    refused = client.post(
        url, data={"pending_id": pending["priya"], "action": "confirm"}, follow_redirects=True
    )
    assert "gives no e-mail address for Priya" in refused.get_data(as_text=True)
    assert (
        client.post(url, data={"pending_id": pending["priya"], "action": "dismiss"}).status_code
        == 302
    )
    with db.transaction() as s:
        newbie = s.scalar(select(m.User).where(m.User.email == "new.person@x.example"))
        assert newbie.username == "newbie" and newbie.password_hash is None
        members = {
            ms.user.username: ms.role for ms in s.get(m.Evaluation, evaluation_id).memberships
        }
        assert members == {"morgan": "lead", "newbie": "evaluator"}
        left = s.scalars(
            select(m.PendingInvitation.key).where(
                m.PendingInvitation.evaluation_id == evaluation_id
            )
        ).all()
        assert left == ["dana"]
        invitation = s.scalar(
            select(m.MailMessage).where(m.MailMessage.to_address == "new.person@x.example")
        )
        assert invitation is not None
    assert [e.target for e in audit(db, "pending_invitation.confirmed")] == ["New Person"]
    assert [e.target for e in audit(db, "pending_invitation.dismissed")] == ["Priya"]
    # A pending invitation of another evaluation, or none: 400, nothing happens.
    assert client.post(url, data={"pending_id": "999999", "action": "confirm"}).status_code == 400


def test_confirming_someone_whose_address_has_an_account_adds_that_account(
    client, auth, db, demo, make_scenario
):
    with db.transaction() as s:
        dana = s.scalar(select(m.User).where(m.User.username == "dana"))
        dana.email = dana.email or "dana@fernbrook.example"
        address = dana.email
    doc = json.loads(hostile_file(make_scenario))
    doc["evaluators"][0]["email"] = address.upper()
    auth.login("morgan")
    evaluation_id = created_id(upload(client, json.dumps(doc).encode()))
    with db.transaction() as s:
        pending_id = s.scalar(
            select(m.PendingInvitation.id).where(
                m.PendingInvitation.evaluation_id == evaluation_id,
                m.PendingInvitation.key == "dana",
            )
        )
    client.post(
        f"/evaluations/{evaluation_id}/people/pending",
        data={"pending_id": pending_id, "action": "confirm"},
    )
    with db.transaction() as s:
        roles = {ms.user.username: ms.role for ms in s.get(m.Evaluation, evaluation_id).memberships}
        assert roles == {"morgan": "lead", "dana": "evaluator"}
    assert scores_in(db, evaluation_id) == 0  # her scores in the file were never stored


def test_with_admins_only_a_lead_may_not_import_but_an_administrator_may(
    app, client, auth, db, demo, make_scenario
):
    app.config["RFP_IMPORT_ALLOWED"] = "admins"
    auth.login("morgan")
    assert upload(client, hostile_file(make_scenario)).status_code == 403
    auth.logout()
    auth.login("admin")
    data = hostile_file(make_scenario)
    evaluation_id = created_id(upload(client, data))
    with db.transaction() as s:
        # An administrator's import enrols the panel: Dana and Priya by username, the
        # newcomer as an account without a password; their scores are kept.
        roles = {ms.user.username: ms.role for ms in s.get(m.Evaluation, evaluation_id).memberships}
        assert roles == {"dana": "evaluator", "priya": "evaluator", "newbie": "evaluator",
                         "admin": "lead"}  # fmt: skip
    assert scores_in(db, evaluation_id) == 2
    [event] = [e for e in audit(db, "evaluation.imported") if e.evaluation_id == evaluation_id]
    assert event.new["sha256"] == hashlib.sha256(data).hexdigest()


def test_an_administrators_import_refuses_a_look_alike_of_an_existing_account(
    client, auth, db, demo, make_scenario
):
    doc = make_scenario()
    # (a Cyrillic look-alike is no key of a scenario file at all: keys are ASCII)
    doc["evaluators"] = [{"key": "rnorgan", "name": "Not Morgan"}]
    auth.login("admin")
    before = counts(db)
    response = upload(client, json.dumps(doc).encode())
    assert response.status_code == 200
    assert (
        "evaluators[0].key: &#39;rnorgan&#39; looks like the existing account &#39;morgan&#39;"
        in (response.get_data(as_text=True))
    )
    assert counts(db) == before


def test_a_name_in_the_file_is_shown_as_text_on_the_people_page(
    client, auth, db, demo, make_scenario
):
    doc = make_scenario()
    doc["evaluators"] = [{"key": "x", "name": "<script>alert(1)</script>", "email": "x@x.example"}]
    auth.login("morgan")
    evaluation_id = created_id(upload(client, json.dumps(doc).encode()))
    page = client.get(f"/evaluations/{evaluation_id}/people").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_setting_takes_three_values_and_refuses_any_other(monkeypatch):
    from rfp.core.config import ConfigError, load_config

    monkeypatch.delenv("RFP_IMPORT_ALLOWED", raising=False)
    assert load_config({"SECRET_KEY": "x"})["RFP_IMPORT_ALLOWED"] == "admins_and_leads"
    monkeypatch.setenv("RFP_IMPORT_ALLOWED", " Admins ")
    assert load_config({"SECRET_KEY": "x"})["RFP_IMPORT_ALLOWED"] == "admins"
    monkeypatch.setenv("RFP_IMPORT_ALLOWED", "everyone")
    with pytest.raises(ConfigError, match="RFP_IMPORT_ALLOWED='everyone': must be one of"):
        load_config({"SECRET_KEY": "x"})
