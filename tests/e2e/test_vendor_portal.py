"""End to end in a real browser: a vendor answers through its link, the lead receives
it sealed, and an evaluator reads it only once scoring opens.

The app is served by the `live_server` fixture (tests/e2e/conftest.py); screenshots land
in the test's temporary folder.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from rfp.scenario import normalise_scenario
from rfp.scenario.store import import_scenario
from tests.fixtures.browser import PASSWORD, LiveServer, log_in, start_scoring

pytestmark = pytest.mark.e2e

TIMEZONE = "Full overlap: our Monterrey site works 07:00–22:00 US Central"
LANGUAGE = "Every agent is C1 in English and Spanish; 80 % are native bilingual"


def _scenario() -> dict[str, Any]:
    deadline = (utcnow() + timedelta(days=7)).replace(microsecond=0).isoformat()
    return normalise_scenario(
        {
            "format": 1,
            "evaluation": {
                "title": "Support outsourcing 2027",
                "stage": "open",
                "deadline": deadline,
                "scope": {
                    "functions": ["customer care"],
                    "channels": ["email", "chat"],
                    "languages": ["en", "es"],
                    "contacts_per_month": 20000,
                    "aht_minutes": 6,
                    "term_months": 24,
                },
            },
            "criteria": [
                {
                    "key": "fit",
                    "name": "Cultural fit",
                    "weight": 60,
                    "questions": [
                        {"key": "timezone", "text": "Time zone overlap"},
                        {"key": "language", "text": "Language fluency"},
                    ],
                },
                {"key": "cost", "name": "Cost", "weight": 40, "kind": "cost"},
            ],
            "vendors": [
                {"key": "alpha", "name": "Alpha CX", "status": "not_started"},
                {"key": "beta", "name": "Beta Support", "status": "not_started"},
            ],
            "evaluators": [{"key": "ana", "name": "Ana Ruiz"}],
        }
    )


@pytest.fixture
def live_app(live_server: LiveServer) -> dict[str, Any]:
    """The served app with the open evaluation, its lead lena and evaluator ana."""
    db = live_server.db
    with db.transaction() as s:
        lead = m.User(username="lena", name="Lena Lead")
        lead.set_password(PASSWORD)
        s.add(lead)
        s.flush()
        evaluation = import_scenario(s, _scenario(), lead=lead)
        s.scalar(select(m.User).where(m.User.username == "ana")).set_password(PASSWORD)
        ids = {"evaluation": evaluation.id, **{v.key: v.id for v in evaluation.vendors}}
    return {"base": live_server.base, "ids": ids, "db": db}


def test_a_vendor_answers_through_its_link_and_the_response_stays_sealed(
    live_app, browser, tmp_path
):
    from playwright.sync_api import expect

    base, ids = live_app["base"], live_app["ids"]
    ev, alpha = ids["evaluation"], ids["alpha"]
    shots = tmp_path / "screenshots"
    shots.mkdir()
    # The lead makes alpha's link; it is shown once.
    lead = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(lead, base, "lena")
    lead.goto(f"{base}/evaluations/{ev}/intake")
    lead.click(f"#vendor-{alpha} button:has-text('Create link')")
    url = lead.input_value("#new-link-url")
    assert "/portal/" in url
    lead.screenshot(path=str(shots / "1-lead-link.png"), full_page=True)

    # The vendor, with no account, answers two questions and the pricing.
    vendor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    vendor = vendor_context.new_page()
    vendor.goto(url)
    expect(vendor.locator("h1")).to_have_text("Support outsourcing 2027")
    vendor.fill("textarea[name=answer_timezone]", TIMEZONE)
    vendor.fill("textarea[name=answer_language]", LANGUAGE)
    vendor.select_option("select[name=pricing_model]", "per_hour")
    vendor.fill("input[name=rate]", "16.5")
    vendor.fill("input[name=setup_fee]", "25000")
    vendor.fill("input[name=monthly_fee]", "2000")
    vendor.click("button[value=save]")
    expect(vendor.locator(".flash-success")).to_contain_text("Draft saved.")
    vendor.screenshot(path=str(shots / "2-vendor-draft.png"), full_page=True)
    vendor.close()

    # It comes back later with the same link: the draft is there; it submits.
    vendor = vendor_context.new_page()
    vendor.goto(url)
    expect(vendor.locator("textarea[name=answer_timezone]")).to_have_value(TIMEZONE)
    expect(vendor.locator("input[name=rate]")).to_have_value("16.5")
    vendor.check("input[name=confirm]")
    vendor.click("button[value=submit]")
    expect(vendor.locator(".flash-success")).to_contain_text("submitted")
    expect(vendor.locator(".flash-info")).to_contain_text("Read-only.")
    assert vendor.locator("textarea").count() == 0
    vendor.screenshot(path=str(shots / "3-vendor-submitted.png"), full_page=True)

    # The lead sees it received, and nothing of its content while sealed.
    lead.goto(f"{base}/evaluations/{ev}/intake")
    row = lead.locator(f"#vendor-{alpha}")
    expect(row).to_contain_text("received")
    expect(row).to_contain_text("2/2 questions")
    assert TIMEZONE not in lead.content()
    lead.screenshot(path=str(shots / "4-lead-received.png"), full_page=True)

    # The evaluator cannot read it before scoring opens.
    evaluator = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(evaluator, base, "ana")
    assert evaluator.goto(f"{base}/evaluations/{ev}/intake").status == 403
    evaluator.goto(f"{base}/evaluations/{ev}/vendors/{alpha}")
    assert TIMEZONE not in evaluator.content()
    evaluator.screenshot(path=str(shots / "5-evaluator-sealed.png"), full_page=True)

    # The lead starts scoring on the stages page, which unseals the responses.
    start_scoring(lead, base, ev)
    with live_app["db"].transaction() as s:
        assert s.get(m.Evaluation, ev).stage == "scoring"

    evaluator.goto(f"{base}/evaluations/{ev}/vendors/{alpha}")
    expect(evaluator.locator("body")).to_contain_text(TIMEZONE)
    expect(evaluator.locator("body")).to_contain_text(LANGUAGE)
    evaluator.screenshot(path=str(shots / "6-evaluator-unsealed.png"), full_page=True)
    assert evaluator.goto(f"{base}/evaluations/{ev}/intake").status == 403

    # After unsealing the vendor's link shows its response read-only.
    vendor.goto(url)
    expect(vendor.locator(".flash-info")).to_contain_text("Responses are closed")
    with live_app["db"].transaction() as s:
        actions = list(s.scalars(select(m.AuditEvent.action).order_by(m.AuditEvent.id)))
    assert actions.index("response.submitted") < actions.index("responses.unsealed")
