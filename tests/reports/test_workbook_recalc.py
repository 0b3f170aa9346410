"""The workbook's formulas, recalculated by a real spreadsheet engine, agree with the engine.

LibreOffice (headless, from Debian) converts the workbook to xlsx again, which computes
every formula and stores its value; openpyxl then reads those values. Skipped only when
`soffice` is missing and RFP_REQUIRE_LIBREOFFICE is not set (CI sets it, so there a
missing LibreOffice fails).
"""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl.utils.escape import unescape

from rfp.domain.scoring import score_evaluation
from rfp.scenario import scenario_to_input

pytestmark = pytest.mark.libreoffice

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


def test_recalculated_totals_ranks_subtotals_and_costs_equal_the_engine(demo_report, recalculate):
    doc, result = demo_report
    wb = recalculate(doc, result)
    assert_figures_equal(summary_figures(wb), engine_figures(result))

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


def test_changing_a_weight_cell_gives_the_ranking_the_engine_gives(demo_report, recalculate):
    doc, result = demo_report
    # Cost from 20 to 60: the cheapest qualified bid (Tanglaw) should take the lead.
    what_if = score_evaluation(scenario_to_input(doc).with_criterion_weights({"cost": 60}))
    assert [v.key for v in what_if.ranked] != [v.key for v in result.ranked]
    wb = recalculate(doc, result, weights={"cost": 60})
    assert_figures_equal(summary_figures(wb), engine_figures(what_if))
    assert min(summary_figures(wb), key=lambda row: row[1] or 99)[0] == "Tanglaw Support Services"


def test_hand_worked_weights_flip_the_ranking(hand_worked, recalculate):
    doc, result = hand_worked
    wb = recalculate(doc, result)
    # Worked in the fixture: beta 78.667 first, alpha 70.5 second.
    assert summary_figures(wb) == [
        ("Beta Support", 1, pytest.approx(78.6666667, abs=TOLERANCE)),
        ("Alpha CX", 2, pytest.approx(70.5, abs=TOLERANCE)),
    ]
    # Cultural fit 40 -> 100 (weights sum to 160):
    # alpha = (100*80 + 30*60 + 20*62.5 + 10*80) / 160 = 11850 / 160 = 74.0625
    # beta  = (100*56.667 + 30*100 + 20*100 + 10*60) / 160 = 11266.667 / 160 = 70.4167
    wb = recalculate(doc, result, weights={"fit": 100})
    rows = {name: (rank, total) for name, rank, total in summary_figures(wb)}
    assert rows["Alpha CX"] == (1, pytest.approx(74.0625, abs=TOLERANCE))
    assert rows["Beta Support"] == (2, pytest.approx(70.4166667, abs=TOLERANCE))


def test_tied_totals_share_a_rank_and_disqualified_vendors_have_none(
    make_scenario, score_doc, recalculate
):
    doc = make_scenario()
    doc["vendors"].append(
        {
            "key": "gamma",
            "name": "Gamma BPO",
            "model": "offshore",
            "pricing": {"model": "per_hour", "rate": 10},
            "knockouts": {"soc2": False},
        }
    )
    # Same scores and price for alpha and beta: equal totals, rank 1 and 1 (then 3 would
    # come next); gamma fails the SOC 2 knockout and has no rank.
    doc["vendors"][0]["pricing"]["rate"] = 10
    doc["scores"] = [
        {"evaluator": e, "vendor": v, "question": q, "score": 3}
        for e in ("ana", "raj")
        for v in ("alpha", "beta", "gamma")
        for q in ("timezone", "language", "audits")
    ]
    doc["references"] = [{"vendor": v, "company": "Acme", "rating": 3} for v in ("alpha", "beta")]
    doc, result = score_doc(doc)
    wb = recalculate(doc, result)
    ranks = {name: rank for name, rank, _total in summary_figures(wb)}
    assert ranks == {"Alpha CX": 1, "Beta Support": 1, "Gamma BPO": None}
    assert_figures_equal(summary_figures(wb), engine_figures(result))


def test_user_text_is_still_text_after_a_spreadsheet_engine_opens_it(
    hostile_report, hostile_texts, recalculate
):
    doc, result = hostile_report
    wb = recalculate(doc, result)
    texts = {
        unescape(cell.value)
        for ws in wb
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    # Not evaluated ("y", 2, ...): the very same text.
    assert set(hostile_texts) <= texts
    assert doc["evaluation"]["title"] in texts
