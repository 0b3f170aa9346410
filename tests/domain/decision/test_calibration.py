"""Evaluator calibration and score normalisation, with numbers worked by hand."""

from __future__ import annotations

import math

import pytest

from rfp.domain.decision.calibration import evaluator_calibration, normalise_scores
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.model import Criterion, Evaluator, Question, Score, ScoringInput, Vendor


def panel_input(
    scores: dict[str, dict[str, float]],
    *,
    vendors: tuple[str, ...] = ("v",),
    conflicts: frozenset[tuple[str, str]] = frozenset(),
) -> ScoringInput:
    """evaluator -> {"vendor/question" or "question": raw score on 0..5}."""
    questions = sorted({k.split("/")[-1] for row in scores.values() for k in row})
    return ScoringInput(
        criteria=(
            Criterion("quality", "Quality", 1, questions=tuple(Question(q) for q in questions)),
        ),
        vendors=tuple(Vendor(v, v.upper()) for v in vendors),
        evaluators=tuple(Evaluator(e, e.upper()) for e in scores),
        scores=tuple(
            Score(e, k.split("/")[0] if "/" in k else vendors[0], k.split("/")[-1], value)
            for e, row in scores.items()
            for k, value in row.items()
        ),
        conflicts=conflicts,
    )


# Three evaluators on vendor v (scale 0-5, so one raw point is 20 normalised points):
#        q1  q2  q3
#   a     4   5   2
#   b     2   3   2
#   c     3   4   -
# a: q1 4 - mean(2, 3) = +1.5 -> +30; q2 5 - mean(3, 4) = +1.5 -> +30; q3 2 - 2 = 0.
#    mean +20, sample sd of (30, 30, 0) = sqrt((10² + 10² + 20²) / 2) = sqrt(300) = 17.32
# b: q1 2 - 3.5 -> -30; q2 3 - 4.5 -> -30; q3 0: mean -20, sd 17.32
# c: q1 3 - mean(4, 2) = 0; q2 4 - mean(5, 3) = 0: mean 0, sd 0, 2 items
PANEL = {
    "a": {"q1": 4, "q2": 5, "q3": 2},
    "b": {"q1": 2, "q2": 3, "q3": 2},
    "c": {"q1": 3, "q2": 4},
}


def test_lenient_and_severe_evaluators_against_the_panel():
    calibration = evaluator_calibration(panel_input(PANEL))
    a, b, c = calibration.evaluators
    assert (a.count, a.mean_difference, a.leaning) == (3, pytest.approx(20.0), "lenient")
    assert a.spread == pytest.approx(math.sqrt(300))
    assert (b.count, b.mean_difference, b.leaning) == (3, pytest.approx(-20.0), "severe")
    assert b.spread == pytest.approx(math.sqrt(300))
    assert (c.count, c.mean_difference, c.spread, c.leaning) == (2, 0.0, 0.0, "in line")


def test_the_items_that_drive_a_leaning_come_first():
    a = evaluator_calibration(panel_input(PANEL)).evaluator("a")
    assert [(d.question, d.difference) for d in a.drivers] == [
        ("q1", pytest.approx(30.0)),
        ("q2", pytest.approx(30.0)),
        ("q3", 0.0),
    ]
    first = a.drivers[0]
    assert (first.vendor, first.score, first.others_mean) == ("v", 4, 2.5)
    assert len(evaluator_calibration(panel_input(PANEL), drivers=1).evaluator("a").drivers) == 1


def test_items_scored_alone_and_conflicted_scores_do_not_count():
    # d scored q9 alone; b declared a conflict with v, so b's scores are ignored and
    # a and c share q1 and q2 only: a: 4 - 3 = +1 -> +20, 5 - 4 -> +20.
    scores = {**PANEL, "d": {"q9": 5}}
    calibration = evaluator_calibration(panel_input(scores, conflicts=frozenset({("b", "v")})))
    assert calibration.evaluator("d").leaning == "no shared items"
    assert calibration.evaluator("d").mean_difference is None
    assert calibration.evaluator("b").count == 0
    a = calibration.evaluator("a")
    assert (a.count, a.mean_difference, a.spread) == (2, 20.0, 0.0)
    assert calibration.to_json()["evaluators"][0]["drivers"][0]["difference"] == 20.0


