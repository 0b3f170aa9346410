"""The README promises that invalid input exits with status 2 and an error naming the
field. A scenario file with a NUL was imported (SQLite) or died in a traceback
(PostgreSQL); an export to a folder that cannot be written died in a traceback. Every
expected failure is now a message and exit status 2, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from rfp import models as m
from rfp.cli import main
from rfp.cli.files import EXIT_INVALID
from rfp.core.db import Database


@pytest.fixture
def cli_database(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The test database for the `rfp` commands, with the demo in it."""
    from rfp.demo import load_demo

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RFP_INSTANCE_PATH", str(tmp_path / "instance"))
    db = Database(database_url)
    with db.transaction() as s:
        evaluation, _logins, _created = load_demo(s)
        db.demo_id = evaluation.id  # type: ignore[attr-defined]
    yield db
    db.dispose()


def _count(db: Database, model: Any) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _a_file_where_a_folder_should_be(tmp_path: Path) -> Path:
    """A folder nobody can write to, even root: its parent is a plain file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    return blocker / "reports"


def _refused(result: Any) -> str:
    assert result.exit_code == EXIT_INVALID, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "Traceback" not in result.output
    return result.output


def test_importing_a_scenario_with_a_nul_names_the_field_and_writes_nothing(
    cli_database, make_scenario, tmp_path
):
    doc = make_scenario()
    doc["criteria"][0]["questions"][1]["text"] = "Language\x00 fluency"
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(doc))  # the NUL as JSON writes it: \u0000
    before = _count(cli_database, m.Evaluation)
    output = _refused(CliRunner().invoke(main, ["import", str(path)]))
    assert "criteria[0].questions[1].text: contains a control character (NUL)" in output
    assert _count(cli_database, m.Evaluation) == before


def test_an_export_to_a_folder_that_cannot_be_written_names_it_and_lists_nothing(
    cli_database, tmp_path, monkeypatch
):
    folder = _a_file_where_a_folder_should_be(tmp_path)
    monkeypatch.setenv("EXPORT_DIR", str(folder))
    output = _refused(CliRunner().invoke(main, ["export", str(cli_database.demo_id)]))
    assert f"EXPORT_DIR: cannot write to {folder}: Not a directory" in output
    assert _count(cli_database, m.GeneratedReport) == 0


def test_an_export_copy_to_a_folder_that_cannot_be_written_names_the_option(
    cli_database, tmp_path, monkeypatch
):
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))
    folder = _a_file_where_a_folder_should_be(tmp_path)
    result = CliRunner().invoke(main, ["export", str(cli_database.demo_id), "-o", str(folder)])
    assert "-o/--output: cannot write to" in _refused(result)
    assert _count(cli_database, m.GeneratedReport) == 0


def test_a_report_to_a_folder_that_cannot_be_written_names_the_option(tmp_path, demo_doc):
    source = tmp_path / "demo.json"
    source.write_text(json.dumps(demo_doc))
    folder = _a_file_where_a_folder_should_be(tmp_path)
    result = CliRunner().invoke(main, ["report", str(source), "-o", str(folder)])
    assert f"-o/--output: cannot write to {folder}" in _refused(result)


def test_a_dump_to_a_file_that_cannot_be_written_is_a_message(cli_database, tmp_path):
    target = _a_file_where_a_folder_should_be(tmp_path) / "dump.json"
    result = CliRunner().invoke(main, ["dump", str(cli_database.demo_id), "-o", str(target)])
    assert f"{target}: Not a directory" in _refused(result)


def test_a_control_character_on_the_command_line_is_a_usage_error(cli_database):
    result = CliRunner().invoke(main, ["create-user", "bell\x07", "--password", "x" * 12])
    assert result.exit_code == 2
    assert "contains a control character (U+0007)" in result.output
    with cli_database.session() as s:
        assert s.scalar(select(m.User).where(m.User.username == "bell\x07")) is None
