"""Benchmark: the workbook and the PDF of the 40 x 120 x 12 evaluation.

Run with `python tests/benchmarks/bench_reports.py` (pytest does not collect it).

- Workbook: `build_workbook` against a bare XlsxWriter loop, in constant-memory mode like
  the builder, that writes the very same cells (read back from the built workbook: text,
  numbers, dates, and formulas with their stored values) into plain sheets, cell by cell,
  and closes the file, without styles, widths, names, charts or formatting. Runs are
  interleaved and the best of each compared. Target: no more than 1.5 times the bare loop.
- PDF: `build_summary_pdf`, cold (first build in the process: fonts load) and warm.
  Target: under 3 s.
- Peak memory of each build, in a fresh subprocess: the process's maximum resident set
  size (resource.getrusage) and the Python allocations of the build alone (tracemalloc).
  Target: under 300 MB. The bare loop's Python allocations are printed beside the
  workbook's for comparison.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from typing import Any

from bench_support import add_size_options, generated_scenario

RATIO_TARGET = 1.5
PDF_TARGET_S = 3.0
MEMORY_TARGET_MB = 300.0
GENERATED_AT = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)


def scored(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    from rfp.domain.scoring import score_evaluation
    from rfp.scenario import scenario_to_input

    doc = generated_scenario(args)
    return doc, score_evaluation(scenario_to_input(doc))


def timed(function: Any, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


# One cell as the bare loop writes it: (column, kind, value, stored value of a formula),
# kind one of "s" text, "n" number, "d" date, "f" formula.
Cell = tuple[int, str, Any, Any]


def cell_values(data: bytes) -> list[tuple[str, list[list[Cell]]]]:
    """Every sheet's rows of cells as the builder wrote them (0-based columns)."""
    from openpyxl import load_workbook

    formulas = load_workbook(io.BytesIO(data))
    stored = load_workbook(io.BytesIO(data), data_only=True)
    sheets = []
    for ws in formulas:
        values = stored[ws.title]
        rows = []
        for row in ws.iter_rows():
            cells = []
            for cell in row:
                if cell.value is None:
                    continue  # as the builder: no empty cells
                kind = "d" if cell.is_date else cell.data_type
                cached = values.cell(cell.row, cell.column).value if kind == "f" else None
                cells.append((cell.column - 1, kind, cell.value, cached))
            rows.append(cells)
        sheets.append((ws.title, rows))
    return sheets


def bare_loop(sheets: list[tuple[str, list[list[Cell]]]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="bench-xlsx-") as tmpdir:
        wb = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": tmpdir})
        for title, rows in sheets:
            ws = wb.add_worksheet(title)
            for r, row in enumerate(rows):
                for c, kind, value, cached in row:
                    if kind == "s":
                        ws.write_string(r, c, value)
                    elif kind == "n":
                        ws.write_number(r, c, value)
                    elif kind == "f":
                        ws.write_formula(r, c, value, None, "" if cached is None else cached)
                    else:
                        ws.write_datetime(r, c, value)
        wb.close()
    return out.getvalue()


def traced_peak_mb(function: Any) -> float:
    """The peak of Python allocations while `function` runs, in MB."""
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def child(kind: str, args: argparse.Namespace) -> None:
    """Build one report in this fresh process and print its memory figures as JSON."""
    doc, result = scored(args)
    if kind == "xlsx":
        from rfp.reports.xlsx import build_workbook as build
    else:
        from rfp.reports.pdf import build_summary_pdf as build
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    build(result, doc, generated_at=GENERATED_AT)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Then the Python allocations of a second build alone (tracemalloc's own bookkeeping
    # would inflate the RSS figure above, hence after it).
    tracemalloc.start()
    build(result, doc, generated_at=GENERATED_AT)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"rss_mb": rss, "rss_before_mb": before, "traced_peak_mb": peak / 2**20}))


def memory(kind: str, args: argparse.Namespace) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--vendors",
        str(args.vendors),
        "--questions",
        str(args.questions),
        "--evaluators",
        str(args.evaluators),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    add_size_options(parser)
    parser.add_argument("--child", choices=("xlsx", "pdf"))
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return 0

    # Memory first, while this process is small: Linux keeps a process's maximum RSS
    # across fork and exec, so a child started after the timed builds would inherit it.
    failures = []
    memory_lines = []
    for kind in ("xlsx", "pdf"):
        figures = memory(kind, args)
        memory_lines.append(
            f"Peak memory, {kind} build in a fresh process: max RSS {figures['rss_mb']:.0f} MB "
            f"(of which {figures['rss_before_mb']:.0f} MB before the build: interpreter, "
            f"scenario, result); Python allocations of the build {figures['traced_peak_mb']:.0f}"
            f" MB (target < {MEMORY_TARGET_MB:.0f} MB)"
        )
        if figures["rss_mb"] >= MEMORY_TARGET_MB:
            failures.append(f"{kind} memory")

    from rfp.reports.pdf import build_summary_pdf
    from rfp.reports.xlsx import build_workbook

    doc, result = scored(args)
    print(
        f"Evaluation: {args.vendors} vendors x {args.questions} questions x "
        f"{args.evaluators} evaluators, {len(doc['scores']):,} scores"
    )

    pdf_cold = timed(lambda: build_summary_pdf(result, doc, generated_at=GENERATED_AT), 1)[0]
    data = build_workbook(result, doc, generated_at=GENERATED_AT)
    sheets = cell_values(data)
    cells = sum(len(row) for _t, rows in sheets for row in rows)
    # Interleaved, and compared by their fastest runs: on a shared machine the slower runs
    # measure the neighbours, not the code.
    workbook_times: list[float] = []
    bare_times: list[float] = []
    for _ in range(args.runs):
        workbook_times += timed(lambda: build_workbook(result, doc, generated_at=GENERATED_AT), 1)
        bare_times += timed(lambda: bare_loop(sheets), 1)
    pdf_times = timed(lambda: build_summary_pdf(result, doc, generated_at=GENERATED_AT), args.runs)
    workbook_s, bare_s = min(workbook_times), min(bare_times)
    ratio = workbook_s / bare_s
    pdf_s = statistics.median(pdf_times)
    build_mb = traced_peak_mb(lambda: build_workbook(result, doc, generated_at=GENERATED_AT))
    bare_mb = traced_peak_mb(lambda: bare_loop(sheets))
    print(f"Workbook: {len(data):,} bytes, {cells:,} cells in {len(sheets)} sheets")
    print(f"  build_workbook       best {workbook_s:6.2f} s  (runs: "
          + ", ".join(f"{t:.2f}" for t in workbook_times) + ")")  # fmt: skip
    print(f"  bare XlsxWriter loop best {bare_s:6.2f} s  (runs: "
          + ", ".join(f"{t:.2f}" for t in bare_times) + ")")  # fmt: skip
    verdict = "met" if ratio <= RATIO_TARGET else "MISSED"
    print(f"  ratio {ratio:.2f} (target <= {RATIO_TARGET}): {verdict}")
    print(
        f"  Python allocations at their peak: build_workbook {build_mb:.0f} MB, bare loop "
        f"{bare_mb:.0f} MB (both in XlsxWriter's constant-memory mode)"
    )
    print(f"PDF: cold {pdf_cold:.2f} s, warm median {pdf_s:.2f} s (target < {PDF_TARGET_S} s)")

    if ratio > RATIO_TARGET:
        failures.append("workbook ratio")
    if max(pdf_cold, pdf_s) >= PDF_TARGET_S:
        failures.append("pdf time")
    for line in memory_lines:
        print(line)
    print("All targets met." if not failures else "Missed: " + ", ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
