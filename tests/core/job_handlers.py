"""Job handlers for the tests of rfp.core.jobs (registered by the tests that use them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rfp import models as m


def write_audit_event(session: Session, job: m.Job, progress: Any) -> dict[str, Any]:
    """Writes a row in the job's transaction, reports progress, returns a result."""
    progress(50, "half way")
    session.add(m.AuditEvent(action="job.test", target=job.payload["target"]))
    session.flush()
    return {"wrote": job.payload["target"]}


def write_then_fail(session: Session, job: m.Job, progress: Any) -> None:
    """Writes a row, then fails: the row must not survive."""
    session.add(m.AuditEvent(action="job.test", target="should roll back"))
    session.flush()
    raise RuntimeError("the mail server said no")
