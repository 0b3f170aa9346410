"""DESIGN.md "Scoring rules", one rule at a time, with the arithmetic worked by hand.

Every figure below is written out in a comment first; the test then checks the engine
gives the same number. Scores are on 0..5 unless a test says otherwise, so a raw score
s normalises to 20 * s.
"""

from __future__ import annotations

import pytest

from rfp.domain.scoring import (
    ConsensusScore,
    Criterion,
    Evaluator,
    MissingScore,
    Question,
    Scale,
    Score,
    ScoringInput,
    Settings,
    Vendor,
    score_evaluation,
)
from rfp.domain.scoring.engine import weighted_mean
from rfp.domain.scoring.ranking import competition_order
from rfp.scenario import normalise_scenario, scenario_to_input

# -- builders ----------------------------------------------------------------------------


def question(key: str, weight: float = 1.0, kind: str = "scored") -> Question:
    return Question(key=key, kind=kind, weight=weight)  # type: ignore[arg-type]


def criterion(key: str, weight: float, *questions: Question) -> Criterion:
    return Criterion(key=key, name=key.title(), weight=weight, questions=questions)


def vendor(key: str, name: str | None = None, **kwargs: object) -> Vendor:
    return Vendor(key=key, name=name or key.title(), **kwargs)  # type: ignore[arg-type]


def evaluator(key: str, *criteria: str) -> Evaluator:
    return Evaluator(key=key, name=key.title(), criteria=frozenset(criteria) or None)


def scores(*rows: tuple[str, str, str, float]) -> tuple[Score, ...]:
    return tuple(Score(e, v, q, x) for e, v, q, x in rows)


DEFAULT_SCALE = Scale()  # 0..5


def one_question_input(
    raw: list[float],
    *,
    aggregation: str = "mean",
    scale: Scale = DEFAULT_SCALE,
    threshold: float = 2,
) -> ScoringInput:
    """One criterion with one question, one vendor, one evaluator per raw score."""
    names = [f"e{i}" for i in range(len(raw))]
    return ScoringInput(
        criteria=(criterion("quality", 1, question("q1")),),
        vendors=(vendor("alpha"),),
        evaluators=tuple(evaluator(n) for n in names),
        scores=scores(*((n, "alpha", "q1", x) for n, x in zip(names, raw, strict=True))),
        scale=scale,
        settings=Settings(aggregation=aggregation, dispersion_threshold=threshold),  # type: ignore[arg-type]
    )


def tied_ranking_input(totals: dict[str, tuple[str, float]]) -> ScoringInput:
    """Vendors (key -> (name, raw score)) each scored once on a single question, so that
    total = 20 * raw score."""
    return ScoringInput(
        criteria=(criterion("quality", 1, question("q1")),),
        vendors=tuple(vendor(k, name) for k, (name, _) in totals.items()),
        evaluators=(evaluator("ana"),),
        scores=scores(*(("ana", k, "q1", x) for k, (_, x) in totals.items())),
    )


# -- 1. normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "raw", "expected"),
    [
        (0, 5, 0, 0.0),
        (0, 5, 3, 60.0),  # 100 * (3 - 0) / 5
        (0, 5, 5, 100.0),
        (1, 10, 1, 0.0),  # the bottom of any scale is 0
        (1, 10, 10, 100.0),  # the top is 100
        (1, 10, 5.5, 50.0),  # 100 * 4.5 / 9
        (1, 10, 7, 200 / 3),  # 100 * (7 - 1) / (10 - 1) = 600 / 9 = 66.67
        (-2, 2, 0, 50.0),  # 100 * (0 + 2) / 4
        (0, 100, 37, 37.0),
    ],
)
def test_a_raw_score_is_normalised_onto_0_to_100(lo, hi, raw, expected):
    assert Scale(lo, hi).normalise(raw) == pytest.approx(expected, abs=1e-12)


def test_the_engine_normalises_on_a_one_to_ten_scale():
    # Scale 1..10, one evaluator gives 7: 100 * (7 - 1) / 9 = 66.67 for the question,
    # the criterion (its only question) and the total (the only criterion).
    result = score_evaluation(one_question_input([7], scale=Scale(1, 10)))
    alpha = result.vendor("alpha")
    assert alpha.questions["q1"] == pytest.approx(66.6667, abs=1e-4)
    assert alpha.criteria["quality"] == pytest.approx(66.6667, abs=1e-4)
    assert alpha.total == pytest.approx(66.6667, abs=1e-4)
    assert alpha.complete


