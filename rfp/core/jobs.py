"""Background jobs: reports and e-mail are done off the request, and survive a restart.

An operation calls `enqueue(session, kind, payload)`: the job is a row of the `jobs`
table, written in the same transaction as the change that asked for it, so a refused or
rolled-back request leaves no job behind and a committed one always has its job. Only
after the commit is a worker told (`after_commit`), so that no work starts on data the
request might still roll back. Then one of three runners takes it:

- `thread` (the embedded default): a worker thread in each app process polls the table
  and is woken after each commit;
- `rq`: the job id is put on a Redis queue (RQ) for `rfp worker` processes, for several
  app processes behind a load balancer;
- `manual`: nothing runs jobs by itself (tests and commands call `run_pending`).

Whichever runs it, a job is claimed by an atomic UPDATE (never twice), leased for a
while (a job whose worker died is taken again when its lease runs out), retried with a
growing delay on failure up to `max_attempts`, then marked failed with the error. The
handler runs in one transaction with the job's completion: a report is stored and its
job marked done together, or neither.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import weakref
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, event, or_, select, update
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.orm import Session

from rfp.core.db import Database, utcnow
from rfp.domain.vocabulary import JobStatus
from rfp.models.jobs import Job

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
RETRY_DELAY = timedelta(seconds=30)  # doubled at each further attempt
POLL_SECONDS = 5.0
_PENDING = "rfp.jobs.pending"

# kind -> "module:function"; imported when a job of that kind first runs, so that the
# RQ worker and the app need not import every area to know its jobs. Areas add theirs
# with `register_kind` when they are imported.
JOB_KINDS: dict[str, str] = {"mail": "rfp.core.mail:deliver"}

Progress = Callable[[int, str], None]
Handler = Callable[[Session, Job, Progress], "dict[str, Any] | None"]


def register_kind(kind: str, target: str) -> None:
    """Say which function runs jobs of `kind` ("package.module:function")."""
    JOB_KINDS[kind] = target


def handler_of(kind: str) -> Handler:
    try:
        module, _, name = JOB_KINDS[kind].partition(":")
    except KeyError:
        raise LookupError(f"no handler for jobs of kind {kind!r}") from None
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    evaluation_id: int | None = None,
    created_by_id: int | None = None,
    max_attempts: int = 3,
    run_after: datetime | None = None,
) -> Job:
    """A new job, flushed; a worker is told once the session commits."""
    if kind not in JOB_KINDS:
        raise LookupError(f"no handler for jobs of kind {kind!r}")
    job = Job(
        kind=kind,
        payload=payload,
        evaluation_id=evaluation_id,
        created_by_id=created_by_id,
        max_attempts=max_attempts,
        run_after=run_after or utcnow(),
    )
    session.add(job)
    session.flush()
    session.info.setdefault(_PENDING, []).append(job.id)
    return job


# -- telling a worker, after the commit ---------------------------------------------------


class Dispatcher(Protocol):
    def dispatch(self, job_ids: list[int]) -> None: ...


class ManualDispatcher:
    def dispatch(self, job_ids: list[int]) -> None:
        """Nothing: `run_pending` is called by whoever needs the work done."""


_dispatchers: weakref.WeakKeyDictionary[Engine, Dispatcher] = weakref.WeakKeyDictionary()


def set_dispatcher(database: Database, dispatcher: Dispatcher) -> None:
    _dispatchers[database.engine] = dispatcher


def dispatcher_of(database: Database) -> Dispatcher:
    return _dispatchers.get(database.engine) or ManualDispatcher()


@event.listens_for(Session, "after_commit")
def _tell_workers(session: Session) -> None:
    job_ids = session.info.pop(_PENDING, None)
    if not job_ids:
        return
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    dispatcher = _dispatchers.get(engine)
    if dispatcher is None:
        return
    try:
        dispatcher.dispatch(list(job_ids))
    except Exception:  # the job is safe in the table; a sweep will find it
        log.exception("could not hand jobs %s to a worker", job_ids)


@event.listens_for(Session, "after_rollback")
def _forget_jobs(session: Session) -> None:
    session.info.pop(_PENDING, None)


# -- running -----------------------------------------------------------------------------


def _due(now: datetime) -> Any:
    return or_(
        and_(Job.status == JobStatus.QUEUED, Job.run_after <= now),
        and_(Job.status == JobStatus.RUNNING, Job.locked_until < now),
    )


def claim(database: Database, job_id: int) -> bool:
    """Take a due job for this worker (an atomic UPDATE: two workers never both win)."""
    now = utcnow()
    with database.transaction() as session:
        claimed = session.execute(
            update(Job)
            .where(Job.id == job_id, _due(now))
            .values(
                status=JobStatus.RUNNING,
                attempts=Job.attempts + 1,
                locked_until=now + LEASE,
                started_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        assert isinstance(claimed, CursorResult)  # an UPDATE's result has its rowcount
        return claimed.rowcount == 1


def due_job_ids(
    database: Database, limit: int = 20, kinds: Sequence[str] | None = None
) -> list[int]:
    """The ids of due jobs, oldest first (only of `kinds` when given)."""
    query = select(Job.id).where(_due(utcnow()))
    if kinds is not None:
        query = query.where(Job.kind.in_(list(kinds)))
    with database.transaction() as session:
        return list(session.scalars(query.order_by(Job.id).limit(limit)))


def run_job(database: Database, job_id: int) -> JobStatus | None:
    """Claim and run one job; its status afterwards, or None when it was not due or
    another worker has it."""
    if not claim(database, job_id):
        return None
    progress = _progress_reporter(database, job_id)
    session = database.session()
    try:
        job = session.get(Job, job_id)
        assert job is not None  # noqa: S101  (claimed a moment ago)
        if job.attempts > job.max_attempts:  # its worker died every time
            raise RuntimeError(f"gave up after {job.max_attempts} attempts")
        result = handler_of(job.kind)(session, job, progress)
        job.status = JobStatus.DONE
        job.result = result
        job.progress = 100
        job.error = ""
        job.finished_at = utcnow()
        job.locked_until = None
        session.commit()
        return JobStatus.DONE
    except Exception as exc:
        session.rollback()
        log.warning("job %s failed: %s", job_id, exc)
        return _failed(database, job_id, exc)
    finally:
        session.close()


def _failed(database: Database, job_id: int, exc: Exception) -> JobStatus:
    with database.transaction() as session:
        job = session.get(Job, job_id)
        assert job is not None  # noqa: S101
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
        job.locked_until = None
        if job.attempts < job.max_attempts:
            job.status = JobStatus.QUEUED
            job.run_after = utcnow() + RETRY_DELAY * (2 ** (job.attempts - 1))
        else:
            job.status = JobStatus.FAILED
            job.finished_at = utcnow()
        status = job.status
    if status is JobStatus.QUEUED:
        dispatcher = dispatcher_of(database)
        retry = getattr(dispatcher, "dispatch_later", None)
        if retry is not None:
            retry(job_id, RETRY_DELAY * (2 ** (job.attempts - 1)))
    return status


def _progress_reporter(database: Database, job_id: int) -> Progress:
    """Progress in a short transaction of its own (the page reads it while the job's
    own transaction is still open); it also renews the lease."""

    def report(percent: int, note: str = "") -> None:
        with database.transaction() as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(
                    progress=max(0, min(99, int(percent))),
                    progress_note=note[:200],
                    locked_until=utcnow() + LEASE,
                )
                .execution_options(synchronize_session=False)
            )

    return report


def run_pending(
    database: Database, limit: int | None = None, kinds: Sequence[str] | None = None
) -> int:
    """Run every due job (at most `limit`; only of `kinds` when given); how many ran."""
    ran = 0
    while limit is None or ran < limit:
        ids = due_job_ids(database, 1, kinds)
        if not ids:
            return ran
        if run_job(database, ids[0]) is not None:
            ran += 1
    return ran


def retry_now(session: Session, job: Job) -> None:
    """A failed job back in the queue at once (the lead's "try again")."""
    job.status = JobStatus.QUEUED
    job.attempts = 0
    job.run_after = utcnow()
    job.error = ""
    job.finished_at = None
    session.flush()
    session.info.setdefault(_PENDING, []).append(job.id)


# -- the embedded worker thread ----------------------------------------------------------


class ThreadDispatcher:
    """A worker thread in this process: woken after each commit that queued a job, and
    polling every few seconds for retries and jobs left by a process that stopped."""

    def __init__(self, database: Database, poll_seconds: float = POLL_SECONDS) -> None:
        self.database = database
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def start(self) -> None:
        """Start (or restart, after a fork) the thread; safe to call often."""
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="rfp-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def dispatch(self, job_ids: list[int]) -> None:
        self.start()
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                run_pending(self.database)
            except Exception:  # a database hiccup: try again at the next poll
                log.exception("the job worker could not run the pending jobs")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()


# -- RQ (Redis) for several processes ---------------------------------------------------

RQ_QUEUE = "rfp"


class RqDispatcher:
    """Puts each job id on a Redis queue for `rfp worker` processes (RQ)."""

    def __init__(self, redis_url: str, queue_name: str = RQ_QUEUE) -> None:
        from redis import Redis
        from rq import Queue

        self.queue = Queue(queue_name, connection=Redis.from_url(redis_url))

    def dispatch(self, job_ids: list[int]) -> None:
        for job_id in job_ids:
            self.queue.enqueue(run_job_in_worker, job_id)

    def dispatch_later(self, job_id: int, delay: timedelta) -> None:
        self.queue.enqueue_in(delay, run_job_in_worker, job_id)


def run_job_in_worker(job_id: int) -> str | None:
    """What an RQ worker runs: one job, on the database of the worker's own
    environment (DATABASE_URL; never passed through Redis, as it may hold a password)."""
    from rfp.core.config import database_url

    database = Database(database_url())
    try:
        set_dispatcher(database, RqDispatcher(os.environ["RFP_REDIS_URL"]))
        status = run_job(database, job_id)
        return None if status is None else str(status)
    finally:
        database.dispose()


def dispatcher_for_config(database: Database, config: dict[str, Any]) -> Dispatcher:
    mode = config.get("RFP_JOBS", "thread")
    if mode == "thread":
        return ThreadDispatcher(database, float(config.get("RFP_JOBS_POLL_SECONDS", POLL_SECONDS)))
    if mode == "rq":
        url = config.get("RFP_REDIS_URL")
        if not url:
            raise ValueError("RFP_JOBS=rq needs RFP_REDIS_URL (redis://host:port/db)")
        return RqDispatcher(url)
    if mode == "manual":
        return ManualDispatcher()
    raise ValueError(f"RFP_JOBS must be thread, rq or manual, not {mode!r}")
