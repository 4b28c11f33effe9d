"""The annual report over 100,000 and 1,000,000 cases on SQLite and PostgreSQL, against the bare
SQL of each table's main query, in the same run.

Cases are bulk-loaded (executemany on SQLite, COPY on PostgreSQL) across three financial years
so the year-on-year table has data: each case has a category, a complaint point, and a stage 1
response deadline; most have a finding and a remedy; one in ten is escalated to stage 2 (with
its deadlines, some extended); one in a hundred has an Ombudsman enquiry, a stage 2 cost, an
action and a lesson learned. Per size and database: the whole report (every table, one
transaction), and for each table its time against executing its main statement alone (the
ratio shows what laying the table out costs). Target: the whole annual report under 5 s at
1,000,000 cases on PostgreSQL.

Run: python benchmarks/bench_reports.py [--sizes 100000,1000000] [--databases sqlite,postgresql]
PostgreSQL: a database is created on postgresql://postgres@127.0.0.1:5432 and dropped after.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pg_council import new_database

from complaints.clock import SettableClock
from complaints.config import DatabaseSettings, load_settings
from complaints.context import Context
from complaints.db import Database, upgrade
from complaints.errors import DomainError
from complaints.reports import Period, ReportFilters, build_report
from complaints.reports.queries import TABLES
from complaints.reports.service import report_scope
from complaints.services.access import EVERY_CASE
from complaints.services.people import add_user

YEAR = 2025
TODAY = date(2026, 5, 1)
TARGET_SECONDS = 5.0
TEAMS = ("Children and Families", "Highways", "Planning", "Adult Social Care", "Libraries")
CATEGORIES = ("Communication", "Staff conduct", "Service standards", "Delay", "Policy")
OUTCOMES = ("upheld", "partially_upheld", "not_upheld", "not_upheld", "withdrawn")
REASONS = ("dissatisfied_with_response", "no_response", "requested_next_stage_directly")
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC).isoformat()
COLUMNS = {
    "team": ("id", "name", "active", "created_at"),
    "category": ("id", "name", "active"),
    "feedback_case": ("id", "reference", "feedback_type", "procedure", "state", "stage",
                      "received_on", "contact_method", "made_by", "complainant_name", "is_child",
                      "consent_recorded", "summary", "team_id", "closed_on", "version",
                      "created_at", "updated_at"),
    "case_category": ("case_id", "category_id"),
    "complaint_point": ("id", "case_id", "number", "description", "team_id", "stage_added",
                        "added_on", "created_at"),
    "point_outcome": ("point_id", "stage", "outcome", "recorded_on", "created_at"),
    "deadline": ("id", "case_id", "name", "stage", "started_on", "counted_from_on",
                 "original_due_on", "due_on", "stopped_on", "paused_working_days", "status",
                 "created_at"),
    "extension": ("deadline_id", "case_id", "previous_due_on", "new_due_on", "working_days",
                  "reason", "complainant_agreed", "created_at"),
    "remedy": ("case_id", "stage", "kind", "amount", "recorded_on", "created_at"),
    "escalation": ("case_id", "to_stage", "requested_on", "reason", "created_at"),
    "lgsco_record": ("case_id", "ombudsman_reference", "enquiry_received_on", "decision",
                     "decision_on", "remedy_agreed", "compliance_due_on", "complied_on",
                     "created_at"),
    "stage_cost": ("case_id", "stage", "kind", "amount", "incurred_on", "created_at"),
    "case_action": ("case_id", "stage", "kind", "description", "due_on", "status",
                    "completed_on", "created_at"),
    "lesson_learned": ("case_id", "text", "recorded_on", "created_at"),
}  # fmt: skip


def generate(cases: int, seed: int = 8) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """(table, rows) in batches, parents first; dates as ISO text, the same on both databases."""
    rng = random.Random(seed)
    yield "team", [(n, name, True, NOW) for n, name in enumerate(TEAMS, start=1)]
    yield "category", [(n, name, True) for n, name in enumerate(CATEGORIES, start=1)]
    first_day = date(YEAR - 2, 4, 1).toordinal()
    span = date(YEAR + 1, 3, 31).toordinal() - first_day
    batch = 50_000
    deadline_id = 0
    for start in range(1, cases + 1, batch):
        rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
        for n in range(start, min(start + batch, cases + 1)):
            received = date.fromordinal(first_day + rng.randrange(span))
            kind = rng.random()
            team = rng.randint(1, len(TEAMS))
            if kind > 0.9:  # a compliment
                rows["feedback_case"].append((n, f"CF-B-{n:08d}", "compliment", "feedback",
                    "closed", 0, received, "email", "complainant", "A Person", False, True,
                    "Bulk", team, received, 1, NOW, NOW))  # fmt: skip
                continue
            procedure = "statutory_children" if team == 1 else "corporate"
            escalated = rng.random() < 0.1
            rows["feedback_case"].append((n, f"CF-B-{n:08d}", "complaint", procedure,
                "stage2_investigating" if escalated else "closed", 2 if escalated else 1,
                received, "email", "complainant", "A Person", False, True, "Bulk", team,
                None if escalated else received + timedelta(days=40), 1, NOW, NOW))  # fmt: skip
            rows["case_category"].append((n, rng.randint(1, len(CATEGORIES))))
            rows["complaint_point"].append((n, n, 1, "Point", team, 1, received, NOW))
            answered = received + timedelta(days=rng.randint(5, 30))
            due = received + timedelta(days=14)
            deadline_id += 1
            rows["deadline"].append((deadline_id, n, "stage1_response", 1, received, received,
                due, due, answered, 0, "stopped", NOW))  # fmt: skip
            rows["point_outcome"].append((n, 1, rng.choice(OUTCOMES), answered, NOW))
            rows["remedy"].append((n, 1, "explanation", None, answered, NOW))
            if escalated:
                requested = answered + timedelta(days=rng.randint(2, 25))
                rows["escalation"].append((n, 2, requested, rng.choice(REASONS), NOW))
                deadline_id += 1
                stopped = requested + timedelta(days=40) if rng.random() < 0.6 else None
                rows["deadline"].append((deadline_id, n, "stage2_response", 2, requested,
                    requested, requested + timedelta(days=28), requested + timedelta(days=28),
                    stopped, 0, "stopped" if stopped else "running", NOW))  # fmt: skip
                if rng.random() < 0.3:
                    rows["extension"].append((deadline_id, n, requested, requested, 10,
                                              "Complex", True, NOW))  # fmt: skip
            if n % 100 == 0:
                rows["lgsco_record"].append((n, f"LG{n}", answered, "not_upheld", answered,
                    "Apologise", answered + timedelta(days=30), answered + timedelta(days=20),
                    NOW))  # fmt: skip
                rows["stage_cost"].append((n, 2, "independent_person", "350.00", answered, NOW))
                rows["case_action"].append((n, 1, "action", "Train staff",
                    answered + timedelta(days=30), "open", None, NOW))  # fmt: skip
                rows["lesson_learned"].append((n, "Call back when we say we will", answered, NOW))
        yield from ((name, table_rows) for name, table_rows in rows.items() if table_rows)


def load_sqlite(path: Path, cases: int) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    for table, rows in generate(cases):
        columns = COLUMNS[table]
        connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(_sqlite(value) for value in row) for row in rows],
        )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def _sqlite(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def load_postgresql(url: str, cases: int) -> None:
    import psycopg

    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        with connection.cursor() as cursor:
            for table, rows in generate(cases):
                with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in ("team", "category", "feedback_case", "complaint_point", "deadline"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")


def context_for(url: str) -> Context:
    settings = load_settings(environ={})
    settings = dataclasses.replace(settings, database=DatabaseSettings(url=url))
    return Context(settings, SettableClock(TODAY), Database(url))


def measure(ctx: Context, repeats: int = 3) -> dict[str, Any]:
    """The whole report's best time, and each table's best time against its bare statement."""
    period = Period.financial_year(YEAR)
    _ensure_a_reader(ctx)
    whole = min(_timed(lambda: build_report(ctx, period, by="admin")) for _ in range(repeats))
    tables: dict[str, tuple[float, float]] = {}
    with ctx.database.reader() as session:
        connection = session.connection()
        scope = report_scope(connection, ctx, period, ReportFilters(), EVERY_CASE)
        for query in TABLES:
            bare = min(
                _timed(lambda q=query: connection.execute(q.statement(scope)).all())  # type: ignore[misc]
                for _ in range(repeats)
            )
            full = min(_timed(lambda q=query: q.run(connection, scope)) for _ in range(repeats))  # type: ignore[misc]
            tables[query.key] = (full, bare)
    return {"whole": whole, "tables": tables}


def _ensure_a_reader(ctx: Context) -> None:
    """The report is built for a person: an administrator, added if the council has none."""
    with contextlib.suppress(DomainError):  # already there
        add_user(ctx, "admin", role="admin", full_name="Report reader")


def _timed(work: Any) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def report_figures(label: str, cases: int, figures: dict[str, Any]) -> None:
    tables: dict[str, tuple[float, float]] = figures["tables"]
    slowest = max(tables, key=lambda key: tables[key][0])
    print(f"\n{label}, {cases:,} cases: whole annual report {figures['whole']:.3f} s; "
          f"slowest table {slowest} {tables[slowest][0]:.3f} s")  # fmt: skip
    print(f"  {'table':<30} {'table s':>9} {'bare SQL s':>11} {'ratio':>7}")
    for key, (full, bare) in tables.items():
        print(f"  {key:<30} {full:9.4f} {bare:11.4f} {full / bare if bare else 0:7.2f}")


def load_and_measure(label: str, url: str, cases: int, load: Any) -> dict[str, Any]:
    """Migrate the empty database at `url`, bulk-load it, and measure the report on it."""
    upgrade(Database(url))
    started = time.perf_counter()
    load()
    print(f"{label}: {cases:,} cases loaded in {time.perf_counter() - started:.1f} s")
    ctx = context_for(url)
    figures = measure(ctx)
    ctx.database.dispose()
    return figures


def run_sqlite(cases: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        return load_and_measure(
            "SQLite", f"sqlite:///{path}", cases, lambda: load_sqlite(path, cases)
        )


def run_postgresql(cases: int) -> dict[str, Any]:
    with new_database("bench_reports") as url:
        return load_and_measure("PostgreSQL", url, cases, lambda: load_postgresql(url, cases))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    runners = {"sqlite": ("SQLite", run_sqlite), "postgresql": ("PostgreSQL", run_postgresql)}
    for size in (int(size) for size in args.sizes.split(",")):
        for database in args.databases.split(","):
            label, runner = runners[database]
            figures = runner(size)
            report_figures(label, size, figures)
            if database == "postgresql" and size >= 1_000_000:
                verdict = "met" if figures["whole"] < TARGET_SECONDS else "NOT met"
                print(f"  target (< {TARGET_SECONDS:.0f} s at 1,000,000 on PostgreSQL): {verdict}")


if __name__ == "__main__":
    main()
