"""`rfp report FILE` and `rfp export ID` write both files, named to sort by time."""

from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

import rfp.demo
from rfp import models as m
from rfp.cli import main
from rfp.core.db import Database

DEMO_FILE = Path(rfp.demo.__file__).with_name(rfp.demo.DEMO_FILE)
NAME = r"(\d{8}T\d{6}Z)-customer-service-outsourcing-2027\.(xlsx|pdf)"


def test_report_builds_both_files_from_a_scenario_file_without_a_database(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(DEMO_FILE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 2
    assert [re.fullmatch(NAME, f).group(2) for f in files] == ["pdf", "xlsx"]
    xlsx = next(out.glob("*.xlsx"))
    assert load_workbook(io.BytesIO(xlsx.read_bytes())).sheetnames[0] == "Summary"
    assert next(out.glob("*.pdf")).read_bytes().startswith(b"%PDF")
    assert hashlib.sha256(xlsx.read_bytes()).hexdigest() in result.output


def test_report_of_an_invalid_file_writes_nothing_and_exits_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": 1, "evaluation": {}, "criteria": [], "vendors": []}))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert "evaluation.title" in result.output
    assert not out.exists()


def _demo_database(database_url: str) -> int:
    from rfp.demo import load_demo

    db = Database(database_url)
    with db.transaction() as s:
        evaluation, _logins, _created = load_demo(s)
        evaluation_id = evaluation.id
    db.dispose()
    return evaluation_id


def test_export_keeps_both_files_and_registers_them(database_url, tmp_path, monkeypatch):
    evaluation_id = _demo_database(database_url)
    exports = tmp_path / "exports"
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("EXPORT_DIR", str(exports))
    times = iter(
        [datetime(2026, 11, 23, 14, 30, tzinfo=UTC), datetime(2026, 11, 24, 9, 5, tzinfo=UTC)]
    )
    monkeypatch.setattr("rfp.core.db.utcnow", lambda: next(times))

    first = CliRunner().invoke(main, ["export", str(evaluation_id)])
    assert first.exit_code == 0, first.output
    copies = tmp_path / "copies"
    second = CliRunner().invoke(main, ["export", str(evaluation_id), "--pdf", "-o", str(copies)])
    assert second.exit_code == 0, second.output

    files = sorted(p.name for p in exports.iterdir())
    assert files == [
        f"20261123T143000Z-eval-{evaluation_id}-customer-service-outsourcing-2027.pdf",
        f"20261123T143000Z-eval-{evaluation_id}-customer-service-outsourcing-2027.xlsx",
        f"20261124T090500Z-eval-{evaluation_id}-customer-service-outsourcing-2027.pdf",
    ]  # sorted by name is sorted by time
    assert [p.name for p in copies.iterdir()] == [files[-1]]

    db = Database(database_url)
    with db.transaction() as s:
        rows = s.scalars(select(m.GeneratedReport).order_by(m.GeneratedReport.id)).all()
        registered = [(r.kind, r.filename, r.size, r.sha256, r.created_by_name) for r in rows]
        audit = s.scalars(
            select(m.AuditEvent.action).where(m.AuditEvent.action == "report.generated")
        ).all()
    db.dispose()
    assert [r[0] for r in registered] == ["xlsx", "pdf", "pdf"]
    for _kind, filename, size, sha256, who in registered:
        content = (exports / filename).read_bytes()
        assert size == len(content)
        assert sha256 == hashlib.sha256(content).hexdigest()
        assert who == "cli"
    assert len(audit) == 3


def test_export_of_an_unknown_evaluation_fails_cleanly(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))
    result = CliRunner().invoke(main, ["export", "999"])
    assert result.exit_code == 1
    assert "no evaluation with id 999" in result.output
    assert not (tmp_path / "exports").exists()
