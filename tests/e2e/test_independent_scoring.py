"""End to end in a real browser: scoring stays independent.

The demo evaluation, back in scoring: Dana has submitted her scores, Luis has not. Luis,
as an adversarial evaluator, looks for the panel's scores everywhere before consensus
and finds nothing. The lead opens consensus: every score is frozen and Luis's scorecard
is submitted as it stood. The lead then adds Sam to the panel, a late evaluator who has
submitted nothing: Sam tries every page, the JSON API and the reports, and never reads
Dana's scores or comments. Luis, submitted now, reads the panel beside his own scores
and can no longer change them.

Screenshots land in the test's temporary folder.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.core.db import utcnow
from rfp.demo import load_demo
from tests.fixtures.browser import LiveServer, log_in

pytestmark = pytest.mark.e2e

# Dana's justification on Tanglaw's time-zone question (the demo's): the panel's words.
DANA_SAYS = "Agents cover our hours on night shift"
SAM = {"name": "Sam Reyes", "username": "sam", "password": "sam-joins-late-2027"}


@pytest.fixture
def scoring(live_server: LiveServer) -> dict[str, Any]:
    """The demo in scoring: Dana submitted, Luis not; no consensus score yet."""
    with live_server.db.transaction() as s:
        evaluation, _logins, _created = load_demo(s)
        evaluation.stage = "scoring"
        evaluation.deadline = utcnow() - timedelta(days=30)
        for ms in evaluation.memberships:
            if ms.key == "luis":
                ms.submitted_at = None
        for c in s.scalars(
            select(m.ConsensusScore).where(m.ConsensusScore.evaluation_id == evaluation.id)
        ):
            s.delete(c)
        ids = {
            "evaluation": evaluation.id,
            **{v.key: v.id for v in evaluation.vendors},
        }
    return ids


def _shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _nothing_of_the_panel(page: Any, base: str, ids: dict[str, Any], folder: Path, who: str):  # type: ignore[no-untyped-def]
    """Every place the panel's scores could show: none shows them to this evaluator."""
    ev = ids["evaluation"]
    scorecard = f"{base}/evaluations/{ev}/scorecards/{ids['tanglaw']}"
    page.goto(scorecard)
    _shot(page, folder, f"{who}-scorecard")
    assert "The panel's scores" not in page.content()
    assert DANA_SAYS not in page.content()
    assert page.locator("nav.tabs a", has_text="Results").count() == 0
    assert page.locator("nav.tabs a", has_text="My scorecards").count() == 1
    refused = {
        "results": f"{base}/evaluations/{ev}/results",
        "vendor": f"{base}/evaluations/{ev}/results/vendors/{ids['tanglaw']}",
        "api": f"{base}/api/evaluations/{ev}/results",
        "consensus": f"{base}/evaluations/{ev}/consensus",
        "pair": f"{base}/evaluations/{ev}/consensus/{ids['tanglaw']}/1",
        "reports": f"{base}/evaluations/{ev}/reports",
    }
    for name, url in refused.items():
        response = page.goto(url)
        assert response is not None and response.status in (403, 404), (who, name)
        assert DANA_SAYS not in page.content(), (who, name)
    _shot(page, folder, f"{who}-refused")
    page.goto(f"{base}/evaluations/{ev}")
    assert DANA_SAYS not in page.content()


def test_an_unsubmitted_evaluator_cannot_see_the_panels_scores(
    scoring, live_server, browser, tmp_path
):
    base, ev = live_server.base, scoring["evaluation"]
    folder = tmp_path / "screenshots"
    folder.mkdir()

    # Luis, in scoring, not submitted: nothing of the panel anywhere.
    luis = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(luis, base, "luis")
    _nothing_of_the_panel(luis, base, scoring, folder, "luis-scoring")

    # The lead opens consensus: Luis's scorecard is submitted as it stands.
    lead = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(lead, base, "morgan")
    lead.goto(f"{base}/evaluations/{ev}/stage")
    assert "Luis Ortega has not submitted" in lead.content()
    lead.click("text=Open consensus and freeze the scores")
    lead.wait_for_url(f"{base}/evaluations/{ev}")
    assert "Submitted as it stood: Luis Ortega" in lead.content()
    _shot(lead, folder, "lead-consensus-opened")

    # The lead adds Sam, who has an account already, to the panel (a new person would be
    # invited by e-mail to set a password: tests/e2e/test_mail_flows.py).
    with live_server.db.transaction() as s:
        sam_account = m.User(username=SAM["username"], name=SAM["name"])
        sam_account.set_password(SAM["password"])
        s.add(sam_account)
        s.flush()
        sam_id = sam_account.id
    lead.goto(f"{base}/evaluations/{ev}/people/add")
    lead.check("input[name=account][value=existing]")
    lead.select_option("select[name=user_id]", str(sam_id))
    lead.click("button:has-text('Add')")
    lead.wait_for_url(f"{base}/evaluations/{ev}/people")
    assert SAM["name"] in lead.content()

    # Sam has no submitted scorecard: the panel's scores stay closed to Sam everywhere.
    sam = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(sam, base, SAM["username"], SAM["password"])
    sam.goto(f"{base}/evaluations/{ev}")
    assert "open only to the evaluators who submitted theirs" in sam.content()
    _shot(sam, folder, "sam-overview")
    _nothing_of_the_panel(sam, base, scoring, folder, "sam-consensus")

    # Luis, submitted when consensus opened, reads the panel beside his own scores...
    luis.goto(f"{base}/evaluations/{ev}/scorecards/{scoring['tanglaw']}")
    _shot(luis, folder, "luis-consensus-scorecard")
    content = luis.content()
    assert "The panel's scores" in content and DANA_SAYS in content
    assert "Scores are frozen since consensus opened" in content
    assert luis.locator("#scorecard fieldset.sc-scale[disabled]").count() > 0
    # ... and a save sent by hand is refused.
    token = luis.get_attribute('meta[name="csrf-token"]', "content")
    question = luis.get_attribute("article[data-save-url]", "data-save-url")
    answer = luis.request.post(
        f"{base}{question}",
        data={"score": 1, "comment": "changed after reading the panel"},
        headers={"X-CSRFToken": token or "", "Accept": "application/json"},
    )
    assert answer.status == 409
    results = luis.goto(f"{base}/evaluations/{ev}/results")
    assert results is not None and results.status == 200
