"""What the benchmarks share: the size options, the generated evaluation (as a scenario, or
imported into the app on a temporary SQLite file), logging in, and timing calls.

Imported by the scripts beside it as `bench_support` (they run as
`python tests/benchmarks/bench_*.py`, so this folder is on sys.path); not a test module.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASSWORD = "bench-password-2027"


def add_size_options(parser: argparse.ArgumentParser) -> None:
    """--vendors, --questions, --evaluators: the generated evaluation, 40 x 120 x 12."""
    parser.add_argument("--vendors", type=int, default=40)
    parser.add_argument("--questions", type=int, default=120)
    parser.add_argument("--evaluators", type=int, default=12)


def generated_scenario(args: argparse.Namespace) -> dict[str, Any]:
    """The canonical scenario of the generated evaluation of the size asked for."""
    from rfp.scenario import normalise_scenario
    from rfp.scenario.synthetic import generate_scenario

    return normalise_scenario(
        generate_scenario(
            vendors=args.vendors, questions=args.questions, evaluators=args.evaluators
        )
    )


def bench_app(prefix: str) -> tuple[Any, Any]:
    """The app (test client ready, CSRF off) on an empty SQLite file in a new temporary
    folder, and its Database."""
    from rfp import create_app
    from rfp.core.db import Base

    folder = Path(tempfile.mkdtemp(prefix=prefix))
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
    db = app.extensions["rfp.core.db"]
    Base.metadata.create_all(db.engine)
    return app, db


def import_with_lead(session: Any, doc: dict[str, Any]) -> Any:
    """Import `doc` led by a new user "lead" (password PASSWORD); the evaluation."""
    from rfp import models as m
    from rfp.scenario.store import import_scenario

    lead = m.User(username="lead", name="Bench Lead")
    lead.set_password(PASSWORD)
    session.add(lead)
    session.flush()
    return import_scenario(session, doc, lead=lead)


def log_in(client: Any, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, "login failed"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass(frozen=True)
class Timings:
    """Milliseconds a call, wall clock and the process's CPU time."""

    wall: list[float]
    cpu: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.wall)


def timed(fn: Callable[[], Any], runs: int, before: Callable[[], Any] | None = None) -> Timings:
    """`fn` timed `runs` times; `before`, untimed, before each run."""
    wall, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
    return Timings(wall, cpu)
