"""Amendments agree in every output: the JSON, the workbook and the PDF show the same
amendments, in the same words, and score the same amended bids.

The demo's Valle Claro quotes $2.35 per contact and fails the PCI-DSS knockout. After
unsealing the lead cuts its rate to $1.95 and turns the knockout to pass, each with a
reason; a vendor's clarification of Tanglaw's setup fee came in after the deadline,
before unsealing. Valle Claro, disqualified as submitted, now ranks first.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from rfp.demo import demo_scenario
from rfp.reports.pdf import build_summary_pdf
from rfp.reports.xlsx import build_workbook
from tests.reports.conftest import GENERATED_AT, scored
from tests.reports.figures import (
    assert_figures_equal,
    assert_matrix_and_cost_equal_the_engine,
    engine_figures,
    summary_figures,
)

PRICE = (
    "Price amended by the lead after unsealing: $2.35 → $1.95 per contact, reason: "
    "Arithmetic error in the rate card, confirmed in writing"
)
KNOCKOUT = (
    "Knockout “PCI-DSS attestation for card-handling agents” amended by the lead after "
    "unsealing: fail → pass, reason: AOC dated 2026-09-30 received"
)
SETUP = (
    "Setup fee clarified by the vendor after the deadline: $20,000 → $18,000, reason: "
    "Clarification 3: travel is not part of the setup fee"
)


def amended_demo() -> dict[str, Any]:
    doc = demo_scenario()
    doc["evaluation"]["stage"] = "consensus"
    lead = {"source": "lead", "by": "Morgan Avery", "stage": "consensus"}
    vendors = {v["key"]: v for v in doc["vendors"]}
    vendors["valle_claro"]["amendments"] = [
        {
            "field": "rate",
            "old": 2.35,
            "new": 1.95,
            "reason": "Arithmetic error in the rate card, confirmed in writing",
            "at": "2026-10-12T14:00:00+00:00",
            **lead,
        },
        {
            "field": "knockout",
            "question": "pci",
            "old": False,
            "new": True,
            "reason": "AOC dated 2026-09-30 received",
            "at": "2026-10-12T14:05:00+00:00",
            **lead,
        },
    ]
    vendors["tanglaw"]["amendments"] = [
        {
            "field": "setup_fee",
            "old": 20000,
            "new": 18000,
            "reason": "Clarification 3: travel is not part of the setup fee",
            "source": "vendor",
            "by": "Tanglaw Support Services",
            "at": "2026-09-06T09:00:00+00:00",
            "stage": "open",
        }
    ]
    return doc


@pytest.fixture(scope="module")
def outputs() -> tuple[dict[str, Any], Any, Any, str]:
    doc, result = scored(amended_demo())
    workbook = build_workbook(result, doc, generated_at=GENERATED_AT)
    pdf = PdfReader(io.BytesIO(build_summary_pdf(result, doc, generated_at=GENERATED_AT)))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in pdf.pages]
    return doc, result, load_workbook(io.BytesIO(workbook)), pages


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_engine_scores_the_amended_bids(outputs):
    _doc, result, _wb, _pages = outputs
    valle = result.vendor("valle_claro")
    assert valle.rank == 1 and not valle.disqualified
    # 24,000 contacts a month x $1.95 = $46,800 a month.
    assert valle.cost.monthly_charge == pytest.approx(46_800)


def test_the_json_workbook_and_pdf_list_the_same_amendments(outputs):
    doc, result, wb, pages = outputs
    json_rows = [
        (v["name"], a["field"], a["old"], a["new"], a["reason"])
        for v in result.to_json()["vendors"]
        for a in v["amendments"]
    ]
    assert len(json_rows) == 3
    sheet = wb["Amendments"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Vendor")
    sheet_rows = [[c.value for c in sheet[r]] for r in range(header + 1, sheet.max_row + 1)]
    assert [(row[0], row[8]) for row in sheet_rows] == [
        (name, reason) for name, _f, _o, _n, reason in json_rows
    ]
    assert [row[9] for row in sheet_rows] == [PRICE, KNOCKOUT, SETUP]
    text = " ".join(pages)
    for sentence in (PRICE, KNOCKOUT, SETUP):
        assert sentence in text


def test_page_one_of_the_pdf_shows_the_knockout_turned_to_pass(outputs):
    _doc, _result, _wb, pages = outputs
    first = pages[0]
    assert "Process exceptions" in first
    assert f"Valle Claro Soluciones: {KNOCKOUT}" in first
    assert f"Valle Claro Soluciones: {PRICE}" in first
    # The clarification before unsealing is not an exception of page 1.
    assert SETUP not in first
    assert (
        "Valle Claro Soluciones qualifies only because a knockout it failed as submitted was "
        "amended to pass after unsealing." in first
    )


def test_the_pdf_never_says_no_vendor_failed_a_knockout_without_the_amendment(outputs):
    _doc, _result, _wb, pages = outputs
    text = " ".join(pages)
    assert "No vendor failed a knockout." not in text
    assert (
        "Valle Claro Soluciones failed 2.2 PCI-DSS attestation for card-handling agents as "
        "submitted; the answer was amended to pass after the prices were unsealed"
    ) in text


def test_the_workbook_marks_the_vendor_on_the_summary(outputs):
    _doc, _result, wb, _pages = outputs
    ws = wb["Summary"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Rank")
    labels = [c.value for c in ws[header]]
    column = labels.index("Amended after unsealing") + 1
    marks = {ws.cell(r, 2).value: ws.cell(r, column).value for r in range(header + 1, header + 6)}
    assert marks["Valle Claro Soluciones"] == (
        "Amended by the lead after unsealing (price, knockout)"
    )
    # Tanglaw's clarification came before unsealing: listed, not marked.
    assert marks["Tanglaw Support Services"] is None
    assert marks["Puente Norte CX"] is None


def test_the_workbook_s_cost_sheet_prices_the_amended_bid(outputs):
    _doc, _result, wb, _pages = outputs
    # The rate input of the cost formulas; the LibreOffice test below recalculates them.
    cost = wb["Cost"]
    header = next(r for r in range(1, 40) if cost.cell(r, 1).value == "Vendor")
    labels = [c.value for c in cost[header]]
    rows = [
        dict(zip(labels, (c.value for c in cost[r]), strict=True))
        for r in range(header + 1, header + 6)
    ]
    valle = next(row for row in rows if row["Vendor"] == "Valle Claro Soluciones")
    assert 1.95 in valle.values()


def test_the_pdf_ranking_marks_the_amended_vendor(outputs):
    _doc, result, _wb, pages = outputs
    text = " ".join(pages)
    ranking = text[text.index("Ranking") : text.index("Totals by criterion contribution")]
    assert "amended after unsealing" in ranking[ranking.index("Valle Claro") :][:200]
    assert result.vendors[0].name == "Valle Claro Soluciones"


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_amended_workbook_to_the_engine_s_figures(
    outputs, recalculate
):
    doc, result, _wb, _pages = outputs
    wb = recalculate(doc, result)
    assert_figures_equal(summary_figures(wb), engine_figures(result))
    assert_matrix_and_cost_equal_the_engine(wb, doc, result)


def test_the_amended_figures_agree_with_the_pdf_ranking(outputs):
    _doc, result, _wb, pages = outputs
    text = _flat(" ".join(pages))
    ranking = text[text.index("Ranking") : text.index("Totals by criterion contribution")]
    for vendor in result.vendors:
        assert f"{vendor.total:.1f}" in ranking[ranking.index(vendor.name) :]
