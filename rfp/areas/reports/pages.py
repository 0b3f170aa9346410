"""What the reports page shows: one row per kept report, in the reader's words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from rfp import models as m
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
