"""`complaints scheduler`: run the deadline sweep and the alert e-mails on their schedule."""

from __future__ import annotations

import os

import click

from complaints.alerts.scheduled import build_scheduler, holder_name, run_cycle
from complaints.cli.common import load_database_context
from complaints.logs import configure_logging
from complaints.mail.mailer import SmtpMailer


@click.command()
@click.option("--once", is_flag=True, help="Run one cycle now (sweep, plan, send) and stop.")
@click.option("--digests", is_flag=True, help="With --once: send the managers' digests too.")
@click.pass_context
def scheduler(click_context: click.Context, once: bool, digests: bool) -> None:
    """Run the scheduler in this process (stop it with Ctrl+C); one process at a time does the
    work, however many are started."""
    context = load_database_context(click_context)
    if once:
        report = run_cycle(
            context, SmtpMailer(context.settings.smtp), holder_name(), digests=digests
        )
        if not report.ran:
            raise click.ClickException("another process holds the scheduler's lease; nothing done")
        click.echo(
            f"{report.resumed} holds ended, {report.new_alerts} new alerts, {report.planned} "
            f"messages planned, {report.sent} sent, {report.failed} failed (to be retried), "
            f"{report.digests} digests sent, {report.emails} e-mails to complainants sent."
        )
        if report.failures:
            failed = ", ".join(f"{job} ({count})" for job, count in report.failures.items())
            raise click.ClickException(f"these jobs failed: {failed}; see the log")
        return
    every = context.settings.scheduler.interval_minutes
    configure_logging(os.environ.get("COMPLAINTS_LOG_FORMAT", "text"))
    click.echo(f"Scheduler running: a sweep every {every} minutes; Ctrl+C stops it.")
    try:
        build_scheduler(context, blocking=True).start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Scheduler stopped.")