# -- 2. aggregation over evaluators ------------------------------------------------------


def test_question_score_is_the_mean_of_the_evaluators_normalised_scores():
    # 2, 3, 5 -> 40, 60, 100; mean = 200 / 3 = 66.67
    result = score_evaluation(one_question_input([2, 3, 5]))
    assert result.vendor("alpha").questions["q1"] == pytest.approx(66.6667, abs=1e-4)


def test_question_score_is_the_median_when_the_evaluation_says_so():
    # 2, 3, 5 -> 40, 60, 100; median = 60 (the mean would be 66.67)
    result = score_evaluation(one_question_input([2, 3, 5], aggregation="median"))
    assert result.vendor("alpha").questions["q1"] == pytest.approx(60.0)


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_scores():
    # 1, 2, 3, 5 -> 20, 40, 60, 100; median = (40 + 60) / 2 = 50 (the mean would be 55)
    median = score_evaluation(one_question_input([5, 1, 3, 2], aggregation="median"))
    mean = score_evaluation(one_question_input([5, 1, 3, 2], aggregation="mean"))
    assert median.vendor("alpha").questions["q1"] == pytest.approx(50.0)
    assert mean.vendor("alpha").questions["q1"] == pytest.approx(55.0)


def test_a_consensus_score_replaces_the_evaluators_scores():
    # ana 1 -> 20, raj 5 -> 100: the mean would be 60. The lead records consensus 4 -> 80.
    # lee never scored, but the consensus covers the question: nothing is missing.
    inp = ScoringInput(
        criteria=(criterion("quality", 1, question("q1")),),
        vendors=(vendor("alpha"),),
        evaluators=(evaluator("ana"), evaluator("raj"), evaluator("lee")),
        scores=scores(("ana", "alpha", "q1", 1), ("raj", "alpha", "q1", 5)),
        consensus=(ConsensusScore("alpha", "q1", 4),),
    )
    result = score_evaluation(inp)
    alpha = result.vendor("alpha")
    assert alpha.questions["q1"] == pytest.approx(80.0)
    assert alpha.total == pytest.approx(80.0)
    assert alpha.missing == ()
    assert alpha.complete
    # The disagreement (range 5 - 1 = 4 >= 2) stays visible, marked as resolved.
    (spread,) = result.dispersion
    assert (spread.spread, spread.flagged, spread.resolved) == (4, True, True)


def test_a_consensus_score_counts_even_where_no_evaluator_scored():
    # Consensus 3 -> 60 on a question nobody scored: the question has a score, the vendor
    # is complete.
    inp = ScoringInput(
        criteria=(criterion("quality", 1, question("q1")),),
        vendors=(vendor("alpha"),),
        evaluators=(evaluator("ana"),),
        consensus=(ConsensusScore("alpha", "q1", 3),),
    )
    alpha = score_evaluation(inp).vendor("alpha")
    assert alpha.total == pytest.approx(60.0)
    assert alpha.complete


# -- 3. criterion score -------------------------------------------------------------------


def test_weighted_mean_normalises_the_weights_it_is_given():
    # (80 * 2 + 40 * 1) / (2 + 1) = 200 / 3
    assert weighted_mean([(80, 2), (40, 1)]) == pytest.approx(200 / 3)
    assert weighted_mean([]) is None


def test_a_partly_scored_criterion_normalises_weights_over_the_scored_questions():
    # Questions a (weight 2), b (weight 1), c (weight 1); ana scored a = 4 -> 80 and
    # c = 2 -> 40 but not b. Criterion = (80 * 2 + 40 * 1) / (2 + 1) = 200 / 3 = 66.67,
    # not (160 + 40) / 4 = 50 as if b counted 0. The vendor is incomplete, b listed.
    inp = ScoringInput(
        criteria=(criterion("fit", 1, question("a", 2), question("b", 1), question("c", 1)),),
        vendors=(vendor("alpha"),),
        evaluators=(evaluator("ana"),),
        scores=scores(("ana", "alpha", "a", 4), ("ana", "alpha", "c", 2)),
    )
    alpha = score_evaluation(inp).vendor("alpha")
    assert alpha.criteria["fit"] == pytest.approx(66.6667, abs=1e-4)
    assert alpha.questions == {"a": 80.0, "b": None, "c": 40.0}
    assert not alpha.complete
    assert alpha.missing == (MissingScore(question="b", evaluator="ana"),)
    assert "1 score(s) missing" in alpha.incomplete_reasons


