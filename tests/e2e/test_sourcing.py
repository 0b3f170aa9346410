"""End to end in a real browser: the Q&A, an addendum and a document.

- Alpha asks a question through its link; the lead publishes the answer reworded; Beta
  reads it, with nothing that says Alpha asked.
- Beta cannot submit before it has acknowledged the addendum the lead published.
- Alpha uploads its proposal (a PDF); the evaluator cannot open it while the responses
  are sealed, and downloads it once scoring starts.

Screenshots land in the test's temporary folder.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.areas.documents import operations as document_ops
from rfp.areas.intake import operations as intake_ops
from rfp.core.db import utcnow
from rfp.scenario import normalise_scenario
from rfp.scenario.store import import_scenario
from tests.fixtures import documents as files
from tests.fixtures.browser import PASSWORD, LiveServer, log_in, start_scoring

pytestmark = pytest.mark.e2e

QUESTION = "Alpha CX here: are Saturdays staffed at the same hours as weekdays?"
PUBLIC = "Are Saturdays staffed at the same hours as weekdays?"
ANSWER = "Yes: Monday to Saturday, 07:00-22:00 US Central."


def _scenario() -> dict[str, Any]:
    deadline = (utcnow() + timedelta(days=7)).replace(microsecond=0).isoformat()
    return normalise_scenario(
        {
            "format": 1,
            "evaluation": {
                "title": "Support outsourcing 2027",
                "stage": "open",
                "deadline": deadline,
                "scope": {"contacts_per_month": 20000, "aht_minutes": 6, "term_months": 24},
            },
            "criteria": [
                {
                    "key": "fit",
                    "name": "Cultural fit",
                    "weight": 60,
                    "questions": [{"key": "timezone", "text": "Time zone overlap"}],
                },
                {"key": "cost", "name": "Cost", "weight": 40, "kind": "cost"},
            ],
            "vendors": [
                {
                    "key": "alpha",
                    "name": "Alpha CX",
                    "status": "not_started",
                    "contact_email": "bids@alpha.example",
                },
                {
                    "key": "beta",
                    "name": "Beta Support",
                    "status": "not_started",
                    "contact_email": "bids@beta.example",
                },
            ],  # fmt: skip
            "evaluators": [{"key": "ana", "name": "Ana Ruiz"}],
        }
    )


@pytest.fixture
def live_app(live_server: LiveServer) -> dict[str, Any]:
    """The open evaluation (lead lena, evaluator ana) with a portal link per vendor."""
    db = live_server.db
    with db.transaction() as s:
        lead = m.User(username="lena", name="Lena Lead")
        lead.set_password(PASSWORD)
        s.add(lead)
        s.flush()
        evaluation = import_scenario(s, _scenario(), lead=lead)
        ana = s.scalar(select(m.User).where(m.User.username == "ana"))
        ana.set_password(PASSWORD)
        vendors = {v.key: v for v in evaluation.vendors}
        tokens = {
            key: intake_ops.create_link(s, evaluation, vendor, lead)[1]
            for key, vendor in vendors.items()
        }
        ids = {"evaluation": evaluation.id, **{k: v.id for k, v in vendors.items()}}
    base = live_server.base
    return {
        "base": base,
        "ids": ids,
        "db": db,
        "portal": {key: f"{base}/portal/{token}" for key, token in tokens.items()},
    }


def _page(browser: Any, width: int = 1280) -> Any:
    return browser.new_context(viewport={"width": width, "height": 900}).new_page()


def test_a_vendor_asks_the_lead_publishes_another_vendor_reads_it_anonymised(
    live_app, browser, tmp_path
):
    from playwright.sync_api import expect

    base, ev, portal = live_app["base"], live_app["ids"]["evaluation"], live_app["portal"]
    shots = tmp_path / "screenshots"
    shots.mkdir()
    alpha = _page(browser)
    alpha.goto(f"{portal['alpha']}/questions")
    alpha.select_option("select[name=question_id]", label="Time zone overlap")
    alpha.fill("textarea[name=text]", QUESTION)
    alpha.click("button:has-text('Send the question')")
    expect(alpha.locator(".flash-success")).to_contain_text("Your question is sent (Q1)")
    alpha.screenshot(path=str(shots / "1-alpha-asked.png"), full_page=True)

    lead = _page(browser, 1366)
    log_in(lead, base, "lena")
    lead.goto(f"{base}/evaluations/{ev}/clarifications")
    card = lead.locator("#q1")
    expect(card).to_contain_text("asked by Alpha CX")
    card.locator("textarea[name$='-answer']").fill(ANSWER)
    card.locator("textarea[name$='-public_text']").fill(PUBLIC)  # the asker's name removed
    lead.screenshot(path=str(shots / "2-lead-answers.png"), full_page=True)
    card.locator("button:has-text('Publish to every vendor')").click()
    expect(lead.locator(".flash-success")).to_contain_text("Q1 is published to every vendor")

    beta = _page(browser)
    beta.goto(f"{portal['beta']}/questions")
    entry = beta.locator("#q1")
    expect(entry).to_contain_text(PUBLIC)
    expect(entry).to_contain_text(ANSWER)
    expect(entry).to_contain_text("answered for every vendor")
    assert "Alpha" not in beta.content()
    beta.screenshot(path=str(shots / "3-beta-reads.png"), full_page=True)


def test_a_vendor_cannot_submit_before_acknowledging_the_addendum(live_app, browser, tmp_path):
    from playwright.sync_api import expect

    base, ev, portal = live_app["base"], live_app["ids"]["evaluation"], live_app["portal"]
    shots = tmp_path / "screenshots"
    shots.mkdir()
    lead = _page(browser, 1366)
    log_in(lead, base, "lena")
    lead.goto(f"{base}/evaluations/{ev}/addenda")
    lead.click("text=Publish an addendum")
    lead.fill("input[name=title]", "Saturday coverage")
    lead.fill("textarea[name=body]", "Saturdays are in scope, 07:00-22:00 US Central.")
    lead.click("button:has-text('Publish to every vendor')")
    expect(lead.locator(".flash-success")).to_contain_text("Addendum 1 is published")
    expect(lead.locator("#addendum-1")).to_contain_text("Acknowledged by 0 of 2 vendors")

    beta = _page(browser)
    beta.goto(portal["beta"])
    expect(beta.locator(".portal-blockers")).to_contain_text("Acknowledge addendum 1")
    beta.fill("textarea[name=answer_timezone]", "Full overlap from Monterrey")
    beta.select_option("select[name=pricing_model]", "per_hour")
    beta.fill("input[name=rate]", "16.5")
    beta.check("input[name=confirm]")
    beta.click("button[value=submit]")
    expect(beta.locator(".flash-error")).to_contain_text(
        "Your draft is saved, but it cannot be submitted yet"
    )
    beta.screenshot(path=str(shots / "1-beta-refused.png"), full_page=True)
    with live_app["db"].transaction() as s:
        assert s.get(m.Vendor, live_app["ids"]["beta"]).response.status == "draft"

    beta.click("nav.portal-nav >> text=Addenda")
    beta.click("button:has-text('I have read addendum 1')")
    expect(beta.locator("#addendum-1")).to_contain_text("acknowledged")
    beta.click("nav.portal-nav >> text=Response")
    expect(beta.locator("textarea[name=answer_timezone]")).to_have_value(
        "Full overlap from Monterrey"
    )
    beta.check("input[name=confirm]")
    beta.click("button[value=submit]")
    expect(beta.locator(".flash-success")).to_contain_text("submitted")
    beta.screenshot(path=str(shots / "2-beta-submitted.png"), full_page=True)
    lead.reload()
    expect(lead.locator("#addendum-1")).to_contain_text("Acknowledged by 1 of 2 vendors")


def test_a_vendor_uploads_a_pdf_and_an_evaluator_opens_it_once_unsealed(
    live_app, browser, tmp_path
):
    from playwright.sync_api import expect

    base, ids, portal, db = live_app["base"], live_app["ids"], live_app["portal"], live_app["db"]
    ev = ids["evaluation"]
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with db.transaction() as s:
        lena = s.scalar(select(m.User).where(m.User.username == "lena"))
        document_ops.add_slot(
            s,
            s.get(m.Evaluation, ev),
            lena,
            document_ops.SlotDetails(
                "Proposal PDF", "", True, ("pdf",), 2 * 1024 * 1024, False, None
            ),
            10 * 1024 * 1024,
        )
    proposal = tmp_path / "Alpha proposal.pdf"
    proposal.write_bytes(files.plain_pdf("Alpha CX proposal"))

    alpha = _page(browser)
    alpha.goto(f"{portal['alpha']}/documents")
    alpha.set_input_files("input[type=file]", str(proposal))
    alpha.click("button:has-text('Upload')")
    expect(alpha.locator(".flash-success")).to_contain_text("Alpha proposal.pdf is uploaded")
    alpha.screenshot(path=str(shots / "1-alpha-uploaded.png"), full_page=True)
    with db.transaction() as s:
        document_id = s.scalar(select(m.Document.id))
    url = f"{base}/evaluations/{ev}/documents/{document_id}"

    evaluator_context = browser.new_context(
        viewport={"width": 1366, "height": 900}, accept_downloads=True
    )
    evaluator = evaluator_context.new_page()
    log_in(evaluator, base, "ana")
    evaluator.goto(f"{base}/evaluations/{ev}/documents")
    assert "Alpha proposal.pdf" not in evaluator.content()
    sealed = evaluator_context.request.get(url)
    assert sealed.status == 409 and b"Alpha CX proposal" not in sealed.body()
    evaluator.screenshot(path=str(shots / "2-evaluator-sealed.png"), full_page=True)

    lead = _page(browser, 1366)
    log_in(lead, base, "lena")
    assert lead.context.request.get(url).status == 409  # the lead neither, before scoring
    start_scoring(lead, base, ev)

    evaluator.goto(f"{base}/evaluations/{ev}/vendors/{ids['alpha']}")
    link = evaluator.locator("#documents a.doc-link")
    expect(link).to_have_text("Alpha proposal.pdf")
    evaluator.screenshot(path=str(shots / "3-evaluator-unsealed.png"), full_page=True)
    with evaluator.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename == "Alpha proposal.pdf"
    assert Path(download.path()).read_bytes() == proposal.read_bytes()
