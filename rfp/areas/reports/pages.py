"""What the reports page shows: one row per kept report, and the reports being built
(their progress, or why they failed), in the reader's words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rfp import models as m
from rfp.domain.vocabulary import JobStatus
from rfp.reports.archive import KINDS, ReportKind


@dataclass(frozen=True)
class ReportRow:
    id: int
    kind: str
    kind_label: str
    filename: str
    size: int
    sha256: str
    created_at: datetime | None
    created_by: str  # the account's current name, else the name kept with the row


def kind_label(kind: str) -> str:
    return ReportKind(kind).label if kind in KINDS else kind


def report_rows(reports: Iterable[m.GeneratedReport]) -> tuple[ReportRow, ...]:
    return tuple(
        ReportRow(
            id=r.id,
            kind=r.kind,
            kind_label=kind_label(r.kind),
            filename=r.filename,
            size=r.size,
            sha256=r.sha256,
            created_at=r.created_at,
            created_by=(r.created_by.name if r.created_by else r.created_by_name) or "–",
        )
        for r in reports
    )


# -- report jobs: waiting, being built, failed -------------------------------------------

FAILED_MESSAGE = "The report could not be built."


@dataclass(frozen=True)
class JobRow:
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    progress: int
    note: str
    error: str  # what went wrong, for the lead; "" for others
    attempts: int
    created_at: datetime | None
    created_by: str

    @property
    def failed(self) -> bool:
        return self.status == JobStatus.FAILED


def job_rows(
    jobs: Iterable[m.Job], names: dict[int, str], *, show_errors: bool
) -> tuple[JobRow, ...]:
    """The report jobs the page shows; `names` maps user ids to names."""
    return tuple(_job_row(job, names, show_errors=show_errors) for job in jobs)


def _job_row(job: m.Job, names: dict[int, str], *, show_errors: bool) -> JobRow:
    kind = str((job.payload or {}).get("kind", ""))
    status = JobStatus(job.status)
    return JobRow(
        id=job.id,
        kind=kind,
        kind_label=kind_label(kind),
        status=status.value,
        status_label=status.label,
        progress=job.progress,
        note=job.progress_note,
        error=(job.error if show_errors else "") if status is JobStatus.FAILED else "",
        attempts=job.attempts,
        created_at=job.created_at,
        created_by=names.get(job.created_by_id or 0, "–"),
    )


def job_status(row: JobRow, report: dict[str, str] | None) -> dict[str, Any]:
    """What the reports page's script polls: the job's state, and the file once ready."""
    return {
        "id": row.id,
        "kind": row.kind,
        "status": row.status,
        "status_label": row.status_label,
        "progress": row.progress,
        "note": row.note,
        "failed": row.failed,
        "message": (FAILED_MESSAGE + (f" {row.error}" if row.error else "")) if row.failed else "",
        "report": report,
    }
