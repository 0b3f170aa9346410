"""The numpy engine gives the very same `Result` as the pure-Python engine it replaced.

`reference_engine.py` is that engine, kept verbatim as the oracle. "The same" is
strict: every figure equal to the last bit, every list in the same order, every type
the same (a score given as 4 is listed as 4, not 4.0), compared as JSON text, over the
whole result (every dispersion entry, not only the flagged ones the JSON shows).

The evaluations are test_properties' generated ones, bent towards what the vectorised
path treats specially: scores off the 2**-20 grid (the exact-sum fallback), int, float
and mixed scores, repeated and stray scores, quantitative questions scored by bands,
evaluator normalisation, and zeros given as -0.0.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rfp.demo
from rfp.domain.scoring import (
    Band,
    ConsensusScore,
    Criterion,
    Dispersion,
    Evaluator,
    Flag,
    MissingScore,
    Question,
    Result,
    Score,
    ScoringInput,
    Settings,
    Vendor,
    normalisation,
    score_evaluation,
)
from rfp.domain.scoring.engine import counted_scores
from rfp.domain.scoring.result import assembled
from rfp.scenario import normalise_scenario, scenario_to_input
from rfp.scenario.synthetic import generate_scenario
from tests.domain.scoring import reference_engine
from tests.domain.scoring.test_properties import evaluations

EQUIVALENCE_SETTINGS = settings(max_examples=150, deadline=None)


def everything(result: Result) -> str:
    """The whole result as JSON text: ints and floats print differently, so equal text
    means equal values of equal types."""
    return json.dumps(
        {
            "result": result.to_json(),
            "dispersion": [d.to_json() for d in result.dispersion],
            "min_tco": result.min_tco,
            "max_tco": result.max_tco,
            "vendors": [
                {
                    "rank": v.rank,
                    "total": v.total,
                    "criteria": dict(v.criteria),
                    "questions": dict(v.questions),
                }
                for v in result.vendors
            ],
        },
        allow_nan=False,
    )


def assert_same_as_reference(inp: ScoringInput) -> None:
    """The reference engine predates the pilot (issue 13): the pilot's scorecard and a
    split award's cost are compared without it (tests/domain/test_pilot.py tests them)."""
    # Nor does it know abstentions (issue 10) or carry amendments: those are tested on
    # their own (tests/domain/scoring/test_abstentions.py, tests/domain/test_amendments.py).
    inp = replace(inp, abstentions=())
    new, old = score_evaluation(inp), reference_engine.score_evaluation(inp)
    vendors = tuple(replace(v, amendments=(), abstentions=()) for v in new.vendors)
    scored = replace(new, pilot=None, split=None, vendors=vendors)
    assert everything(scored) == everything(old)
    assert scored == old
    assert_plain_python(new)


