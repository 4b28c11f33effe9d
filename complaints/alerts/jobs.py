"""Running the scheduler's jobs one at a time, each on its own, and recording how each went.

A job that fails (raises) is logged and counted, and the next job still runs; a job whose cases
fail one by one reports them, and the job counts as failed with the first reason. Each job's
last start, last success and last failure (with a short reason) are kept in `job_run`, where
`complaints.health` reads them: a sweep that has stopped succeeding is seen, never silent.
Recording is best effort: a database that cannot take the record must not stop the jobs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite

from complaints.context import Context
from complaints.models import JobRun, table_of

log = logging.getLogger("complaints.scheduler")
_JOB_RUN = table_of(JobRun)
T = TypeVar("T")
MAX_REASON = 500


class JobRunner:
    """Runs a cycle's jobs, each isolated, and keeps how many failures each had."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.failures: dict[str, int] = {}

    def run(
        self,
        name: str,
        job: Callable[[], T],
        failed: Callable[[T], Sequence[str]] = lambda _: (),
    ) -> T | None:
        """The job's result, or None if it failed as a whole; `failed` says which of its cases
        failed (one line each: the reference and why)."""
        record_job(self.ctx, name, last_started_at=self.ctx.clock.now())
        try:
            result = job()
        except Exception as error:  # whatever one job meets, the others still run
            log.exception("the scheduled job '%s' failed; the others go on", name)
            self._finish(name, [f"{error.__class__.__name__}: {error}"])
            return None
        self._finish(name, failed(result))
        return result

    def _finish(self, name: str, failures: Sequence[str]) -> None:
        now = self.ctx.clock.now()
        if not failures:
            record_job(self.ctx, name, last_succeeded_at=now)
            return
        self.failures[name] = len(failures)
        count = f"{len(failures)} failed: " if len(failures) > 1 else ""
        reason = f"{count}{failures[0]}"
        record_job(self.ctx, name, last_failed_at=now, last_failure=reason[:MAX_REASON])


def record_job(ctx: Context, name: str, **values: datetime | str) -> None:
    """Set some of the job's times (and reason) in `job_run`, adding its row the first time."""
    try:
        with ctx.database.unit_of_work() as session:
            connection = session.connection()
            insert: Any = (
                postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
            )
            connection.execute(
                insert(_JOB_RUN).values(name=name).on_conflict_do_nothing(index_elements=["name"])
            )
            connection.execute(_JOB_RUN.update().where(_JOB_RUN.c.name == name).values(**values))
    except Exception:  # the record must never be what stops the jobs
        log.exception("could not record the run of the scheduled job '%s'", name)
