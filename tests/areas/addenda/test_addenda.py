"""Addenda: the lead publishes a change to the RFP while it is open (a text, a question,
the deadline, a file); every vendor is mailed and must acknowledge it before it can
submit (refused on the server); a new deadline re-validates the vendors' links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from tests.fixtures import documents as files
from tests.fixtures.mail import text_of
from tests.fixtures.sourcing_world import download, post_file

SUBMIT = {
    "answer_timezone": "Full overlap",
    "pricing_model": "per_hour",
    "rate": "16.5",
    "confirm": "y",
    "action": "submit",
}


def _new(world: Any) -> str:
    return f"/evaluations/{world.evaluation}/addenda/new"


def _publish(client: Any, world: Any, **data: Any) -> Any:
    return client.post(_new(world), data={"title": "Clarified scope", **data})


def _addenda(world: Any) -> list[m.Addendum]:
    with world.db.transaction() as s:
        return list(s.scalars(select(m.Addendum).order_by(m.Addendum.number)))


def _status(world: Any, vendor: str) -> str:
    with world.db.transaction() as s:
        response = s.get(m.Vendor, world.vendors[vendor]).response
        return response.status if response else "not_started"


def _minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def test_the_lead_publishes_an_addendum_every_vendor_is_mailed(client, auth, world, smtp_server):
    auth.login("lena")
    response = _publish(
        client, world, title="Saturday coverage", body="Saturdays are in scope, 07:00-22:00."
    )
    assert response.status_code == 302
    [addendum] = _addenda(world)
    assert (addendum.number, addendum.title) == (1, "Saturday coverage")
    [event] = world.audit("addendum.published")
    assert event.target == "Addendum 1: Saturday coverage"
    assert world.run_mail() == 2
    mail = smtp_server.to("bids@alpha.example")[0]
    assert mail["Subject"] == "Addendum 1: Saturday coverage — Test evaluation"
    assert "Saturdays are in scope, 07:00-22:00." in text_of(mail)
    assert "a response cannot be submitted until every addendum is acknowledged" in text_of(mail)
    page = client.get(f"/evaluations/{world.evaluation}/addenda").get_data(as_text=True)
    assert "Acknowledged by 0 of 2 vendors" in page


def test_an_addendum_says_or_changes_something(client, auth, world):
    auth.login("lena")
    cases = [
        ({"title": ""}, "Give the addendum a title."),
        ({}, "An addendum says or changes something"),
        ({"deadline": _minute(utcnow() - timedelta(days=1))}, "must be in the future"),
        ({"question_text": "New words"}, "Choose the question this text replaces."),
    ]
    for data, message in cases:
        response = _publish(client, world, **data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert _addenda(world) == []


def test_a_vendor_cannot_submit_before_acknowledging_every_addendum(client, auth, world):
    token = world.link("alpha")
    auth.login("lena")
    _publish(client, world, body="Read this.")
    auth.logout()
    response = client.post(f"/portal/{token}", data=SUBMIT, follow_redirects=True)
    assert "Acknowledge addendum 1 (“Clarified scope”) before you submit." in response.get_data(
        as_text=True
    )
    assert _status(world, "alpha") == "draft"
    [addendum] = _addenda(world)
    response = client.post(f"/portal/{token}/addenda/{addendum.id}/acknowledge")
    assert response.status_code == 302
    [event] = world.audit("addendum.acknowledged")
    assert event.actor == "vendor portal: alpha" and event.new == {"vendor": "alpha"}
    assert client.post(f"/portal/{token}", data=SUBMIT).status_code == 302
    assert _status(world, "alpha") == "submitted"


def test_acknowledging_twice_records_it_once(client, auth, world):
    token = world.link("alpha")
    auth.login("lena")
    _publish(client, world, body="Read this.")
    [addendum] = _addenda(world)
    for _ in range(2):
        client.post(f"/portal/{token}/addenda/{addendum.id}/acknowledge")
    assert len(world.audit("addendum.acknowledged")) == 1
    with world.db.transaction() as s:
        assert len(s.scalars(select(m.AddendumAcknowledgement)).all()) == 1


def test_an_extension_before_the_deadline_moves_every_link_with_it(client, auth, world):
    token = world.link("alpha")
    later = (utcnow() + timedelta(days=30)).replace(second=0, microsecond=0)
    auth.login("lena")
    response = _publish(client, world, title="Two more weeks", deadline=_minute(later))
    assert response.status_code == 302
    auth.logout()
    assert client.get(f"/portal/{token}").status_code == 200
    with world.db.transaction() as s:
        assert s.get(m.Evaluation, world.evaluation).deadline == later
        link = s.scalar(select(m.VendorLink).filter_by(vendor_id=world.vendors["alpha"]))
        assert link.expires_at == later
    [addendum] = _addenda(world)
    assert addendum.new_deadline == later
    [event] = world.audit("addendum.published")
    assert event.new["deadline"] == later.isoformat()


def _deadline_passed(world: Any) -> datetime:
    """The response deadline passed a minute ago; the link expired with it."""
    passed = (utcnow() - timedelta(minutes=1)).replace(microsecond=0)
    with world.db.transaction() as s:
        s.get(m.Evaluation, world.evaluation).deadline = passed
        s.scalar(
            select(m.VendorLink).filter_by(vendor_id=world.vendors["alpha"])
        ).expires_at = passed
    return passed


def test_once_the_deadline_has_passed_no_addendum_moves_it(client, auth, world, smtp_server):
    # Responses freeze at the deadline (issue 10): an extension now would reopen them,
    # letting a vendor rewrite a bid after seeing the deadline pass. The settings refuse
    # it; an addendum must too, and publish nothing of what it carried.
    token = world.link("alpha")
    passed = _deadline_passed(world)
    assert client.get(f"/portal/{token}").status_code == 404  # expired with the deadline
    later = (utcnow() + timedelta(days=14)).replace(second=0, microsecond=0)
    auth.login("lena")
    form = client.get(_new(world)).get_data(as_text=True)
    assert "The response deadline has passed" in form
    assert 'name="deadline"' not in form and 'name="question_text"' not in form
    response = _publish(  # a form kept open from before the deadline
        client, world, title="One more week", body="Late bids welcome", deadline=_minute(later)
    )
    assert response.status_code == 422
    assert "responses are frozen at it" in response.get_data(as_text=True)
    assert _addenda(world) == []
    assert world.audit("addendum.published") == []
    assert smtp_server.messages == []
    with world.db.transaction() as s:
        assert s.get(m.Evaluation, world.evaluation).deadline == passed
    auth.logout()
    assert client.get(f"/portal/{token}").status_code == 404  # still expired


def test_once_the_deadline_has_passed_no_addendum_rewords_a_question(client, auth, world):
    world.link("alpha")
    _deadline_passed(world)
    with world.db.transaction() as s:
        question = s.scalar(select(m.Question).filter_by(key="timezone"))
    auth.login("lena")
    response = _publish(
        client, world, title="Time zones", question_id=str(question.id), question_text="New"
    )
    assert response.status_code == 422
    assert "can no longer answer another wording" in response.get_data(as_text=True)
    with world.db.transaction() as s:
        assert s.get(m.Question, question.id).text == "Time zone overlap"
    # What an addendum may still do after the deadline: say something.
    assert _publish(client, world, title="Shortlist next week", body="Thanks").status_code == 302
    assert [a.title for a in _addenda(world)] == ["Shortlist next week"]


def test_a_shorter_deadline_moves_the_links_expiry_too(client, auth, world):
    world.link("alpha")
    earlier = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    auth.login("lena")
    _publish(client, world, title="Earlier deadline", deadline=_minute(earlier))
    with world.db.transaction() as s:
        link = s.scalar(select(m.VendorLink).filter_by(vendor_id=world.vendors["alpha"]))
        assert link.expires_at == earlier


def test_an_addendum_rewords_a_question(client, auth, world):
    auth.login("lena")
    with world.db.transaction() as s:
        question = s.scalar(select(m.Question).filter_by(key="timezone"))
    response = _publish(
        client,
        world,
        title="Time zones",
        question_id=str(question.id),
        question_text="Daily overlap with US Central, Mon-Sat",
    )
    assert response.status_code == 302
    with world.db.transaction() as s:
        assert s.get(m.Question, question.id).text == "Daily overlap with US Central, Mon-Sat"
    [event] = world.audit("addendum.published")
    assert event.old["question"] == {"key": "timezone", "text": "Time zone overlap"}
    token = world.link("alpha")
    page = client.get(f"/portal/{token}/addenda").get_data(as_text=True)
    assert "Time zone overlap" in page and "Daily overlap with US Central, Mon-Sat" in page


def test_an_addendum_publishes_a_file_every_vendor_downloads(client, auth, world, smtp_server):
    auth.login("lena")
    data = files.plain_pdf("Pilot exit terms")
    response = post_file(client, _new(world), data, "Pilot exit terms.pdf", title="Exit terms")
    assert response.status_code == 302
    [document] = world.documents()
    [addendum] = _addenda(world)
    assert document.addendum_id == addendum.id and document.vendor_id is None
    world.run_mail()
    assert "Pilot exit terms.pdf" in text_of(smtp_server.to("bids@beta.example")[0])
    token = world.link("beta")
    assert download(client, f"/portal/{token}/documents/{document.id}").data == data


def test_a_hostile_file_refuses_the_whole_addendum(client, auth, world):
    auth.login("lena")
    response = post_file(
        client, _new(world), files.pdf_with_javascript(), "terms.pdf", title="Exit terms"
    )
    assert response.status_code == 422
    assert "The PDF is refused: it contains JavaScript." in response.get_data(as_text=True)
    assert _addenda(world) == [] and world.stored_files() == []


def test_addenda_are_published_while_the_evaluation_is_open(client, auth, world):
    world.unseal()
    auth.login("lena")
    assert client.get(_new(world)).status_code == 409
    assert _publish(client, world, body="Too late").status_code == 409
    assert _addenda(world) == []


def test_while_open_the_settings_no_longer_move_the_deadline(client, auth, world):
    auth.login("lena")
    settings = client.get(f"/evaluations/{world.evaluation}/settings").get_data(as_text=True)
    assert "Response deadline" in settings
    with world.db.transaction() as s:
        from rfp.areas.evaluations.operations import update_settings
        from rfp.core.refusal import Refused

        evaluation = s.get(m.Evaluation, world.evaluation)
        lena = s.get(m.User, world.users["lena"])
        try:
            update_settings(
                s,
                evaluation,
                lena,
                title=evaluation.title,
                description="",
                deadline=evaluation.deadline + timedelta(days=3),
                scale_min=0,
                scale_max=5,
                anchors={},
                aggregation="mean",
                dispersion_threshold=2,
                price_formula="lowest_ratio",
                price_zero_multiple=2,
                blind_scoring=False,
                two_envelope=False,
                scope=evaluation.scope,
            )
        except Refused as refused:
            assert refused.field == "deadline"
            assert "move the deadline with an addendum" in refused.message
        else:
            raise AssertionError("the settings moved the deadline while vendors respond")


def test_every_member_reads_the_addenda_but_only_the_lead_sees_who_acknowledged(
    client, auth, world
):
    auth.login("lena")
    _publish(client, world, body="Read this.")
    auth.logout()
    auth.login("ana")
    page = client.get(f"/evaluations/{world.evaluation}/addenda").get_data(as_text=True)
    assert "Read this." in page and "Acknowledged by" not in page
    assert client.get(_new(world)).status_code == 403
