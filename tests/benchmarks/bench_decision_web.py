"""Benchmark: what decision support adds to the results page on the 40 x 120 x 12
evaluation.

Run with `python tests/benchmarks/bench_decision_web.py` (pytest does not collect it).
It imports the generated evaluation into SQLite, logs in as the lead, and times:

- the sensitivity section alone (verdict, flip thresholds, rank stability with the
  page's draws, the price-formula comparison and the rank-reversal check), as the lead
  and as a viewer;
- GETs of the results page with the section and without it (the section replaced by
  nothing), server side: the difference is what the section costs a reader.

Target: the section adds well under 300 ms (exit status 1 at 300 ms or more).
"""

from __future__ import annotations

import argparse
import sys

from bench_support import (
    add_size_options,
    bench_app,
    generated_scenario,
    import_with_lead,
    log_in,
    timed,
)

TARGET_MS = 300.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    add_size_options(parser)
    args = parser.parse_args()

    from rfp import models as m
    from rfp.areas.results import routes as results_view
    from rfp.areas.results import sensitivity as sv
    from rfp.areas.results.queries import load_results

    app, db = bench_app("rfp-bench-decision-web-")
    doc = generated_scenario(args)
    with db.transaction() as session:
        evaluation_id = import_with_lead(session, doc).id
    with db.transaction() as session:
        evaluation = session.get(m.Evaluation, evaluation_id)
        data = load_results(session, evaluation)
        concentration = evaluation.sensitivity_concentration
    inp, result = data.scoring_input, data.result
    print(
        f"{args.vendors} vendors ({len(result.ranked)} qualified) x {args.questions} questions "
        f"x {args.evaluators} evaluators, {len(inp.criteria)} criteria; the page draws "
        f"{sv.PAGE_DRAWS:,} weightings"
    )

    parts = {
        "sensitivity report (verdict, thresholds, stability)": lambda: sv.sensitivity_for(
            inp, result, concentration
        ),
        "price-formula comparison (from the Result)": lambda: sv.formula_comparison(inp, result),
        "rank-reversal check (from the Result)": lambda: sv.reversal_check(inp, result),
        "whole section, as the lead": lambda: sv.build_sensitivity_section(
            inp, result, concentration=concentration, lead=True
        ),
        "whole section, as a viewer": lambda: sv.build_sensitivity_section(
            inp, result, concentration=concentration, lead=False
        ),
    }
    for label, fn in parts.items():
        print(f"  {label:55s} {timed(fn, args.runs).median:7.1f} ms")

    client = app.test_client()
    log_in(client, "lead")
    url = f"/evaluations/{evaluation_id}/results"

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page()  # warm-up
    with_section = timed(page, args.runs).median
    original = results_view.build_sensitivity_section
    results_view.build_sensitivity_section = lambda *a, **k: None  # type: ignore[assignment]
    try:
        page()
        without_section = timed(page, args.runs).median
    finally:
        results_view.build_sensitivity_section = original
    added = with_section - without_section
    print(
        f"results page (lead): {with_section:7.1f} ms with the section, "
        f"{without_section:7.1f} ms without: the section adds {added:6.1f} ms "
        f"(target < {TARGET_MS:.0f} ms)"
    )
    if added >= TARGET_MS:
        print("FAIL")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
