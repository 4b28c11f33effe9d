"""Full statutory stage 1 lifecycles through the service layer on SQLite, against raw SQL.

Each lifecycle is: log, acknowledge, allocate, add a complaint point, record its finding,
submit_draft, approve, send_response, close: one transaction per step, each with its audit event.
A response step is taken only with its letter; here a manager records the response as sent with
a copy (one transaction, like the raw step), so the figure is the workflow's, not WeasyPrint's.
The baseline does the same inserts and updates with the sqlite3 module, one transaction per
step, on a database with the same schema, in the same run. Target: at most 2x the raw-SQL time.

That baseline only writes. The service layer must also read before it writes (the case with its
version, the acting user's role, the running deadlines), so a second baseline adds those reads to
each raw step, to show how much of the gap is the reading and how much is the ORM.

Run: python benchmarks/bench_lifecycle.py [--lifecycles N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from complaints.clock import SettableClock
from complaints.config import DatabaseSettings, load_settings
from complaints.context import Context
from complaints.db import Database, upgrade
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback
from complaints.services.letters import record_sent_outside
from complaints.services.people import add_user, seed_reference_data
from complaints.services.points import add_complaint_point, record_finding

TARGET_RATIO = 2.0
DAY = date(2026, 11, 23)
COPY = b"%PDF-1.4\n% the response, as posted\n%%EOF\n"


def service_lifecycles(ctx: Context, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        case = log_feedback(
            ctx,
            NewFeedback(
                procedure="statutory_children",
                feedback_type="complaint",
                received_on=DAY,
                summary="Missed visits",
                complainant_name="Ava Smith",
            ),
            by="off",
        )
        reference = case.reference
        # Each step says which version it changes: the one the step before left (as a person's
        # page would, having been shown the case).
        case = fire_trigger(ctx, reference, "acknowledge", by="off", expected_version=case.version)
        case = fire_trigger(
            ctx,
            reference,
            "allocate",
            by="off",
            values={"officer": "qa"},
            expected_version=case.version,
        )
        case = add_complaint_point(
            ctx, reference, "Visits were missed", by="qa", expected_version=case.version
        )
        case = record_finding(ctx, reference, 1, "upheld", by="qa", expected_version=case.version)
        case = fire_trigger(ctx, reference, "submit_draft", by="qa", expected_version=case.version)
        case = fire_trigger(ctx, reference, "approve", by="mgr", expected_version=case.version)
        case = record_sent_outside(
            ctx,
            reference,
            "send_response",
            by="mgr",
            reason="Posted by hand",
            copy=COPY,
            expected_version=case.version,
        )
        fire_trigger(ctx, reference, "close", by="off", expected_version=case.version)
    return time.perf_counter() - started


def service_statements_per_lifecycle(ctx: Context, count: int = 5) -> float:
    """How many SQL statements the service layer sends for one lifecycle (BEGIN included)."""
    sent = [0]

    def count_statement(*_: object) -> None:
        sent[0] += 1

    engine = ctx.database.engine
    sa.event.listen(engine, "before_cursor_execute", count_statement)
    try:
        service_lifecycles(ctx, count)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count_statement)
    return sent[0] / count


def raw_sql_lifecycles(path: Path, count: int, first: int = 0, *, reads: bool = False) -> float:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA foreign_keys = ON")
    now = datetime.now(UTC).isoformat()
    day = DAY.isoformat()

    def read_before_writing(case_id: int) -> None:
        """What the service reads in each step: the case, the actor and the open deadlines."""
        connection.execute("SELECT * FROM feedback_case WHERE id = ?", (case_id,)).fetchall()
        connection.execute("SELECT * FROM app_user WHERE username = 'off'").fetchall()
        connection.execute("SELECT * FROM deadline WHERE case_id = ?", (case_id,)).fetchall()

    def step(case_id: int, *statements: tuple[str, tuple[object, ...]]) -> list[int]:
        ids = []
        connection.execute("BEGIN IMMEDIATE")
        if reads:
            read_before_writing(case_id)
        for sql, params in statements:
            ids.append(connection.execute(sql, params).lastrowid or 0)
        connection.execute("COMMIT")
        return ids

    def audit(case_id: int, action: str) -> tuple[str, tuple[object, ...]]:
        payload = json.dumps({"state": action})
        return (
            "INSERT INTO audit_event (case_id, actor_id, occurred_at, action, summary, before,"
            " after) VALUES (?, 1, ?, ?, ?, ?, ?)",
            (case_id, now, action, action, payload, payload),
        )

    def update_case(case_id: int, state: str) -> tuple[str, tuple[object, ...]]:
        return (
            "UPDATE feedback_case SET state = ?, version = version + 1, updated_at = ?"
            " WHERE id = ?",
            (state, now, case_id),
        )

    def deadline(case_id: int, name: str) -> tuple[str, tuple[object, ...]]:
        return (
            "INSERT INTO deadline (case_id, name, stage, started_on, original_due_on, due_on,"
            " paused_working_days, status, created_at) VALUES (?, ?, 1, ?, ?, ?, 0, 'running', ?)",
            (case_id, name, day, day, day, now),
        )

    def stop(case_id: int, name: str) -> tuple[str, tuple[object, ...]]:
        return (
            "UPDATE deadline SET status = 'stopped', stopped_on = ? WHERE case_id = ? AND name = ?",
            (day, case_id, name),
        )

    started = time.perf_counter()
    for number in range(first, first + count):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO feedback_case (reference, feedback_type, procedure, state, stage,"
            " received_on, contact_method, made_by, complainant_name, is_child,"
            " consent_recorded, summary, version, created_at, updated_at)"
            " VALUES (?, 'complaint', 'statutory_children', 'received', 1, ?, 'email',"
            " 'complainant', 'Ava Smith', 0, 0, 'Missed visits', 1, ?, ?)",
            (f"RAW-{number:06d}", day, now, now),
        )
        case_id = connection.execute("SELECT last_insert_rowid()").fetchone()[0]
        for statement in (
            deadline(case_id, "acknowledgement"),
            deadline(case_id, "stage1_response"),
            audit(case_id, "log"),
        ):
            connection.execute(*statement)
        connection.execute("COMMIT")
        step(
            case_id,
            update_case(case_id, "stage1_investigating"),
            stop(case_id, "acknowledgement"),
            audit(case_id, "acknowledge"),
        )
        step(
            case_id,
            update_case(case_id, "stage1_investigating"),
            deadline(case_id, "first_contact"),
            audit(case_id, "allocate"),
        )
        (point_id, _, _) = step(
            case_id,
            (
                "INSERT INTO complaint_point (case_id, number, description, stage_added, added_on,"
                " created_at) VALUES (?, 1, 'Visits were missed', 1, ?, ?)",
                (case_id, day, now),
            ),
            update_case(case_id, "stage1_investigating"),
            audit(case_id, "add_complaint_point"),
        )
        step(
            case_id,
            (
                "INSERT INTO point_outcome (point_id, stage, outcome, recorded_on, created_at)"
                " VALUES (?, 1, 'upheld', ?, ?)",
                (point_id, day, now),
            ),
            update_case(case_id, "stage1_investigating"),
            audit(case_id, "record_finding"),
        )
        step(
            case_id,
            update_case(case_id, "stage1_qa"),
            deadline(case_id, "qa_signoff"),
            audit(case_id, "submit_draft"),
        )
        step(
            case_id,
            update_case(case_id, "stage1_approved"),
            stop(case_id, "qa_signoff"),
            audit(case_id, "approve"),
        )
        step(
            case_id,
            update_case(case_id, "stage1_responded"),
            stop(case_id, "stage1_response"),
            deadline(case_id, "stage2_request_window"),
            audit(case_id, "send_response"),
        )
        step(
            case_id,
            update_case(case_id, "closed"),
            stop(case_id, "stage2_request_window"),
            audit(case_id, "close"),
        )
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=200)
    count = parser.parse_args().lifecycles
    with tempfile.TemporaryDirectory() as folder:
        service_path, raw_path = Path(folder) / "service.db", Path(folder) / "raw.db"
        for path in (service_path, raw_path):
            upgrade(Database(f"sqlite:///{path}"))
        settings = dataclasses.replace(
            load_settings(environ={}), database=DatabaseSettings(f"sqlite:///{service_path}")
        )
        ctx = Context(settings, SettableClock(DAY))
        seed_reference_data(ctx)
        for username, role in (("off", "officer"), ("qa", "qa_practitioner"), ("mgr", "manager")):
            add_user(ctx, username, role=role)
        sqlite3.connect(raw_path).executescript(
            "INSERT INTO app_user (username, full_name, role, active, created_at)"
            " VALUES ('off', 'off', 'officer', 1, '2026-01-01');"
        )
        service_lifecycles(ctx, 5)  # warm up: imports, statement caches, the calendar table
        raw_sql_lifecycles(raw_path, 5)
        service = service_lifecycles(ctx, count)
        raw = raw_sql_lifecycles(raw_path, count, first=5)
        raw_reading = raw_sql_lifecycles(raw_path, count, first=5 + count, reads=True)
        statements = service_statements_per_lifecycle(ctx)
    ratio = service / raw
    print(f"{count} statutory stage 1 lifecycles (9 steps, one transaction each) on SQLite")
    for label, seconds in (
        ("service layer", service),
        ("raw sqlite3", raw),
        ("raw + reads", raw_reading),
    ):
        milliseconds, rate = seconds / count * 1000, count / seconds
        print(f"  {label:<14} {milliseconds:8.2f} ms per lifecycle  {rate:8.1f} per second")
    print(f"  service SQL statements per lifecycle: {statements:.0f}")
    print(f"  ratio (service / raw + reads)  {service / raw_reading:.2f}")
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"  ratio (service / raw)  {ratio:.2f}   {verdict}: target at most {TARGET_RATIO}")


if __name__ == "__main__":
    main()
