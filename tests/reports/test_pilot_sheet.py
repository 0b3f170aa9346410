"""The workbook's Pilot sheet: the weekly figures with live met / not met formulas over the
thresholds, weeks met and latest four-week averages as formulas; recalculated by
LibreOffice they equal the engine's (rfp.domain.pilot), also after a threshold changes."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from rfp.domain.scoring import score_evaluation
from rfp.domain.vocabulary import WeekBand
from rfp.reports.xlsx import build_workbook
from rfp.scenario import scenario_to_input

MET, NOT_MET = "Met", "Not met"


def _header(ws: Any, third: str) -> int:
    return next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == "Vendor" and str(ws.cell(r, 3).value or "").startswith(third)
    )


def weekly_met(wb: Any) -> dict[tuple[str, int, str], str]:
    """(vendor name, week, KPI) -> the met cell ("Met", "Not met" or "")."""
    ws = wb["Pilot"]
    header = _header(ws, "Week starting")
    assert [c.value for c in ws[header]][3:7] == ["KPI", "Figure", "Threshold", "Met"]
    out = {}
    for r in range(header + 1, ws.max_row + 1):
        name, week = ws.cell(r, 1).value, ws.cell(r, 2).value
        if name is None or not isinstance(week, int | float):
            break
        out[(name, int(week), ws.cell(r, 4).value)] = ws.cell(r, 7).value or ""
    return out


def summary(wb: Any) -> dict[tuple[str, str], tuple[Any, Any, Any]]:
    """(vendor name, KPI) -> (weeks met, weeks with a figure, latest 4-week average)."""
    ws = wb["Pilot"]
    header = _header(ws, "KPI")
    out = {}
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(r, 1).value is None:
            break
        out[(ws.cell(r, 1).value, ws.cell(r, 3).value)] = tuple(
            ws.cell(r, c).value for c in (4, 5, 6)
        )
    return out


def engine_met(doc: dict[str, Any], result: Any) -> dict[tuple[str, int, str], str]:
    from rfp.domain.kpis import kpi_name

    names = {v["key"]: v["name"] for v in doc["vendors"]}
    out = {}
    for vendor in result.pilot.vendors:
        for outcome in vendor.criteria:
            for week in range(1, result.pilot.weeks + 1):
                figure = outcome.weeks[week - 1] if week <= len(outcome.weeks) else None
                band = figure.band if figure else WeekBand.MISSING
                text = "" if band == WeekBand.MISSING else MET if band == WeekBand.MET else NOT_MET
                out[
                    (names[vendor.vendor], week, kpi_name(outcome.kpi, outcome.criterion.seconds))
                ] = text
    return out


def engine_summary(doc: dict[str, Any], result: Any) -> dict[tuple[str, str], tuple]:
    from rfp.domain.kpis import kpi_name

    names = {v["key"]: v["name"] for v in doc["vendors"]}
    return {
        (names[v.vendor], kpi_name(o.kpi, o.criterion.seconds)): (
            o.weeks_met,
            o.weeks_reported,
            o.latest_average,
        )
        for v in result.pilot.vendors
        for o in v.criteria
    }


def assert_summary_equal(sheet: dict, engine: dict) -> None:
    assert set(sheet) == set(engine)
    for key, (met, reported, average) in engine.items():
        got = sheet[key]
        assert (got[0], got[1]) == (met, reported), key
        assert got[2] == pytest.approx(average, abs=1e-6), key


def test_the_demo_workbook_has_the_pilot_sheet_with_the_engine_figures_stored(
    demo_report, generated_at
):
    doc, result = demo_report
    data = build_workbook(result, doc, generated_at=generated_at)
    wb = load_workbook(io.BytesIO(data), data_only=True)
    assert wb.sheetnames.index("Pilot") == wb.sheetnames.index("Cost") + 1
    assert weekly_met(wb) == engine_met(doc, result)
    assert_summary_equal(summary(wb), engine_summary(doc, result))
    # Puente Norte's QA score has no figure in week 2: an empty met cell, not "Not met".
    assert weekly_met(wb)[("Puente Norte CX", 2, "QA score")] == ""
    ws = load_workbook(io.BytesIO(data))["Pilot"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("=IF(E") and ">=$C$" in t for t in texts)  # FCR: higher is better
    assert any("<=$C$" in t for t in texts)  # AHT, attrition, cost: lower is better


def test_no_pilot_no_sheet(hand_worked, generated_at):
    doc, result = hand_worked
    wb = load_workbook(io.BytesIO(build_workbook(result, doc, generated_at=generated_at)))
    assert "Pilot" not in wb.sheetnames


@pytest.mark.libreoffice
def test_recalculated_met_cells_weeks_met_and_averages_equal_the_engine(demo_report, recalculate):
    doc, result = demo_report
    # Stored figures wrong on purpose: the comparison reads LibreOffice's own.
    wrong = dataclasses.replace(
        result,
        pilot=dataclasses.replace(
            result.pilot,
            vendors=tuple(
                dataclasses.replace(
                    v,
                    criteria=tuple(
                        dataclasses.replace(o, weeks_met=-1, latest_average=-1.0)
                        for o in v.criteria
                    ),
                )
                for v in result.pilot.vendors
            ),
        ),
    )
    wb = recalculate(doc, wrong)
    assert weekly_met(wb) == engine_met(doc, result)
    assert_summary_equal(summary(wb), engine_summary(doc, result))


@pytest.mark.libreoffice
def test_a_threshold_changed_in_the_sheet_moves_met_as_the_engine_would(
    demo_report, recalculate, generated_at
):
    doc, result = demo_report
    data = build_workbook(result, doc, generated_at=generated_at)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Pilot"]
    criteria_header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "KPI")
    fcr_row = next(
        r for r in range(criteria_header + 1, criteria_header + 10) if ws.cell(r, 1).value == "FCR"
    )
    ws.cell(fcr_row, 3).value = 78  # FCR's threshold 75 -> 78
    out = io.BytesIO()
    wb.save(out)
    recalculated = recalculate(doc, result, data=out.getvalue())
    changed = dict(doc, pilot=dict(doc["pilot"]))
    changed["pilot"]["criteria"] = [
        dict(c, threshold=78) if c["kpi"] == "fcr_pct" else c for c in doc["pilot"]["criteria"]
    ]
    expected = score_evaluation(scenario_to_input(changed))
    assert weekly_met(recalculated) == engine_met(changed, expected)
    # Puente Norte's FCR weeks 8-10 (78, 78, 79) meet 78; 7 weeks met at 75 become 3.
    sheet = summary(recalculated)
    assert sheet[("Puente Norte CX", "FCR")][0] == 3
