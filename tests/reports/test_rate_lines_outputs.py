"""Rate lines and volume tiers in the outputs: the workbook's Cost sheet lists each part
of the volume with live formulas, recalculated by LibreOffice to the engine's figures
(also after the reader changes the volume); the PDF shows the lines."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from rfp.reports.pdf import build_summary_pdf
from rfp.reports.xlsx import build_workbook
from tests.reports.conftest import scored
from tests.reports.figures import TOLERANCE, cost_cell
from tests.scenario.test_rate_lines_file import lined


@pytest.fixture
def lined_report(make_scenario):
    return scored(lined(make_scenario()))


def _lines_block(ws) -> list[tuple]:
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Vendor"
                 and ws.cell(r, 2).value == "Channel")  # fmt: skip
    return [
        tuple(ws.cell(r, c).value for c in range(1, 9))
        for r in range(start + 1, ws.max_row + 1)
        if ws.cell(r, 1).value
    ]


def test_the_cost_sheet_lists_the_parts_and_sums_them(lined_report, generated_at):
    doc, result = lined_report
    wb = load_workbook(io.BytesIO(build_workbook(result, doc, generated_at=generated_at)))
    rows = _lines_block(wb["Cost"])
    # Alpha: voice en, voice es, chat en, chat es, then its tiers row
    assert [(r[1], r[2]) for r in rows] == [
        ("voice", "en"),
        ("voice", "es"),
        ("chat", "en"),
        ("chat", "es"),
        ("Volume tiers", "10 % off above 15,000"),
    ]
    assert [r[7] for r in rows[:4]] == ["rate line"] * 4
    charge = cost_cell(wb, "Monthly charge", "Alpha CX")
    assert charge.value.startswith("=IF(") and "SUM(G" in charge.value
    # Beta quoted one rate: its charge is the single-rate formula, as before.
    assert "SUM(G" not in cost_cell(wb, "Monthly charge", "Beta Support").value


@pytest.mark.libreoffice
def test_recalculated_the_lines_give_the_engine_s_tco(lined_report, recalculate):
    doc, result = lined_report
    alpha = next(v for v in result.vendors if v.key == "alpha")
    wb = recalculate(doc, result)
    # 31,931.25 a month and a TCO of 795,350 (tests/scenario/test_rate_lines_file.py)
    assert cost_cell(wb, "Monthly charge", "Alpha CX").value == pytest.approx(31_931.25)
    assert cost_cell(wb, "TCO", "Alpha CX").value == pytest.approx(alpha.cost.tco, abs=TOLERANCE)


@pytest.mark.libreoffice
def test_changing_the_volume_moves_the_lines_and_the_tier(lined_report, recalculate):
    doc, result = lined_report

    def edit(wb):
        cost_cell(wb, "Contacts per month").value = 30_000

    wb = recalculate(doc, result, edit=edit)
    # H = 30,000 * 6 / 60 / 0.8 = 3,750 h. Parts: 45 % * 3,750 * 14 = 23,625; 15 % * 3,750
    # * 16 = 9,000; 40 % * 3,750 * 11 = 16,500: 49,125. Tier: 15,000 of 30,000 contacts
    # above the threshold = 50 %, 10 % off: 2,456.25 -> 46,668.75 a month.
    assert cost_cell(wb, "Monthly charge", "Alpha CX").value == pytest.approx(46_668.75)


def test_the_pdf_shows_the_rate_lines(lined_report, generated_at, tmp_path):
    import subprocess

    doc, result = lined_report
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_summary_pdf(result, doc, generated_at=generated_at))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Rate lines" in text
    assert "voice · es" in text and "$16.00" in text
    assert "10 % off above 15,000 contacts" in text
