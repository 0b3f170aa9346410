"""A report generated in the app says who recorded the award and when (from the audit
trail), and lists the process exceptions the database knows of."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from rfp import models as m
from rfp.areas.reports.queries import report_meta
from rfp.core import jobs
from rfp.scenario.store import dump_evaluation
from tests.fixtures.evaluations import events, membership_id


def _first_page(app, db) -> str:
    with db.transaction() as s:
        filename = s.scalar(
            select(m.GeneratedReport.filename)
            .where(m.GeneratedReport.kind == "pdf")
            .order_by(m.GeneratedReport.id.desc())
        )
    data = (Path(app.config["EXPORT_DIR"]) / filename).read_bytes()
    return re.sub(r"\s+", " ", PdfReader(io.BytesIO(data)).pages[0].extract_text())


def test_the_pdf_names_who_recorded_the_award_and_the_exceptions_on_record(
    app, client, auth, db, demo
):
    evaluation_id = demo["evaluation"]  # consensus
    with db.transaction() as s:
        s.add(
            m.ConflictDeclaration(
                membership_id=membership_id(db, evaluation_id, "priya"),
                vendor_id=demo["valle_claro"],
                note="Former employer",
            )
        )
        s.get(m.Membership, membership_id(db, evaluation_id, "luis")).submitted_at = None
    auth.login("morgan")
    response = client.post(
        f"/evaluations/{evaluation_id}/stage/decide",
        data={
            "vendor_id": str(demo["puente_norte"]),
            "rationale": "Highest total",
            # Luis's scorecard is open: the award says why it goes ahead, and is confirmed.
            "open_items_reason": "The board meets tomorrow",
            "confirm": "yes",
        },
    )
    assert response.status_code == 302
    [award] = events(db, evaluation_id, "award.recorded")

    generated = client.post(f"/evaluations/{evaluation_id}/reports", data={"kind": "pdf"})
    assert generated.status_code == 302
    assert jobs.run_pending(db) == 1  # the report is built by a job (as a worker runs it)
    first = _first_page(app, db)
    assert "Awarded to Puente Norte CX." in first
    assert f"Decision maker: Morgan Avery · Award date: {award.at:%Y-%m-%d}" in first
    assert (
        "Priya Raman declared a conflict of interest with Valle Claro Soluciones; their scores "
        "of that vendor are not counted. (Former employer)" in first
    )
    assert "1 scorecard never submitted, by Luis Ortega" in first


def test_before_the_award_nobody_is_named_and_every_scorecard_is_in(db, demo):
    evaluation_id = demo["evaluation"]
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        doc = dump_evaluation(s, evaluation_id)
        meta = report_meta(s, evaluation, doc)
    # The demo is at consensus: nobody has recorded an award, every scorecard is in.
    assert (meta.stage, meta.decided_by, meta.decided_at) == ("consensus", None, None)
    assert meta.unsubmitted_scorecards == ()
    assert meta.unsealed_at is not None and not meta.from_scenario_file
