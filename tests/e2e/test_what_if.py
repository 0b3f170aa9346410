"""End to end in a real browser: the results page's what-if sliders re-rank the vendors
in the browser exactly as the engine ranks them with the same weights, and reset.

The app is served by the `live_server` fixture (tests/e2e/conftest.py) with the demo
evaluation loaded. Each weight setting moves every slider, so that the weights the
browser uses are exactly the integers given to the engine. Screenshots land in the
test's temporary folder.
"""

from __future__ import annotations

from typing import Any

import pytest

from rfp import models as m
from rfp.demo import load_demo
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from tests.fixtures.browser import LiveServer, log_in

pytestmark = pytest.mark.e2e

# Weight settings (criterion -> slider value); every criterion is set in each.
SETTINGS = [
    # Cost dominates: the cheapest qualified bid (Tanglaw) passes Puente Norte.
    {"cultural_fit": 10, "compliance": 10, "tooling": 10, "stability": 10, "cost": 60,
     "references": 0},
    # References and tooling only.
    {"cultural_fit": 0, "compliance": 0, "tooling": 35, "stability": 0, "cost": 0,
     "references": 65},
    # Fit and compliance, a little of everything else.
    {"cultural_fit": 40, "compliance": 33, "tooling": 7, "stability": 9, "cost": 4,
     "references": 7},
    # No weight at all: every total is 0, so every qualified vendor ranks 1, listed by
    # name, and the disqualified one still comes last without a rank.
    {"cultural_fit": 0, "compliance": 0, "tooling": 0, "stability": 0, "cost": 0,
     "references": 0},
]  # fmt: skip


@pytest.fixture
def live_app(live_server: LiveServer) -> dict[str, Any]:
    """The served app with the demo evaluation, and the engine's input for it."""
    with live_server.db.transaction() as s:
        evaluation, _logins, _created = load_demo(s)
        evaluation_id = evaluation.id
    with live_server.db.transaction() as s:
        inp = load_scoring_input(s, s.get(m.Evaluation, evaluation_id))
    return {"base": live_server.base, "id": evaluation_id, "inp": inp}


def _shown(page: Any) -> list[tuple[str, str, str]]:
    """(vendor key, rank, total) of the what-if ranking, in the order shown."""
    rows = page.eval_on_selector_all(
        "[data-what-if-rows] tr",
        """rows => rows.map(r => [r.dataset.vendor, r.querySelector('.wi-rank').textContent,
                                  r.querySelector('.wi-total').textContent])""",
    )
    return [tuple(row) for row in rows]


def _engine(inp: Any, weights: dict[str, float] | None = None) -> list[tuple[str, str, str]]:
    scored = score_evaluation(inp.with_criterion_weights(weights) if weights else inp)
    return [
        (v.key, "–" if v.rank is None else str(v.rank), f"{v.total:.1f}") for v in scored.vendors
    ]


def test_the_what_if_sliders_rank_the_vendors_as_the_engine_does(live_app, browser, tmp_path):
    from playwright.sync_api import expect

    base, ev, inp = live_app["base"], live_app["id"], live_app["inp"]
    shots = tmp_path / "screenshots"
    shots.mkdir()
    official = _engine(inp)
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, base, "morgan")
    page.goto(f"{base}/evaluations/{ev}/results")
    section = page.locator("#what-if")
    expect(section).to_be_visible()  # the script un-hides it
    section.scroll_into_view_if_needed()
    assert _shown(page) == official
    expect(page.locator("[data-what-if-state]")).to_have_text("Showing the official weights.")
    section.screenshot(path=str(shots / "0-official.png"))

    for n, weights in enumerate(SETTINGS, start=1):
        for key, value in weights.items():
            page.locator(f'[data-weight-range="{key}"]').fill(str(value))
        expected = _engine(inp, {k: float(v) for k, v in weights.items()})
        assert _shown(page) == expected, weights
        for key, value in weights.items():
            assert page.input_value(f'[data-weight-number="{key}"]') == str(value)
        expect(page.locator("[data-what-if-state]")).to_contain_text("not saved")
        section.screenshot(path=str(shots / f"{n}-weights.png"))
    # The last setting ties every qualified vendor at 0, listed by name.
    ranks = [rank for _key, rank, _total in _shown(page)]
    assert ranks == ["1", "1", "1", "1", "–"]
    # The number box moves the weight too (and its slider).
    page.fill('[data-weight-number="cost"]', "25")
    assert page.input_value('[data-weight-range="cost"]') == "25"
    expected = _engine(inp, {**dict.fromkeys(SETTINGS[-1], 0.0), "cost": 25.0})
    assert _shown(page) == expected

    page.click("[data-what-if-reset]")
    assert _shown(page) == official
    expect(page.locator("[data-what-if-state]")).to_have_text("Showing the official weights.")
    assert page.input_value('[data-weight-range="cultural_fit"]') == "20"
    section.screenshot(path=str(shots / "9-reset.png"))
    # The official ranking above never moved.
    ranking = page.eval_on_selector_all(
        "table.ranking tbody tr[data-vendor]", "rows => rows.map(r => r.dataset.vendor)"
    )
    assert ranking == [key for key, _rank, _total in official]
    page.screenshot(path=str(shots / "results-page.png"), full_page=True)
    assert len(list(shots.glob("*.png"))) == len(SETTINGS) + 3