def assert_plain_python(value: Any) -> None:
    """No numpy scalar leaks into the result (json.dumps and == would mostly hide one)."""
    if isinstance(value, np.generic | np.ndarray):
        raise AssertionError(f"numpy value in the result: {value!r}")
    if isinstance(value, dict):
        for key, item in value.items():
            assert_plain_python(key)
            assert_plain_python(item)
    elif isinstance(value, list | tuple):
        for item in value:
            assert_plain_python(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            assert_plain_python(getattr(value, name))


@st.composite
def bent_evaluations(draw: st.DrawFn) -> ScoringInput:
    inp = draw(evaluations())
    lo, hi = inp.scale.lo, inp.scale.hi
    style = draw(st.sampled_from(["int", "float", "tenths", "thirds", "mixed", "signed zeros"]))

    def restyle(value: float) -> float:
        if style == "float":
            return float(value)
        if style == "tenths":
            return min(hi, value + draw(st.sampled_from([0.0, 0.1, 0.3, 0.7])))
        if style == "thirds":
            return min(hi, value + draw(st.sampled_from([0.0, 1 / 3, 2 / 3])))
        if style == "mixed":
            return draw(st.sampled_from([value, float(value)]))
        if style == "signed zeros" and value == 0:  # "-0" is a zero on a scale from 0
            return draw(st.sampled_from([0.0, -0.0]))
        return value

    scores = [s._replace(value=restyle(s.value)) for s in inp.scores]
    if scores and draw(st.booleans()):  # the same cell scored again: the later one counts
        for s in draw(st.lists(st.sampled_from(scores), max_size=3)):
            scores.append(s._replace(value=draw(st.integers(int(lo), int(hi)))))
    if inp.vendors and inp.evaluators and draw(st.booleans()):  # scores the rules ignore
        vendor, evaluator = inp.vendors[0].key, inp.evaluators[0].key
        scores += [
            Score("ghost", vendor, "q0", hi),
            Score(evaluator, "nobody", "q0", hi),
            Score(evaluator, vendor, "no_such_question", hi),
        ]
    criteria = list(inp.criteria)
    consensus = list(inp.consensus)
    vendors = list(inp.vendors)
    if draw(st.booleans()):  # a quantitative question, scored from the vendor's number
        banded = Question(
            "hours",
            weight=draw(st.sampled_from([1, 2.5])),
            bands=(Band(hi, lo=6.0), Band((lo + hi) / 2, lo=2.0, hi=6.0)),
        )
        first = criteria[0]
        criteria[0] = replace(first, questions=(*first.questions, banded))
        vendors = [
            replace(v, numbers={"hours": n} if (n := draw(numbers)) is not None else {})
            for v in vendors
        ]
        scores += [Score(e.key, v.key, "hours", hi) for e in inp.evaluators for v in vendors]
        if vendors and draw(st.booleans()):
            consensus.append(ConsensusScore(vendors[0].key, "hours", lo))
    return replace(
        inp,
        criteria=tuple(criteria),
        vendors=tuple(vendors),
        scores=tuple(draw(st.permutations(scores))),
        consensus=tuple(consensus),
        settings=replace(inp.settings, normalise_evaluators=draw(st.booleans())),
    )


numbers = st.sampled_from([None, 0.5, 3.0, 6.0, 8.0])


@EQUIVALENCE_SETTINGS
@given(bent_evaluations())
def test_the_vectorised_engine_gives_the_reference_result(inp):
    assert_same_as_reference(inp)


@pytest.mark.parametrize("aggregation", ["mean", "median"])
@pytest.mark.parametrize("normalise", [False, True])
@pytest.mark.parametrize("limited_every", [0, 3])
def test_the_generated_evaluation_scores_as_the_reference(aggregation, normalise, limited_every):
    doc = generate_scenario(vendors=9, questions=14, evaluators=7, limited_every=limited_every)
    inp = scenario_to_input(normalise_scenario(doc))
    inp = replace(
        inp,
        settings=Settings(aggregation=aggregation, normalise_evaluators=normalise),
        conflicts=frozenset({("evaluator_02", "vendor_003"), ("evaluator_05", "vendor_001")}),
        consensus=(ConsensusScore("vendor_002", "tooling_q001", 4.0),),
        scores=tuple(s for i, s in enumerate(inp.scores) if i % 11),  # some missing
    )
    assert_same_as_reference(inp)


def test_the_demo_evaluation_scores_as_the_reference():
    path = Path(rfp.demo.__file__).with_name(rfp.demo.DEMO_FILE)
    inp = scenario_to_input(normalise_scenario(json.loads(path.read_text(encoding="utf-8"))))
    assert_same_as_reference(inp)
    assert_same_as_reference(replace(inp, settings=replace(inp.settings, aggregation="median")))


def test_an_evaluation_with_nobody_on_the_panel_scores_as_the_reference():
    criterion = Criterion("fit", "Fit", 1.0, questions=(Question("q"),))
    inp = ScoringInput(criteria=(criterion,), vendors=())
    assert_same_as_reference(inp)
    doc = generate_scenario(vendors=2, questions=4, evaluators=1)
    inp = scenario_to_input(normalise_scenario(doc))
    assert_same_as_reference(replace(inp, evaluators=(), scores=()))
    assert_same_as_reference(replace(inp, scores=()))


def test_scores_nobody_can_count_score_as_the_reference():
    doc = generate_scenario(vendors=2, questions=4, evaluators=2)
    inp = scenario_to_input(normalise_scenario(doc))
    assert_same_as_reference(replace(inp, evaluators=()))  # scores, but no panel
    assert_same_as_reference(replace(inp, vendors=()))  # scores, but no vendor
    only_cost = tuple(c for c in inp.criteria if c.kind != "scored")
    assert_same_as_reference(replace(inp, criteria=only_cost))  # no scored question


def test_a_cell_scored_twice_counts_the_later_score():
    criterion = Criterion("fit", "Fit", 1.0, questions=(Question("q"),))
    inp = ScoringInput(
        criteria=(criterion,),
        vendors=(Vendor("v", "V"),),
        evaluators=(Evaluator("a", "A"), Evaluator("b", "B")),
        scores=(
            Score("a", "v", "q", 1.0),
            Score("b", "v", "q", 3.0),
            Score("a", "v", "q", 5.0),
        ),
    )
    result = score_evaluation(inp)
    assert result.vendor("v").questions == {"q": 80.0}  # (5 + 3) / 2 on 0..5
    assert result.dispersion[0].scores == {"a": 5.0, "b": 3.0}
    assert_same_as_reference(inp)


def test_the_engine_does_not_need_pandas():
    """pandas is a benchmark's peer only (the test extra), never a runtime dependency."""
    code = "import sys, rfp.domain.scoring, rfp.cli; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


scores_on_a_scale = st.lists(
    st.one_of(
        st.integers(0, 10).map(float),
        st.integers(0, 20).map(lambda n: n / 4),
        st.floats(0, 10, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(scores_on_a_scale, st.one_of(st.none(), st.floats(-5, 15)))
def test_the_panel_statistics_are_the_statistics_module_s_to_the_bit(values, mean):
    """normalise_panel's fmean and pstdev give the very floats normalise_counted's
    statistics.fmean and statistics.pstdev give."""
    array = np.array(values)
    assert normalisation.fmean(array) == statistics.fmean(values)
    mean = statistics.fmean(values) if mean is None else mean
    assert normalisation.pstdev(array, mean) == statistics.pstdev(values, mean)


@pytest.mark.parametrize("aggregation", ["mean", "median"])
@pytest.mark.parametrize("normalise", [False, True])
@pytest.mark.parametrize("scored_in", [1, -1], ids=["in key order", "in reverse"])
@pytest.mark.parametrize(
    "given",
    [
        (-0.0,),
        (-0.0, -0.0),
        (0.0, -0.0),
        (-0.0, 0.0),
        (-0.0, 0.0, -0.0),
        (0.0, -0.0, 0.0),
        (-0.0, -0.0, 0.0),
        (0.0, 0.0, -0.0),
        (-0.0, 3.0, 0.0),
        (0.0, 3.0, -0.0),
    ],
)
def test_zeros_given_as_minus_zero_score_as_the_reference(given, scored_in, aggregation, normalise):
    """A score of "-0" parses to -0.0: which zero a median or a range lands on must not
    differ, though it depends on the order the scores came in (the cube orders the
    evaluators by key)."""
    criterion = Criterion("fit", "Fit", 1.0, questions=(Question("q"), Question("r")))
    evaluators = tuple(Evaluator(f"e{n}", f"E{n}") for n in range(len(given)))
    inp = ScoringInput(
        criteria=(criterion,),
        vendors=(Vendor("v", "V"),),
        evaluators=evaluators,
        scores=(
            tuple(Score(e.key, "v", "q", x) for e, x in zip(evaluators, given, strict=True))
            + tuple(Score(e.key, "v", "r", float(n)) for n, e in enumerate(evaluators))
        )[::scored_in],
        settings=Settings(
            aggregation=aggregation, dispersion_threshold=0, normalise_evaluators=normalise
        ),
    )
    assert_same_as_reference(inp)


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (
            Dispersion,
            {
                "vendor": "v",
                "question": "q",
                "scores": {"a": 1.0, "b": 4.0},
                "spread": 3.0,
                "flagged": True,
                "resolved": False,
            },
        ),
        (
            Flag,
            {"kind": "dispersion", "message": "m", "question": "q", "detail": {"range": 3.0}},
        ),
        (MissingScore, {"question": "q", "evaluator": "a"}),
    ],
)
def test_an_assembled_result_object_is_the_constructed_one(cls, fields):
    """The engine's fast constructor makes the very object the dataclass makes: every
    field (it must be given them all), equal and shown alike, still frozen."""
    assert [f.name for f in dataclasses.fields(cls)] == list(fields)
    assert not hasattr(cls, "__post_init__")
    built, made = assembled(cls, **fields), cls(**fields)
    assert built == made
    assert repr(built) == repr(made)
    assert type(built) is cls
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.question = "other"  # type: ignore[misc]


@EQUIVALENCE_SETTINGS
@given(bent_evaluations())
def test_normalise_counted_gives_the_figures_it_gave(inp):
    """The calibration's normalisation (dicts, not the cube) reads the same fast exact
    statistics: the very same rescaled scores, types and all."""
    counted = counted_scores(inp)
    lo, hi = inp.scale.lo, inp.scale.hi
    new = normalisation.normalise_counted(counted, lo, hi)
    old = reference_engine.normalise_counted(counted, lo, hi)
    assert repr(list(new.items())) == repr(list(old.items()))
