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
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_MS = 300.0
PASSWORD = "bench-password-2027"


def timed(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--vendors", type=int, default=40)
    parser.add_argument("--questions", type=int, default=120)
    parser.add_argument("--evaluators", type=int, default=12)
    args = parser.parse_args()

    from rfp import create_app
    from rfp import models as m
    from rfp.db import Base
    from rfp.scenario import normalise_scenario
    from rfp.scenario.database import import_scenario
    from rfp.synthetic import generate_scenario
    from rfp.web import results as results_view
    from rfp.web import sensitivity_view as sv
    from rfp.web.results_data import load_results

    folder = Path(tempfile.mkdtemp(prefix="rfp-bench-decision-web-"))
    os.environ["RFP_INSTANCE_PATH"] = str(folder / "instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
            "EXPORT_DIR": str(folder / "exports"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    db = app.extensions["rfp.db"]
    Base.metadata.create_all(db.engine)
    doc = normalise_scenario(
        generate_scenario(
            vendors=args.vendors, questions=args.questions, evaluators=args.evaluators
        )
    )
    with db.transaction() as session:
        lead = m.User(username="lead", name="Bench Lead")
        lead.set_password(PASSWORD)
        session.add(lead)
        session.flush()
        evaluation_id = import_scenario(session, doc, lead=lead).id
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
        print(f"  {label:55s} {timed(fn, args.runs):7.1f} ms")

    client = app.test_client()
    assert client.post("/login", data={"username": "lead", "password": PASSWORD}).status_code == 302
    url = f"/evaluations/{evaluation_id}/results"

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page()  # warm-up
    with_section = timed(page, args.runs)
    original = results_view.build_sensitivity_section
    results_view.build_sensitivity_section = lambda *a, **k: None  # type: ignore[assignment]
    try:
        page()
        without_section = timed(page, args.runs)
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
