"""`rfp worker` and `rfp run-jobs`: background jobs (reports, e-mail) outside the web app.

- `rfp worker`: with RFP_JOBS=rq, for several app processes: an RQ worker on the Redis
  queue the apps put their jobs on (RFP_REDIS_URL), with RQ's scheduler, which fires the
  delayed retries of failed jobs. Jobs still due in the table (queued while Redis was
  down, or leased by a worker that died) are handed to the queue as it starts.
- `rfp run-jobs`: every job due now, once, then exit: for cron (a sweep beside the
  workers) or an installation that runs no worker at all (RFP_JOBS=manual).

Both read the database from DATABASE_URL, as the app does; a report is written to the
EXPORT_DIR of the app that asked for it (in the job), which the workers must share.
"""

from __future__ import annotations

import os

import click


def _job_kinds() -> None:
    from rfp.areas import register_job_kinds

    register_job_kinds()


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued now, then stop.")
def worker(burst: bool) -> None:
    """Run background jobs from the Redis queue (RFP_JOBS=rq; needs RFP_REDIS_URL)."""
    url = os.environ.get("RFP_REDIS_URL")
    if not url:
        raise click.ClickException("set RFP_REDIS_URL (redis://host:port/db) to run a worker")
    try:
        from redis import Redis
        from rq import Queue, Worker
    except ImportError:
        raise click.ClickException("RQ is not installed: pip install 'rfp[rq]'") from None
    from rfp.cli.database import open_database
    from rfp.core import jobs

    _job_kinds()
    dispatcher = jobs.RqDispatcher(url)
    with open_database() as db:
        due = jobs.due_job_ids(db, limit=10_000)
    if due:
        dispatcher.dispatch(due)
        click.echo(f"handed {len(due)} due job(s) from the table to the queue")
    connection = Redis.from_url(url)
    queue = Queue(jobs.RQ_QUEUE, connection=connection)
    Worker([queue], connection=connection).work(burst=burst, with_scheduler=True)


@click.command("run-jobs")
@click.option("--limit", type=int, help="Run at most this many.")
def run_jobs(limit: int | None) -> None:
    """Run the background jobs that are due now, once (for cron), then exit."""
    from rfp.cli.database import open_database
    from rfp.core.jobs import run_pending
    from rfp.domain.formatting import counted

    _job_kinds()
    with open_database() as db:
        ran = run_pending(db, limit)
    click.echo(f"{counted(ran, 'job')} run.")
