"""The results page's sensitivity section, the price-formula comparison and choice, and
the what-if section's markup. The figures must equal the decision module's on the same
input: `sensitivity_report`, `compare_price_formulas`, `rank_reversal_check`."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rfp import models as m
from rfp.areas.results.sensitivity import formula_comparison, reversal_check
from rfp.demo import demo_scenario
from rfp.domain.decision.price_formulas import compare_price_formulas, rank_reversal_check
from rfp.domain.decision.sensitivity import sensitivity_report
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.model import (
    ConsensusScore,
    CostScope,
    Criterion,
    Pricing,
    Question,
    Scale,
    ScoringInput,
    Settings,
    Vendor,
)
from rfp.models.adapter import load_scoring_input
from rfp.scenario import normalise_scenario, scenario_to_input
from rfp.scenario.synthetic import generate_scenario
from tests.fixtures.decision_web import import_small, section, text_of
from tests.fixtures.evaluations import events, set_stage


def _results(client: Any, evaluation_id: int) -> str:
    response = client.get(f"/evaluations/{evaluation_id}/results")
    assert response.status_code == 200
    return response.data.decode()


def _two_criteria_scenario() -> dict[str, Any]:
    """Criteria a (60) and b (40), one question each, scores fixed by consensus on a
    0-100 scale. X: a 80, b 40 -> 64. Y: a 50, b 90 -> 66: Y leads.
    With a's weight t: X = 40 + 40 t, Y = 90 - 40 t, equal at t = 0.625: a rising above
    62.5 % (+2.5 points) hands X the lead. With b's weight t: X = 80 - 40 t,
    Y = 50 + 40 t, equal at t = 0.375: b dropping below 37.5 % (-2.5 points) does."""
    return {
        "format": 1,
        "evaluation": {"title": "Two criteria", "scale": {"min": 0, "max": 100}},
        "criteria": [
            {"key": "a", "name": "Alpha", "weight": 60, "questions": [{"key": "qa", "text": "A"}]},
            {"key": "b", "name": "Beta", "weight": 40, "questions": [{"key": "qb", "text": "B"}]},
        ],
        "vendors": [{"key": "x", "name": "Xeno CX"}, {"key": "y", "name": "Yonder Support"}],
        "evaluators": [],
        "scores": [],
        "consensus": [
            {"vendor": "x", "question": "qa", "score": 80, "rationale": "r"},
            {"vendor": "x", "question": "qb", "score": 40, "rationale": "r"},
            {"vendor": "y", "question": "qa", "score": 50, "rationale": "r"},
            {"vendor": "y", "question": "qb", "score": 90, "rationale": "r"},
        ],
    }


def test_hand_worked_thresholds_and_verdict_on_the_results_page(client, auth, db):
    ids = import_small(db, _two_criteria_scenario())
    auth.login("lena")
    page = _results(client, ids["evaluation"])
    sensitivity = section(page, "sensitivity")
    text = text_of(sensitivity)
    assert "the lead changes only if Alpha weight rises above 62.5 % (Xeno CX would lead)." in text
    # Both thresholds are 2.5 points away; the verdict names Alpha's (first by key).
    assert (
        "Alpha closest 60.0 % rises above 62.5 % (Xeno CX would lead) (+2.5 pp) "
        "none within 0 to 100 %" in text
    )
    assert (
        "Beta 40.0 % none within 0 to 100 % drops below 37.5 % (Xeno CX would lead) (−2.5 pp)"
        in text
    )
    # The section comes after the ranking.
    assert page.index('id="ranking-heading"') < page.index('id="sensitivity"')


def test_the_page_shows_the_same_verdict_thresholds_and_stability_as_the_module(
    client, auth, db, demo
):
    ev = demo["evaluation"]
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, ev)
        evaluation.sensitivity_concentration = 80.0
        inp = load_scoring_input(s, evaluation)
    result = score_evaluation(inp)
    report = sensitivity_report(inp, result, draws=10_000, concentration=80.0, seed=2027)
    auth.login("morgan")
    text = text_of(section(_results(client, ev), "sensitivity"))
    assert report.verdict in text
    for c in report.criteria:
        for t in (c.up, c.down):
            assert (t.text if t else "none within 0 to 100 %") in text
    for v in report.stability.vendors:
        assert f"{v.name} {100 * v.first_share:.1f} % {v.mean_rank:.2f}" in text
    assert "concentration 80" in text and "10,000 sets of weights" in text


def test_viewers_read_the_verdict_but_not_the_leads_formula_comparison(client, auth, demo):
    ev = demo["evaluation"]  # consensus: a viewer reads the results
    auth.login("elena")
    page = _results(client, ev)
    assert "How much the ranking depends on the weights" in page
    assert "Rank-reversal check (lowest ratio)" in page  # the evaluation's own formula
    assert "Only you, the lead, see this comparison" not in page
    assert "/price-formula" not in page
    auth.logout()
    auth.login("morgan")
    page = _results(client, ev)
    assert "Only you, the lead, see this comparison" in page


def test_the_leads_comparison_shows_each_formulas_ranking(client, auth, db, demo):
    ev = demo["evaluation"]
    with db.transaction() as s:
        inp = load_scoring_input(s, s.get(m.Evaluation, ev))
    comparison = compare_price_formulas(inp)
    auth.login("morgan")
    page = section(_results(client, ev), "sensitivity")
    table = page[page.index('class="table formulas"') :]
    for vendor_key, name in comparison.names.items():
        row = table[table.index(f"<td>{name}</td>") :].split("</tr>")[0]
        ranks = [r.ranks[vendor_key] for r in comparison.rankings]
        shown = [cell.split("<span")[0].strip() for cell in row.split('class="num')[1:]]
        shown = [s.split(">")[-1].strip() for s in shown]
        assert shown == [str(r) if r is not None else "–" for r in ranks], name


# -- the fast price-formula comparison equals the engine's --------------------------------


def _three_bids(formula: str = "lowest_ratio", normalise: bool = False) -> ScoringInput:
    """Quality and cost at 50/50; a TCO equals the hourly rate (1 contact of 60 minutes a
    month at full occupancy, a 1-month term). Ahorro 1000 with quality 0, Balance 2000
    with 40, Calidad 4000 with 80; lowest_ratio: Calidad 52.5, Ahorro 50, Balance 45;
    without Ahorro: Balance 20 + 50 = 70 passes Calidad 40 + 25 = 65."""
    vendors = (("ahorro", 1000, 0), ("balance", 2000, 40), ("calidad", 4000, 80))
    return ScoringInput(
        criteria=(
            Criterion("quality", "Quality", 50, questions=(Question("q"),)),
            Criterion("cost", "Cost", 50, kind="cost"),
        ),
        vendors=tuple(
            Vendor(key, key.capitalize(), pricing=Pricing("per_hour", tco))
            for key, tco, _ in vendors
        ),
        consensus=tuple(ConsensusScore(key, "q", quality) for key, _, quality in vendors),
        scale=Scale(0, 100),
        settings=Settings(price_formula=formula, normalise_evaluators=normalise),
        cost_scope=CostScope(contacts_per_month=1, aht_minutes=60, term_months=1, occupancy=1),
    )


def _same_comparison(inp: ScoringInput) -> None:
    result = score_evaluation(inp)
    assert formula_comparison(inp, result) == compare_price_formulas(inp)
    assert reversal_check(inp, result) == rank_reversal_check(inp, "lowest_ratio")


@pytest.mark.parametrize("formula", ["lowest_ratio", "linear", "deviation", "log"])
def test_the_fast_comparison_equals_the_engines_on_the_three_bids(formula):
    inp = _three_bids(formula)
    _same_comparison(inp)
    check = reversal_check(inp, score_evaluation(inp))
    assert check.message == (
        "Removing the cheapest bid (Ahorro) reorders the others under lowest_ratio: "
        "Balance moves ahead of Calidad."
    )


def test_the_fast_comparison_equals_the_engines_on_the_demo_and_a_generated_evaluation():
    _same_comparison(scenario_to_input(normalise_scenario(demo_scenario())))
    doc = normalise_scenario(generate_scenario(vendors=12, questions=10, evaluators=3))
    inp = scenario_to_input(doc)
    _same_comparison(inp)
    for formula in ("linear", "deviation", "log"):
        _same_comparison(replace(inp, settings=replace(inp.settings, price_formula=formula)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tcos=st.lists(st.integers(500, 5000), min_size=2, max_size=6),
    qualities=st.lists(st.integers(0, 100), min_size=6, max_size=6),
    out=st.lists(st.booleans(), min_size=6, max_size=6),
    cost_weight=st.integers(1, 99),
)
def test_the_fast_comparison_equals_the_engines_on_random_bids(tcos, qualities, out, cost_weight):
    keys = [f"v{i}" for i in range(len(tcos))]
    inp = ScoringInput(
        criteria=(
            Criterion(
                "quality",
                "Quality",
                100 - cost_weight,
                questions=(Question("q"), Question("ko", kind="knockout")),
            ),
            Criterion("cost", "Cost", cost_weight, kind="cost"),
        ),
        vendors=tuple(
            Vendor(k, f"Vendor {k}", pricing=Pricing("per_hour", t), knockouts={"ko": not o})
            for k, t, o in zip(keys, tcos, out, strict=False)
        ),
        consensus=tuple(ConsensusScore(k, "q", q) for k, q in zip(keys, qualities, strict=False)),
        scale=Scale(0, 100),
        cost_scope=CostScope(contacts_per_month=1, aht_minutes=60, term_months=1, occupancy=1),
    )
    _same_comparison(inp)


def test_with_normalisation_on_the_reversal_check_is_the_engines_own():
    inp = _three_bids(normalise=True)
    _same_comparison(inp)


# -- choosing the formula from the comparison -----------------------------------------------


def test_in_draft_the_lead_chooses_a_formula_without_a_reason_audited(client, auth, db, demo):
    ev = demo["evaluation"]
    set_stage(db, ev, "draft")
    auth.login("morgan")
    response = client.post(f"/evaluations/{ev}/price-formula", data={"price_formula": "linear"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/evaluations/{ev}/results#price-formulas")
    [event] = events(db, ev, "settings.changed")
    assert (event.old, event.new) == (
        {"price_formula": "lowest_ratio"},
        {"price_formula": "linear"},
    )
    with db.transaction() as s:
        assert s.get(m.Evaluation, ev).price_formula == "linear"
    # The comparison now marks linear as current.
    page = _results(client, ev)
    current = 'data-formula="linear">Linear between lowest and highest<span class="weight">current'
    assert current in page


def test_after_draft_a_new_formula_needs_a_reason_and_once_decided_none_is_taken(
    client, auth, db, demo
):
    ev = demo["evaluation"]  # consensus
    auth.login("morgan")
    url = f"/evaluations/{ev}/price-formula"
    response = client.post(url, data={"price_formula": "log"}, follow_redirects=True)
    assert "Give a reason for this change" in text_of(response.data.decode())
    assert events(db, ev, "settings.changed") == []
    response = client.post(url, data={"price_formula": "log", "reason": "Board asked for log"})
    assert response.status_code == 302
    [event] = events(db, ev, "settings.changed")
    assert event.reason == "Board asked for log" and event.new == {"price_formula": "log"}
    assert client.post(url, data={"price_formula": "nonsense"}).status_code == 400
    set_stage(db, ev, "decided")
    assert client.post(url, data={"price_formula": "linear", "reason": "x"}).status_code == 409
    assert "/price-formula" not in _results(client, ev)


# -- what-if markup -----------------------------------------------------------------------------


def test_the_what_if_section_is_hidden_until_its_script_runs_and_reads_the_page_data(
    client, auth, demo
):
    ev = demo["evaluation"]
    auth.login("morgan")
    page = _results(client, ev)
    assert '<section class="card what-if" id="what-if"' in page
    assert "hidden data-what-if>" in page
    assert "Nothing here changes the official weights" in page
    assert '<script src="/static/js/what_if.js" defer></script>' in page
    data = json.loads(
        page.split('<script type="application/json" id="results-data">')[1].split("</script>")[0]
    )
    keys = [c["key"] for c in data["criteria"]]
    for key in keys:
        assert f'data-weight-range="{key}"' in page and f'data-weight-number="{key}"' in page
    # Cultural fit is 20 % of the weights: its slider starts at 20.
    assert 'value="20" data-weight-range="cultural_fit"' in page
