"""Benchmark of the scoring engine against a plain pandas script (issue 11).

    python tests/benchmarks/bench_engine.py [--runs N] [--vendors V --questions Q --evaluators E]
                                            [--growth-runs N] [--no-growth]

On the generated 40 x 120 x 12 evaluation (57,600 scores) it prints, each measured in
this one run, with its target and verdict:
- the engine, `score_evaluation(inp)` (median of N);
- the pandas peer: the same question means (groupby mean), weighted criterion scores
  (weights renormalised over the questions that have a score) and weighted totals, on
  the same scores, written as a data analyst would; target: engine <= peer;
- the bare numpy sum of the same scores, for scale (no target);
- the engine at 10x the scores (100 x 240 x 24, 576,000 scores) and its growth factor,
  t(10x) / t(1x); target: growth <= 10 x 1.2 = 12, no worse than linear.

Fairness. Both sides start from the same scores in memory, the engine's input (a tuple
of `Score` tuples); data loading is included for both: the engine indexes those scores
into its arrays inside `score_evaluation`, the peer builds its DataFrame from the same
tuples (`pd.DataFrame(inp.scores)`). Reading the file is excluded for both. The peer
alone on a prebuilt DataFrame is printed too, for reading. The peer's criterion scores
are checked against the engine's (to 1e-9) before anything is timed. Runs alternate
between the sides, each after a `gc.collect()`; the verdicts read the median CPU time of
this process (on a busy machine the wall time includes waiting for a CPU), wall times
are printed beside.

The peer needs pandas, which is not a dependency of rfp (the `test` extra installs it);
without it the peer is skipped with a message and the verdicts are the growth's only.
Exit status 1 when a target is missed. Not a test: pytest collects test_*.py only.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from bench_support import Timings, add_size_options, generated_scenario

from rfp.domain.scoring import ScoringInput, score_evaluation
from rfp.scenario import scenario_to_input

PEER_RATIO_TARGET = 1.0  # engine / pandas peer
# Growth target: t(10x) / t(1x) <= 10 x 1.2 = 12 (100 x 240 x 24 is 10x the scores of
# 40 x 120 x 12): no worse than linear, with 20 % for the noise of a shared machine.
GROWTH_ALLOWANCE = 1.2
AGREEMENT = 1e-9
NUMPY_BATCH = 1000

try:
    import pandas as pd
except ImportError:  # pragma: no cover - the test extra installs it
    pd = None


def timed_together(actions: dict[str, Callable[[], object]], runs: int) -> dict[str, Timings]:
    """Time each action `runs` times, alternating between them so that the machine's
    load falls on every side alike; a full garbage collection before each run."""
    cpu: dict[str, list[float]] = {name: [] for name in actions}
    wall: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            gc.collect()
            started_cpu, started = time.process_time(), time.perf_counter()
            action()
            cpu[name].append(1000 * (time.process_time() - started_cpu))
            wall[name].append(1000 * (time.perf_counter() - started))
    return {name: Timings(wall[name], cpu[name]) for name in actions}


def cpu_median(t: Timings) -> float:
    """The verdicts' figure: on a shared machine the wall time mostly measures the others."""
    return statistics.median(t.cpu)


def engine_input(vendors: int, questions: int, evaluators: int) -> ScoringInput:
    size = argparse.Namespace(vendors=vendors, questions=questions, evaluators=evaluators)
    return scenario_to_input(generated_scenario(size))


# -- the pandas peer ----------------------------------------------------------------------


def peer_frames(inp: ScoringInput) -> tuple[Any, Any, Any]:
    """The peer's data: the scores, the questions and the criterion weights as pandas
    objects, built from the engine's own input."""
    scores = pd.DataFrame(inp.scores)  # columns evaluator, vendor, question, value
    questions = pd.DataFrame(
        [
            (q.key, c.key, q.weight)
            for c in inp.criteria
            for q in c.questions
            if c.kind == "scored" and q.kind == "scored"
        ],
        columns=["question", "criterion", "weight"],
    )
    criteria = pd.Series({c.key: c.weight for c in inp.criteria})
    return scores, questions, criteria


def peer_scores(inp: ScoringInput, frames: tuple[Any, Any, Any]) -> tuple[Any, Any]:
    """Question means, weighted criterion scores and weighted totals, the pandas way.

    The totals cover the scored criteria (cost and references, which come from prices
    and reference calls, count 0 here), with the weights normalised over every criterion
    as the engine's are."""
    scores, questions, criteria = frames
    lo, hi = inp.scale.lo, inp.scale.hi
    means = scores.groupby(["vendor", "question"], as_index=False)["value"].mean()
    means["score"] = 100 * (means["value"] - lo) / (hi - lo)
    rows = means.merge(questions, on="question")
    rows["weighted"] = rows["score"] * rows["weight"]
    sums = rows.groupby(["vendor", "criterion"])[["weighted", "weight"]].sum()
    criterion_scores = (sums["weighted"] / sums["weight"]).unstack()
    weights = criteria / criteria.sum()
    totals = criterion_scores.mul(weights[criterion_scores.columns]).sum(axis=1)
    return criterion_scores, totals


def pandas_peer(inp: ScoringInput) -> tuple[Any, Any]:
    """The peer as timed: its DataFrames built from the same scores, then the sums."""
    return peer_scores(inp, peer_frames(inp))


