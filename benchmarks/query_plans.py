"""The hot paths at scale on PostgreSQL: each person's queue, the manager's dashboard, the case
list (first page, a deep page, overdue, a search by reference), a case page, and the deadline
sweep, timed over a demo council of 1,000,000 cases, with every SQL statement they run explained
(EXPLAIN ANALYZE) to check none reads a large table from end to end (a sequential scan).

The council is bulk-loaded (`complaints demo-data`) into a new database (pg_council.py), which is
dropped after unless kept.
Timings are the median of five runs after one warm-up. A sequential scan that reads more than
a tenth (SCAN_SHARE) of a table of more than SCAN_ROWS rows is listed and makes the script exit
non-zero; an index read as much with no condition on it is listed beneath its path.

Run: python benchmarks/query_plans.py [--cases 1000000] [--keep] [--url postgresql+psycopg://...]
(--url: use a database that already holds a demo council instead of loading one.)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

import psycopg
import sqlalchemy as sa
from pg_council import context_for, demo_council

from complaints.alerts.sweep import sweep
from complaints.context import Context
from complaints.dashboard import manager_dashboard, work_for
from complaints.models import FeedbackCase, User
from complaints.services.case_file import case_file
from complaints.services.listing import CaseFilters, list_cases

SCAN_ROWS = 10_000
SCAN_SHARE = 0.1
WHOLE_INDEX_KINDS = ("Index Scan", "Index Only Scan")
RUNS = 5


@contextmanager
def statements_of(ctx: Context) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with their parameters) run inside the block."""
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    sa.event.listen(ctx.database.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(ctx.database.engine, "before_cursor_execute", note)


def large_reads(url: str, statements: list[tuple[str, Any]]) -> tuple[list[str], list[str]]:
    """The sequential scans in these statements' plans that read more than a tenth of a table
    of more than SCAN_ROWS rows (failures); and, listed apart, the index scans that read as
    much of such a table's index with no condition on the index (a whole covering index read
    for its columns: quicker than the table, yet growing with it). Each statement is run
    (EXPLAIN ANALYZE; they are SELECTs) for the rows its scans really read: a scan stopped
    early by a LIMIT (the case list's count stops at 10,001 cases) reads only its first pages."""
    scans: list[str] = []
    index_reads: list[str] = []
    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        connection.execute("SET jit = off")  # as the application's connections have it
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = connection.execute(
                f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters
            ).fetchone()
            assert plan is not None
            for node in _nodes(plan[0][0]["Plan"]):
                kind = node["Node Type"]
                whole_index = kind in WHOLE_INDEX_KINDS and "Index Cond" not in node
                if kind != "Seq Scan" and not whole_index:
                    continue
                table_rows = _table_rows(connection, node)
                read = _rows_read(node)
                if table_rows <= SCAN_ROWS or read <= table_rows * SCAN_SHARE:
                    continue
                what = f"{node['Relation Name']} read {read:,.0f} of {table_rows:,} rows"
                if whole_index:
                    index_reads.append(f"{node['Index Name']} ({what})")
                else:
                    scans.append(f"Seq Scan on {what}")
    return scans, index_reads


def _rows_read(node: dict[str, Any]) -> float:
    """The rows a scan read: those it passed on and those its filter removed, over every loop
    (a parallel scan's figures are per worker)."""
    per_loop = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
    return float(per_loop * node["Actual Loops"])


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _table_rows(connection: psycopg.Connection[Any], node: dict[str, Any]) -> int:
    row = connection.execute(
        "SELECT reltuples FROM pg_class WHERE relname = %s", (node["Relation Name"],)
    ).fetchone()
    return int(row[0]) if row else 0


def timed(work: Callable[[], object]) -> float:
    work()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def hot_paths(ctx: Context) -> dict[str, Callable[[], object]]:
    """The work measured, as the pages and the scheduler call it."""
    with ctx.database.reader() as session:
        people = {
            user.username: user
            for user in session.scalars(
                sa.select(User).where(User.username.in_(("cmanager", "admin", "officer.patel")))
            )
        }
        session.expunge_all()
        newest = session.scalars(
            sa.select(FeedbackCase.reference).order_by(FeedbackCase.id.desc()).limit(1)
        ).one()
    manager, admin, officer = people["cmanager"], people["admin"], people["officer.patel"]
    paths: dict[str, Callable[[], object]] = {
        "queue (manager)": lambda: work_for(ctx, manager),
        "dashboard (manager)": lambda: manager_dashboard(ctx, manager),
        "dashboard (all cases)": lambda: manager_dashboard(ctx, admin),
        "case list, first page": lambda: list_cases(ctx, admin, CaseFilters()),
        "case list, page 200": lambda: list_cases(ctx, admin, CaseFilters(page=200)),
        "case list, team's cases": lambda: list_cases(ctx, manager, CaseFilters()),
        "case list, overdue": lambda: list_cases(ctx, admin, CaseFilters(overdue=True)),
        "case list, search by reference": lambda: list_cases(
            ctx, admin, CaseFilters(search=newest[:-2])
        ),
        "case page": lambda: case_file(ctx, newest, admin),
        "queue (officer)": lambda: work_for(ctx, officer),
        "sweep (steady state)": lambda: sweep(ctx),
    }
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--url", help="a database already holding a demo council")
    parser.add_argument("--keep", action="store_true", help="keep the loaded database")
    arguments = parser.parse_args()
    council = (
        nullcontext(arguments.url)
        if arguments.url
        else demo_council("plans", arguments.cases, keep=arguments.keep)
    )
    with council as url:
        ctx = context_for(url, datetime.now(UTC).date())
        try:
            failures = report(ctx, url)
        finally:
            ctx.database.dispose()
    sys.exit(1 if failures else 0)


def report(ctx: Context, url: str) -> int:
    print(f"{'hot path':<32} {'median ms':>10} {'statements':>11}  large sequential scans")
    failures = 0
    for label, work in hot_paths(ctx).items():
        milliseconds = timed(work)
        with statements_of(ctx) as statements:
            work()
        scans, index_reads = large_reads(url, statements)
        failures += len(scans)
        print(
            f"{label:<32} {milliseconds:>10.1f} {len(statements):>11}  {'; '.join(scans) or 'none'}"
        )
        for index_read in index_reads:
            print(f"{'':<56}  (whole index: {index_read})")
    return failures


if __name__ == "__main__":
    main()
