"""A report build on a full disk left a truncated file under its final name, listed and
downloadable. A report is now written to a hidden temporary file in the same folder and
takes its name only when complete; a write that fails halfway, or a listing rolled
back, leaves no file and no row."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from rfp import models as m
from rfp.areas.reports import operations as ops
from rfp.reports import archive
from rfp.reports.archive import write_new_file

CONTENT = b"%PDF-1.7 " + b"x" * 100_000


@pytest.fixture
def disk_full_halfway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report write stops halfway, as on a disk that fills up during it."""

    def half_then_full(out: Any, content: bytes) -> None:
        out.write(content[: len(content) // 2])
        out.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(archive, "write_content", half_then_full)


def _everything_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_write_that_fails_halfway_leaves_nothing(tmp_path, disk_full_halfway):
    with pytest.raises(OSError, match="No space left"):
        write_new_file(tmp_path, "report.pdf", CONTENT)
    assert _everything_in(tmp_path) == []  # neither the half file nor a temporary one


def test_a_complete_file_takes_its_name_and_never_replaces_another(tmp_path):
    first = write_new_file(tmp_path, "report.pdf", CONTENT)
    second = write_new_file(tmp_path, "report.pdf", b"other")
    assert (first.name, second.name) == ("report.pdf", "report-2.pdf")
    assert first.read_bytes() == CONTENT and second.read_bytes() == b"other"
    assert _everything_in(tmp_path) == ["report-2.pdf", "report.pdf"]  # no temporary left
    assert oct(first.stat().st_mode & 0o777) == "0o644"


def _reports(db: Any) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(m.GeneratedReport))


def test_a_report_build_on_a_full_disk_lists_nothing_and_leaves_nothing(
    app, db, demo, tmp_path, disk_full_halfway
):
    exports = tmp_path / "exports"
    with pytest.raises(OSError), db.transaction() as s:
        ops.generate_report(s, s.get(m.Evaluation, demo["evaluation"]), "pdf", export_dir=exports)
    assert _reports(db) == 0
    assert _everything_in(exports) == []


def test_a_kept_report_whose_listing_is_rolled_back_is_removed(app, db, demo, tmp_path):
    exports = tmp_path / "exports"
    with pytest.raises(RuntimeError), db.transaction() as s:
        ops.generate_report(s, s.get(m.Evaluation, demo["evaluation"]), "pdf", export_dir=exports)
        assert len(_everything_in(exports)) == 1  # written, listed in this transaction
        raise RuntimeError("a later step of the same transaction fails")
    assert _reports(db) == 0
    assert _everything_in(exports) == []


def test_a_committed_report_stays(app, db, demo, tmp_path):
    exports = tmp_path / "exports"
    with db.transaction() as s:
        ops.generate_report(s, s.get(m.Evaluation, demo["evaluation"]), "pdf", export_dir=exports)
    with db.transaction() as s:  # a later rollback of the same kind of session removes nothing
        s.rollback()
    assert _reports(db) == 1
    assert len(_everything_in(exports)) == 1
