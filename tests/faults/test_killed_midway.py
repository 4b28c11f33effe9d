"""A process killed outright (SIGKILL) in the middle of a transaction, as when a web worker or the
scheduler is killed by the machine: nothing it had written survives, the database is whole, and
the same work then goes through once. The child process pauses inside the transaction (after
its audit event, or after the sweep's first alerts are written) and is killed there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from complaints.alerts.sweep import sweep
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.models import Alert
from complaints.services.cases import fire_trigger, show_case
from tests.support import LogCase, audit_count, version_of

CHILD = """
import dataclasses, sys, time
from datetime import date
from pathlib import Path
from complaints.clock import SettableClock
from complaints.config import DEFAULT_CONFIG_PATH, DatabaseSettings, load_settings
from complaints.context import Context
from complaints.db import Database

url, today, ready, work, reference = sys.argv[1:6]

def pause_after(module, name):
    original = getattr(module, name)
    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        Path(ready).write_text("inside the transaction")
        time.sleep(120)  # killed here
        return result
    setattr(module, name, paused)

settings = load_settings(DEFAULT_CONFIG_PATH, environ={})
settings = dataclasses.replace(settings, database=DatabaseSettings(url=url))
ctx = Context(settings, SettableClock(date.fromisoformat(today)), Database(url))
if work == "step":
    import complaints.services.cases as cases
    pause_after(cases, "record_event")
    cases.fire_trigger(ctx, reference, "acknowledge", by="off", expected_version=1)
else:
    import complaints.alerts.sweep as sweeping
    pause_after(sweeping, "_insert_alerts")
    sweeping.sweep(ctx)
"""


def kill_inside_transaction(
    ctx: Context, today: date, work: str, reference: str, tmp: Path
) -> None:
    ready = tmp / f"{work}.ready"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            ctx.database.url,
            today.isoformat(),
            str(ready),
            work,
            reference,
        ],
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert child.poll() is None, f"the child ended early ({child.returncode})"
            assert time.monotonic() < deadline, "the child never reached the transaction"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def database_is_whole(ctx: Context) -> None:
    if ctx.database.dialect == "sqlite":
        with ctx.database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"


def alert_count(ctx: Context) -> int:
    with ctx.database.reader() as session:
        return session.execute(sa.select(sa.func.count()).select_from(Alert)).scalar_one()


def test_a_step_killed_before_commit_leaves_the_case_as_it_was(
    council: Context, clock: SettableClock, log_case: LogCase, tmp_path: Path
) -> None:
    reference = log_case("corporate", date(2026, 11, 16)).reference
    clock.set(date(2026, 11, 17))
    before, events = show_case(council, reference, by="admin"), audit_count(council)

    kill_inside_transaction(council, clock.today(), "step", reference, tmp_path)

    database_is_whole(council)
    assert (show_case(council, reference, by="admin"), audit_count(council)) == (before, events)
    after = fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )  # no lock left behind
    assert after.version == before.version + 1 and audit_count(council) == events + 1


def test_a_sweep_killed_half_way_records_no_alert_and_the_next_records_each_once(
    council: Context, clock: SettableClock, log_case: LogCase, tmp_path: Path
) -> None:
    for day in (2, 3, 4):
        log_case("corporate", date(2026, 11, day))
    clock.set(date(2026, 11, 30))

    kill_inside_transaction(council, clock.today(), "sweep", "", tmp_path)

    database_is_whole(council)
    assert alert_count(council) == 0
    first = sweep(council)
    assert alert_count(council) == len(first.new_alert_ids) > 0
    assert sweep(council).new_alert_ids == ()
