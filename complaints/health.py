"""Is the product healthy? The database answers, its schema is the one this version needs, and
the deadline sweep has succeeded lately. What a load balancer or a monitoring check asks through
the web's /health.

The status is "ok"; "degraded" when the sweep has not succeeded for twice `[scheduler]
interval_minutes` (deadlines are not being swept: no scheduler is running, or its sweep keeps
failing); or "unhealthy" when the database does not answer or has another schema. Which process
holds the scheduler's lease (its host name and process id) and how each scheduled job last went
are details for an administrator, not for anyone who can reach the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from complaints.context import Context
from complaints.db import current_revision, head_revision
from complaints.models import JobRun, SchedulerLease, table_of

_LEASE = table_of(SchedulerLease)
_JOB_RUN = table_of(JobRun)
SWEEP_JOB = "sweep"
MOMENTS = ("last_started_at", "last_succeeded_at", "last_failed_at")


@dataclass(frozen=True)
class Health:
    database: str  # "ok" or what is wrong
    schema: str | None
    sweep: str  # "ok" or what is wrong
    scheduler_holder: str | None = None
    scheduler_lease_until: datetime | None = None
    jobs: tuple[dict[str, object], ...] = ()  # each job's row of `job_run`

    @property
    def status(self) -> str:
        if self.database != "ok" or self.schema != head_revision():
            return "unhealthy"
        return "ok" if self.sweep == "ok" else "degraded"

    @property
    def healthy(self) -> bool:
        return self.status == "ok"

    def as_json(self, *, details: bool = False) -> dict[str, object]:
        """The checks; with `details` (for an administrator) the scheduler's holder and jobs."""
        shown: dict[str, object] = {
            "status": self.status,
            "database": self.database,
            "schema": self.schema,
            "schema_expected": head_revision(),
            "sweep": self.sweep,
        }
        if details:
            shown["scheduler"] = {
                "holder": self.scheduler_holder,
                "lease_until": _moment(self.scheduler_lease_until),
                "jobs": {
                    str(job["name"]): {key: _moment(job[key]) for key in MOMENTS}
                    | {"last_failure": job["last_failure"]}
                    for job in self.jobs
                },
            }
        return shown


def check_health(ctx: Context) -> Health:
    """The product's health; never raises."""
    try:
        schema = current_revision(ctx.database)
        if schema != head_revision():
            return Health("ok", schema, "not checked: the database's schema is not this version's")
        with ctx.database.engine.connect() as connection:
            lease = connection.execute(
                sa.select(_LEASE.c.holder, _LEASE.c.expires_at).limit(1)
            ).first()
            jobs = tuple(
                dict(row._mapping)
                for row in connection.execute(sa.select(_JOB_RUN).order_by(_JOB_RUN.c.name))
            )
    except SQLAlchemyError as error:
        return Health(f"unreachable: {error.__class__.__name__}", None, "not checked")
    holder, until = (lease[0], lease[1]) if lease else (None, None)
    return Health("ok", schema, _sweep_check(ctx, jobs), holder, until, jobs)


def _sweep_check(ctx: Context, jobs: tuple[dict[str, object], ...]) -> str:
    """ "ok" if the sweep has succeeded within twice the scheduler's interval."""
    allowed = 2 * ctx.settings.scheduler.interval_minutes
    last = next((job["last_succeeded_at"] for job in jobs if job["name"] == SWEEP_JOB), None)
    if not isinstance(last, datetime):
        return "the deadline sweep has never succeeded: is `complaints scheduler` running?"
    if ctx.clock.now() - last > timedelta(minutes=allowed):
        return (
            f"the deadline sweep last succeeded at {last.isoformat(timespec='seconds')}, more "
            f"than {allowed} minutes ago"
        )
    return "ok"


def _moment(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value
