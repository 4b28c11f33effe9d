"""The scheduler: one process at a time holds the lease; a cycle sweeps, plans and sends; the
jobs live in the database's job store and a restart replaces them rather than adding more."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlmodel import Session, col, select

from complaints.alerts import scheduled
from complaints.alerts.scheduled import (
    JOB_STORE_TABLE,
    build_scheduler,
    run_cycle,
    start_embedded_scheduler,
    take_lease,
)
from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.models import FeedbackCase, Hold, JobRun
from complaints.services import holds
from complaints.services.cases import fire_trigger
from tests.support import LogCase, version_of


class Outbox:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


def test_one_holder_at_a_time_and_a_takeover_when_it_stops(
    ctx: Context, clock: SettableClock
) -> None:
    assert take_lease(ctx, "web-1")
    assert not take_lease(ctx, "web-2")
    assert take_lease(ctx, "web-1")  # renewing
    clock.advance(timedelta(seconds=ctx.settings.scheduler.lease_seconds + 1))
    assert take_lease(ctx, "web-2")
    assert not take_lease(ctx, "web-1")


def test_of_many_schedulers_racing_for_a_lapsed_lease_exactly_one_takes_it(
    ctx: Context, clock: SettableClock
) -> None:
    assert take_lease(ctx, "web-0")
    clock.advance(timedelta(seconds=ctx.settings.scheduler.lease_seconds + 1))
    racers = 8
    start = threading.Barrier(racers)

    def race(number: int) -> bool:
        start.wait()  # all at once, each in a transaction of its own
        return take_lease(ctx, f"web-{number + 1}")

    with ThreadPoolExecutor(max_workers=racers) as pool:
        taken = list(pool.map(race, range(racers)))

    assert taken.count(True) == 1
    winner = f"web-{taken.index(True) + 1}"
    assert take_lease(ctx, winner) and not take_lease(ctx, "web-0")


def test_a_cycle_sweeps_plans_and_sends_and_a_second_holder_does_nothing(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    log_case("corporate", date(2026, 11, 16))
    clock.set(date(2026, 11, 19))
    outbox = Outbox()
    report = run_cycle(council, outbox, "scheduler-a")
    assert (report.ran, report.new_alerts, report.planned) == (True, 1, 1)
    assert report.sent == 0  # the officer has no e-mail address: retried later, never lost
    assert run_cycle(council, outbox, "scheduler-b").ran is False
    again = run_cycle(council, outbox, "scheduler-a")
    assert (again.new_alerts, again.planned) == (0, 0)


def test_the_jobs_live_in_the_database_and_a_restart_replaces_them(ctx: Context) -> None:
    for _ in range(2):
        scheduler = build_scheduler(ctx, blocking=False, mailer=Outbox())
        scheduler.start(paused=True)
        scheduler.shutdown(wait=False)
    with ctx.database.engine.connect() as connection:
        ids = (
            connection.execute(sa.text(f"SELECT id FROM {JOB_STORE_TABLE} ORDER BY id"))
            .scalars()
            .all()
        )
    assert ids == ["alerts-cycle", "alerts-working-day"]


def test_scheduler_once_from_the_command_line(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    log_case("corporate", date(2026, 11, 16))
    clock.set(date(2026, 11, 19))
    result = CliRunner().invoke(cli, ["scheduler", "--once"], obj={"context": council})
    assert "1 new alerts, 1 messages planned, 0 sent, 1 failed" in result.stdout
    # The officer has no e-mail address: the alert waits to be retried, and the cycle says so.
    assert result.exit_code == 1
    assert "these jobs failed: send_alerts (1); see the log" in result.stderr


def test_the_embedded_scheduler_starts_only_when_config_says_so(ctx: Context) -> None:
    running = start_embedded_scheduler(ctx, mailer=Outbox())
    assert running is not None and running.running
    running.shutdown(wait=True)
    off = dataclasses.replace(ctx.settings.scheduler, embedded=False)
    separate = Context(dataclasses.replace(ctx.settings, scheduler=off), ctx.clock, ctx.database)
    assert start_embedded_scheduler(separate) is None


def held_until(council: Context, clock: SettableClock, log_case: LogCase) -> list[str]:
    """Two corporate complaints put on hold on Wednesday 4 November 2026, and one not; the
    holds run out on 18 November. Returns the held references."""
    held = [log_case("corporate", date(2026, 11, 2)).reference for _ in range(2)]
    log_case("corporate", date(2026, 11, 2))
    clock.set(date(2026, 11, 4))
    for reference in held:
        fire_trigger(
            council,
            reference,
            "hold",
            by="off",
            values={"reason": "court"},
            expected_version=version_of(council, reference),
        )
    clock.set(date(2026, 11, 20))
    return held


def jobs_run(ctx: Context) -> dict[str, JobRun]:
    with ctx.database.reader() as session:
        return {job.name: job for job in session.exec(select(JobRun)).all()}


def test_one_failing_hold_stops_neither_the_other_holds_nor_the_sweep(
    staffed: Context,
    clock: SettableClock,
    log_case: LogCase,
    monkeypatch: pytest.MonkeyPatch,
    json_lines: Callable[[], list[dict[str, object]]],
) -> None:
    council = staffed
    broken, fine = held_until(council, clock, log_case)
    real = holds.resume_timers

    def resume_timers(session: Session, calendar: Any, case: FeedbackCase, *args: Any) -> Any:
        if case.reference == broken:
            raise RuntimeError("the deadline row is damaged")
        return real(session, calendar, case, *args)

    monkeypatch.setattr(holds, "resume_timers", resume_timers)

    report = run_cycle(council, Outbox(), "scheduler-a")

    with council.database.reader() as session:
        query = select(FeedbackCase.reference, Hold.ended_on).join(
            Hold, col(Hold.case_id) == FeedbackCase.id
        )
        ended = dict(session.exec(query).all())
    assert ended == {broken: None, fine: date(2026, 11, 18)}
    assert report.new_alerts > 0  # the sweep ran
    assert (report.resumed, report.failures) == (1, {"holds": 1})
    failure = jobs_run(council)["holds"].last_failure or ""
    assert failure.startswith(f"{broken}: the deadline row is damaged")
    logged = [line for line in json_lines() if line["level"] == "ERROR"]
    assert [(line["case"], line["message"]) for line in logged] == [
        (broken, f"could not end the hold on {broken}")
    ]


def test_each_jobs_last_run_is_recorded_and_a_failed_sweep_stops_no_other_job(
    staffed: Context, clock: SettableClock, log_case: LogCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    council = staffed
    log_case("corporate", date(2026, 11, 16))
    clock.set(date(2026, 11, 19))
    first = clock.now()
    outbox = Outbox()
    run_cycle(council, outbox, "scheduler-a")
    assert len(outbox.sent) == 1
    recorded = jobs_run(council)
    assert sorted(recorded) == [
        "calendar", "holds", "outbox", "plan_alerts", "send_alerts", "sweep"
    ]  # fmt: skip
    assert {job.last_succeeded_at for job in recorded.values()} == {first}
    assert {job.last_failed_at for job in recorded.values()} == {None}

    def sweep(ctx: Context) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(scheduled, "sweep", sweep)
    clock.advance(timedelta(minutes=5))
    report = run_cycle(council, Outbox(), "scheduler-a")

    assert report.ran and report.failures == {"sweep": 1}
    swept = jobs_run(council)["sweep"]
    assert (swept.last_started_at, swept.last_failed_at) == (clock.now(), clock.now())
    assert (swept.last_succeeded_at, swept.last_failure) == (first, "RuntimeError: disk full")
    assert jobs_run(council)["outbox"].last_succeeded_at == clock.now()


def test_the_command_line_cycle_says_what_failed_and_exits_non_zero(
    council: Context, clock: SettableClock, log_case: LogCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    def sweep(ctx: Context) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(scheduled, "sweep", sweep)
    result = CliRunner().invoke(cli, ["scheduler", "--once"], obj={"context": council})
    assert result.exit_code == 1
    assert "0 new alerts" in result.stdout
    assert "these jobs failed: sweep (1); see the log" in result.stderr
