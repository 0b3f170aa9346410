"""Benchmark of the foundation on the 40 x 120 x 12 evaluation (57,600 scores).

    python tests/benchmarks/bench_foundation.py [--strict]

Prints, each with its target and PASS/FAIL:
- the engine scoring it (score_evaluation alone, median of 5), target < 0.25 s;
- the whole `rfp score FILE` process, wall time (median of 3), target < 2 s;
- `rfp import FILE` into a fresh SQLite database, target < 10 s;
and, for reading the figures, where the time of `rfp score` goes in-process.

Not a test: pytest collects test_*.py only, so this file is never run by the suite.
Figures depend on the machine and its load (the load average is printed with them).
With --strict the exit status is 1 when a figure misses its target.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rfp.domain.scoring import score_evaluation
from rfp.scenario import load_scenario_text, scenario_to_input
from rfp.scenario.synthetic import generate_scenario

ENGINE_TARGET = 0.25
SCORE_PROCESS_TARGET = 2.0
IMPORT_TARGET = 10.0


def rfp_command() -> list[str]:
    """The installed `rfp` script beside this Python, else the module."""
    script = Path(sys.executable).with_name("rfp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rfp.cli"]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (user + system)."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds): on a busy machine the CPU time shows what the wall
    time would be on an idle one."""
    cpu, start = cpu_seconds(), time.perf_counter()
    action()
    return time.perf_counter() - start, cpu_seconds() - cpu


def median_time(action: Callable[[], object], runs: int) -> tuple[float, float, list[float]]:
    """(median wall, median CPU, every wall time)."""
    times = [timed(action) for _ in range(runs)]
    walls = [wall for wall, _cpu in times]
    return statistics.median(walls), statistics.median(cpu for _wall, cpu in times), walls


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    completed = subprocess.run(  # noqa: S603  (our own command, no shell)
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr.decode()}")


def verdict(value: float, target: float) -> str:
    return "PASS" if value < target else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    doc = generate_scenario(vendors=40, questions=120, evaluators=12)
    assert len(doc["scores"]) == 57_600, len(doc["scores"])
    results: list[tuple[str, float, float, float, str]] = []  # name, wall, CPU, target, runs

    with tempfile.TemporaryDirectory(prefix="rfp-bench-") as folder:
        path = Path(folder) / "synthetic_40x120x12.json"
        text = json.dumps(doc, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        print(
            f"Scenario: 40 vendors x 120 questions x 12 evaluators = 57,600 scores "
            f"({size_mb:.1f} MB); load average {os.getloadavg()[0]:.2f} "
            f"on {os.cpu_count()} CPU(s)\n"
        )

        # In-process stages of `rfp score`, for reading the figures.
        canonical = load_scenario_text(path.read_bytes())
        inp = scenario_to_input(canonical)
        stages = {
            "read and validate the file": median_time(
                lambda: load_scenario_text(path.read_bytes()), 3
            )[:2],
            "scenario -> engine input": median_time(lambda: scenario_to_input(canonical), 3)[:2],
        }
        engine, engine_cpu, engine_runs = median_time(lambda: score_evaluation(inp), 5)
        stages["engine"] = (engine, engine_cpu)
        result = score_evaluation(inp)
        try:
            from rfp.domain.decision.sensitivity import sensitivity_report
        except ImportError:
            pass
        else:
            stages["sensitivity (10,000 weight draws)"] = median_time(
                lambda: sensitivity_report(inp, result, draws=10_000, concentration=50.0), 3
            )[:2]
        results.append(
            (
                "engine: score_evaluation (median of 5)",
                engine,
                engine_cpu,
                ENGINE_TARGET,
                ", ".join(f"{t:.3f}" for t in engine_runs),
            )
        )

        command = rfp_command()
        score_time, score_cpu, score_runs = median_time(
            lambda: run([*command, "score", str(path)]), 3
        )
        results.append(
            (
                "`rfp score FILE` process (median of 3)",
                score_time,
                score_cpu,
                SCORE_PROCESS_TARGET,
                ", ".join(f"{t:.2f}" for t in score_runs),
            )
        )

        env = dict(os.environ, DATABASE_URL=f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        import_time, import_cpu = timed(lambda: run([*command, "import", str(path)], env=env))
        results.append(
            (
                "`rfp import FILE` into a fresh SQLite",
                import_time,
                import_cpu,
                IMPORT_TARGET,
                "1 run, schema creation included",
            )
        )

    width = max(len(name) for name, *_ in results)
    print(f"{'figure':<{width}}  {'wall s':>8}  {'CPU s':>7}  {'target':>7}  verdict  wall runs")
    for name, wall, cpu, target, runs in results:
        print(
            f"{name:<{width}}  {wall:8.3f}  {cpu:7.3f}  {'< ' + format(target, 'g'):>7}  "
            f"{verdict(wall, target):<7}  {runs}"
        )
    print("\nWhere `rfp score` spends its time in-process (median wall s, CPU s):")
    for stage, (wall, cpu) in stages.items():
        print(f"  {stage:<{width - 2}}  {wall:8.3f}  {cpu:7.3f}")
    print(
        "\nVerdicts are on wall time. On a busy machine (load average above the CPU count)"
        " wall time includes waiting for a CPU; the CPU time is what an idle one would take."
    )

    missed = [name for name, wall, _cpu, target, _runs in results if wall >= target]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
