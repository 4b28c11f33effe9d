"""The scheduler: one process at a time holds the lease; a cycle sweeps, plans and sends; the
jobs live in the database's job store and a restart replaces them rather than adding more."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from click.testing import CliRunner

from complaints.alerts.scheduled import JOB_STORE_TABLE, build_scheduler, run_cycle, take_lease
from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from tests.support import LogCase


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
    assert result.exit_code == 0, result.output
    assert "1 new alerts, 1 messages planned" in result.stdout


def test_the_embedded_scheduler_starts_only_when_config_says_so(ctx: Context) -> None:
    import dataclasses

    from complaints.alerts.scheduled import start_embedded_scheduler

    running = start_embedded_scheduler(ctx, mailer=Outbox())
    assert running is not None and running.running
    running.shutdown(wait=True)
    off = dataclasses.replace(ctx.settings.scheduler, embedded=False)
    separate = Context(dataclasses.replace(ctx.settings, scheduler=off), ctx.clock, ctx.database)
    assert start_embedded_scheduler(separate) is None