def test_weights_of_knockout_and_info_questions_are_ignored():
    # The scored question alone makes the criterion: 3 -> 60, whatever the other weights.
    inp = ScoringInput(
        criteria=(
            criterion(
                "compliance",
                1,
                question("audits", 1),
                question("soc2", 100, kind="knockout"),
                question("headcount", 100, kind="info"),
            ),
        ),
        vendors=(vendor("alpha", knockouts={"soc2": True}),),
        evaluators=(evaluator("ana"),),
        scores=scores(("ana", "alpha", "audits", 3)),
    )
    alpha = score_evaluation(inp).vendor("alpha")
    assert alpha.criteria["compliance"] == pytest.approx(60.0)
    assert alpha.questions == {"audits": 60.0}
    assert alpha.complete


def test_a_criterion_with_no_score_counts_zero_and_makes_the_vendor_incomplete():
    # fit (weight 3): a1 = 4 -> 80. compliance (weight 1): nothing scored -> 0.
    # Total = 80 * 3/4 + 0 * 1/4 = 60.
    inp = ScoringInput(
        criteria=(criterion("fit", 3, question("a1")), criterion("compliance", 1, question("b1"))),
        vendors=(vendor("alpha"),),
        evaluators=(evaluator("ana"),),
        scores=scores(("ana", "alpha", "a1", 4)),
    )
    alpha = score_evaluation(inp).vendor("alpha")
    assert alpha.criteria == {"fit": 80.0, "compliance": 0.0}
    assert alpha.total == pytest.approx(60.0)
    assert not alpha.complete
    assert "criterion compliance has no score" in alpha.incomplete_reasons
    assert alpha.missing == (MissingScore("b1", "ana"),)


# -- 4. total -----------------------------------------------------------------------------


@pytest.mark.parametrize("weights", [(20, 30, 50), (2, 3, 5), (0.2, 0.3, 0.5), (7, 10.5, 17.5)])
def test_total_is_the_weighted_mean_with_weights_normalised_per_level(weights):
    # Criterion scores 5 -> 100, 2.5 -> 50, 1 -> 20 with shares 0.2, 0.3, 0.5 whatever
    # the weights sum to: 100 * 0.2 + 50 * 0.3 + 20 * 0.5 = 20 + 15 + 10 = 45.
    wa, wb, wc = weights
    inp = ScoringInput(
        criteria=(
            criterion("a", wa, question("qa")),
            criterion("b", wb, question("qb")),
            criterion("c", wc, question("qc")),
        ),
        vendors=(vendor("alpha"),),
        evaluators=(evaluator("ana"),),
        scores=scores(
            ("ana", "alpha", "qa", 5), ("ana", "alpha", "qb", 2.5), ("ana", "alpha", "qc", 1)
        ),
    )
    result = score_evaluation(inp)
    assert result.vendor("alpha").total == pytest.approx(45.0)
    assert result.weights == pytest.approx({"a": 0.2, "b": 0.3, "c": 0.5})


def test_question_weights_are_normalised_within_their_criterion():
    # Weights 3 and 1 (shares 0.75, 0.25), or 75 and 25: 4 -> 80 and 2 -> 40 give
    # 80 * 0.75 + 40 * 0.25 = 60 + 10 = 70 both ways.
    def total(w1: float, w2: float) -> float:
        inp = ScoringInput(
            criteria=(criterion("fit", 1, question("q1", w1), question("q2", w2)),),
            vendors=(vendor("alpha"),),
            evaluators=(evaluator("ana"),),
            scores=scores(("ana", "alpha", "q1", 4), ("ana", "alpha", "q2", 2)),
        )
        return score_evaluation(inp).vendor("alpha").total

    assert total(3, 1) == pytest.approx(70.0)
    assert total(75, 25) == pytest.approx(70.0)


# -- 5. completeness ----------------------------------------------------------------------


