"""The results view model on plain engine results: no app, no database."""

from __future__ import annotations

import gc

import pytest

from rfp.areas.results.chart import COMPACT_FROM, SCALE, build_chart
from rfp.areas.results.pages import (
    reason_text,
    weight_decimals,
    withhold_panel_scores,
)
from rfp.areas.results.queries import collection_paused
from rfp.domain.recommendation import recommend
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.model import (
    CostScope,
    Criterion,
    Evaluator,
    Pricing,
    Question,
    Score,
    ScoringInput,
    Vendor,
)

CRITERIA = (
    Criterion("fit", "Fit", 3, questions=(Question("q1"), Question("ko", kind="knockout"))),
    Criterion("cost", "Cost", 1, kind="cost"),
)
SCOPE = CostScope(contacts_per_month=1000, aht_minutes=6, term_months=12)


def _input(*vendors: tuple[str, float, bool], evaluators: int = 1) -> ScoringInput:
    """Vendors (key, raw score 0..5 from every evaluator, passes the knockout), all at
    $10/h so that cost scores 100 for each."""
    return ScoringInput(
        criteria=CRITERIA,
        vendors=tuple(
            Vendor(key, key.title(), "offshore", Pricing("per_hour", 10), {"ko": passes})
            for key, _score, passes in vendors
        ),
        evaluators=tuple(Evaluator(f"e{i}", f"E{i}") for i in range(evaluators)),
        scores=tuple(
            Score(f"e{i}", key, "q1", score)
            for key, score, _passes in vendors
            for i in range(evaluators)
        ),
        cost_scope=SCOPE,
    )


def test_no_recommendation_when_nobody_qualifies():
    result = score_evaluation(_input(("a", 4, False), ("b", 3, False)))

    assert recommend(result).status == "none"


def test_the_only_qualified_vendor_is_recommended_without_a_margin():
    # a: fit 80 x 3/4 + cost 100 x 1/4 = 85.
    rec = recommend(score_evaluation(_input(("a", 4, True), ("b", 5, False))))

    assert rec.status == "recommend"
    assert rec.leader == "A" and rec.leader_total == pytest.approx(85.0)
    assert rec.runner_up is None and rec.margin is None


def test_margin_is_the_difference_of_the_engines_totals():
    # a: 80 x .75 + 25 = 85; b: 60 x .75 + 25 = 70; margin 15.
    rec = recommend(score_evaluation(_input(("a", 4, True), ("b", 3, True))))

    assert (rec.status, rec.leader, rec.runner_up) == ("recommend", "A", "B")
    assert rec.margin == pytest.approx(15.0)


def test_an_incomplete_disqualified_vendor_does_not_make_the_result_provisional():
    inp = _input(("a", 4, True), ("b", 3, True), ("c", 5, False), evaluators=2)
    # c (disqualified) misses one of its two scores.
    inp = ScoringInput(
        criteria=inp.criteria,
        vendors=inp.vendors,
        evaluators=inp.evaluators,
        scores=tuple(s for s in inp.scores if not (s.vendor == "c" and s.evaluator == "e1")),
        cost_scope=SCOPE,
    )
    result = score_evaluation(inp)

    assert not result.vendor("c").complete
    assert recommend(result).status == "recommend"


def test_tied_leaders_are_named():
    rec = recommend(score_evaluation(_input(("a", 4, True), ("b", 4, True))))

    assert rec.status == "tied"
    assert rec.tied == ("A", "B")


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("no price", "No price quoted: cost scores 0"),
        ("no reference call", "No reference call recorded: references score 0"),
        ("criterion fit has no score", "Fit has no score yet: it counts as 0"),
        ("knockout ko unanswered", "Knockout not answered: SOC 2 report"),
        ("no number for overlap", "No number given for: Hours of overlap"),
        (
            "number 3.5 for overlap matches no band",
            "The number 3.5 given for Hours of overlap matches no score band",
        ),
        ("something new", "something new"),
    ],
)
def test_incomplete_reasons_read_in_names(reason, text):
    questions = {"ko": "SOC 2 report", "overlap": "Hours of overlap"}

    assert reason_text(reason, {"fit": "Fit"}, questions) == text


def test_weights_show_decimals_only_when_needed():
    assert weight_decimals([0.2, 0.3, 0.5]) == 0
    assert weight_decimals([1 / 3, 1 / 3, 1 / 3]) == 1


def test_withholding_panel_scores_keeps_the_spread():
    inp = _input(("a", 4, True), evaluators=2)
    inp = ScoringInput(
        criteria=inp.criteria,
        vendors=inp.vendors,
        evaluators=inp.evaluators,
        scores=(Score("e0", "a", "q1", 1), Score("e1", "a", "q1", 5)),
        cost_scope=SCOPE,
    )
    doc = withhold_panel_scores(score_evaluation(inp).to_json())

    assert doc["dispersion"] == [
        {"vendor": "a", "question": "q1", "range": 4.0, "flagged": True, "resolved": False}
    ]
    flag = next(f for f in doc["vendors"][0]["flags"] if f["type"] == "dispersion")
    assert "scores" not in flag and flag["range"] == 4.0


def test_chart_rows_tighten_for_long_lists_and_zero_segments_are_not_drawn():
    few = score_evaluation(_input(("a", 4, True), ("b", 0, True)))
    many = score_evaluation(_input(*((f"v{i:02d}", 3, True) for i in range(COMPACT_FROM))))
    criteria = [("fit", "Fit"), ("cost", "Cost")]

    chart = build_chart(few.vendors, criteria, few.weights, {})
    # b scores 0 on fit: only its cost segment (100 x 1/4 = 25 points) is drawn.
    assert [s.criterion for s in chart.bars[1].segments] == ["cost"]
    assert float(chart.bars[1].segments[0].width) == pytest.approx(25 * SCALE)
    assert build_chart(many.vendors, criteria, many.weights, {}).bar_height < chart.bar_height


def test_collection_pause_leaves_the_collector_as_it_found_it():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("a failing load")
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
