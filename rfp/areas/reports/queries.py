"""What the reports pages read: the reports kept for an evaluation, and one of them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m


def kept_reports(session: Session, evaluation: m.Evaluation) -> Sequence[m.GeneratedReport]:
    """The evaluation's reports, newest first, with who made them (two queries)."""
    return session.scalars(
        select(m.GeneratedReport)
        .options(selectinload(m.GeneratedReport.created_by))
        .where(m.GeneratedReport.evaluation_id == evaluation.id)
        .order_by(m.GeneratedReport.created_at.desc(), m.GeneratedReport.id.desc())
    ).all()


def kept_report(
    session: Session, evaluation: m.Evaluation, report_id: int
) -> m.GeneratedReport | None:
    """A report of this evaluation (None for another evaluation's: not theirs to know)."""
    report = session.get(m.GeneratedReport, report_id)
    if report is None or report.evaluation_id != evaluation.id:
        return None
    return report
