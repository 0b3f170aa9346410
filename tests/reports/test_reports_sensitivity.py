"""The workbook's Sensitivity sheet and the PDF's sensitivity section: the same report
as `sensitivity_report` on the full input, and the commands include them."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

import rfp.demo
from rfp.cli import main as rfp_cli
from rfp.demo import demo_scenario
from rfp.domain.decision.sensitivity import sensitivity_report
from rfp.domain.scoring import score_evaluation
from rfp.reports.pdf import build_summary_pdf
from rfp.reports.xlsx import build_workbook
from rfp.reports.xlsx.sensitivity import as_shown, report_sensitivity, threshold_shown
from rfp.scenario import normalise_scenario, scenario_to_input

GENERATED_AT = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture
def demo() -> tuple[dict[str, Any], Any]:
    doc = normalise_scenario(demo_scenario())
    return doc, score_evaluation(scenario_to_input(doc))


def test_the_reports_sensitivity_equals_the_modules_on_the_full_input(demo):
    doc, result = demo
    doc["evaluation"]["sensitivity_concentration"] = 120
    full = sensitivity_report(scenario_to_input(doc), result, concentration=120)
    assert report_sensitivity(result, doc).to_json() == full.to_json()


def _sheet_rows(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_the_sensitivity_sheet_holds_the_verdict_thresholds_and_stability(demo):
    doc, result = demo
    report = report_sensitivity(result, doc)
    wb = load_workbook(io.BytesIO(build_workbook(result, doc, generated_at=GENERATED_AT)))
    ws = wb["Sensitivity"]
    rows = _sheet_rows(ws)
    assert ["Verdict", report.verdict] == rows[3][:2]
    thresholds = {row[0]: row for row in rows if row[0] in {c.name for c in report.criteria}}
    for c in report.criteria:
        row = thresholds[c.name]
        assert row[1] == as_shown(c.weight)
        # Thresholds rounded outward as their text says: "drops below 11.3 %" is 0.113.
        for t, (weight, leader) in ((c.up, row[2:4]), (c.down, row[4:6])):
            if t is None:
                assert weight == "none within 0 to 100 %"
            else:
                assert f"{100 * weight:.1f} %" in t.text and leader == t.new_leader_name
    stability = {
        row[0]: row for row in rows if row[0] in {v.name for v in report.stability.vendors}
    }
    for v in report.stability.vendors:
        # Rounded as the page prints them, so that a spreadsheet cannot round 80.05 % up.
        assert stability[v.name][1:4] == [
            v.official_rank,
            float(f"{100 * v.first_share:.1f}") / 100,
            float(f"{v.mean_rank:.2f}"),
        ]
    # Shares and weights are percentages to one decimal, as on the page.
    assert ws.cell(row=rows.index(thresholds["Cost"]) + 1, column=2).number_format == "0.0%"


def test_thresholds_are_rounded_outward_like_their_text():
    from rfp.domain.decision.sensitivity import FlipThreshold

    # 11.249 % falling: "drops below 11.3 %"; 26.38 % rising: "rises above 26.3 %".
    down = FlipThreshold("cost", "down", 0.11249, -8.75, "t", "T")
    up = FlipThreshold("cost", "up", 0.2638, 6.38, "t", "T")
    assert threshold_shown(down) == 0.113 and "drops below 11.3 %" in down.text
    assert threshold_shown(up) == 0.263 and "rises above 26.3 %" in up.text
    assert as_shown(0.8005) == float(f"{80.05:.1f}") / 100


def test_user_text_on_the_sheet_stays_text(make_scenario):
    doc = make_scenario()
    doc["vendors"][0]["name"] = HOSTILE
    doc["criteria"][0]["name"] = "=1+1"
    doc = normalise_scenario(doc)
    result = score_evaluation(scenario_to_input(doc))
    ws = load_workbook(io.BytesIO(build_workbook(result, doc, generated_at=GENERATED_AT)))[
        "Sensitivity"
    ]
    cells = [c for row in ws.iter_rows() for c in row if c.value in (HOSTILE, "=1+1")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert any(HOSTILE in str(c.value) for row in ws.iter_rows() for c in row)


def test_the_pdf_has_a_sensitivity_section_with_the_verdict(demo):
    doc, result = demo
    report = report_sensitivity(result, doc)
    reader = PdfReader(io.BytesIO(build_summary_pdf(result, doc, generated_at=GENERATED_AT)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Sensitivity to the weights" in text
    assert report.verdict in text
    assert "Flip thresholds" in text and "Rank stability" in text
    cost = next(c for c in report.criteria if c.name == "Cost")
    assert cost.up is not None and cost.up.text in text
    leader = report.stability.vendors[0]
    assert re.search(rf"{re.escape(leader.name)} {100 * leader.first_share:.1f} %", text)
    # It follows the charts and comes before the knockouts.
    assert (
        text.index("Totals by criterion contribution")
        < text.index("Sensitivity to the weights")
        < text.index("Knockouts and disqualifications")
    )


def test_rfp_report_writes_both_with_the_sensitivity(tmp_path: Path):
    scenario = tmp_path / "demo.json"
    scenario.write_text(
        Path(rfp.demo.__file__).with_name(rfp.demo.DEMO_FILE).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(rfp_cli, ["report", str(scenario), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    xlsx = next((tmp_path / "out").glob("*.xlsx"))
    pdf = next((tmp_path / "out").glob("*.pdf"))
    assert "Sensitivity" in load_workbook(xlsx).sheetnames
    reader = PdfReader(str(pdf))
    assert any("Sensitivity to the weights" in (p.extract_text() or "") for p in reader.pages)
