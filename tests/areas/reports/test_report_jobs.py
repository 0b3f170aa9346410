"""Reports are built off the request: the POST queues a job and returns at once, a worker
builds the file (the app's own thread, `rfp run-jobs`, or `rfp worker` on Redis), the
page follows its progress and lists the file, a failed report can be tried again, and
an unfinished one survives a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from rfp import create_app
from rfp import models as m
from rfp.areas.reports import operations as ops
from rfp.cli import main
from rfp.core import jobs
from rfp.core.db import utcnow
from rfp.domain.vocabulary import JobStatus


def reports_url(evaluation_id: int) -> str:
    return f"/evaluations/{evaluation_id}/reports"


def an_app(database_url: str, tmp_path: Path, **config: Any) -> Any:
    """Another app process on the test database (a restart, or a runner of its own)."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "EXPORT_DIR": str(tmp_path / "exports"),
            "WTF_CSRF_ENABLED": False,
        }
        | config
    )


def reports(db) -> list[m.GeneratedReport]:
    with db.transaction() as s:
        rows = s.scalars(select(m.GeneratedReport).order_by(m.GeneratedReport.id)).all()
        s.expunge_all()
    return list(rows)


def the_job(db) -> m.Job:
    with db.transaction() as s:
        (job,) = s.scalars(select(m.Job).where(m.Job.kind == "report")).all()
        s.expunge(job)
    return job


def queue(client, evaluation_id: int, kind: str = "xlsx") -> int:
    response = client.post(reports_url(evaluation_id), data={"kind": kind})
    assert response.status_code == 302
    return response


@pytest.fixture
def lead(app, demo, login_as) -> Any:
    client = app.test_client()
    login_as(client, "morgan")
    return client


def test_the_post_returns_before_the_file_exists_and_a_worker_builds_it(app, lead, demo, db):
    url = reports_url(demo["evaluation"])
    queue(lead, demo["evaluation"])
    export_dir = Path(app.config["EXPORT_DIR"])
    assert reports(db) == [] and not any(export_dir.glob("*.xlsx"))
    job = the_job(db)
    assert job.status is JobStatus.QUEUED and job.payload["kind"] == "xlsx"
    page = lead.get(url).get_data(as_text=True)
    assert "Being built" in page and "Waiting" in page and "report_jobs.js" in page
    status = lead.get(f"{url}/jobs/{job.id}").get_json()
    assert (status["status"], status["progress"], status["report"]) == ("queued", 0, None)

    assert jobs.run_pending(db) == 1

    (report,) = reports(db)
    assert (export_dir / report.filename).is_file()
    assert report.created_by_name == "Morgan Avery"
    status = lead.get(f"{url}/jobs/{job.id}").get_json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["report"] == {"url": f"{url}/{report.id}", "filename": report.filename}
    page = lead.get(url).get_data(as_text=True)
    assert report.filename in page and "Being built" not in page


def test_asking_twice_while_it_is_being_built_queues_one_job(lead, demo, db):
    queue(lead, demo["evaluation"])
    response = lead.post(reports_url(demo["evaluation"]), data={"kind": "xlsx"})
    assert "still being built" in lead.get(response.headers["Location"]).get_data(as_text=True)
    queue(lead, demo["evaluation"], "pdf")  # another kind is another job
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(m.Job)) == 2
    assert jobs.run_pending(db) == 2
    assert sorted(r.kind for r in reports(db)) == ["pdf", "xlsx"]


def test_the_job_reports_its_progress_as_it_goes(app, db, demo):
    notes = []
    with db.transaction() as s:
        evaluation = s.get(m.Evaluation, demo["evaluation"])
        ops.generate_report(
            s,
            evaluation,
            "pdf",
            export_dir=app.config["EXPORT_DIR"],
            progress=lambda percent, note: notes.append((percent, note)),
        )
    percents = [p for p, _ in notes]
    assert percents == sorted(percents) and percents[0] > 0 and percents[-1] < 100
    assert "Writing the PDF summary" in [n for _, n in notes]


def test_a_failed_report_is_shown_with_try_again_and_is_built_when_tried(
    app, lead, demo, db, monkeypatch, login_as
):
    url = reports_url(demo["evaluation"])
    queue(lead, demo["evaluation"], "pdf")
    job_id = the_job(db).id
    real_build = ops.build_report

    def broken(*args: Any) -> bytes:
        raise OSError("No space left on device")

    monkeypatch.setattr(ops, "build_report", broken)
    for _attempt in range(3):  # retried later twice, then given up
        jobs.run_job(db, job_id)
        with db.transaction() as s:
            s.get(m.Job, job_id).run_after = utcnow() - timedelta(seconds=1)
    assert the_job(db).status is JobStatus.FAILED

    page = lead.get(url).get_data(as_text=True)
    assert "The report could not be built (3 attempts)" in page
    assert "No space left on device" in page  # the lead sees why
    assert f"{url}/jobs/{job_id}/retry" in page and "Try again" in page
    viewer = app.test_client()
    login_as(viewer, "elena")
    viewer_page = viewer.get(url).get_data(as_text=True)
    assert "could not be built" in viewer_page and "No space left" not in viewer_page
    assert "No space left" not in viewer.get(f"{url}/jobs/{job_id}").get_data(as_text=True)

    monkeypatch.setattr(ops, "build_report", real_build)
    assert lead.post(f"{url}/jobs/{job_id}/retry").status_code == 302
    assert the_job(db).status is JobStatus.QUEUED
    assert jobs.run_pending(db) == 1
    assert [r.kind for r in reports(db)] == ["pdf"]
    assert lead.post(f"{url}/jobs/{job_id}/retry").status_code == 409  # done: nothing to retry


