"""The deadline sweep at 10,000, 100,000 and 1,000,000 open deadlines on SQLite, against the bare
SQL that selects the same rows, in the same run.

Deadlines are bulk-loaded (ten per case) with due dates spread from 20 days before today to 100
days after, so some are overdue, some due today or soon, most not yet. Three timings per size:
the bare SELECTs of the rows each kind of alert covers; the first sweep, which records an alert
for each of them; and a repeat sweep, the steady state of a scheduler running every few minutes,
which finds the same rows and records nothing new. Target: sweep at most 1.5x the bare query.

Run: python benchmarks/bench_sweep.py [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from complaints.alerts.sweep import sweep, sweep_window
from complaints.clock import SettableClock
from complaints.config import DatabaseSettings, load_settings
from complaints.context import Context
from complaints.db import Database, upgrade

TODAY = date(2026, 11, 23)
TARGET_RATIO = 1.5
DEADLINES_PER_CASE = 10


def bulk_load(path: Path, deadlines: int) -> None:
    rng = random.Random(7)
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).isoformat()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    cases = deadlines // DEADLINES_PER_CASE
    connection.executemany(
        "INSERT INTO feedback_case (id, reference, feedback_type, procedure, state, stage,"
        " received_on, contact_method, made_by, complainant_name, is_child, consent_recorded,"
        " summary, version, created_at, updated_at) VALUES (?, ?, 'complaint', 'corporate',"
        " 'stage1_investigating', 1, ?, 'email', 'complainant', 'A Person', 0, 0, 'Bulk', 1, ?, ?)",
        ((n, f"CF-BULK-{n:07d}", TODAY.isoformat(), now, now) for n in range(1, cases + 1)),
    )

    def rows():  # type: ignore[no-untyped-def]
        for n in range(deadlines):
            due = (TODAY + timedelta(days=rng.randint(-20, 100))).isoformat()
            yield (n // DEADLINES_PER_CASE + 1, due, due, due, now)

    connection.executemany(
        "INSERT INTO deadline (case_id, name, stage, started_on, original_due_on, due_on,"
        " paused_working_days, status, created_at) VALUES (?, 'stage1_response', 1, ?, ?, ?, 0,"
        " 'running', ?)",
        rows(),
    )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def bare_select(path: Path, ctx: Context) -> tuple[float, int]:
    alerts = ctx.settings.alerts
    window = sweep_window(
        ctx.calendar, TODAY, alerts.due_soon_working_days, alerts.head_of_service_after_working_days
    )
    connection = sqlite3.connect(path)
    queries = (
        (
            "due_on > ? AND due_on <= ?",
            (window.today.isoformat(), window.due_soon_until.isoformat()),
        ),
        ("due_on = ?", (window.today.isoformat(),)),
        ("due_on < ?", (window.overdue_before.isoformat(),)),
        ("due_on <= ?", (window.escalated_on_or_before.isoformat(),)),
    )
    started = time.perf_counter()
    found = 0
    for condition, params in queries:
        found += len(
            connection.execute(
                f"SELECT id, due_on FROM deadline WHERE status = 'running' AND {condition}", params
            ).fetchall()
        )
    found += len(
        connection.execute(
            "SELECT id, due_on FROM case_action WHERE status = 'open' AND due_on < ?",
            (window.today.isoformat(),),
        ).fetchall()
    )
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, found


def timed_sweep(ctx: Context) -> tuple[float, int]:
    started = time.perf_counter()
    result = sweep(ctx)
    return time.perf_counter() - started, len(result.new_alert_ids)


def measure(size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sweep.db"
        database = Database(f"sqlite:///{path}")
        upgrade(database)
        loading = time.perf_counter()
        bulk_load(path, size)
        loaded = time.perf_counter() - loading
        settings = dataclasses.replace(
            load_settings(environ={}), database=DatabaseSettings(f"sqlite:///{path}")
        )
        ctx = Context(settings, SettableClock(TODAY), database)
        bare, rows = bare_select(path, ctx)
        first, created = timed_sweep(ctx)
        repeat, again = timed_sweep(ctx)
        bare_again, _ = bare_select(path, ctx)
        bare = min(bare, bare_again)
        database.dispose()
    print(f"{size:>9,} open deadlines (loaded in {loaded:.1f} s)")
    print(f"  {rows:,} rows due soon, due today or overdue")
    print(f"  bare SELECTs        {bare * 1000:9.1f} ms")
    print(
        f"  first sweep         {first * 1000:9.1f} ms  ratio {first / bare:5.2f}"
        f"  ({created:,} alerts recorded)"
    )
    verdict = "PASS" if repeat / bare <= TARGET_RATIO else "FAIL"
    print(
        f"  repeat sweep        {repeat * 1000:9.1f} ms  ratio {repeat / bare:5.2f}  ({again} new)"
        f"  {verdict}: target at most {TARGET_RATIO}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    for size in parser.parse_args().sizes.split(","):
        measure(int(size))


if __name__ == "__main__":
    main()
