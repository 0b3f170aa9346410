"""The outbox of an evaluation: every message with its status and last error, never
its body or a secret; "send again" for a message not delivered; and the notice to a
vendor with an attachment that the outcome letters use (loopback SMTP server)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from rfp import models as m
from rfp.areas.mail.operations import queue_vendor_notice
from rfp.core import jobs
from rfp.core.db import utcnow
from rfp.core.mail import store_attachment
from rfp.core.refusal import Refused
from rfp.domain.vocabulary import MailStatus
from tests.fixtures.evaluations import events, set_stage
from tests.fixtures.mail import links_in, text_of

TITLE = "Customer service outsourcing 2027"
PDF = b"%PDF-1.4\nAward letter for Puente Norte\n%%EOF"


def _outbox(client: Any, evaluation_id: int, query: str = "") -> str:
    response = client.get(f"/evaluations/{evaluation_id}/mail{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _fail_for_good(db: Any, smtp_server: Any) -> None:
    """Every attempt refused (MAX_ATTEMPTS), so the message ends not delivered."""
    smtp_server.refuse = "550 5.1.1 mailbox unavailable"
    for _ in range(5):
        with db.transaction() as s:
            s.execute(update(m.Job).values(run_after=utcnow() - timedelta(seconds=1)))
        jobs.run_pending(db)
    smtp_server.refuse = None


def _invite_vendor(client: Any, demo: dict[str, int], vendor: str = "puente_norte") -> None:
    set_stage(demo_db(client), demo["evaluation"], "open", deadline=utcnow() + timedelta(days=9))
    url = f"/evaluations/{demo['evaluation']}/intake/vendors/{demo[vendor]}/invite"
    assert client.post(url).status_code == 302


def demo_db(client: Any) -> Any:
    return client.application.extensions["rfp.core.db"]


def test_the_outbox_shows_each_message_and_its_status_but_no_body_or_link(
    client, auth, db, demo, smtp_server
):
    auth.login("morgan")
    _invite_vendor(client, demo)
    jobs.run_pending(db)
    [mail] = smtp_server.messages
    [link] = links_in(mail)
    page = _outbox(client, demo["evaluation"])
    assert "Vendor invitation (portal link)" in page
    assert f"Invitation to respond — {TITLE}" in page
    assert "rgarza@puentenortecx.example" in page
    assert "1 sent" in page and "0 not delivered" in page
    assert link not in page and link.rsplit("/", 1)[1] not in page
    assert "Responses are due by" not in page  # the body is not shown


def test_a_message_not_delivered_shows_its_error_and_the_lead_sends_it_again(
    client, auth, db, demo, smtp_server
):
    auth.login("morgan")
    _invite_vendor(client, demo)
    _fail_for_good(db, smtp_server)
    page = _outbox(client, demo["evaluation"])
    assert "Not delivered" in page
    assert "The mail server refused the message: 550 5.1.1 mailbox unavailable" in page
    with db.transaction() as s:
        message = s.scalar(select(m.MailMessage))
        assert (message.status, message.attempts) == (MailStatus.FAILED, 5)
    url = f"/evaluations/{demo['evaluation']}/mail/messages/{message.id}/send-again"
    assert client.post(url).status_code == 302
    assert jobs.run_pending(db) == 1
    [mail] = smtp_server.messages
    with db.transaction() as s:
        sent = s.get(m.MailMessage, message.id)
        assert sent.status is MailStatus.SENT and sent.last_error == ""
        # the link of the message sent is the only one that works
        links = list(s.scalars(select(m.VendorLink).where(m.VendorLink.revoked_at.is_(None))))
    assert len(links) == 1
    assert client.get(links_in(mail)[0].removeprefix("http://rfp.test")).status_code == 200
    [event] = events(db, demo["evaluation"], "mail.sent_again")
    assert event.target == "Vendor invitation (portal link) to Rodrigo Garza Treviño"
    # A delivered message is not sent again.
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Only a message that was not delivered can be sent again." in page
    assert jobs.run_pending(db) == 0


def test_the_outbox_shows_one_status_at_a_time(client, auth, db, demo, smtp_server):
    auth.login("morgan")
    _invite_vendor(client, demo, "puente_norte")
    _fail_for_good(db, smtp_server)
    _invite_vendor(client, demo, "cottonwood")
    jobs.run_pending(db)
    _outbox(client, demo["evaluation"])  # the flash of the invitation is shown here
    failed = _outbox(client, demo["evaluation"], "?status=failed")
    assert "rgarza@puentenortecx.example" in failed
    assert "megan.lawson@cottonwoodridgecx.example" not in failed
    everything = _outbox(client, demo["evaluation"], "?status=nonsense")
    assert "megan.lawson@cottonwoodridgecx.example" in everything


def test_a_message_is_sent_again_once_the_evaluation_is_decided(
    client, auth, db, demo, smtp_server, tmp_path, monkeypatch
):
    """Outcome letters go out after the award: the outbox still works then."""
    monkeypatch.setenv("RFP_MAIL_ATTACHMENTS", str(tmp_path / "attachments"))
    with db.transaction() as s:
        vendor = s.get(m.Vendor, demo["cottonwood"])
        queue_vendor_notice(s, vendor, subject="Outcome of the RFP", text="Thank you.")
    _fail_for_good(db, smtp_server)
    set_stage(db, demo["evaluation"], "decided")
    auth.login("morgan")
    with db.transaction() as s:
        message_id = s.scalar(select(m.MailMessage.id))
    url = f"/evaluations/{demo['evaluation']}/mail/messages/{message_id}/send-again"
    assert client.post(url).status_code == 302
    assert jobs.run_pending(db) == 1
    assert len(smtp_server.messages) == 1


# -- notices to a vendor (the outcome letters' operation) -----------------------------------


def test_a_notice_goes_to_the_vendor_contact_with_its_letter_attached(
    client, auth, db, demo, smtp_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("RFP_MAIL_ATTACHMENTS", str(tmp_path / "attachments"))
    letter = store_attachment(PDF, "award-letter.pdf", "application/pdf")
    with db.transaction() as s:
        vendor = s.get(m.Vendor, demo["puente_norte"])
        morgan = s.scalar(select(m.User).where(m.User.username == "morgan"))
        queue_vendor_notice(
            s,
            vendor,
            subject="Award of the contract",
            text="We are pleased to award you the contract.\n\nThe letter is attached.",
            attachments=[letter],
            kind="award_letter",
            by=morgan,
        )
    jobs.run_pending(db)
    [mail] = smtp_server.messages
    assert mail["Subject"] == f"Award of the contract — {TITLE}"
    assert mail["To"] == "Rodrigo Garza Treviño <rgarza@puentenortecx.example>"
    assert mail["Reply-To"] == "morgan.avery@fernbrook.example"
    assert text_of(mail) == (
        "Hello Rodrigo Garza Treviño,\n\nWe are pleased to award you the contract.\n\n"
        "The letter is attached.\n"
    )
    [attached] = list(mail.iter_attachments())
    assert (attached.get_filename(), attached.get_content()) == ("award-letter.pdf", PDF)
    [event] = events(db, demo["evaluation"], "mail.vendor_notice")
    assert event.new == {
        "kind": "Award letter",
        "to": "rgarza@puentenortecx.example",
        "attachments": ["award-letter.pdf"],
    }
    auth.login("morgan")
    page = _outbox(client, demo["evaluation"])
    assert "attached: award-letter.pdf" in page and "Award letter" in page


@pytest.mark.parametrize(
    ("contact", "text", "message"),
    [
        ("", "Thank you.", "Puente Norte CX has no contact e-mail address"),
        ("r@p.example", "  \x00 ", "The notice has no text."),
        ("r@p.example", "x" * 50_001, "The notice is longer than 50,000 characters."),
    ],
)
def test_a_notice_is_refused_without_an_address_or_a_text(db, demo, contact, text, message):
    with db.transaction() as s:
        vendor = s.get(m.Vendor, demo["puente_norte"])
        vendor.contact_email = contact
        with pytest.raises(Refused) as refused:
            queue_vendor_notice(s, vendor, subject="Outcome", text=text)
        assert refused.value.message == message
        assert s.scalar(select(m.MailMessage)) is None
