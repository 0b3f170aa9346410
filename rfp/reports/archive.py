"""Keeping generated reports: the file under EXPORT_DIR, and a GeneratedReport row that
lists it on its evaluation (who, when, size, sha256).

`generate_report` builds a report of an evaluation from the database and keeps it; like
every operation it flushes and never commits, so the caller (a view, a command) commits
once. A file written for a transaction that then rolls back stays on disk unlisted.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.domain.scoring import score_evaluation
from rfp.domain.scoring.result import Result
from rfp.models.adapter import load_scoring_input
from rfp.scenario.store import dump_evaluation

KINDS = ("xlsx", "pdf")
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
KIND_NAMES = {"xlsx": "Excel workbook", "pdf": "PDF summary"}
SLUG_LENGTH = 60


def slug(title: str) -> str:
    """ASCII words joined by hyphens: "Évaluation 2027" -> "evaluation-2027"."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return words[:SLUG_LENGTH].rstrip("-") or "evaluation"


def report_filename(
    kind: str, title: str, generated_at: datetime, evaluation_id: int | None = None
) -> str:
    """A name that sorts by time: 20261123T143000Z-eval-1-customer-service-2027.xlsx."""
    if kind not in KINDS:
        raise ValueError(f"kind: must be one of {', '.join(KINDS)}")
    stamp = generated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    evaluation = f"eval-{evaluation_id}-" if evaluation_id is not None else ""
    return f"{stamp}-{evaluation}{slug(title)}.{kind}"


def write_new_file(directory: Path, filename: str, content: bytes) -> Path:
    """Write the file under a name nobody has taken: name, name-2, name-3, ..."""
    directory.mkdir(parents=True, exist_ok=True)
    stem, dot, suffix = filename.rpartition(".")
    number = 1
    while True:
        name = filename if number == 1 else f"{stem}-{number}{dot}{suffix}"
        try:
            with open(directory / name, "xb") as out:
                out.write(content)
        except FileExistsError:
            number += 1
            continue
        return directory / name


def build_report(kind: str, result: Result, doc: dict[str, Any], generated_at: datetime) -> bytes:
    if kind == "xlsx":
        from rfp.reports.xlsx import build_workbook

        return build_workbook(result, doc, generated_at=generated_at)
    if kind == "pdf":
        from rfp.reports.pdf import build_summary_pdf

        return build_summary_pdf(result, doc, generated_at=generated_at)
    raise ValueError(f"kind: must be one of {', '.join(KINDS)}")


def keep_report(
    session: Session,
    evaluation: m.Evaluation,
    kind: str,
    content: bytes,
    *,
    export_dir: str | Path,
    generated_at: datetime,
    user: m.User | None = None,
    created_by_name: str = "",
) -> m.GeneratedReport:
    """Save the bytes under EXPORT_DIR and list them on the evaluation (flush only)."""
    filename = report_filename(kind, evaluation.title, generated_at, evaluation.id)
    path = write_new_file(Path(export_dir), filename, content)
    report = m.GeneratedReport(
        evaluation_id=evaluation.id,
        kind=kind,
        filename=path.name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        created_by_id=user.id if user is not None else None,
        created_by_name=created_by_name or (user.name if user is not None else ""),
        created_at=generated_at,
    )
    session.add(report)
    record(
        session,
        evaluation,
        user,
        "report.generated",
        f"{KIND_NAMES[kind]} {path.name}",
        new={"kind": kind, "filename": path.name, "size": len(content), "sha256": report.sha256},
        actor=created_by_name,
    )
    session.flush()
    return report


def generate_report(
    session: Session,
    evaluation: m.Evaluation,
    kind: str,
    *,
    export_dir: str | Path,
    user: m.User | None = None,
    created_by_name: str = "",
    now: datetime | None = None,
) -> m.GeneratedReport:
    """Score the evaluation as it stands, build the report and keep it (flush only)."""
    if kind not in KINDS:
        raise ValueError(f"kind: must be one of {', '.join(KINDS)}")
    generated_at = now or utcnow()
    doc = dump_evaluation(session, evaluation.id)
    result = score_evaluation(load_scoring_input(session, evaluation))
    content = build_report(kind, result, doc, generated_at)
    return keep_report(
        session,
        evaluation,
        kind,
        content,
        export_dir=export_dir,
        generated_at=generated_at,
        user=user,
        created_by_name=created_by_name,
    )


def stored_path(export_dir: str | Path, report: m.GeneratedReport) -> Path | None:
    """The kept file of a report row, or None when it is gone. The path comes from the
    row, never from the request, and must name a file directly inside EXPORT_DIR."""
    directory = Path(export_dir).resolve()
    name = report.filename
    if not name or name != Path(name).name or name in (".", ".."):
        return None
    path = (directory / name).resolve()
    if path.parent != directory or not path.is_file():
        return None
    return path
