"""Generating reports: queued as a job by the reports page (`queue_report`), built by
the job (`build_report_job`, whichever worker runs it) or at once by `rfp export`
(`generate_report`); kept as a file under EXPORT_DIR and a GeneratedReport row that
lists it on its evaluation (who, when, size, sha256), audited.

Flush, never commit: the caller (a view, a job, `rfp export`) commits once. A file
written for a transaction that then rolls back stays on disk, unlisted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from rfp import models as m
from rfp.areas.reports.queries import report_meta
from rfp.core import jobs
from rfp.core.audit import record
from rfp.core.db import utcnow
from rfp.core.refusal import CONFLICT, NOT_FOUND, Refused
from rfp.domain.scoring import score_evaluation
from rfp.domain.vocabulary import JobStatus
from rfp.models.adapter import load_scoring_input
from rfp.reports.archive import KINDS, ReportKind, build_report, report_filename, write_new_file
from rfp.scenario.store import dump_evaluation


def _kind(kind: str) -> ReportKind:
    if kind not in KINDS:
        raise Refused("kind", f"Report: must be one of {', '.join(KINDS)}.")
    return ReportKind(kind)


_WRITTEN = "rfp.reports.written"  # session.info: files kept in the open transaction


def _removed_on_rollback(session: Session, path: Path) -> None:
    """Remove the kept file if its listing is rolled back (a later step refused, the
    commit failed): no file is left that no row lists."""
    if _WRITTEN not in session.info:
        session.info[_WRITTEN] = []
        event.listen(session, "after_commit", _forget_written)
        event.listen(session, "after_rollback", _remove_written)  # the database's rollback
    session.info[_WRITTEN].append(path)


def _forget_written(session: Session) -> None:
    session.info[_WRITTEN].clear()


def _remove_written(session: Session) -> None:
    for path in session.info[_WRITTEN]:
        path.unlink(missing_ok=True)
    session.info[_WRITTEN].clear()


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
    _removed_on_rollback(session, path)
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
    progress: Callable[[int, str], None] | None = None,
) -> m.GeneratedReport:
    """Score the evaluation as it stands, build the report and keep it (flush only).
    `progress(percent, note)` hears of each step."""
    kind = _kind(kind)
    tell = progress or (lambda _percent, _note: None)
    generated_at = now or utcnow()
    tell(5, "Reading the evaluation")
    doc = dump_evaluation(session, evaluation.id)
    tell(20, "Scoring")
    result = score_evaluation(load_scoring_input(session, evaluation))
    tell(35, f"Writing the {kind.label}")
    content = build_report(kind, result, doc, generated_at, report_meta(session, evaluation, doc))
    tell(90, "Keeping the file")
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


# -- off the request: report jobs --------------------------------------------------------

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def queue_report(
    session: Session, evaluation: m.Evaluation, kind: str, *, export_dir: str | Path, user: m.User
) -> tuple[m.Job, bool]:
    """Ask for a report to be built off the request; (its job, whether it is new). While
    one of this kind is waiting or being built, asking again (a double submit, a second
    reader) gives that one: it will hold the same figures."""
    kind = _kind(kind)
    waiting = session.scalar(
        select(m.Job)
        .where(
            m.Job.evaluation_id == evaluation.id,
            m.Job.kind == "report",
            m.Job.status.in_(ACTIVE),
            m.Job.payload["kind"].as_string() == kind.value,
        )
        .order_by(m.Job.id)
        .limit(1)
    )
    if waiting is not None:
        return waiting, False
    job = jobs.enqueue(
        session,
        "report",
        {"kind": kind.value, "export_dir": str(export_dir)},
        evaluation_id=evaluation.id,
        created_by_id=user.id,
    )
    return job, True


def build_report_job(
    session: Session, job: m.Job, progress: Callable[[int, str], None]
) -> dict[str, Any]:
    """The "report" job: build and keep the report the payload names, in the job's
    transaction (the report is listed, and the job done, together or not at all)."""
    evaluation = session.get(m.Evaluation, job.evaluation_id)
    if evaluation is None:
        raise LookupError(f"evaluation {job.evaluation_id} no longer exists")
    user = session.get(m.User, job.created_by_id) if job.created_by_id else None
    report = generate_report(
        session,
        evaluation,
        job.payload["kind"],
        export_dir=job.payload["export_dir"],
        user=user,
        created_by_name="" if user else "background job",
        progress=progress,
    )
    return {"report_id": report.id, "filename": report.filename}


def retry_report(session: Session, evaluation: m.Evaluation, job: m.Job) -> m.Job:
    """A failed report job back in the queue ("try again")."""
    if job.evaluation_id != evaluation.id or job.kind != "report":
        raise Refused("job", "No such report job in this evaluation.", NOT_FOUND)
    if job.status != JobStatus.FAILED:
        raise Refused("job", "Only a report that failed is tried again.", CONFLICT)
    jobs.retry_now(session, job)
    return job
