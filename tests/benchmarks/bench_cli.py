"""Benchmark of `rfp score FILE --json` against a process that only parses FILE (issue 11).

    python tests/benchmarks/bench_cli.py [--runs N] [--breakdown]
                                         [--vendors V --questions Q --evaluators E]

Writes the generated 40 x 120 x 12 evaluation (57,600 scores) as `rfp generate -o` does,
then times, alternately in the same run so that the machine's load falls on both alike:
- the bare process: this Python running `json.load` on the file, and nothing else;
- the `rfp score FILE --json` process (validation, engine, sensitivity report with
  10,000 draws, JSON on stdout, written to a file).
Prints the median wall time of each, their ratio against the target (at most 3 x) and a
verdict, and the CPU times for reading on a busy machine; and, for reading, the floor of
any numpy-based scorer: a process that imports numpy and loads the file, nothing else.
Exit status 1 on a miss.
--breakdown adds where the time of `rfp score` goes, in-process, stage by stage.

Not a test: pytest collects test_*.py only, so this file is never run by the suite.
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

from bench_support import add_size_options

TARGET_RATIO = 3.0
BARE_LOAD = "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))"
# For reading the figures: the same, plus importing numpy (with one BLAS thread, as the
# `rfp` command loads it), which the engine and the sensitivity report's weight draws
# need: no `rfp score` can take less than this process.
NUMPY_AND_LOAD = (
    "import os; os.environ.setdefault('OPENBLAS_NUM_THREADS', '1'); import numpy; " + BARE_LOAD
)


def rfp_command() -> list[str]:
    """The installed `rfp` script beside this Python, else the module."""
    script = Path(sys.executable).with_name("rfp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rfp.cli"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def installed_environment() -> dict[str, str]:
    """This environment, but with Python writing its bytecode, as an installed rfp has
    it (pip compiles on install): the warm-up run writes it, the timed runs read it."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_process(command: list[str], output: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process, its stdout written to `output`."""
    env = installed_environment()
    cpu = children_cpu()
    start = time.perf_counter()
    with output.open("wb") as stdout:
        completed = subprocess.run(  # noqa: S603  (our own commands, no shell)
            command, stdout=stdout, stderr=subprocess.PIPE, env=env, check=False
        )
    wall = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr.decode()}")
    return wall, children_cpu() - cpu


def write_scenario(folder: Path, args: argparse.Namespace) -> Path:
    """The generated evaluation, written as `rfp generate -o` writes it."""
    from rfp.scenario.synthetic import generate_scenario

    doc = generate_scenario(
        vendors=args.vendors, questions=args.questions, evaluators=args.evaluators
    )
    path = folder / "big.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def breakdown(path: Path) -> list[tuple[str, float]]:
    """CPU seconds per stage of `rfp score --json`, in this process (imports already
    paid): on a busy machine CPU time shows what each stage costs."""
    from rfp.cli.scenario import cyclic_gc_paused, score_json
    from rfp.domain.decision.sensitivity import sensitivity_report
    from rfp.domain.scoring import score_evaluation
    from rfp.scenario import scenario_to_input
    from rfp.scenario.schema import normalise_scenario

    stages: list[tuple[str, float]] = []

    def stage(name: str, action: Callable[[], object]) -> object:
        start = time.process_time()
        value = action()
        stages.append((name, time.process_time() - start))
        return value

    with cyclic_gc_paused():
        text = path.read_bytes()
        raw = stage("json.loads", lambda: json.loads(text))
        doc = stage("validate (normalise_scenario)", lambda: normalise_scenario(raw, text))
        inp = stage("engine input (scenario_to_input)", lambda: scenario_to_input(doc))  # type: ignore[arg-type]
        result = stage("engine (score_evaluation)", lambda: score_evaluation(inp))  # type: ignore[arg-type]
        report = stage(
            "sensitivity (10,000 draws)",
            lambda: sensitivity_report(inp, result, draws=10_000, concentration=50.0),  # type: ignore[arg-type]
        )
        stage("JSON (score_json)", lambda: score_json(result, report))  # type: ignore[arg-type]
    return stages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (median)")
    parser.add_argument("--breakdown", action="store_true", help="time each stage in-process")
    add_size_options(parser)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rfp-bench-cli-") as tmp:
        folder = Path(tmp)
        path = write_scenario(folder, args)
        output = folder / "out.json"
        bare = [sys.executable, "-c", BARE_LOAD, str(path)]
        score = [*rfp_command(), "score", str(path), "--json"]

        # Warm-up (file cache, compiled modules), and a check that the output is the result.
        timed_process(bare, output)
        timed_process(score, output)
        size = output.stat().st_size
        vendors = len(json.loads(output.read_text(encoding="utf-8"))["vendors"])
        assert vendors == args.vendors, f"rfp score printed {vendors} vendors"

        numpy_and_load = [sys.executable, "-c", NUMPY_AND_LOAD, str(path)]
        bare_times, score_times, numpy_times = [], [], []
        for _ in range(args.runs):  # alternately, so that the load falls on both alike
            bare_times.append(timed_process(bare, output))
            score_times.append(timed_process(score, output))
            numpy_times.append(timed_process(numpy_and_load, output))

        bare_wall = statistics.median(wall for wall, _cpu in bare_times)
        score_wall = statistics.median(wall for wall, _cpu in score_times)
        bare_cpu = statistics.median(cpu for _wall, cpu in bare_times)
        score_cpu = statistics.median(cpu for _wall, cpu in score_times)
        ratio = score_wall / bare_wall
        ok = ratio <= TARGET_RATIO

        scores = args.vendors * args.questions * args.evaluators
        print(
            f"rfp score FILE --json against a bare json.load of FILE: "
            f"{args.vendors} x {args.questions} x {args.evaluators} ({scores:,} scores), "
            f"{path.stat().st_size / 1e6:.1f} MB, median of {args.runs} runs each"
        )
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        numpy_wall = statistics.median(wall for wall, _cpu in numpy_times)
        numpy_cpu = statistics.median(cpu for _wall, cpu in numpy_times)
        rows = (
            ("bare json.load process", bare_wall, bare_cpu),
            ("rfp score FILE --json", score_wall, score_cpu),
            ("(floor: import numpy, json.load)", numpy_wall, numpy_cpu),
        )
        for name, wall, cpu in rows:
            print(f"  {name:<33} {wall:6.3f} s  (CPU {cpu:.3f} s)")
        floor = numpy_wall / bare_wall
        print(f"  output: {size / 1e6:.1f} MB of JSON; floor {floor:.2f} x the bare process")
        print(
            f"  ratio {ratio:.2f} x (CPU {score_cpu / bare_cpu:.2f} x); "
            f"target <= {TARGET_RATIO:g} x: {'PASS' if ok else 'FAIL'}"
        )
        if args.breakdown:
            stages = breakdown(path)
            print("where rfp score spends its time, in-process, CPU (imports not included):")
            for name, seconds in stages:
                print(f"  {name:<34} {seconds:6.3f} s")
            print(f"  {'total':<34} {sum(s for _n, s in stages):6.3f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