def test_normalisation_puts_two_offset_evaluators_on_the_panels_scale():
    # a scores 1, 2, 3 and b scores 3, 4, 5 on the same three items.
    # Panel: 1 2 3 3 4 5, mean 3, population variance (4+1+0+0+1+4)/6 = 5/3.
    # a: mean 2, variance 2/3; b: mean 4, variance 2/3; sd ratio sqrt(5/3 / (2/3)) =
    # sqrt(2.5) = 1.5811. So both become 3 - 1.5811, 3, 3 + 1.5811.
    inp = panel_input({"a": {"q1": 1, "q2": 2, "q3": 3}, "b": {"q1": 3, "q2": 4, "q3": 5}})
    out = normalise_scores(inp)
    by = {(s.evaluator, s.question): s.value for s in out.scores}
    spread = math.sqrt(2.5)
    for e in ("a", "b"):
        assert by[(e, "q1")] == pytest.approx(3 - spread)
        assert by[(e, "q2")] == pytest.approx(3.0)
        assert by[(e, "q3")] == pytest.approx(3 + spread)
    # The engine runs on the normalised input: the two evaluators now agree.
    result = score_evaluation(out)
    assert result.dispersion[0].spread == pytest.approx(0.0)
    assert result.vendor("v").questions["q1"] == pytest.approx(20 * (3 - spread))


def test_an_evaluator_with_no_spread_is_left_as_is_but_counts_in_the_panel():
    # c gives 4, 4, 4. Panel 1 2 3 4 4 4: mean 3, population variance
    # (4 + 1 + 0 + 1 + 1 + 1) / 6 = 4/3; a: mean 2, variance 2/3: ratio sqrt(2).
    inp = panel_input({"a": {"q1": 1, "q2": 2, "q3": 3}, "c": {"q1": 4, "q2": 4, "q3": 4}})
    by = {(s.evaluator, s.question): s.value for s in normalise_scores(inp).scores}
    assert [by[("a", q)] for q in ("q1", "q2", "q3")] == pytest.approx(
        [3 - math.sqrt(2), 3.0, 3 + math.sqrt(2)]
    )
    assert [by[("c", q)] for q in ("q1", "q2", "q3")] == [4, 4, 4]


def test_normalised_scores_are_clamped_to_the_scale():
    # a: 1 1 1 5 (mean 2, variance 3); b: 5 0 5 0 (mean 2.5, variance 6.25).
    # Panel mean 18/8 = 2.25, variance 78/8 - 2.25² = 4.6875.
    # a's 5: 2.25 + 3 / sqrt(3) * sqrt(4.6875) = 2.25 + 3.75 = 6 -> clamped to 5;
    # a's 1: 2.25 - 1 / sqrt(3) * sqrt(4.6875) = 2.25 - 1.25 = 1.
    # b's 5: 2.25 + 2.5 / 2.5 * 2.1651 = 4.4151; b's 0: 2.25 - 2.1651 = 0.0849.
    inp = panel_input(
        {
            "a": {"q1": 1, "q2": 1, "q3": 1, "q4": 5},
            "b": {"q1": 5, "q2": 0, "q3": 5, "q4": 0},
        }
    )
    by = {(s.evaluator, s.question): s.value for s in normalise_scores(inp).scores}
    assert [by[("a", q)] for q in ("q1", "q2", "q3", "q4")] == pytest.approx([1, 1, 1, 5])
    sd = math.sqrt(4.6875)
    assert [by[("b", q)] for q in ("q1", "q2")] == pytest.approx([2.25 + sd, 2.25 - sd])


def test_scores_the_engine_ignores_pass_through_unchanged():
    # b's scores are ignored (conflict with v), so the panel is a's alone: a is its own
    # panel and keeps its scores; b's pass through untouched.
    inp = panel_input(
        {"a": {"q1": 1, "q2": 3}, "b": {"q1": 5, "q2": 0}}, conflicts=frozenset({("b", "v")})
    )
    out = normalise_scores(inp)
    assert [s.value for s in out.scores] == pytest.approx([1, 3, 5, 0])
    assert normalise_scores(panel_input({"a": {"q1": 2}})) == panel_input({"a": {"q1": 2}})


def test_the_engine_setting_normalises_the_aggregate_but_flags_the_raw_spread():
    # Same panel as above: a scores 1, 2, 3 and b scores 3, 4, 5. With the evaluation's
    # setting on, the engine aggregates the rescaled scores (both 3 - 1.5811 on q1, so
    # q1 = 20 * (3 - 1.5811) = 28.38), yet the dispersion it flags is the raw one: on
    # every question a and b are 2 points apart, at the default threshold of 2.
    from dataclasses import replace

    from rfp.domain.scoring.model import Settings

    inp = panel_input({"a": {"q1": 1, "q2": 2, "q3": 3}, "b": {"q1": 3, "q2": 4, "q3": 5}})
    result = score_evaluation(replace(inp, settings=Settings(normalise_evaluators=True)))
    assert result.vendor("v").questions["q1"] == pytest.approx(20 * (3 - math.sqrt(2.5)))
    assert result.vendor("v").total == score_evaluation(normalise_scores(inp)).vendor("v").total
    assert [d.spread for d in result.dispersion] == [2, 2, 2]
    assert all(d.flagged for d in result.dispersion)
    # Off (the default): the plain mean, q1 = 20 * mean(1, 3) = 40.
    assert score_evaluation(inp).vendor("v").questions["q1"] == pytest.approx(40.0)
