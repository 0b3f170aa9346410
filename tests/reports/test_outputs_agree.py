"""One result feeds every output: the demo's totals and ranks are the same in the engine,
the JSON API, the results page, the workbook (recalculated by LibreOffice) and the PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from rfp import models as m
from rfp.core.jobs import run_pending
from rfp.core.templating import score_text
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from rfp.scenario.store import dump_evaluation

pytestmark = pytest.mark.libreoffice


def kept_file(app, db, kind: str) -> bytes:
    with db.transaction() as s:
        filename = s.scalar(
            select(m.GeneratedReport.filename)
            .where(m.GeneratedReport.kind == kind)
            .order_by(m.GeneratedReport.id.desc())
        )
    return (Path(app.config["EXPORT_DIR"]) / filename).read_bytes()


def in_order(text: str, names: list[str]) -> bool:
    positions = [text.find(name) for name in names]
    return -1 not in positions and positions == sorted(positions)


def test_demo_totals_and_ranks_agree_in_every_output(app, client, auth, demo, db, recalculate):
    evaluation_id = demo["evaluation"]
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, evaluation_id)
        doc = dump_evaluation(s, evaluation_id)
        result = score_evaluation(load_scoring_input(s, evaluation))
    engine = [(v.name, v.rank, v.total) for v in result.vendors]
    names = [name for name, _rank, _total in engine]
    # The demo as the engine ranks it (worked out in tests/scoring): Puente Norte first,
    # Valle Claro disqualified (PCI knockout) and unranked.
    assert engine[0][:2] == ("Puente Norte CX", 1)
    assert engine[-1][:2] == ("Valle Claro Soluciones", None)

    auth.login("morgan")
    api = client.get(f"/api/evaluations/{evaluation_id}/results").get_json()
    assert [(v["name"], v["rank"], v["total"]) for v in api["vendors"]] == engine

    page = client.get(f"/evaluations/{evaluation_id}/results").get_data(as_text=True)
    ranking = page[page.index('id="ranking-heading"') :]
    assert in_order(ranking, names)
    for name, rank, total in engine:
        row = ranking[ranking.index(name) - 600 : ranking.index(name) + 1200]
        assert score_text(total) in row, name
        assert re.search(rf">\s*{rank if rank is not None else '–'}\s*<", row), name

    for kind in ("xlsx", "pdf"):
        assert (
            client.post(f"/evaluations/{evaluation_id}/reports", data={"kind": kind}).status_code
            == 302
        )
    assert run_pending(db) == 2  # the reports are built off the request

    wb = recalculate(doc, result, data=kept_file(app, db, "xlsx"))
    ws = wb["Summary"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Rank")
    total_col = [c.value for c in ws[header]].index("Total") + 1
    sheet = [
        (ws.cell(r, 2).value, ws.cell(r, 1).value, ws.cell(r, total_col).value)
        for r in range(header + 1, header + 1 + len(engine))
    ]
    for (name, rank, total), (s_name, s_rank, s_total) in zip(engine, sheet, strict=True):
        assert s_name == name
        assert s_rank == (rank if rank is not None else "–")
        assert s_total == pytest.approx(total, abs=1e-6)

    pdf = PdfReader(io.BytesIO(kept_file(app, db, "pdf")))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    ranking_text = text[text.index("Ranking") : text.index("Totals by criterion contribution")]
    assert in_order(ranking_text, names)
    for name, _rank, total in engine:
        assert score_text(total) in ranking_text[ranking_text.index(name) :]
