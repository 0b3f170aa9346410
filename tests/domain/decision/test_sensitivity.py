"""Sensitivity of the ranking to the weights: flip thresholds, rank stability, verdict."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rfp.demo
from rfp.domain.decision.sensitivity import (
    flip_thresholds,
    leaders_at,
    rank_stability,
    reweighted,
    sensitivity_report,
    verify_threshold,
)
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
from rfp.scenario import load_scenario_text, scenario_to_input

# -- hand-worked thresholds ---------------------------------------------------------------
#
# Criteria a (weight 60) and b (40). X scores a 80, b 40: total 64. Y scores a 50, b 90:
# total 66, so Y leads. With a's weight t and b's 1 - t:
#   X(t) = 80 t + 40 (1 - t) = 40 + 40 t,   Y(t) = 50 t + 90 (1 - t) = 90 - 40 t,
# equal at t = 50 / 80 = 0.625: a rising above 62.5 % (+2.5 points) hands X the lead;
# a falling only helps Y. With b's weight t: X = 80 - 40 t, Y = 50 + 40 t, equal at
# t = 0.375: b dropping below 37.5 % (-2.5 points) hands X the lead.
# Z scores 100 on both but fails a knockout: it never leads.
HAND = {"x": {"a": 80, "b": 40}, "y": {"a": 50, "b": 90}, "z": {"a": 100, "b": 100}}


def test_thresholds_are_where_the_lines_cross(make_criterion_input):
    inp = make_criterion_input(HAND, {"a": 60, "b": 40}, disqualified=["z"])
    result = score_evaluation(inp)
    assert result.leader().key == "y"
    a, b = flip_thresholds(inp, result)
    assert a.weight == pytest.approx(0.6)
    assert a.up.weight == pytest.approx(0.625)
    assert a.up.change_pp == pytest.approx(2.5)
    assert a.up.new_leader == "x" and a.up.new_leader_name == "X"
    assert a.down is None
    assert b.up is None
    assert b.down.weight == pytest.approx(0.375)
    assert b.down.change_pp == pytest.approx(-2.5)
    assert b.down.new_leader == "x"
    for threshold in (a.up, b.down):
        assert verify_threshold(inp, threshold)


def test_just_before_the_threshold_the_leader_holds_and_just_past_it_changes(
    make_criterion_input,
):
    inp = make_criterion_input(HAND, {"a": 60, "b": 40}, disqualified=["z"])
    assert leaders_at(inp, "a", 0.625 - 1e-6) == ("y",)
    assert leaders_at(inp, "a", 0.625) == ("x", "y")  # exactly on it: a tie
    assert leaders_at(inp, "a", 0.625 + 1e-6) == ("x",)
    # reweighted keeps the other weights in proportion and the total at 1
    moved = reweighted(inp, "a", 0.625)
    assert [c.weight for c in moved.criteria] == pytest.approx([0.625, 0.375])


def test_verdict_names_the_leader_the_closest_threshold_and_who_would_lead(
    make_criterion_input,
):
    inp = make_criterion_input(HAND, {"a": 60, "b": 40}, disqualified=["z"])
    report = sensitivity_report(inp, score_evaluation(inp), draws=2_000, seed=7)
    share = report.stability.share("y")
    assert 0.5 < share < 1.0
    # Both thresholds are 2.5 points away; a comes first by key.
    assert report.verdict == (
        f"Y leads in {round(share * 100)} % of plausible weightings; the lead changes only "
        "if A weight rises above 62.5 % (X would lead)."
    )
    assert report.closest.criterion == "a" and report.closest.direction == "up"


def test_thresholds_are_rounded_outward_so_that_only_if_stays_true(make_criterion_input):
    # X = 40 + 40 t, Y = 90 - 41 t: equal at t = 50/81 = 61.73 %: "rises above 61.7 %".
    scores = {"x": {"a": 80, "b": 40}, "y": {"a": 49, "b": 90}}
    inp = make_criterion_input(scores, {"a": 60, "b": 40})
    report = sensitivity_report(inp, score_evaluation(inp), draws=100)
    assert report.criteria[0].up.weight == pytest.approx(50 / 81)
    assert "A weight rises above 61.7 % (X would lead)" in report.verdict
    # b: X = 80 - 40 t, Y = 49 + 41 t, equal at t = 31/81 = 38.27 %: "drops below 38.3 %".
    assert report.criteria[1].down.weight == pytest.approx(31 / 81)


def test_disqualified_vendors_never_lead_however_the_weights_move(make_criterion_input):
    inp = make_criterion_input(HAND, {"a": 60, "b": 40}, disqualified=["z"])
    result = score_evaluation(inp)
    for c in flip_thresholds(inp, result):
        for t in (c.up, c.down):
            assert t is None or t.new_leader != "z"
    stability = rank_stability(inp, result, draws=500)
    assert "z" not in {v.key for v in stability.vendors}


def test_a_tie_for_first_breaks_at_once_towards_the_steeper_vendor(make_criterion_input):
    # At 50/50, X = 60 and Y = 60. Raising a favours X (80 on a), lowering it favours Y.
    scores = {"x": {"a": 80, "b": 40}, "y": {"a": 40, "b": 80}}
    inp = make_criterion_input(scores, {"a": 50, "b": 50})
    result = score_evaluation(inp)
    assert result.leader() is None
    a = flip_thresholds(inp, result)[0]
    assert a.up.change_pp == 0 and a.up.new_leader == "x"
    assert a.down.change_pp == 0 and a.down.new_leader == "y"
    assert verify_threshold(inp, a.up) and verify_threshold(inp, a.down)
    report = sensitivity_report(inp, result, draws=1_000)
    assert report.leader is None and report.to_json()["tied_for_first"] == ["x", "y"]
    assert report.verdict.startswith("X and Y tie for first at the official weights")


def test_identical_vendors_stay_tied_until_a_third_passes_them(make_criterion_input):
    scores = {"x": {"a": 70, "b": 50}, "y": {"a": 70, "b": 50}, "w": {"a": 90, "b": 10}}
    inp = make_criterion_input(scores, {"a": 60, "b": 40})
    # X and Y: 70 t + 50 (1 - t) = 50 + 20 t, 62 at t = 0.6, tied for first.
    # W: 90 t + 10 (1 - t) = 10 + 80 t, 58 at 0.6; it passes them at 40 = 60 t: t = 2/3.
    result = score_evaluation(inp)
    a = flip_thresholds(inp, result)[0]
    assert a.up.weight == pytest.approx(2 / 3)
    assert a.up.new_leader == "w"
    assert a.down is None
    assert verify_threshold(inp, a.up)
    stability = rank_stability(inp, result, draws=4_000, seed=1)
    assert stability.share("x") == pytest.approx(stability.share("y"))


def test_a_single_criterion_has_nothing_to_rescale(make_criterion_input):
    inp = make_criterion_input({"x": {"a": 80}, "y": {"a": 60}}, {"a": 1})
    (a,) = flip_thresholds(inp, score_evaluation(inp))
    assert a.up is None and a.down is None
    assert a.note == "a single criterion: there are no other weights to rescale"
    report = sensitivity_report(inp, score_evaluation(inp), draws=100)
    assert report.stability.share("x") == 1.0
    assert report.verdict == (
        "X leads in 100 % of plausible weightings; no single weight anywhere between 0 and "
        "100 % changes the lead."
    )


def test_a_criterion_holding_all_the_weight_cannot_move_down(make_criterion_input):
    # b has weight 0: a holds 100 %. Raising b from 0: X = 80 - 40 t, Y = 60 + 30 t,
    # equal at t = 20 / 70.
    inp = make_criterion_input({"x": {"a": 80, "b": 40}, "y": {"a": 60, "b": 90}}, {"a": 1, "b": 0})
    a, b = flip_thresholds(inp, score_evaluation(inp))
    assert a.weight == 1.0 and a.up is None and a.down is None
    assert a.note == "the other criteria have no weight to rescale"
    assert b.weight == 0.0 and b.down is None
    assert b.up.weight == pytest.approx(2 / 7) and b.up.new_leader == "y"
    assert verify_threshold(inp, b.up)


def test_a_crossing_exactly_at_100_percent_is_a_tie_there(make_criterion_input):
    # On a alone X and Y both score 80: at a = 100 % they tie, below it X leads on b.
    inp = make_criterion_input({"x": {"a": 80, "b": 60}, "y": {"a": 80, "b": 40}}, {"a": 1, "b": 1})
    a = flip_thresholds(inp, score_evaluation(inp))[0]
    assert a.up.weight == 1.0 and a.up.new_leader is None and a.up.tied == ("x", "y")
    assert verify_threshold(inp, a.up)
    assert (
        "X and Y would tie for first"
        in sensitivity_report(inp, score_evaluation(inp), draws=100).verdict
    )


# -- property: exact thresholds agree with a brute-force search ---------------------------

GRID = [i / 200 for i in range(201)]  # weights 0, 0.5 %, ..., 100 %
MARGIN = 1e-6  # grid points this close to a threshold are not judged


@st.composite
def small_evaluations(draw) -> ScoringInput:
    """2-4 vendors, 1-3 scored criteria of 1-2 questions, 1-2 evaluators scoring 0..5,
    sometimes a cost criterion, sometimes a disqualified vendor."""
    n_vendors = draw(st.integers(2, 4))
    n_criteria = draw(st.integers(1, 3))
    criteria = []
    questions = []
    for c in range(n_criteria):
        qs = tuple(
            Question(f"c{c}q{q}", weight=draw(st.integers(1, 3)))
            for q in range(draw(st.integers(1, 2)))
        )
        questions.extend(q.key for q in qs)
        if c == 0:
            qs += (Question("must_have", kind="knockout"),)
        criteria.append(
            Criterion(f"c{c}", f"Criterion {c}", draw(st.integers(1, 10)), questions=qs)
        )
    with_cost = draw(st.booleans())
    if with_cost:
        criteria.append(Criterion("cost", "Cost", draw(st.integers(1, 10)), kind="cost"))
    rates = st.sampled_from([8.0, 10.0, 12.5, 16.0, 20.0])
    vendors = tuple(
        Vendor(
            key=f"v{i}",
            name=f"Vendor {i}",
            pricing=Pricing("per_hour", draw(rates)) if with_cost else None,
            knockouts={"must_have": draw(st.sampled_from([True, True, True, False]))},
        )
        for i in range(n_vendors)
    )
    evaluators = tuple(Evaluator(f"e{i}", f"E{i}") for i in range(draw(st.integers(1, 2))))
    scores = tuple(
        Score(e.key, v.key, q, draw(st.integers(0, 5)))
        for e in evaluators
        for v in vendors
        for q in questions
    )
    return ScoringInput(
        criteria=tuple(criteria),
        vendors=vendors,
        evaluators=evaluators,
        scores=scores,
        cost_scope=CostScope(contacts_per_month=10_000, aht_minutes=6, term_months=12)
        if with_cost
        else None,
    )


def engine_leaders(inp: ScoringInput, criterion: str, weight: float) -> frozenset[str]:
    return frozenset(leaders_at(inp, criterion, weight))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_evaluations())
def test_flip_thresholds_agree_with_a_brute_force_search(inp):
    result = score_evaluation(inp)
    official = frozenset(v.key for v in result.ranked if v.rank == 1)
    for c in flip_thresholds(inp, result):
        if c.note is not None:
            assert c.up is None and c.down is None
            continue
        for t in GRID:
            if t == c.weight:
                continue
            threshold = c.up if t > c.weight else c.down
            leaders = engine_leaders(inp, c.criterion, t)
            if threshold is None:
                assert leaders == official, (c.criterion, t)
            elif abs(t - threshold.weight) > MARGIN:
                before = (
                    t < threshold.weight if threshold.direction == "up" else t > threshold.weight
                )
                assert (leaders == official) == before, (c.criterion, t, threshold)
        for threshold in (c.up, c.down):
            if threshold is not None:
                assert verify_threshold(inp, threshold, epsilon=MARGIN), threshold


@settings(max_examples=30, deadline=None)
@given(small_evaluations(), st.integers(0, 2**32 - 1))
def test_first_place_shares_sum_to_one_and_repeat_for_a_seed(inp, seed):
    result = score_evaluation(inp)
    first = rank_stability(inp, result, draws=300, concentration=20, seed=seed)
    again = rank_stability(inp, result, draws=300, concentration=20, seed=seed)
    assert first == again
    if first.vendors:
        assert sum(v.first_share for v in first.vendors) == pytest.approx(1.0)
        assert all(1 <= v.mean_rank <= len(first.vendors) for v in first.vendors)


# -- rank stability -----------------------------------------------------------------------


def test_tight_draws_keep_the_official_ranking(make_criterion_input):
    inp = make_criterion_input(HAND, {"a": 60, "b": 40}, disqualified=["z"])
    stability = rank_stability(inp, score_evaluation(inp), draws=2_000, concentration=1e7)
    y, x = stability.vendors
    assert (y.key, y.first_share, y.mean_rank) == ("y", 1.0, 1.0)
    assert (x.key, x.first_share, x.mean_rank) == ("x", 0.0, 2.0)


def test_a_different_seed_draws_differently(make_criterion_input):
    inp = make_criterion_input(HAND, {"a": 60, "b": 40}, disqualified=["z"])
    result = score_evaluation(inp)
    one = rank_stability(inp, result, draws=1_000, concentration=5, seed=1)
    two = rank_stability(inp, result, draws=1_000, concentration=5, seed=2)
    assert one.share("y") != two.share("y")
    assert one.seed == 1 and one.to_json()["ties_for_first"] == "split equally"


def test_identical_vendors_split_first_place_equally(make_criterion_input):
    scores = {"x": {"a": 80, "b": 40}, "y": {"a": 80, "b": 40}}
    inp = make_criterion_input(scores, {"a": 1, "b": 1})
    stability = rank_stability(inp, score_evaluation(inp), draws=500)
    assert [v.first_share for v in stability.vendors] == [0.5, 0.5]
    assert [v.mean_rank for v in stability.vendors] == [1.0, 1.0]
    assert stability.tie_share == 1.0


def test_bad_stability_settings_are_refused(make_criterion_input):
    inp = make_criterion_input(HAND, {"a": 60, "b": 40})
    result = score_evaluation(inp)
    with pytest.raises(ValueError, match="concentration"):
        rank_stability(inp, result, concentration=0)
    with pytest.raises(ValueError, match="draws"):
        rank_stability(inp, result, draws=0)


# -- the demo evaluation ------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_input() -> ScoringInput:
    from pathlib import Path

    path = Path(rfp.demo.__file__).with_name(rfp.demo.DEMO_FILE)
    return scenario_to_input(load_scenario_text(path.read_text(encoding="utf-8")))


def test_demo_verdict_and_every_threshold_checked_by_the_engine(demo_input):
    result = score_evaluation(demo_input)
    report = sensitivity_report(demo_input, result)
    assert report.leader == result.leader().key == "puente_norte"
    closest = report.closest
    assert closest is not None
    for c in report.criteria:
        for threshold in (c.up, c.down):
            if threshold is not None:
                assert verify_threshold(demo_input, threshold)
                assert abs(threshold.change_pp) >= abs(closest.change_pp)
    assert report.verdict.startswith(
        f"Puente Norte CX leads in {round(100 * report.stability.share('puente_norte'))} %"
    )
    name = next(c.name for c in report.criteria if c.criterion == closest.criterion)
    assert f"the lead changes only if {name} weight" in report.verdict
    assert f"({closest.new_leader_name} would lead)." in report.verdict
    json.dumps(report.to_json())  # plain JSON all the way down


def test_thresholds_and_stability_are_fast_enough_for_every_page_view(demo_input):
    result = score_evaluation(demo_input)
    start = time.perf_counter()
    sensitivity_report(demo_input, result)
    assert time.perf_counter() - start < 0.5


def test_stability_ranks_are_the_engines_competition_ranks_in_every_draw():
    """competition_ranks (one sort per draw) equals the engine's ranking of the same
    totals, ties within the tolerance included: columns of hand-made totals."""
    import numpy as np

    from rfp.domain.decision.stability import competition_ranks
    from rfp.domain.scoring.ranking import competition_order

    columns = [
        [80.0, 75.0, 90.0, 60.0],  # 2, 3, 1, 4
        [70.0, 70.0, 70.0, 10.0],  # three-way tie: 1, 1, 1, 4
        [50.0, 50.0 + 5e-10, 40.0, 50.0 - 5e-10],  # within 1e-9 of the head: 1, 1, 4, 1
        [10.0, 20.0, 20.0, 30.0],  # 4, 2, 2, 1
    ]
    totals = np.array(columns, dtype=float).T  # vendors x draws
    ranks = competition_ranks(totals)
    for draw, column in enumerate(columns):
        entries = [(f"v{i}", f"v{i}", t) for i, t in enumerate(column)]
        expected = dict(competition_order(entries))
        assert [int(r) for r in ranks[:, draw]] == [expected[f"v{i}"] for i in range(4)]
