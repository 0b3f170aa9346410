"""The figures of a workbook read back (recalculated by LibreOffice, or as the builder
stored them with its formulas), and the checks that they are the engine's."""

from __future__ import annotations

from typing import Any

import pytest

TOLERANCE = 1e-6


def summary_figures(wb: Any) -> list[tuple[str, Any, float]]:
    """(vendor, rank, total) for each Summary row, in sheet order."""
    ws = wb["Summary"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Rank")
    total_col = [c.value for c in ws[header]].index("Total") + 1
    rows = []
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(r, 2).value is None:
            break
        rank = ws.cell(r, 1).value
        rows.append(
            (ws.cell(r, 2).value, None if rank == "–" else rank, ws.cell(r, total_col).value)
        )
    return rows


def engine_figures(result: Any) -> list[tuple[str, Any, float]]:
    return [(v.name, v.rank, v.total) for v in result.vendors]


def assert_figures_equal(sheet: list, engine: list) -> None:
    by_name = {name: (rank, total) for name, rank, total in sheet}
    assert set(by_name) == {name for name, _, _ in engine}
    for name, rank, total in engine:
        sheet_rank, sheet_total = by_name[name]
        assert sheet_total == pytest.approx(total, abs=TOLERANCE), name
        assert sheet_rank == rank, name


def assert_matrix_and_cost_equal_the_engine(wb: Any, doc: dict[str, Any], result: Any) -> None:
    """The Matrix's totals and criterion scores, and the Cost sheet's figures and checks."""
    matrix = wb["Matrix"]
    header = next(r for r in range(1, 30) if matrix.cell(r, 1).value == "Criterion")
    names = [c.value for c in matrix[header]][3:]
    rows = {matrix.cell(r, 1).value: r for r in range(header + 1, matrix.max_row + 1)}
    for j, name in enumerate(names):
        vendor = next(v for v in result.vendors if v.name == name)
        assert matrix.cell(rows["Total"], 4 + j).value == pytest.approx(vendor.total, abs=TOLERANCE)
        for criterion in doc["criteria"]:
            got = matrix.cell(rows[criterion["name"]], 4 + j).value
            assert got == pytest.approx(vendor.criteria[criterion["key"]], abs=TOLERANCE)

    cost = wb["Cost"]
    header = next(r for r in range(1, 40) if cost.cell(r, 1).value == "Vendor")
    labels = [c.value for c in cost[header]]
    for r in range(header + 1, header + 1 + len(result.vendors)):
        row = dict(zip(labels, (c.value for c in cost[r]), strict=True))
        figures = next(v for v in result.vendors if v.name == row["Vendor"]).cost
        if figures is None:  # no price: no figures, and 0 on cost
            assert row["TCO"] in ("", None)
            assert row["Cost score (0-100)"] == 0
            continue
        assert row["Monthly charge"] == pytest.approx(figures.monthly_charge, abs=TOLERANCE)
        assert row["Effective rate ($/agent-hour)"] == pytest.approx(figures.effective_rate)
        assert row["TCO"] == pytest.approx(figures.tco, abs=TOLERANCE)
        assert row["Cost per contact"] == pytest.approx(figures.cost_per_contact, abs=TOLERANCE)
        assert row["Savings vs in-house"] == pytest.approx(figures.savings, abs=TOLERANCE)
        expected_check = "within range"
        lo, hi = figures.rate_range
        if figures.effective_rate < lo:
            expected_check = "below range"
        elif figures.effective_rate > hi:
            expected_check = "above range"
        assert row["Rate check"] == expected_check


def cost_table(wb: Any) -> tuple[Any, int, list[str]]:
    """The Cost sheet, its vendor table's header row and the header's labels."""
    cost = wb["Cost"]
    header = next(r for r in range(1, 40) if cost.cell(r, 1).value == "Vendor")
    return cost, header, [c.value for c in cost[header]]


def cost_scores(wb: Any) -> dict[str, float]:
    """Vendor name -> the Cost sheet's cost score."""
    cost, header, labels = cost_table(wb)
    column = labels.index("Cost score (0-100)") + 1
    rows = range(header + 1, cost.max_row + 1)
    return {cost.cell(r, 1).value: cost.cell(r, column).value for r in rows
            if cost.cell(r, 1).value}  # fmt: skip


def cost_cell(wb: Any, label: str, vendor: str | None = None) -> Any:
    """A Cost sheet cell: the scope input labelled `label`, or a vendor's cell in the
    column headed `label`."""
    cost, header, labels = cost_table(wb)
    if vendor is None:
        row = next(r for r in range(1, header) if cost.cell(r, 1).value == label)
        return cost.cell(row, 2)
    row = next(r for r in range(header + 1, cost.max_row + 1) if cost.cell(r, 1).value == vendor)
    return cost.cell(row, labels.index(label) + 1)
