"""Background jobs (rfp.core.jobs): written with the change that asks for them, run once
by whichever worker claims them, retried on failure, taken again when a worker dies."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from rfp import models as m
from rfp.core import jobs
from rfp.core.db import Database, utcnow
from rfp.domain.vocabulary import JobStatus

pytestmark = pytest.mark.usefixtures("test_kinds")


@pytest.fixture
def test_kinds() -> Iterator[None]:
    jobs.register_kind("test.write", "tests.core.job_handlers:write_audit_event")
    jobs.register_kind("test.fail", "tests.core.job_handlers:write_then_fail")
    yield
    jobs.JOB_KINDS.pop("test.write", None)
    jobs.JOB_KINDS.pop("test.fail", None)


class Recorder:
    def __init__(self) -> None:
        self.told: list[int] = []

    def dispatch(self, job_ids: list[int]) -> None:
        self.told.extend(job_ids)


def _events(database: Database, target: str | None = None) -> int:
    with database.transaction() as s:
        query = (
            select(func.count()).select_from(m.AuditEvent).where(m.AuditEvent.action == "job.test")
        )
        if target is not None:
            query = query.where(m.AuditEvent.target == target)
        return s.scalar(query)


def _job(database: Database, job_id: int) -> m.Job:
    with database.transaction() as s:
        return s.get(m.Job, job_id)


def test_a_worker_is_told_only_after_the_commit(database):
    recorder = Recorder()
    jobs.set_dispatcher(database, recorder)
    with database.session() as s:
        job = jobs.enqueue(s, "test.write", {"target": "a"})
        assert recorder.told == []  # flushed, not committed: no worker may start yet
        s.commit()
    assert recorder.told == [job.id]


def test_a_rolled_back_request_leaves_no_job_and_tells_no_worker(database):
    recorder = Recorder()
    jobs.set_dispatcher(database, recorder)
    with database.session() as s:
        jobs.enqueue(s, "test.write", {"target": "a"})
        s.rollback()
        s.commit()  # a later commit of the same session must not dispatch the lost job
    assert recorder.told == []
    with database.transaction() as s:
        assert s.scalar(select(func.count()).select_from(m.Job)) == 0


def test_an_unknown_kind_is_refused_when_queued(database):
    with database.session() as s, pytest.raises(LookupError, match="no handler"):
        jobs.enqueue(s, "no.such.kind", {})


def test_a_job_runs_once_and_its_writes_commit_with_its_completion(database):
    with database.transaction() as s:
        job_id = jobs.enqueue(s, "test.write", {"target": "report 1"}).id
    assert jobs.run_pending(database) == 1
    done = _job(database, job_id)
    assert done.status is JobStatus.DONE
    assert done.result == {"wrote": "report 1"}
    assert done.progress == 100 and done.attempts == 1 and done.finished_at is not None
    assert _events(database, "report 1") == 1
    assert jobs.run_pending(database) == 0  # nothing runs twice
    assert jobs.run_job(database, job_id) is None


def test_two_workers_cannot_both_claim_a_job(database):
    with database.transaction() as s:
        job_id = jobs.enqueue(s, "test.write", {"target": "x"}).id
    assert jobs.claim(database, job_id) is True
    assert jobs.claim(database, job_id) is False


def test_a_failed_job_is_rolled_back_and_retried_later_then_marked_failed(database):
    with database.transaction() as s:
        job_id = jobs.enqueue(s, "test.fail", {}, max_attempts=2).id
    before = utcnow()
    assert jobs.run_job(database, job_id) is JobStatus.QUEUED
    job = _job(database, job_id)
    assert job.error == "RuntimeError: the mail server said no"
    # First retry after RETRY_DELAY (30 s): not due yet, so nothing runs now.
    assert job.run_after >= before + jobs.RETRY_DELAY
    assert jobs.run_pending(database) == 0
    assert _events(database) == 0  # the handler's write was rolled back
    with database.transaction() as s:
        s.get(m.Job, job_id).run_after = utcnow() - timedelta(seconds=1)
    assert jobs.run_job(database, job_id) is JobStatus.FAILED
    failed = _job(database, job_id)
    assert failed.attempts == 2 and failed.finished_at is not None
    assert _events(database) == 0


def test_retry_now_puts_a_failed_job_back_in_the_queue(database):
    with database.transaction() as s:
        job_id = jobs.enqueue(s, "test.fail", {}, max_attempts=1).id
    assert jobs.run_job(database, job_id) is JobStatus.FAILED
    recorder = Recorder()
    jobs.set_dispatcher(database, recorder)
    with database.transaction() as s:
        jobs.retry_now(s, s.get(m.Job, job_id))
    assert recorder.told == [job_id]
    job = _job(database, job_id)
    assert job.status is JobStatus.QUEUED and job.attempts == 0 and job.error == ""


def test_a_job_whose_worker_died_is_taken_again_when_its_lease_runs_out(database):
    with database.transaction() as s:
        job_id = jobs.enqueue(s, "test.write", {"target": "after restart"}).id
    assert jobs.claim(database, job_id)  # a worker took it, then its process stopped
    assert jobs.run_pending(database) == 0  # leased: nobody else may take it yet
    with database.transaction() as s:
        s.get(m.Job, job_id).locked_until = utcnow() - timedelta(seconds=1)
    assert jobs.run_pending(database) == 1
    job = _job(database, job_id)
    assert job.status is JobStatus.DONE and job.attempts == 2
    assert _events(database, "after restart") == 1


def test_the_worker_thread_runs_a_job_soon_after_the_commit(database):
    worker = jobs.ThreadDispatcher(database, poll_seconds=30)
    jobs.set_dispatcher(database, worker)
    try:
        with database.transaction() as s:
            job_id = jobs.enqueue(s, "test.write", {"target": "threaded"}).id
        deadline = time.monotonic() + 10  # woken by the commit, not by the 30 s poll
        while _job(database, job_id).status is not JobStatus.DONE:
            assert time.monotonic() < deadline, "the worker thread did not run the job"
            time.sleep(0.05)
    finally:
        worker.stop()


def test_the_app_runs_jobs_manually_under_test_and_in_a_thread_by_default(app, monkeypatch):
    assert isinstance(app.extensions["rfp.jobs"], jobs.ManualDispatcher)
    from rfp.core.config import load_config

    monkeypatch.delenv("RFP_JOBS", raising=False)
    assert load_config({"SECRET_KEY": "x"})["RFP_JOBS"] == "thread"
    monkeypatch.setenv("RFP_JOBS", "rq")
    assert load_config({"SECRET_KEY": "x", "TESTING": True})["RFP_JOBS"] == "rq"


# -- RQ with a real Redis server on loopback (tests/fixtures/redis.py) -------------------


def test_rq_carries_the_job_to_a_worker_process_that_runs_it(database, redis_url, monkeypatch):
    from redis import Redis
    from rq import SimpleWorker

    monkeypatch.setenv("DATABASE_URL", database.url)
    monkeypatch.setenv("RFP_REDIS_URL", redis_url)
    dispatcher = jobs.RqDispatcher(redis_url)
    jobs.set_dispatcher(database, dispatcher)
    with database.transaction() as s:
        job_id = jobs.enqueue(s, "test.write", {"target": "via redis"}).id
    assert dispatcher.queue.count == 1  # on the Redis queue, not run yet
    assert _job(database, job_id).status is JobStatus.QUEUED
    worker = SimpleWorker([dispatcher.queue], connection=Redis.from_url(redis_url))
    worker.work(burst=True)
    assert _job(database, job_id).status is JobStatus.DONE
    assert _events(database, "via redis") == 1
