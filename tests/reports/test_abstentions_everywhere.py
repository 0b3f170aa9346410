"""An abstention is shown wherever the missing scores are: the JSON (`rfp score --json`
and the API read the same `to_json`), the console table, and the workbook (the vendor's
notes on the summary, and a row of the Scores sheet with the reason and no score)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from rfp.cli.ranking_text import ranking_table
from rfp.reports.xlsx import build_workbook

REASON = "Never saw their CRM sandbox"


def _doc(make_scenario: Any) -> dict[str, Any]:
    doc = make_scenario()
    doc["scores"] = [
        {"evaluator": "ana", "vendor": "alpha", "question": "timezone", "score": 4},
        {"evaluator": "raj", "vendor": "alpha", "question": "timezone", "abstain": True,
         "reason": REASON},
    ]  # fmt: skip
    return doc


def test_the_json_lists_the_abstention_with_its_reason(make_scenario, score_doc):
    _doc_, result = score_doc(_doc(make_scenario))
    alpha = next(v for v in result.to_json()["vendors"] if v["key"] == "alpha")
    assert alpha["abstentions"] == [{"question": "timezone", "evaluator": "raj", "reason": REASON}]
    assert {"question": "timezone", "evaluator": "raj"} not in alpha["missing"]


def test_the_console_table_lists_abstentions_after_the_provisional_figures(
    make_scenario, score_doc
):
    doc, result = score_doc(_doc(make_scenario))
    text = ranking_table(result, doc)
    assert "Abstentions (not counted, not missing)" in text
    assert f"  Alpha CX: raj on timezone: {REASON}" in text


def test_the_workbook_shows_the_abstention_in_the_notes_and_the_scores_sheet(
    make_scenario, score_doc, generated_at
):
    doc, result = score_doc(_doc(make_scenario))
    book = load_workbook(io.BytesIO(build_workbook(result, doc, generated_at=generated_at)))
    summary_text = [str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value]
    assert any(
        "Abstained (not counted, not missing): Raj Patel on 1.1 Time zone overlap" in text
        for text in summary_text
    )
    rows = [
        [c.value for c in row]
        for row in book["Scores"].iter_rows()
        if row[0].value == "Raj Patel" and row[3].value == "1.1 Time zone overlap"
    ]
    assert len(rows) == 1
    [raj] = rows
    # Evaluator, Vendor, Criterion, Question, Score, Comment, Dispersion, Not counted because
    assert raj[4] is None
    assert raj[5] == REASON
    assert raj[7] == "abstained (the comment says why)"
