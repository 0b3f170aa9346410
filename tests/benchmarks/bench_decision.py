"""Benchmark: decision support on the generated 40 x 120 x 12 evaluation.

Run with `python tests/benchmarks/bench_decision.py` (pytest does not collect it). It
scores the generated evaluation once (40 vendors, 120 questions, 12 evaluators; six
criteria), then times, each as the median of several runs:

- rank stability with 10,000 Dirichlet draws (target: under 1 s);
- every flip threshold, up and down for each criterion (target: under 0.1 s);
- and, for scale, the engine run itself and the whole sensitivity report.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from bench_support import add_size_options, generated_scenario

T = TypeVar("T")

STABILITY_TARGET_S = 1.0
THRESHOLDS_TARGET_S = 0.1


def timed(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--concentration", type=float, default=50.0)
    add_size_options(parser)
    args = parser.parse_args()

    from rfp.domain.decision.sensitivity import flip_thresholds, rank_stability, sensitivity_report
    from rfp.domain.scoring import score_evaluation
    from rfp.scenario import scenario_to_input

    inp = scenario_to_input(generated_scenario(args))
    engine_s, result = timed(lambda: score_evaluation(inp), max(1, args.runs // 2))
    ranked = len(result.ranked)
    print(
        f"Evaluation: {args.vendors} vendors ({ranked} qualified), {args.questions} questions, "
        f"{args.evaluators} evaluators, {len(inp.scores):,} scores, {len(inp.criteria)} criteria"
    )
    print(f"  engine run (for scale)            {1000 * engine_s:8.1f} ms")

    stability_s, stability = timed(
        lambda: rank_stability(
            inp, result, draws=args.draws, concentration=args.concentration, seed=2027
        ),
        args.runs,
    )
    thresholds_s, criteria = timed(lambda: flip_thresholds(inp, result), args.runs)
    report_s, report = timed(
        lambda: sensitivity_report(inp, result, draws=args.draws, concentration=args.concentration),
        args.runs,
    )
    print(
        f"  rank stability, {args.draws:,} draws       {1000 * stability_s:8.1f} ms"
        f"   (target < {1000 * STABILITY_TARGET_S:.0f} ms)"
    )
    print(
        f"  all flip thresholds ({2 * len(inp.criteria)} directions) {1000 * thresholds_s:8.2f} ms"
        f"   (target < {1000 * THRESHOLDS_TARGET_S:.0f} ms)"
    )
    print(f"  whole sensitivity report          {1000 * report_s:8.1f} ms")
    print(f"Verdict: {report.verdict}")
    top = sorted(stability.vendors, key=lambda v: -v.first_share)[:3]
    print("Most often first: " + ", ".join(f"{v.name} {100 * v.first_share:.1f} %" for v in top))
    found = sum(1 for c in criteria for t in (c.up, c.down) if t is not None)
    print(f"Thresholds found: {found} of {2 * len(inp.criteria)}")

    ok = stability_s < STABILITY_TARGET_S and thresholds_s < THRESHOLDS_TARGET_S
    print("PASS" if ok else "FAIL: a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