def test_missing_lists_every_expected_question_evaluator_pair_without_a_score():
    # Three evaluators are expected on q1 and q2 (6 pairs). ana scored both, raj only q1,
    # lee none: missing are (q1, lee), (q2, raj), (q2, lee), in question order then
    # evaluator order. The question scores use what is there: q1 = mean(80, 60) = 70,
    # q2 = 80.
    inp = ScoringInput(
        criteria=(criterion("fit", 1, question("q1"), question("q2")),),
        vendors=(vendor("alpha"),),
        evaluators=(evaluator("ana"), evaluator("raj"), evaluator("lee")),
        scores=scores(
            ("ana", "alpha", "q1", 4), ("ana", "alpha", "q2", 4), ("raj", "alpha", "q1", 3)
        ),
    )
    alpha = score_evaluation(inp).vendor("alpha")
    assert alpha.missing == (
        MissingScore("q1", "lee"),
        MissingScore("q2", "raj"),
        MissingScore("q2", "lee"),
    )
    assert alpha.questions == {"q1": pytest.approx(70.0), "q2": pytest.approx(80.0)}
    assert not alpha.complete
    assert alpha.incomplete_reasons == ("3 score(s) missing",)


def test_an_evaluator_limited_to_one_criterion_is_expected_and_counted_only_there():
    # priya is limited to compliance. Her 0 on timezone (a fit question) is ignored, so
    # fit = ana's 4 -> 80 (not mean(80, 0) = 40). compliance = mean(ana 2 -> 40,
    # priya 4 -> 80) = 60. Total = (80 + 60) / 2 = 70. Nobody is missing.
    inp = ScoringInput(
        criteria=(
            criterion("fit", 1, question("timezone")),
            criterion("compliance", 1, question("audits")),
        ),
        vendors=(vendor("alpha"),),
        evaluators=(evaluator("ana"), evaluator("priya", "compliance")),
        scores=scores(
            ("ana", "alpha", "timezone", 4),
            ("ana", "alpha", "audits", 2),
            ("priya", "alpha", "audits", 4),
            ("priya", "alpha", "timezone", 0),
        ),
    )
    result = score_evaluation(inp)
    alpha = result.vendor("alpha")
    assert alpha.criteria == {"fit": pytest.approx(80.0), "compliance": pytest.approx(60.0)}
    assert alpha.total == pytest.approx(70.0)
    assert alpha.complete
    # Her ignored score does not create a disagreement on timezone either.
    assert [d.question for d in result.dispersion] == ["audits"]


def test_a_limited_evaluator_who_has_not_scored_is_missing_only_in_their_criterion():
    inp = ScoringInput(
        criteria=(
            criterion("fit", 1, question("timezone")),
            criterion("compliance", 1, question("audits")),
        ),
        vendors=(vendor("alpha"),),
        evaluators=(evaluator("ana"), evaluator("priya", "compliance")),
        scores=scores(("ana", "alpha", "timezone", 4), ("ana", "alpha", "audits", 2)),
    )
    alpha = score_evaluation(inp).vendor("alpha")
    assert alpha.missing == (MissingScore("audits", "priya"),)


def test_a_conflict_of_interest_removes_the_evaluator_from_that_vendor_only():
    # ana declared a conflict with beta. Her 5 on beta is ignored and she is not expected
    # there: beta = raj's 3 -> 60, complete. On alpha she counts: mean(100, 60) = 80.
    inp = ScoringInput(
        criteria=(criterion("fit", 1, question("q1")),),
        vendors=(vendor("alpha"), vendor("beta")),
        evaluators=(evaluator("ana"), evaluator("raj")),
        scores=scores(
            ("ana", "alpha", "q1", 5),
            ("ana", "beta", "q1", 5),
            ("raj", "alpha", "q1", 3),
            ("raj", "beta", "q1", 3),
        ),
        conflicts=frozenset({("ana", "beta")}),
    )
    result = score_evaluation(inp)
    assert result.vendor("alpha").total == pytest.approx(80.0)
    assert result.vendor("beta").total == pytest.approx(60.0)
    assert result.vendor("beta").complete
    assert result.vendor("beta").missing == ()


def test_a_conflicted_evaluator_is_never_listed_missing_for_that_vendor():
    inp = ScoringInput(
        criteria=(criterion("fit", 1, question("q1")),),
        vendors=(vendor("beta"),),
        evaluators=(evaluator("ana"), evaluator("raj")),
        conflicts=frozenset({("ana", "beta")}),
    )
    beta = score_evaluation(inp).vendor("beta")
    assert beta.missing == (MissingScore("q1", "raj"),)


