"""End to end in a real browser, with the app's own worker thread sending the mail to a
real SMTP server on loopback: a new evaluator is invited and sets their own password
through the link in the message; a vendor is invited by e-mail, answers through the
link in the message, and gets a receipt with the fingerprint of its response."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from rfp.scenario import normalise_scenario
from rfp.scenario.store import import_scenario
from tests.fixtures.browser import PASSWORD, LiveServer, log_in
from tests.fixtures.mail import links_in, text_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_app(live_server: LiveServer, smtp_server: Any, monkeypatch: Any) -> dict[str, Any]:
    """An open evaluation led by lena, with vendor Alpha CX (contact rosa@alpha.example);
    links in messages point at the served app."""
    monkeypatch.setenv("RFP_BASE_URL", live_server.base)
    deadline = (utcnow() + timedelta(days=7)).replace(microsecond=0).isoformat()
    doc = normalise_scenario(
        {
            "format": 1,
            "evaluation": {
                "title": "Support outsourcing 2027",
                "stage": "open",
                "deadline": deadline,
            },
            "criteria": [
                {
                    "key": "fit",
                    "name": "Cultural fit",
                    "weight": 1,
                    "questions": [{"key": "timezone", "text": "Time zone overlap"}],
                }
            ],
            "vendors": [
                {
                    "key": "alpha",
                    "name": "Alpha CX",
                    "status": "not_started",
                    "contact_name": "Rosa Díaz",
                    "contact_email": "rosa@alpha.example",
                }
            ],
        }
    )
    with live_server.db.transaction() as s:
        lead = m.User(username="lena", name="Lena Lead", email="lena@buyer.example")
        lead.set_password(PASSWORD)
        s.add(lead)
        s.flush()
        evaluation = import_scenario(s, doc, lead=lead)
        ids = {"evaluation": evaluation.id, "alpha": evaluation.vendors[0].id}
    return {"base": live_server.base, "ids": ids, "db": live_server.db, "smtp": smtp_server}


def test_a_new_evaluator_sets_their_own_password_through_the_invitation(
    live_app, browser, tmp_path
):
    from playwright.sync_api import expect

    base, ev, smtp = live_app["base"], live_app["ids"]["evaluation"], live_app["smtp"]
    lead = browser.new_context().new_page()
    log_in(lead, base, "lena")
    lead.goto(f"{base}/evaluations/{ev}/people/add")
    lead.check("input[name=account][value=new]")
    lead.fill("input[name=name]", "Omar Haddad")
    lead.fill("input[name=email]", "omar.haddad@buyer.example")
    lead.click("button:has-text('Add')")
    expect(lead.locator(".flash-success")).to_contain_text("An invitation to set a password")

    [mail] = smtp.wait_for(1)  # sent by the app's worker, off the request
    assert mail["Subject"] == "Lena Lead invited you to score vendors — Support outsourcing 2027"
    [link] = links_in(mail)
    omar = browser.new_context().new_page()
    omar.goto(link)
    expect(omar.locator("h1")).to_have_text("Set your password")
    assert omar.url.removeprefix(base) == "/account/set-password"  # no secret in the address
    omar.fill("input[name=password]", "omars-own-password")
    omar.fill("input[name=confirm]", "omars-own-password")
    omar.click("button:has-text('Set my password')")
    expect(omar.locator(".flash-success")).to_contain_text("Your password is set")
    assert omar.url == f"{base}/evaluations/{ev}"
    omar.screenshot(path=str(tmp_path / "evaluator-in.png"))

    again = browser.new_context().new_page()
    again.goto(link)
    expect(again.locator("h1")).to_have_text("This link no longer works")
    log_in(again, base, "omar.haddad", "omars-own-password")


def test_a_vendor_invited_by_mail_answers_and_gets_a_receipt(live_app, browser):
    from playwright.sync_api import expect

    base, ids, smtp = live_app["base"], live_app["ids"], live_app["smtp"]
    lead = browser.new_context().new_page()
    log_in(lead, base, "lena")
    lead.goto(f"{base}/evaluations/{ids['evaluation']}/intake")
    lead.click(f"#vendor-{ids['alpha']} button:has-text('Send invitation')")
    expect(lead.locator(".flash-success")).to_contain_text("on its way to rosa@alpha.example")

    [invitation] = smtp.wait_for(1)
    [link] = links_in(invitation)
    assert re.fullmatch(rf"{re.escape(base)}/portal/[A-Za-z0-9_-]{{43}}", link)
    vendor = browser.new_context().new_page()
    vendor.goto(link)
    expect(vendor.locator("h1")).to_have_text("Support outsourcing 2027")
    vendor.fill("textarea[name=answer_timezone]", "Full overlap from Monterrey")
    vendor.select_option("select[name=pricing_model]", "per_hour")
    vendor.fill("input[name=rate]", "16.5")
    vendor.check("input[name=confirm]")
    vendor.click("button[value=submit]")
    expect(vendor.locator(".flash-success")).to_contain_text("submitted")

    _, receipt = smtp.wait_for(2)
    assert receipt["Subject"] == "Your response was received — Support outsourcing 2027"
    with live_app["db"].transaction() as s:
        [event] = s.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "response.submitted"))
    assert f"(SHA-256 of the response): {event.new['sha256']}" in text_of(receipt)
    lead.goto(f"{base}/evaluations/{ids['evaluation']}/mail")
    expect(lead.locator(".outbox-table")).to_contain_text("Submission receipt")
    expect(lead.locator(".outbox-summary")).to_contain_text("2 sent")
