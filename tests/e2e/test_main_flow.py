"""End to end in a real browser: the main flow of an evaluation, from a lead's first login
to the ranking.

The lead creates an evaluation from the "Customer service outsourcing" template, adds two
vendors with their prices and knockout answers, invites an evaluator by e-mail (a real SMTP
server on loopback), opens the evaluation and starts scoring. The evaluator sets their
password through the invitation's link, declares no conflict, scores
both vendors on every question (save as you go, a justification on each) and submits.
The lead records one reference call per vendor and opens the results: both vendors are
ranked with the totals worked out by hand below, which the engine agrees with.

Screenshots of the key pages (login, new evaluation, criteria, a response, vendors, stage,
declaration, scorecard, reference calls, results) are kept in test-output/e2e/main-flow/
(git-ignored).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from rfp import models as m
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from tests.fixtures.browser import PASSWORD, LiveServer, log_in
from tests.fixtures.mail import links_in

pytestmark = pytest.mark.e2e

TITLE = "Customer care outsourcing 2028"
EVALUATOR = {
    "username": "eve",
    "name": "Eve Okafor",
    "email": "eve.okafor@example.com",
    "password": "scoring-vendors-2028",
}
VENDORS = {
    "Altamira CX": {
        "model": "nearshore",
        "country": "Mexico",
        "pricing": {"model": "per_hour", "rate": 20, "setup_fee": 30000, "monthly_fee": 1000},
        "answer": "Monterrey site, 07:00-22:00 Central, bilingual floor",
        "reference": ("Northgate Outdoor Supply", "4"),
    },
    "Bahia Contact": {
        "model": "nearshore",
        "country": "Colombia",
        "pricing": {"model": "per_hour", "rate": 16, "setup_fee": 20000, "monthly_fee": 0},
        "answer": "Medellin site on Eastern time, one hour ahead of Central",
        "reference": ("Brightwell Meal Co.", "5"),
    },
}
# The evaluator's scores on the 0-5 scale, question by question.
SCORES = {
    "Altamira CX": {
        "timezone": 5, "language": 4, "escalation": 4, "operating_model": 3,
        "certifications": 4, "data_security": 4,
        "helpdesk": 3, "qa_dashboards": 4,
        "attrition": 4, "financial": 4, "ramp": 3, "pilot": 5,
    },
    "Bahia Contact": {
        "timezone": 3, "language": 3, "escalation": 4, "operating_model": 4,
        "certifications": 3, "data_security": 5,
        "helpdesk": 4, "qa_dashboards": 2,
        "attrition": 2, "financial": 3, "ramp": 4, "pilot": 4,
    },
}  # fmt: skip

# The template's weights, as shares of their level (the criteria editor shows them so):
# criteria 20 / 20 / 15 / 15 / 20 / 10 %, and within each criterion:
QUESTION_SHARES = {
    "cultural_fit": {
        "timezone": 0.30, "language": 0.30, "escalation": 0.20, "operating_model": 0.20,
    },
    "compliance": {"certifications": 0.40, "data_security": 0.60},
    "tooling": {"helpdesk": 0.60, "qa_dashboards": 0.40},
    "stability": {"attrition": 0.375, "financial": 0.25, "ramp": 0.25, "pilot": 0.125},
}  # fmt: skip
CRITERION_SHARES = {
    "cultural_fit": 0.20,
    "compliance": 0.20,
    "tooling": 0.15,
    "stability": 0.15,
    "cost": 0.20,
    "references": 0.10,
}


def expected_scores() -> dict[str, dict[str, float]]:
    """The totals, worked out from the scores above, the template's weights, the scope and
    the cost formula (DESIGN.md, "Scoring rules" and "Cost").

    A score s on 0-5 counts as 20 s. Criterion scores (weighted means):
      Altamira: fit .3*100 + .3*80 + .2*80 + .2*60 = 82;  compliance .4*80 + .6*80 = 80;
                tooling .6*60 + .4*80 = 68;  stability .375*80 + .25*80 + .25*60
                + .125*100 = 77.5
      Bahia:    fit .3*60 + .3*60 + .2*80 + .2*80 = 68;   compliance .4*60 + .6*100 = 84;
                tooling .6*80 + .4*40 = 64;  stability .375*40 + .25*60 + .25*80
                + .125*80 = 60
    Cost: the template's scope is 24,000 contacts a month at 10 minutes, occupancy 0.80,
    a 24-month term (rfp.demo.TEMPLATE_SCOPE) and 10 % governance overhead:
    H = 24000 * 10 / 60 / 0.8 = 5,000 agent-hours a month.
      Altamira TCO = 30,000 + 24 * (5,000 * 20 + 1,000) * 1.10 = 2,696,400
      Bahia TCO    = 20,000 + 24 * (5,000 * 16 + 0) * 1.10     = 2,132,000
    lowest_ratio: Bahia 100; Altamira 100 * 2,132,000 / 2,696,400 = 79.0684.
    References: one call each, rated 4 (80) and 5 (100).
    Totals:
      Altamira .2*82 + .2*80 + .15*68 + .15*77.5 + .2*79.0684 + .1*80  = 78.039 -> 78.0
      Bahia    .2*68 + .2*84 + .15*64 + .15*60   + .2*100     + .1*100 = 79.0   -> 79.0
    """
    hours = 24000 * 10 / 60 / 0.8
    term = 24
    tco = {
        name: v["pricing"]["setup_fee"]
        + term * (hours * v["pricing"]["rate"] + v["pricing"]["monthly_fee"]) * 1.10
        for name, v in VENDORS.items()
    }
    assert tco == pytest.approx({"Altamira CX": 2_696_400, "Bahia Contact": 2_132_000})
    lowest = min(tco.values())
    out = {}
    for name, scores in SCORES.items():
        criteria = {
            key: sum(share * 20 * scores[q] for q, share in shares.items())
            for key, shares in QUESTION_SHARES.items()
        }
        criteria["cost"] = 100 * lowest / tco[name]
        criteria["references"] = 20 * int(VENDORS[name]["reference"][1])
        total = sum(CRITERION_SHARES[key] * value for key, value in criteria.items())
        out[name] = {**criteria, "total": total}
    assert math.isclose(out["Altamira CX"]["total"], 78.0387, abs_tol=1e-4)
    assert math.isclose(out["Bahia Contact"]["total"], 79.0, abs_tol=1e-9)
    return out


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    folder = Path(request.config.rootpath) / "test-output" / "e2e" / "main-flow"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture
def lead(live_server: LiveServer) -> str:
    """Morgan, a lead with an account and nothing else (the admin made it)."""
    with live_server.db.transaction() as s:
        user = m.User(username="morgan", name="Morgan Avery", email="morgan@example.com")
        user.set_password(PASSWORD)
        s.add(user)
    return "morgan"


def _shot(page: Any, folder: Path, name: str) -> None:
    """A full-page screenshot from the top (a scrolled page would leave its sticky bars
    half-way down the picture)."""
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / name), full_page=True)


def _question_ids(live_server: LiveServer, evaluation_id: int) -> dict[str, int]:
    with live_server.db.transaction() as s:
        return dict(
            s.execute(
                select(m.Question.key, m.Question.id).where(
                    m.Question.evaluation_id == evaluation_id
                )
            ).all()
        )


def test_a_lead_and_an_evaluator_take_an_evaluation_from_template_to_ranking(
    live_server, browser, lead, shots, smtp_server, monkeypatch
):
    from playwright.sync_api import expect

    base = live_server.base
    monkeypatch.setenv("RFP_BASE_URL", base)  # links in the invitation open the served app
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()

    # -- the lead logs in and creates the evaluation from the template --------------------
    page.goto(f"{base}/login")
    _shot(page, shots, "1-login.png")
    log_in(page, base, lead)
    page.goto(f"{base}/evaluations/new")
    page.check("input[name=start][value=template]")
    page.fill("input[name=title]", TITLE)
    _shot(page, shots, "2-new-evaluation.png")
    page.click("button:has-text('Create evaluation')")
    expect(page.locator(".flashes .flash-success")).to_contain_text("You are its lead")
    evaluation_id = int(page.url.rstrip("/").split("/")[-1])
    ev = f"{base}/evaluations/{evaluation_id}"

    page.goto(f"{ev}/criteria")
    expect(page.locator("body")).to_contain_text("Cultural fit")
    _shot(page, shots, "3-criteria.png")

    # -- two vendors, each with its response typed in: prices and knockouts ---------------
    for name, vendor in VENDORS.items():
        page.goto(f"{ev}/vendors/new")
        page.fill("input[name=name]", name)
        page.select_option("select[name=delivery_model]", vendor["model"])
        page.fill("input[name=country]", vendor["country"])
        page.click("button:has-text('Add vendor')")
        expect(page.locator(".flashes .flash-success")).to_contain_text(f"{name} added")
        page.click("a:has-text('Type in the response')")
        pricing = vendor["pricing"]
        page.select_option("select[name=pricing_model]", pricing["model"])
        page.fill("input[name=rate]", str(pricing["rate"]))
        page.fill("input[name=setup_fee]", str(pricing["setup_fee"]))
        page.fill("input[name=monthly_fee]", str(pricing["monthly_fee"]))
        for knockout in page.locator("select[name^=knockout_]").all():
            knockout.select_option("yes")
        page.locator("textarea[name^=answer_]").first.fill(vendor["answer"])
        page.check("input[name=complete]")
        if name == "Altamira CX":
            _shot(page, shots, "4a-response.png")
        page.click("button:has-text('Save response')")
        expect(page.locator(".flashes .flash-success")).to_contain_text(f"Response of {name} saved")
    page.goto(f"{ev}/vendors")
    _shot(page, shots, "4-vendors.png")

    # -- an evaluator, invited by e-mail -------------------------------------------------------
    page.goto(f"{ev}/people/add")
    page.check("input[name=role][value=evaluator]")
    page.check("input[name=account][value=new]")
    page.fill("input[name=name]", EVALUATOR["name"])
    page.fill("input[name=email]", EVALUATOR["email"])
    page.fill("input[name=username]", EVALUATOR["username"])
    page.click("button:has-text('Add')")
    expect(page.locator(".flashes .flash-success")).to_contain_text(f"{EVALUATOR['name']} added")
    [invitation] = smtp_server.wait_for(1)
    [link] = links_in(invitation)

    # -- open, then start scoring ---------------------------------------------------------------
    page.goto(f"{ev}/stage")
    _shot(page, shots, "5-stage.png")
    page.click("button:has-text('Open the evaluation to vendors')")
    expect(page.locator(".flashes .flash-success")).to_contain_text("The evaluation is open")
    page.goto(f"{ev}/stage")
    page.click("button:has-text('Start scoring and unseal the responses')")
    expect(page.locator(".flashes .flash-success")).to_contain_text("Scoring has started")

    # -- the evaluator declares no conflict, scores both vendors and submits ------------------
    questions = _question_ids(live_server, evaluation_id)
    evaluator = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    evaluator.goto(link)  # the invitation: set a password, and be logged in
    evaluator.fill("input[name=password]", EVALUATOR["password"])
    evaluator.fill("input[name=confirm]", EVALUATOR["password"])
    evaluator.click("button:has-text('Set my password')")
    expect(evaluator.locator(".flashes .flash-success")).to_contain_text("Your password is set")
    evaluator.goto(f"{ev}/scorecards")
    for radio in evaluator.locator("input[type=radio][value=no]").all():
        radio.check()
    _shot(evaluator, shots, "6a-declaration.png")
    evaluator.click("button:has-text('Declare and start scoring')")
    expect(evaluator.locator(".flashes .flash-success")).to_contain_text("no conflict of interest")
    for name, scores in SCORES.items():
        evaluator.goto(f"{ev}/scorecards")
        evaluator.click(f"table.sc-vendors a:has-text('{name}')")
        expect(evaluator.locator("h2")).to_contain_text(name)
        for key, score in scores.items():
            card = evaluator.locator(f"#q-{questions[key]}")
            # The justification first: it is required for 0 and 5, so the score saves at once.
            card.locator("textarea").fill(f"{name}: {key} scored {score} from the response.")
            card.locator(f"label.sc-point:has(input[value='{score}'])").click()
            expect(card.locator("[data-status] .saved")).to_be_visible()
        if name == "Altamira CX":
            _shot(evaluator, shots, "6-scorecard.png")
    evaluator.goto(f"{ev}/scorecards")
    evaluator.click("button:has-text('Submit my scores')")
    flash = evaluator.locator(".flashes .flash-success")
    expect(flash).to_contain_text("Submitted: your 24 scores")

    # -- the lead records a reference call per vendor -------------------------------------------
    for name, vendor in VENDORS.items():
        company, rating = vendor["reference"]
        page.goto(f"{ev}/references")
        page.click(f"section.ref-vendor:has(h3:has-text('{name}')) a:has-text('Record a call')")
        page.select_option("select[name=vendor_id]", label=name)
        page.fill("input[name=company]", company)
        page.fill("input[name=contact]", "Head of customer care")
        page.check("input[name=similar_business][value=yes]")
        page.check("input[name=would_sign_again][value=yes]")
        page.locator(f"label.sc-point:has(input[name=rating][value='{rating}'])").click()
        page.click("button:has-text('Record the call')")
        expect(page.locator(".flashes .flash-success")).to_contain_text(f"{company} recorded")
    _shot(page, shots, "6b-references.png")

    # -- the lead reads the ranking ----------------------------------------------------------
    expected = expected_scores()
    page.goto(f"{ev}/results")
    _shot(page, shots, "7-results.png")
    rows = page.locator("table.ranking tbody tr[data-vendor]")
    expect(rows).to_have_count(2)
    shown = {}
    for i in range(2):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        name = rows.nth(i).locator("td.vendor a").inner_text().strip()
        shown[name] = [cells[0], *cells[2:]]  # rank, total, then each criterion
    order = ["total", *CRITERION_SHARES]  # the columns, in the template's order
    assert shown == {
        # rank 1: 79.0 = 68.0, 84.0, 64.0, 60.0, 100.0, 100.0
        "Bahia Contact": ["1"] + [f"{expected['Bahia Contact'][k]:.1f}" for k in order],
        # rank 2: 78.0 = 82.0, 80.0, 68.0, 77.5, 79.1, 80.0
        "Altamira CX": ["2"] + [f"{expected['Altamira CX'][k]:.1f}" for k in order],
    }
    assert page.locator("table.ranking .badge-warn").count() == 0  # nothing provisional

    # -- and the engine, on what the browser wrote, agrees ----------------------------------
    with live_server.db.transaction() as s:
        result = score_evaluation(load_scoring_input(s, s.get(m.Evaluation, evaluation_id)))
    by_name = {v.name: v for v in result.vendors}
    for name, scores in expected.items():
        assert by_name[name].total == pytest.approx(scores["total"], abs=1e-9)
        for key in CRITERION_SHARES:
            assert by_name[name].criteria[key] == pytest.approx(scores[key], abs=1e-9)
        assert by_name[name].complete
    assert [v.name for v in result.ranked] == ["Bahia Contact", "Altamira CX"]
    context.close()
