"""The intake's e-mail to vendors through a real SMTP server on loopback: the invitation
carries a portal link made when it is sent (never stored or shown readable; it replaces
the earlier link), and a submitted response is acknowledged with a digest of what was
submitted and its SHA-256."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from rfp import models as m
from rfp.areas.intake import operations as ops
from rfp.areas.intake.content import Pricing, ResponseContent
from rfp.areas.intake.tokens import hash_token
from rfp.core import jobs
from rfp.core.db import utcnow
from rfp.domain.vocabulary import MailStatus
from tests.fixtures.mail import links_in, text_of

ANSWER = "Our Cebu site runs 24/7 with 412 agents"


def _invite(client: Any, world: Any, vendor: str = "alpha") -> Any:
    url = f"/evaluations/{world.evaluation}/intake/vendors/{world.vendors[vendor]}/invite"
    return client.post(url, follow_redirects=True)


def _portal_token(mail: Any) -> str:
    [link] = links_in(mail)
    found = re.fullmatch(r"http://rfp\.test/portal/([A-Za-z0-9_-]{43})", link)
    assert found, link
    return found.group(1)


def _retry_now(db: Any) -> None:
    with db.transaction() as s:
        s.execute(update(m.Job).values(run_after=utcnow() - timedelta(seconds=1)))


def test_the_invitation_carries_a_portal_link_made_when_it_is_sent(
    client, auth, world, smtp_server
):
    earlier = world.link("alpha")
    auth.login("lena")
    page = _invite(client, world).get_data(as_text=True)
    assert "An invitation with a new link is on its way to bids@alpha.example" in page
    assert client.get(f"/portal/{earlier}").status_code == 200  # not replaced until sent

    assert jobs.run_pending(world.db) == 1
    [mail] = smtp_server.messages
    assert mail["Subject"] == "Invitation to respond — Test evaluation"
    assert mail["To"] == "Alpha CX <bids@alpha.example>"
    assert mail["Reply-To"] == "lena@buyer.example"
    text = text_of(mail)
    assert "Lena Lead invites Alpha CX to respond" in text
    assert "- Channels: email, chat" in text and "- Pilot: 10 weeks" in text
    with world.db.transaction() as s:
        deadline = s.get(m.Evaluation, world.evaluation).deadline
    assert f"Responses are due by {deadline:%Y-%m-%d %H:%M} UTC" in text
    token = _portal_token(mail)

    assert client.get(f"/portal/{token}").status_code == 200
    assert client.get(f"/portal/{earlier}").status_code == 404  # the new link replaced it
    with world.db.transaction() as s:
        links = list(s.scalars(select(m.VendorLink).order_by(m.VendorLink.id)))
        assert [link.token_hash for link in links] == [hash_token(earlier), hash_token(token)]
        assert links[0].revoked_at is not None and links[1].revoked_at is None
        stored = repr(
            [(e.target, e.old, e.new) for e in s.scalars(select(m.AuditEvent))]
            + [(x.subject, x.context) for x in s.scalars(select(m.MailMessage))]
        )
        assert token not in stored
        actions = [e.action for e in s.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id))]
        assert actions[-2:] == ["mail.vendor_invitation", "vendor_link.created"]
    intake = client.get(f"/evaluations/{world.evaluation}/intake").get_data(as_text=True)
    assert token not in intake
    assert "delivered" in intake and "Invite again" in intake


def test_a_failed_send_is_retried_with_a_new_link_and_only_the_delivered_one_works(
    client, auth, world, smtp_server
):
    auth.login("lena")
    _invite(client, world)
    smtp_server.refuse = "451 try again later"
    assert jobs.run_pending(world.db) == 1
    with world.db.transaction() as s:
        message = s.scalar(select(m.MailMessage))
        assert message.status is MailStatus.QUEUED and "451" in message.last_error
    smtp_server.refuse = None
    _retry_now(world.db)
    assert jobs.run_pending(world.db) == 1
    [mail] = smtp_server.messages
    token = _portal_token(mail)
    with world.db.transaction() as s:
        first, second = s.scalars(select(m.VendorLink).order_by(m.VendorLink.id))
        # each attempt made its link; the undelivered one no longer works
        assert first.revoked_at is not None
        assert second.token_hash == hash_token(token) and second.revoked_at is None
        assert s.scalar(select(m.MailMessage)).status is MailStatus.SENT
    assert client.get(f"/portal/{token}").status_code == 200


def test_no_invitation_without_a_contact_address_or_a_future_deadline(client, auth, world):
    auth.login("lena")
    with world.db.transaction() as s:
        s.get(m.Vendor, world.vendors["beta"]).contact_email = ""
    page = _invite(client, world, "beta").get_data(as_text=True)
    assert "Beta Support has no contact e-mail: add it on the vendor&#39;s page first" in page
    world.set(deadline=utcnow() - timedelta(hours=1))
    page = _invite(client, world).get_data(as_text=True)
    assert "the response deadline has passed: extend it first" in page
    with world.db.transaction() as s:
        assert s.scalar(select(m.MailMessage)) is None


def test_an_invitation_queued_before_the_deadline_passed_is_not_sent_after(
    client, auth, world, smtp_server
):
    auth.login("lena")
    _invite(client, world)
    world.set(deadline=utcnow() - timedelta(minutes=1))
    jobs.run_pending(world.db)
    assert smtp_server.messages == []
    with world.db.transaction() as s:
        message = s.scalar(select(m.MailMessage))
        assert message.status is MailStatus.FAILED
        assert message.last_error == "Not sent: the response deadline has passed: extend it first"
        assert s.scalar(select(m.VendorLink)) is None


# -- the receipt ---------------------------------------------------------------------------

# What alpha submits, as the canonical form the fingerprint is taken of (keys sorted, no
# spaces): one answer, the knockout met with its evidence, a rate per agent-hour.
CANONICAL = (
    '{"answers":{"timezone":"Our Cebu site runs 24/7 with 412 agents"},'
    '"evidence":{"soc2":"Report 2026"},"knockouts":{"soc2":true},"numbers":{},'
    '"pricing":{"model":"per_hour","monthly_fee":null,"rate":17.25,"setup_fee":null}}'
)


def test_a_vendor_that_submits_gets_a_receipt_with_a_digest_of_its_response(
    client, world, smtp_server
):
    token = world.link("alpha")
    client.post(
        f"/portal/{token}",
        data={
            "answer_timezone": ANSWER,
            "pricing_model": "per_hour",
            "rate": "17.25",
            "knockout_soc2": "yes",
            "evidence_soc2": "Report 2026",
            "action": "submit",
            "confirm": "y",
        },
    )
    assert jobs.run_pending(world.db) == 1
    [mail] = smtp_server.messages
    assert mail["Subject"] == "Your response was received — Test evaluation"
    assert mail["To"] == "Alpha CX <bids@alpha.example>"
    text = text_of(mail)
    sha256 = hashlib.sha256(CANONICAL.encode()).hexdigest()
    # Answerable: timezone, language, attrition (a number), audits, sites (info): 5, of
    # which timezone is answered; the one knockout (soc2) is met.
    assert "- Questions answered: 1 of 5" in text
    assert "- Requirements (knockouts): 1 met, 0 not met, 0 unanswered" in text
    assert "- Pricing: per agent-hour, rate $17.25" in text
    assert "- Not complete: 4 questions unanswered" in text
    assert f"- Fingerprint (SHA-256 of the response): {sha256}" in text
    assert ANSWER not in text  # a digest, not a copy of the response
    with world.db.transaction() as s:
        [event] = s.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "response.submitted"))
    assert event.new["sha256"] == sha256  # the buyer holds the same fingerprint


def test_a_response_the_lead_marks_received_is_acknowledged_too(world, smtp_server):
    content = ResponseContent(
        answers={"timezone": "Full overlap", "language": "C1 English"},
        numbers={"attrition": 31.5},
        knockouts={"soc2": False},
        pricing=Pricing(model="per_contact", rate=3.1, setup_fee=25000, monthly_fee=2000),
    )
    with world.db.transaction() as s:
        vendor = s.get(m.Vendor, world.vendors["beta"])
        lena = s.get(m.User, world.users["lena"])
        ops.import_questionnaire(s, vendor, content, user=lena, submit=True)
    jobs.run_pending(world.db)
    [mail] = smtp_server.messages
    text = text_of(mail)
    assert "The procurement lead recorded it as received." in text
    assert "- Questions answered: 3 of 5" in text
    assert "- Requirements (knockouts): 0 met, 1 not met, 0 unanswered" in text
    assert "- Pricing: per contact, rate $3.10, setup fee $25,000.00, monthly fee $2,000.00" in text


def test_no_receipt_goes_to_a_vendor_without_a_contact_address(client, world, smtp_server):
    with world.db.transaction() as s:
        s.get(m.Vendor, world.vendors["alpha"]).contact_email = ""
    token = world.link("alpha")
    client.post(
        f"/portal/{token}",
        data={"answer_timezone": ANSWER, "action": "submit", "confirm": "y"},
    )
    assert world.response("alpha")["status"] == "submitted"
    assert jobs.run_pending(world.db) == 0