def test_an_inactive_evaluator_in_a_scenario_neither_counts_nor_is_missing(make_scenario):
    # raj was removed from the panel (active: false): his 0 is out of the aggregate and
    # he is not expected. timezone = ana's 4 -> 80.
    doc = make_scenario()
    doc["evaluators"][1]["active"] = False
    doc["scores"] = [
        {"evaluator": "ana", "vendor": "alpha", "question": "timezone", "score": 4},
        {"evaluator": "raj", "vendor": "alpha", "question": "timezone", "score": 0},
    ]
    alpha = score_evaluation(scenario_to_input(normalise_scenario(doc))).vendor("alpha")
    assert alpha.questions["timezone"] == pytest.approx(80.0)
    assert {m.evaluator for m in alpha.missing} == {"ana"}


# -- 6. knockouts -------------------------------------------------------------------------


def _knockout_input(**knockouts: dict[str, bool]) -> ScoringInput:
    return ScoringInput(
        criteria=(
            criterion("compliance", 1, question("audits"), question("soc2", kind="knockout")),
        ),
        vendors=tuple(vendor(k, knockouts=ko) for k, ko in knockouts.items()),
        evaluators=(evaluator("ana"),),
        scores=scores(*(("ana", k, "audits", 3) for k in knockouts)),
    )


def test_a_failed_knockout_disqualifies_the_vendor():
    result = score_evaluation(_knockout_input(alpha={"soc2": False}))
    alpha = result.vendor("alpha")
    assert alpha.disqualified
    assert alpha.failed_knockouts == ("soc2",)
    assert alpha.rank is None
    # Still scored: 3 -> 60.
    assert alpha.total == pytest.approx(60.0)


def test_an_unanswered_knockout_makes_the_vendor_incomplete_not_disqualified():
    result = score_evaluation(_knockout_input(alpha={}))
    alpha = result.vendor("alpha")
    assert not alpha.disqualified
    assert alpha.rank == 1
    assert alpha.unanswered_knockouts == ("soc2",)
    assert not alpha.complete
    assert alpha.incomplete_reasons == ("knockout soc2 unanswered",)


def test_a_disqualified_vendor_that_would_have_ranked_first_is_listed_last_without_rank():
    # alpha 5 -> 100 but fails soc2; beta 3 -> 60; gamma 2 -> 40. Without the knockout
    # alpha would be first; it is listed after every qualified vendor with no rank, and
    # the qualified vendors are ranked 1 and 2 (not 2 and 3).
    inp = ScoringInput(
        criteria=(
            criterion("compliance", 1, question("audits"), question("soc2", kind="knockout")),
        ),
        vendors=(
            vendor("alpha", knockouts={"soc2": False}),
            vendor("beta", knockouts={"soc2": True}),
            vendor("gamma", knockouts={"soc2": True}),
        ),
        evaluators=(evaluator("ana"),),
        scores=scores(
            ("ana", "alpha", "audits", 5),
            ("ana", "beta", "audits", 3),
            ("ana", "gamma", "audits", 2),
        ),
    )
    result = score_evaluation(inp)
    assert [(v.key, v.rank) for v in result.vendors] == [("beta", 1), ("gamma", 2), ("alpha", None)]
    assert result.vendor("alpha").total == pytest.approx(100.0)
    assert result.leader() is not None and result.leader().key == "beta"
    assert [v.key for v in result.ranked] == ["beta", "gamma"]


def test_disqualified_vendors_are_listed_by_total_after_the_qualified_ones():
    inp = ScoringInput(
        criteria=(
            criterion("compliance", 1, question("audits"), question("soc2", kind="knockout")),
        ),
        vendors=(
            vendor("low", knockouts={"soc2": False}),
            vendor("high", knockouts={"soc2": False}),
            vendor("ok", knockouts={"soc2": True}),
        ),
        evaluators=(evaluator("ana"),),
        scores=scores(
            ("ana", "low", "audits", 1), ("ana", "high", "audits", 5), ("ana", "ok", "audits", 0)
        ),
    )
    result = score_evaluation(inp)
    assert [(v.key, v.rank) for v in result.vendors] == [("ok", 1), ("high", None), ("low", None)]


# -- 7. ranking ---------------------------------------------------------------------------


