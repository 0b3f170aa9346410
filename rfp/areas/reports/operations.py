"""Keeping generated reports: the file under EXPORT_DIR, and a GeneratedReport row that
lists it on its evaluation (who, when, size, sha256), audited.

Flush, never commit: the caller (a view, `rfp export`) commits once. A file written for
a transaction that then rolls back stays on disk, unlisted.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.reports.queries import report_meta
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.refusal import Refused
from rfp.domain.scoring import score_evaluation
from rfp.models.adapter import load_scoring_input
from rfp.reports.archive import KINDS, ReportKind, build_report, report_filename, write_new_file
from rfp.scenario.store import dump_evaluation


def _kind(kind: str) -> ReportKind:
    if kind not in KINDS:
        raise Refused("kind", f"Report: must be one of {', '.join(KINDS)}.")
    return ReportKind(kind)


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
    kind = _kind(kind)
    filename = report_filename(kind, evaluation.title, generated_at, evaluation.id)
    path = write_new_file(Path(export_dir), filename, content)
    report = m.GeneratedReport(
        evaluation_id=evaluation.id,
        kind=kind.value,
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
        f"{kind.label} {path.name}",
        new={
            "kind": kind.value,
            "filename": path.name,
            "size": len(content),
            "sha256": report.sha256,
        },
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
    kind = _kind(kind)
    generated_at = now or utcnow()
    doc = dump_evaluation(session, evaluation.id)
    result = score_evaluation(load_scoring_input(session, evaluation))
    content = build_report(kind, result, doc, generated_at, report_meta(session, evaluation, doc))
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
