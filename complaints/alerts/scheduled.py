"""The scheduled jobs and the scheduler that runs them.

Every few minutes (`[scheduler] interval_minutes`) a cycle ends overlong holds, applies a change
of closure days, sweeps the deadlines, plans who hears of each new alert and sends the e-mails
due; at the start of each working day it also sends the managers' digests. Each of these jobs
runs on its own (`complaints.alerts.jobs`): one that fails is logged, counted and recorded, and
the rest still run. APScheduler 3 keeps the jobs in the product's own database (its SQLAlchemy
job store), so a restart finds them, and a run missed while the process was down is run once
when it comes back (the sweep catches up and creates nothing twice).

In production one `complaints scheduler` process runs beside the web server; the web application
starts none (`make run`'s `web.serve` embeds one, for the demo). However many processes do start
a scheduler, only the one holding the lease (a row in `scheduler_lease`, renewed at each run)
does the work.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from complaints.alerts.delivery import plan_deliveries, send_digests, send_pending
from complaints.alerts.jobs import JobRunner
from complaints.alerts.sweep import sweep
from complaints.context import Context
from complaints.mail.mailer import Mailer, SmtpMailer
from complaints.mail.outbox import send_outbox
from complaints.mail.sending import SendReport
from complaints.models import SchedulerLease, table_of
from complaints.services.calendar_changes import apply_calendar_change
from complaints.services.holds import resume_expired_holds

LEASE = "alerts"
JOB_STORE_TABLE = "apscheduler_jobs"
_LEASE = table_of(SchedulerLease)


@dataclass(frozen=True)
class CycleReport:
    ran: bool
    resumed: int = 0  # holds ended by themselves
    new_alerts: int = 0
    planned: int = 0
    sent: int = 0
    failed: int = 0  # alert e-mails that failed (to be retried)
    digests: int = 0
    emails: int = 0  # to complainants, from the outbox
    failures: dict[str, int] = field(default_factory=dict)  # job: how many things failed in it


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def take_lease(ctx: Context, holder: str, name: str = LEASE) -> bool:
    """Take or renew the lease named `name` for `holder`; False while another holds it."""
    now = ctx.clock.now()
    expires = now + timedelta(seconds=ctx.settings.scheduler.lease_seconds)
    with ctx.database.unit_of_work() as session:
        connection = session.connection()
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        connection.execute(
            insert(_LEASE)
            .values(name=name, holder=holder, expires_at=now - timedelta(seconds=1))
            .on_conflict_do_nothing(index_elements=["name"])
        )
        taken = connection.execute(
            _LEASE.update()
            .where(
                _LEASE.c.name == name,
                sa.or_(_LEASE.c.holder == holder, _LEASE.c.expires_at < now),
            )
            .values(holder=holder, expires_at=expires)
        )
        return bool(taken.rowcount)


def run_cycle(ctx: Context, mailer: Mailer, holder: str, *, digests: bool = False) -> CycleReport:
    """One run of the jobs, if this process holds the lease. Failures are logged, counted and
    recorded, never raised: each job runs whatever the one before it met, and a scheduler keeps
    running whatever one cycle met."""
    if not take_lease(ctx, holder):
        return CycleReport(ran=False)
    jobs = JobRunner(ctx)
    holds = jobs.run("holds", lambda: resume_expired_holds(ctx), lambda done: done.failed)
    jobs.run(
        "calendar", lambda: apply_calendar_change(ctx), lambda done: done.failed if done else ()
    )
    swept = jobs.run("sweep", lambda: sweep(ctx))
    new_alerts = swept.new_alert_ids if swept else ()
    planned = jobs.run("plan_alerts", lambda: plan_deliveries(ctx, new_alerts))
    sent = jobs.run("send_alerts", lambda: send_pending(ctx, mailer), _send_errors)
    digest = None
    if digests and _working_day(ctx):
        digest = jobs.run("digests", lambda: send_digests(ctx, mailer), _send_errors)
    emails = jobs.run("outbox", lambda: send_outbox(ctx, mailer), _send_errors)
    return CycleReport(
        ran=True,
        resumed=len(holds.resumed) if holds else 0,
        new_alerts=len(new_alerts),
        planned=planned or 0,
        sent=sent.sent if sent else 0,
        failed=sent.failed if sent else 0,
        digests=digest.sent if digest else 0,
        emails=emails.sent if emails else 0,
        failures=jobs.failures,
    )


def _send_errors(report: SendReport) -> tuple[str, ...]:
    return report.errors


def _working_day(ctx: Context) -> bool:
    return ctx.calendar.is_working_day(ctx.clock.today())


# The scheduler's jobs are stored in the database by reference ("module:function"), so they
# are module functions reading the runtime the process started with.
_runtime: dict[str, Any] = {}


def cycle_job() -> None:
    run_cycle(_runtime["ctx"], _runtime["mailer"], _runtime["holder"])


def working_day_job() -> None:
    run_cycle(_runtime["ctx"], _runtime["mailer"], _runtime["holder"], digests=True)


def build_scheduler(ctx: Context, *, blocking: bool, mailer: Mailer | None = None) -> Any:
    """An APScheduler (blocking for `complaints scheduler`, background to embed in the web
    process) with the two jobs in the database's job store, replacing any stored earlier."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    _runtime.update(ctx=ctx, mailer=mailer or SmtpMailer(ctx.settings.smtp), holder=holder_name())
    zone = ZoneInfo(ctx.settings.calendar.timezone)
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(
        jobstores={
            "default": SQLAlchemyJobStore(engine=ctx.database.engine, tablename=JOB_STORE_TABLE)
        },
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=zone,
    )
    start = ctx.settings.scheduler.working_day_start
    scheduler.add_job(
        "complaints.alerts.scheduled:cycle_job",
        "interval",
        minutes=ctx.settings.scheduler.interval_minutes,
        id="alerts-cycle",
        replace_existing=True,
        next_run_time=datetime.now(zone),
    )
    scheduler.add_job(
        "complaints.alerts.scheduled:working_day_job",
        "cron",
        day_of_week="mon-fri",
        hour=start.hour,
        minute=start.minute,
        id="alerts-working-day",
        replace_existing=True,
    )
    return scheduler


def start_embedded_scheduler(ctx: Context, mailer: Mailer | None = None) -> Any | None:
    """Start a background scheduler in this process if `[scheduler] embedded` says so (only
    `make run`'s server, `web.serve`, calls this); None when the scheduler runs on its own."""
    if not ctx.settings.scheduler.embedded:
        return None
    scheduler = build_scheduler(ctx, blocking=False, mailer=mailer)
    scheduler.start()
    return scheduler
