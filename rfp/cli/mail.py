"""`rfp send-due`: the scheduled mail, run by cron or a systemd timer (README, "E-mail").

It queues what is due today (UTC): the scoring reminders, 5 and 2 days before each
evaluation's scoring due date and on the day, to evaluators who have not submitted,
each once however often the command runs. Then it sends every message waiting whose
time has come, in this process (a message the server refuses is tried again at the next
run, or by the app's own worker). Mail settings come from the environment as for the
app (RFP_MAIL_TRANSPORT, RFP_SMTP_*, RFP_MAIL_SENDER, RFP_BASE_URL).
"""

from __future__ import annotations

import sys

import click

from rfp.cli.files import EXIT_INVALID


@click.command("send-due")
@click.option(
    "--queue-only",
    is_flag=True,
    help="Queue the reminders due, and leave the sending to the app's worker.",
)
def send_due_command(queue_only: bool) -> None:
    """Queue the reminders due today and send the e-mail waiting."""
    from sqlalchemy import select

    from rfp import models as m
    from rfp.areas.mail.operations import send_due
    from rfp.cli.database import applied_revisions, display_url, open_database
    from rfp.core import jobs
    from rfp.core.mail import MAIL_JOB, MailSettings
    from rfp.core.migrate import current_heads
    from rfp.domain.formatting import counted
    from rfp.domain.vocabulary import MailStatus

    try:
        MailSettings.from_environment()
    except ValueError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INVALID)
    with open_database() as db:
        if set(applied_revisions(db.url)) != set(current_heads(db.url)):
            raise click.ClickException(
                f"{display_url(db.url)} is not at the latest schema: run `rfp db upgrade`"
            )
        with db.transaction() as session:
            queued = send_due(session)
        click.echo(f"{counted(queued, 'reminder')} queued.")
        if queue_only:
            return
        waiting = set(jobs.due_job_ids(db, limit=100_000, kinds=[MAIL_JOB]))
        jobs.run_pending(db, kinds=[MAIL_JOB])
        with db.transaction() as session:
            statuses = list(
                session.scalars(
                    select(m.MailMessage.status).where(m.MailMessage.job_id.in_(waiting))
                )
            )
    sent = statuses.count(MailStatus.SENT)
    failed = statuses.count(MailStatus.FAILED)
    retry = statuses.count(MailStatus.QUEUED)
    line = f"{counted(sent, 'message')} sent"
    if retry:
        line += f", {retry} to try again later"
    if failed:
        line += f", {failed} not delivered (see the outbox of its evaluation)"
    click.echo(line + ".")
