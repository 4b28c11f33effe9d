"""Loading a demo council (`complaints demo-data`) in bulk into SQLite and PostgreSQL, against
the played path (through the ORM) measured in the same run on fewer cases.

For each database: a fresh database loaded by the played path with --played-cases cases, then
another fresh database loaded in bulk with --cases cases; for each, the cases and rows a second
(from the start of the load's transaction to its commit, ANALYZE included) and the Python
process's CPU time, then how many times faster bulk is. Target: at least 50,000 cases a second
in bulk on PostgreSQL.

Run: python benchmarks/bench_demo_data.py [--cases 200000] [--played-cases 2000]
     [--databases sqlite,postgresql]
PostgreSQL: a database is created on postgresql://postgres@127.0.0.1:5432 and dropped after
(BENCH_PG_ADMIN names another server's maintenance database).
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from pg_council import new_database

from complaints.clock import SettableClock
from complaints.config import DatabaseSettings, load_settings
from complaints.context import Context
from complaints.db import Database, upgrade
from complaints.demo import LoadMethod, load_demo_data
from complaints.demo.rows import DEMO_TABLES

TODAY = date(2026, 11, 23)
TARGET_CASES_PER_SECOND = 50_000


@dataclass(frozen=True)
class Load:
    method: LoadMethod
    cases: int
    rows: int
    seconds: float
    cpu_seconds: float  # this Python process's, seeding the staff included
    phases: dict[str, float]  # in bulk, where the time went (complaints.demo.bulk.BULK_PHASES)

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.seconds

    def line(self) -> str:
        summary = (
            f"  {self.method.value:<6} {self.cases:>10,} cases {self.rows:>11,} rows "
            f"{self.seconds:8.2f} s {self.cases_per_second:>9,.0f} cases/s "
            f"{self.rows / self.seconds:>10,.0f} rows/s  Python CPU {self.cpu_seconds:.1f} s"
        )
        parts = [
            f"\n    {name:<38} {seconds:7.2f} s  ({self.cases / seconds:,.0f} cases/s were it all)"
            for name, seconds in self.phases.items()
            if seconds > 0
        ]
        return summary + "".join(parts)


def load(url: str, cases: int, method: LoadMethod) -> Load:
    """Migrate the empty database at `url` and load `cases` demo cases into it by `method`."""
    database = Database(url)
    upgrade(database)
    settings = dataclasses.replace(load_settings(environ={}), database=DatabaseSettings(url=url))
    ctx = Context(settings, SettableClock(TODAY), database)
    started = time.process_time()
    summary = load_demo_data(ctx, cases=cases, method=method)
    cpu_seconds = time.process_time() - started
    with database.engine.connect() as connection:
        rows = sum(
            connection.execute(sa.select(sa.func.count()).select_from(table.table)).scalar_one()
            for table in DEMO_TABLES
        )
    database.dispose()
    return Load(method, cases, rows, summary.seconds, cpu_seconds, summary.phases)


@contextmanager
def fresh_sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'demo.db'}"


def fresh_postgresql() -> AbstractContextManager[str]:
    return new_database("bench_demo")


def compare(
    label: str, fresh: Callable[[], AbstractContextManager[str]], cases: int, played_cases: int
) -> tuple[Load, Load]:
    """The played path on `played_cases` and the bulk path on `cases`, each on a fresh
    database, printed with the ratio of their cases a second."""
    with fresh() as url:
        played = load(url, played_cases, LoadMethod.PLAYED)
    with fresh() as url:
        bulk = load(url, cases, LoadMethod.BULK)
    ratio = bulk.cases_per_second / played.cases_per_second
    print(f"\n{label}:\n{played.line()}\n{bulk.line()}\n  bulk is {ratio:,.0f} times as fast")
    return played, bulk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--played-cases", type=int, default=2_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    databases = {"sqlite": ("SQLite", fresh_sqlite), "postgresql": ("PostgreSQL", fresh_postgresql)}
    for database in args.databases.split(","):
        label, fresh = databases[database]
        _, bulk = compare(label, fresh, args.cases, args.played_cases)
        if database == "postgresql":
            met = bulk.cases_per_second >= TARGET_CASES_PER_SECOND
            print(
                f"  target (>= {TARGET_CASES_PER_SECOND:,} cases/s in bulk on PostgreSQL): "
                f"{'met' if met else 'NOT met'}"
            )


if __name__ == "__main__":
    main()
