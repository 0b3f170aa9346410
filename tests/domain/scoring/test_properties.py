"""Properties of the engine that hold for every evaluation (hypothesis).

- every total and criterion score lies within [0, 100];
- reordering vendors, criteria, questions, evaluators or scores changes no figure;
- multiplying every weight of one level by k > 0 changes nothing;
- raising one evaluator score of a vendor never lowers its total nor worsens its rank.

Evaluations are small (up to 4 vendors, 3 criteria of up to 3 questions, 3 evaluators)
with integer scores on the scale, so that the suite stays fast.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rfp.domain.scoring import (
    ConsensusScore,
    CostScope,
    Criterion,
    Evaluator,
    Pricing,
    Question,
    ReferenceCall,
    Result,
    Scale,
    Score,
    ScoringInput,
    Settings,
    Vendor,
    score_evaluation,
)

TOLERANCE = 1e-9
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)

weights = st.one_of(
    st.integers(1, 100), st.floats(0.01, 100, allow_nan=False, allow_infinity=False)
)


@st.composite
def evaluations(draw: st.DrawFn) -> ScoringInput:
    lo, hi = draw(st.sampled_from([(0, 5), (1, 10), (0, 3), (1, 4)]))
    criteria: list[Criterion] = []
    knockouts: list[str] = []
    question_number = 0
    for i in range(draw(st.integers(1, 3))):
        questions = []
        for _ in range(draw(st.integers(1, 3))):
            questions.append(Question(f"q{question_number}", "scored", draw(weights)))
            question_number += 1
        if draw(st.booleans()):
            knockouts.append(f"k{i}")
            questions.append(Question(f"k{i}", "knockout", 1.0))
        if draw(st.booleans()):
            questions.insert(0, Question(f"info{i}", "info", draw(weights)))
        criteria.append(
            Criterion(f"c{i}", f"Criterion {i}", draw(weights), "scored", tuple(questions))
        )
    scored_criteria = [c.key for c in criteria]
    with_cost = draw(st.booleans())
    if with_cost:
        criteria.append(Criterion("cost", "Cost", draw(weights), "cost"))
    if draw(st.booleans()):
        criteria.append(Criterion("references", "References", draw(weights), "references"))

    evaluators = []
    for n in range(draw(st.integers(1, 3))):
        limit = None
        if len(scored_criteria) > 1 and draw(st.booleans()):
            limit = frozenset(
                draw(st.lists(st.sampled_from(scored_criteria), min_size=1, unique=True))
            )
        evaluators.append(Evaluator(f"e{n}", f"Evaluator {n}", limit))

    vendors = []
    for n in range(draw(st.integers(1, 4))):
        pricing = None
        if draw(st.integers(0, 4)):  # mostly priced
            pricing = Pricing(
                draw(st.sampled_from(["per_hour", "per_contact", "per_fte_month"])),
                draw(st.integers(1, 60)),
                setup_fee=draw(st.sampled_from([0, 10_000, 25_000])),
                monthly_fee=draw(st.sampled_from([0, 2_000])),
            )
        answers = {k: draw(st.sampled_from([True, True, True, False, None])) for k in knockouts}
        vendors.append(
            Vendor(
                key=f"v{n}",
                name=draw(st.sampled_from(["Amber", "Birch", "Cedar", "Dune"])) + f" {n}",
                delivery_model=draw(
                    st.sampled_from([None, "onshore", "nearshore", "offshore", "specialty"])
                ),
                pricing=pricing,
                knockouts={k: a for k, a in answers.items() if a is not None},
            )
        )

    question_keys = [q.key for c in criteria for q in c.questions if q.kind == "scored"]
    scores = [
        Score(e.key, v.key, q, value)
        for e in evaluators
        for v in vendors
        for q in question_keys
        if (value := draw(st.one_of(st.none(), st.integers(lo, hi)))) is not None
    ]
    consensus = [
        ConsensusScore(v.key, q, draw(st.integers(lo, hi)))
        for v in vendors
        for q in question_keys
        if draw(st.integers(0, 5)) == 0
    ]
    references = [
        ReferenceCall(
            v.key, draw(st.integers(lo, hi)), draw(st.sampled_from(["yes", "no", "unsure"]))
        )
        for v in vendors
        for _ in range(draw(st.integers(0, 3)))
    ]
    conflicts = frozenset(
        (e.key, v.key) for e in evaluators for v in vendors if draw(st.integers(0, 5)) == 0
    )
    scope = None
    if with_cost:
        scope = CostScope(
            contacts_per_month=draw(st.integers(100, 50_000)),
            aht_minutes=draw(st.integers(1, 15)),
            term_months=draw(st.integers(6, 60)),
            occupancy=draw(st.sampled_from([0.7, 0.8, 0.85])),
            governance_overhead_pct=draw(st.integers(0, 15)),
            inhouse_rate=draw(st.sampled_from([None, 30, 38, 45])),
        )
    return ScoringInput(
        criteria=tuple(criteria),
        vendors=tuple(vendors),
        evaluators=tuple(evaluators),
        scores=tuple(scores),
        consensus=tuple(consensus),
        references=tuple(references),
        scale=Scale(lo, hi),
        settings=Settings(
            aggregation=draw(st.sampled_from(["mean", "median"])),
            dispersion_threshold=draw(st.integers(0, 3)),
            price_formula=draw(st.sampled_from(["lowest_ratio", "linear", "deviation", "log"])),
            price_zero_multiple=draw(st.sampled_from([1.5, 2, 3])),
        ),
        cost_scope=scope,
        conflicts=conflicts,
    )


def figures(result: Result) -> dict[str, dict[str, Any]]:
    """Every figure of every vendor, keyed so that order does not matter."""
    out = {}
    for v in result.vendors:
        out[v.key] = {
            "rank": v.rank,
            "total": v.total,
            "criteria": dict(v.criteria),
            "questions": dict(v.questions),
            "complete": v.complete,
            "missing": set(v.missing),
            "disqualified": v.disqualified,
            "failed_knockouts": set(v.failed_knockouts),
            "unanswered_knockouts": set(v.unanswered_knockouts),
            "cost": None if v.cost is None else v.cost.to_json(),
            "references": v.references.to_json(),
            "flags": sorted((f.kind, f.question or "") for f in v.flags),
        }
    return out


def assert_same_figures(a: Result, b: Result) -> None:
    fa, fb = figures(a), figures(b)
    assert fa.keys() == fb.keys()
    for key in fa:
        x, y = fa[key], fb[key]
        assert x["total"] == pytest.approx(y["total"], abs=TOLERANCE), key
        assert x["criteria"] == pytest.approx(y["criteria"], abs=TOLERANCE), key
        for q in x["questions"].keys() | y["questions"].keys():
            qa, qb = x["questions"].get(q), y["questions"].get(q)
            assert (qa is None) == (qb is None), (key, q)
            if qa is not None:
                assert qa == pytest.approx(qb, abs=TOLERANCE), (key, q)
        for field in (
            "rank",
            "complete",
            "missing",
            "disqualified",
            "failed_knockouts",
            "unanswered_knockouts",
            "flags",
            "references",
        ):
            assert x[field] == y[field], (key, field)
        assert (x["cost"] is None) == (y["cost"] is None), key
        for name, value in (x["cost"] or {}).items():
            other = y["cost"][name]
            if isinstance(value, float) and other is not None:
                assert value == pytest.approx(other, abs=TOLERANCE, rel=1e-12), (key, name)
            else:
                assert value == other, (key, name)
    assert dict(a.weights) == pytest.approx(dict(b.weights), abs=TOLERANCE)
    # The display order is part of the result: it must not follow the input order.
    assert [v.key for v in a.vendors] == [v.key for v in b.vendors]


# -- bounds -------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(evaluations())
def test_totals_and_criterion_scores_stay_within_0_and_100(inp):
    result = score_evaluation(inp)
    for v in result.vendors:
        assert 0.0 <= v.total <= 100.0, v
        for key, value in v.criteria.items():
            assert 0.0 <= value <= 100.0, (v.key, key, value)
        for key, value in v.questions.items():
            assert value is None or 0.0 <= value <= 100.0, (v.key, key, value)
    assert sum(result.weights.values()) == pytest.approx(1.0)


# -- order does not matter ----------------------------------------------------------------


@PROPERTY_SETTINGS
@given(evaluations(), st.randoms(use_true_random=False))
def test_reordering_vendors_criteria_evaluators_and_scores_changes_no_figure(inp, rnd):
    def shuffled(items):  # type: ignore[no-untyped-def]
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)

    reordered = replace(
        inp,
        vendors=shuffled(inp.vendors),
        criteria=shuffled(replace(c, questions=shuffled(c.questions)) for c in inp.criteria),
        evaluators=shuffled(inp.evaluators),
        scores=shuffled(inp.scores),
        consensus=shuffled(inp.consensus),
        references=shuffled(inp.references),
    )
    assert_same_figures(score_evaluation(inp), score_evaluation(reordered))


# -- weights are relative -----------------------------------------------------------------

factors = st.one_of(
    st.integers(2, 1000), st.floats(0.001, 1000, allow_nan=False, allow_infinity=False)
)


@PROPERTY_SETTINGS
@given(evaluations(), factors)
def test_multiplying_every_criterion_weight_by_k_changes_nothing(inp, k):
    scaled = replace(inp, criteria=tuple(replace(c, weight=c.weight * k) for c in inp.criteria))
    assert_same_figures(score_evaluation(inp), score_evaluation(scaled))


@PROPERTY_SETTINGS
@given(evaluations(), factors, st.data())
def test_multiplying_every_question_weight_of_a_criterion_by_k_changes_nothing(inp, k, data):
    index = data.draw(st.integers(0, len(inp.criteria) - 1))
    criteria = list(inp.criteria)
    target = criteria[index]
    criteria[index] = replace(
        target, questions=tuple(replace(q, weight=q.weight * k) for q in target.questions)
    )
    assert_same_figures(
        score_evaluation(inp), score_evaluation(replace(inp, criteria=tuple(criteria)))
    )


# -- monotonicity -------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(evaluations(), st.data())
def test_raising_one_evaluator_score_never_lowers_the_total_nor_worsens_the_rank(inp, data):
    raisable = [i for i, s in enumerate(inp.scores) if s.value < inp.scale.hi]
    if not raisable:
        return
    index = data.draw(st.sampled_from(raisable))
    old_score = inp.scores[index]
    new_value = data.draw(st.integers(int(old_score.value) + 1, int(inp.scale.hi)))
    scores = list(inp.scores)
    scores[index] = old_score._replace(value=new_value)

    before = score_evaluation(inp).vendor(old_score.vendor)
    after = score_evaluation(replace(inp, scores=tuple(scores))).vendor(old_score.vendor)
    assert after.total >= before.total - TOLERANCE
    if before.rank is None:
        assert after.rank is None  # still disqualified: scores do not change knockouts
    else:
        assert after.rank is not None and after.rank <= before.rank
