"""What the reports pages read: the reports kept for an evaluation, and one of them; and
what a report says beyond the result (`report_meta`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rfp import models as m
from rfp.domain.vocabulary import JobStatus, Role
from rfp.reports.meta import ReportMeta, meta_from_scenario

AWARD_RECORDED = "award.recorded"  # the audit action of rfp.areas.stages.operations.decide


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


def report_jobs_to_show(session: Session, evaluation: m.Evaluation) -> list[m.Job]:
    """The latest report job of each kind, when it is not done: waiting, being built, or
    failed (until it is tried again or a later one succeeds). Two queries at most."""
    # One expression object for the column and the grouping: PostgreSQL compares them as
    # written, and two copies would carry two bound parameters for the key.
    kind = m.Job.payload["kind"].as_string()
    latest = (
        select(kind.label("kind"), func.max(m.Job.id).label("id"))
        .where(m.Job.evaluation_id == evaluation.id, m.Job.kind == "report")
        .group_by(kind)
        .subquery()
    )
    return list(
        session.scalars(
            select(m.Job)
            .join(latest, latest.c.id == m.Job.id)
            .where(m.Job.status != JobStatus.DONE)
            .order_by(m.Job.id)
        )
    )


def report_job(session: Session, evaluation: m.Evaluation, job_id: int) -> m.Job | None:
    """A report job of this evaluation (None for another evaluation's, or another kind)."""
    job = session.get(m.Job, job_id)
    if job is None or job.evaluation_id != evaluation.id or job.kind != "report":
        return None
    return job


def creator_names(session: Session, jobs: Sequence[m.Job]) -> dict[int, str]:
    """The names of the people who asked for these jobs (one query)."""
    ids = {job.created_by_id for job in jobs if job.created_by_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(m.User.id, m.User.name).where(m.User.id.in_(ids))).all())


def report_meta(session: Session, evaluation: m.Evaluation, doc: dict[str, Any]) -> ReportMeta:
    """The scenario's meta (stage, deadline, award, conflicts) completed from the database:
    who recorded the award and when (its audit event), when responses were unsealed, and
    the active evaluators who never submitted their scorecard. Two queries."""
    award = session.scalar(
        select(m.AuditEvent)
        .options(selectinload(m.AuditEvent.user))
        .where(m.AuditEvent.evaluation_id == evaluation.id, m.AuditEvent.action == AWARD_RECORDED)
        .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
        .limit(1)
    )
    unsubmitted = session.scalars(
        select(m.Membership)
        .options(selectinload(m.Membership.user))
        .where(
            m.Membership.evaluation_id == evaluation.id,
            m.Membership.role == Role.EVALUATOR,
            m.Membership.active.is_(True),
            m.Membership.submitted_at.is_(None),
        )
        .order_by(m.Membership.id)
    ).all()
    meta = meta_from_scenario(doc)
    return dataclasses.replace(
        meta,
        unsealed_at=evaluation.unsealed_at,
        decided_by=_who(award),
        decided_at=award.at if award is not None else evaluation.decided_at,
        unsubmitted_scorecards=tuple(ms.user.name for ms in unsubmitted),
        from_scenario_file=False,
    )


def _who(event: m.AuditEvent | None) -> str | None:
    """Who acted in an audit event: the user's name, or the actor it names ("cli")."""
    if event is None:
        return None
    return (event.user.name if event.user is not None else event.actor) or None