def test_a_report_job_of_another_evaluation_is_not_found(lead, demo, db, make_scenario):
    from rfp.scenario import normalise_scenario
    from rfp.scenario.store import import_scenario

    with db.transaction() as s:
        morgan = s.scalar(select(m.User).where(m.User.username == "morgan"))
        other = import_scenario(s, normalise_scenario(make_scenario()), lead=morgan)
        other_id = other.id
    queue(lead, other_id)
    job_id = the_job(db).id
    url = reports_url(demo["evaluation"])
    assert lead.get(f"{url}/jobs/{job_id}").status_code == 404
    assert lead.post(f"{url}/jobs/{job_id}/retry").status_code == 404
    assert lead.get(f"{reports_url(other_id)}/jobs/{job_id}").status_code == 200


def test_an_unfinished_report_survives_a_restart(
    app, lead, demo, db, database_url, tmp_path, login_as
):
    queue(lead, demo["evaluation"])
    job_id = the_job(db).id
    assert jobs.claim(db, job_id)  # a worker took it, then its process stopped
    app.extensions["rfp.core.db"].dispose()

    restarted = an_app(database_url, tmp_path)
    try:
        client = restarted.test_client()
        login_as(client, "morgan")
        url = reports_url(demo["evaluation"])
        assert "In progress" in client.get(url).get_data(as_text=True)
        database = restarted.extensions["rfp.core.db"]
        assert jobs.run_pending(database) == 0  # leased: its worker might still be on it
        with database.transaction() as s:
            s.get(m.Job, job_id).locked_until = utcnow() - timedelta(seconds=1)
        assert jobs.run_pending(database) == 1  # the lease ran out: taken again
        (report,) = reports(database)
        assert report.filename in client.get(url).get_data(as_text=True)
        assert the_job(database).attempts == 2
    finally:
        restarted.extensions["rfp.core.db"].dispose()


def test_the_app_s_worker_thread_builds_the_report_by_itself(
    demo, database_url, tmp_path, login_as
):
    threaded = an_app(database_url, tmp_path, RFP_JOBS="thread", RFP_JOBS_POLL_SECONDS=30)
    worker = threaded.extensions["rfp.jobs"]
    assert isinstance(worker, jobs.ThreadDispatcher)
    try:
        client = threaded.test_client()
        login_as(client, "morgan")
        queue(client, demo["evaluation"], "pdf")
        database = threaded.extensions["rfp.core.db"]
        deadline = time.monotonic() + 60  # woken by the commit, not by the 30 s poll
        while not reports(database):
            assert time.monotonic() < deadline, "the worker thread did not build the report"
            time.sleep(0.1)
    finally:
        worker.stop()
        threaded.extensions["rfp.core.db"].dispose()


def test_rfp_run_jobs_builds_what_is_due(lead, demo, db, database_url, monkeypatch):
    queue(lead, demo["evaluation"])
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["run-jobs"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 job run."
    assert len(reports(db)) == 1


@pytest.fixture
def rq_app(database_url, tmp_path, redis_url) -> Iterator[Any]:
    app = an_app(database_url, tmp_path, RFP_JOBS="rq", RFP_REDIS_URL=redis_url)
    yield app
    app.extensions["rfp.core.db"].dispose()


def test_with_rq_an_rfp_worker_process_builds_the_report(
    rq_app, demo, database_url, redis_url, login_as
):
    from redis import Redis
    from rq import Queue

    client = rq_app.test_client()
    login_as(client, "morgan")
    queue(client, demo["evaluation"], "pdf")
    database = rq_app.extensions["rfp.core.db"]
    assert Queue(jobs.RQ_QUEUE, connection=Redis.from_url(redis_url)).count == 1
    assert reports(database) == []

    env = os.environ | {"DATABASE_URL": database_url, "RFP_REDIS_URL": redis_url}
    worker = subprocess.run(
        [sys.executable, "-m", "rfp.cli", "worker", "--burst"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    (report,) = reports(database)
    assert report.kind == "pdf"
    assert the_job(database).status is JobStatus.DONE


def test_rfp_worker_needs_a_redis_url(monkeypatch):
    monkeypatch.delenv("RFP_REDIS_URL", raising=False)
    result = CliRunner().invoke(main, ["worker"])
    assert result.exit_code == 1
    assert "RFP_REDIS_URL" in result.output
