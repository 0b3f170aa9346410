"""Benchmark: saving one score through the scorecard's JSON endpoint, on the 40 x 120 x 12
evaluation.

Run with `python tests/benchmarks/bench_score_save.py` (pytest does not collect it). It
imports the generated evaluation (40 vendors, 120 questions, 12 evaluators: 57,600
scores, stage scoring) into a SQLite file in a temporary folder, logs in as an evaluator
through the Flask test client, and times 200 saves (each changes an existing score, so
each also writes its audit event and commits), server side. Target: median under 50 ms.

`--profile` prints the top of a cProfile of 50 saves.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time

from bench_support import (
    PASSWORD,
    add_size_options,
    bench_app,
    generated_scenario,
    log_in,
    percentile,
)

TARGET_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200)
    add_size_options(parser)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="profile order (tottime, ...)")
    args = parser.parse_args()

    from sqlalchemy import func, select

    from rfp import models as m
    from rfp.scenario.store import import_scenario

    app, db = bench_app("rfp-bench-score-save-")
    doc = generated_scenario(args)
    started = time.perf_counter()
    with db.transaction() as session:
        evaluation = import_scenario(session, doc)
        evaluation_id = evaluation.id
        membership = next(ms for ms in evaluation.memberships if ms.key == "evaluator_01")
        membership.user.set_password(PASSWORD)
        username = membership.user.username
        vendor_ids = [v.id for v in evaluation.vendors]
        question_ids = [
            q.id for c in evaluation.criteria for q in c.questions if q.kind == "scored"
        ]
    print(
        f"imported {args.vendors} vendors x {args.questions} questions x "
        f"{args.evaluators} evaluators ({len(doc['scores']):,} scores) into SQLite "
        f"in {time.perf_counter() - started:.1f} s"
    )

    client = app.test_client()
    log_in(client, username)
    rng = random.Random(2027)  # noqa: S311  (benchmark data, not secrets)

    def save() -> float:
        vendor, question = rng.choice(vendor_ids), rng.choice(question_ids)
        value = rng.choice((1, 2, 3, 4))
        url = f"/evaluations/{evaluation_id}/scorecards/{vendor}/questions/{question}"
        body = {"score": value, "comment": f"bench {rng.random():.6f}"}  # always a change
        started = time.perf_counter()
        response = client.post(url, json=body, headers={"Accept": "application/json"})
        elapsed = 1000 * (time.perf_counter() - started)
        assert response.status_code == 200, (response.status_code, response.data[:300])
        return elapsed

    for _ in range(5):  # warm-up
        save()
    times = [save() for _ in range(args.saves)]
    median = statistics.median(times)
    print(
        f"score save    median {median:7.1f} ms   p95 {percentile(times, 0.95):7.1f} ms"
        f"   min {min(times):7.1f} ms   max {max(times):7.1f} ms   ({args.saves} JSON POSTs)"
    )
    with db.transaction() as session:
        changes = session.scalar(
            select(func.count())
            .select_from(m.AuditEvent)
            .where(m.AuditEvent.action == "score.changed")
        )
    print(f"audit events written: {changes} score.changed")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(50):
            save()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(30)

    verdict = "OK" if median < TARGET_MS else "SLOW"
    print(f"score save median {median:.1f} ms (target < {TARGET_MS:.0f} ms): {verdict}")
    db.dispose()
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