def test_a_three_way_tie_shares_rank_one_and_the_next_rank_is_four():
    # Cobalt, Amber, Birch all 3 -> 60; Dune 2 -> 40. Ranks 1, 1, 1, 4; ties by name.
    result = score_evaluation(
        tied_ranking_input(
            {"c": ("Cobalt", 3), "d": ("Dune", 2), "a": ("Amber", 3), "b": ("Birch", 3)}
        )
    )
    assert [(v.name, v.rank) for v in result.vendors] == [
        ("Amber", 1),
        ("Birch", 1),
        ("Cobalt", 1),
        ("Dune", 4),
    ]
    assert result.leader() is None  # nobody leads alone


def test_competition_ranking_skips_after_a_tie_in_the_middle():
    # 90, 60, 60, 40 -> ranks 1, 2, 2, 4 (4.5 -> 90, 3 -> 60, 2 -> 40)
    result = score_evaluation(
        tied_ranking_input(
            {"w": ("Willow", 3), "x": ("Xenon", 4.5), "y": ("Yarrow", 2), "v": ("Violet", 3)}
        )
    )
    assert [(v.name, v.rank) for v in result.vendors] == [
        ("Xenon", 1),
        ("Violet", 2),
        ("Willow", 2),
        ("Yarrow", 4),
    ]


def test_totals_equal_to_within_1e_9_share_a_rank():
    entries = [("b", "Birch", 50.0 + 5e-10), ("a", "Amber", 50.0), ("c", "Cedar", 49.9)]
    assert competition_order(entries) == [("a", 1), ("b", 1), ("c", 3)]
    # 1e-6 apart is a real difference.
    assert competition_order([("b", "Birch", 50.000001), ("a", "Amber", 50.0)]) == [
        ("b", 1),
        ("a", 2),
    ]


# -- 8. dispersion ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "threshold", "spread", "flagged"),
    [
        ([1, 3], 2, 2, True),  # range exactly at the threshold: flagged
        ([2, 3, 4], 2, 2, True),  # range = max - min, whatever lies between
        ([1, 2], 2, 1, False),  # below the threshold
        ([1, 3], 2.5, 2, False),  # below a non-integer threshold
        ([0, 5], 2, 5, True),
        ([3, 3, 3], 0, 0, True),  # threshold 0 flags everything (at or above)
    ],
)
def test_dispersion_is_the_range_of_raw_scores_flagged_at_or_above_the_threshold(
    raw, threshold, spread, flagged
):
    result = score_evaluation(one_question_input(raw, threshold=threshold))
    (d,) = result.dispersion
    assert (d.vendor, d.question) == ("alpha", "q1")
    assert d.spread == spread
    assert d.flagged is flagged
    assert d.resolved is False
    vendor_flags = [f for f in result.vendor("alpha").flags if f.kind == "dispersion"]
    assert len(vendor_flags) == (1 if flagged else 0)
    assert len(result.to_json()["dispersion"]) == (1 if flagged else 0)


def test_dispersion_at_exactly_a_decimal_threshold_is_flagged():
    """A range equal to the threshold is flagged even when binary floating point makes
    0.3 - 0.1 come out as 0.19999999999999998: a lead who sets 0.2 expects 0.1 vs 0.3 to
    be flagged (the rule says "at or above")."""
    result = score_evaluation(one_question_input([0.1, 0.3], scale=Scale(0, 1), threshold=0.2))
    (d,) = result.dispersion
    assert d.spread == pytest.approx(0.2)
    assert d.flagged


def test_dispersion_is_measured_on_raw_scores_not_normalised_ones():
    # Scale 1..10, scores 4 and 6: range 2 raw points (22.2 normalised points) -> flagged
    # at threshold 2; at threshold 3 it is not.
    flagged = score_evaluation(one_question_input([4, 6], scale=Scale(1, 10), threshold=2))
    quiet = score_evaluation(one_question_input([4, 6], scale=Scale(1, 10), threshold=3))
    assert flagged.dispersion[0].spread == 2 and flagged.dispersion[0].flagged
    assert not quiet.dispersion[0].flagged


def test_a_single_score_has_no_dispersion():
    assert score_evaluation(one_question_input([4])).dispersion == ()


def test_the_dispersion_flag_names_the_question_and_the_scores():
    result = score_evaluation(one_question_input([1, 4]))
    (flag,) = result.vendor("alpha").flags
    assert flag.kind == "dispersion"
    assert flag.question == "q1"
    assert flag.to_json() == {
        "type": "dispersion",
        "message": "Evaluators' scores on q1 range over 3 points",
        "question": "q1",
        "range": 3,
        "scores": {"e0": 1, "e1": 4},
        "resolved": False,
    }