def check_peer_agrees(inp: ScoringInput) -> float:
    """The largest difference between the peer's criterion scores and weighted totals
    and the engine's; refuses to time a peer that computes something else."""
    result = score_evaluation(inp)
    criterion_scores, totals = pandas_peer(inp)
    weights = result.weights
    worst = 0.0
    for v in result.vendors:
        for criterion in criterion_scores.columns:
            worst = max(worst, abs(criterion_scores.loc[v.key, criterion] - v.criteria[criterion]))
        scored_part = sum(v.criteria[c] * weights[c] for c in criterion_scores.columns)
        worst = max(worst, abs(totals[v.key] - scored_part))
    if worst > AGREEMENT:
        raise SystemExit(f"the pandas peer disagrees with the engine by {worst:g}")
    return worst


# -- report -------------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each side (median)")
    add_size_options(parser)
    parser.add_argument("--growth-runs", type=int, default=5, help="runs at 10x (median)")
    parser.add_argument("--no-growth", action="store_true", help="skip the 10x run")
    args = parser.parse_args()

    inp = engine_input(args.vendors, args.questions, args.evaluators)
    count = len(inp.scores)
    print(
        f"Scenario: {args.vendors} vendors x {args.questions} questions x {args.evaluators} "
        f"evaluators = {count:,} scores; load average {os.getloadavg()[0]:.2f} on "
        f"{os.cpu_count()} CPU(s); {args.runs} runs each, alternating\n"
    )
    values = np.array([s.value for s in inp.scores])
    actions: dict[str, Callable[[], object]] = {
        "engine": lambda: score_evaluation(inp),
        # A sum takes microseconds: time a batch, report one.
        "numpy": lambda: [values.sum() for _ in range(NUMPY_BATCH)],
    }
    if pd is None:
        print(
            "pandas is not installed: the pandas peer and its verdict are skipped (it is in "
            "the test extra: pip install -e '.[test]').\n"
        )
    else:
        difference = check_peer_agrees(inp)
        print(
            f"The peer's criterion scores and totals agree with the engine's to {difference:.1e}\n"
        )
        frames = peer_frames(inp)
        actions["peer"] = lambda: pandas_peer(inp)
        actions["peer_prebuilt"] = lambda: peer_scores(inp, frames)
    timings = timed_together(actions, args.runs)
    engine = timings["engine"]

    rows: list[tuple[str, str, str, str]] = []  # figure, value, target, verdict
    missed: list[str] = []

    def figure(name: str, value: str, target: str = "-", passed: bool | None = None) -> None:
        rows.append((name, value, target, "" if passed is None else ("PASS" if passed else "FAIL")))
        if passed is False:
            missed.append(name)

    def ms(t: Timings) -> str:
        return f"{cpu_median(t):9.2f} ms CPU ({t.median:.2f} ms wall)"

    figure("engine: score_evaluation", ms(engine))
    if "peer" in timings:
        peer = timings["peer"]
        figure("pandas peer (DataFrame from the scores + sums)", ms(peer))
        figure("  of which on a prebuilt DataFrame", ms(timings["peer_prebuilt"]))
        ratio = cpu_median(engine) / cpu_median(peer)
        figure(
            "engine / pandas peer",
            f"{ratio:9.2f} x",
            f"<= {PEER_RATIO_TARGET:g} x",
            ratio <= PEER_RATIO_TARGET,
        )
    numpy_sum = cpu_median(timings["numpy"]) / NUMPY_BATCH
    figure("bare numpy sum of the scores", f"{numpy_sum:9.4f} ms CPU")
    figure("engine / bare numpy sum", f"{cpu_median(engine) / numpy_sum:9.0f} x", "for scale")

    if not args.no_growth:
        big = engine_input(args.vendors * 5 // 2, args.questions * 2, args.evaluators * 2)
        scores_factor = len(big.scores) / count
        big_actions: dict[str, Callable[[], object]] = {"engine": lambda: score_evaluation(big)}
        if pd is not None:
            big_actions["peer"] = lambda: pandas_peer(big)
        big_timings = timed_together(big_actions, args.growth_runs)
        big_engine = big_timings["engine"]
        growth = cpu_median(big_engine) / cpu_median(engine)
        target = scores_factor * GROWTH_ALLOWANCE
        figure(f"engine at {len(big.scores):,} scores ({scores_factor:g}x)", ms(big_engine))
        if "peer" in big_timings:
            figure("  pandas peer at the same size", ms(big_timings["peer"]))
        figure(
            f"growth: engine t({scores_factor:g}x) / t(1x)",
            f"{growth:9.2f} x",
            f"<= {target:g} x",
            growth <= target,
        )

    width = max(len(name) for name, *_ in rows)
    value_width = max(len(value) for _, value, *_ in rows)
    print(f"{'figure':<{width}}  {'value':<{value_width}}  {'target':<10}  verdict")
    for name, value, target, result in rows:
        print(f"{name:<{width}}  {value:<{value_width}}  {target:<10}  {result}")
    print(
        "\nMedians; verdicts on CPU time (wall time on a loaded machine includes waiting for "
        "a CPU). Engine runs: " + ", ".join(f"{t:.1f}" for t in engine.cpu) + " ms CPU."
    )
    if missed:
        print("MISSED: " + "; ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
