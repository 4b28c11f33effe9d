"""PostgreSQL databases of their own for the benchmark and fault runs: a new empty database
(`new_database`), one holding a bulk-loaded demo council (`demo_council`), the application
context on one (`context_for`), and the web app served from one by gunicorn (`gunicorn_on`).
Each database is created on PG_ADMIN's server (`BENCH_PG_ADMIN` names another server's
maintenance database) and dropped afterwards unless kept."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from complaints.clock import SettableClock
from complaints.config import DatabaseSettings, load_settings
from complaints.context import Context
from complaints.db import Database, upgrade
from complaints.demo import load_demo_data

PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def new_database(purpose: str, *, keep: bool = False) -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty database on PG_ADMIN's server, dropped when the
    block ends unless `keep` (then its URL is printed)."""
    name = f"complaints_{purpose}_{os.getpid()}"
    url = make_url(PG_ADMIN).set(drivername="postgresql+psycopg", database=name)
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        if keep:
            print(f"kept: {url.render_as_string(hide_password=True)}")
        else:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def context_for(url: str, today: date) -> Context:
    """The application on the database at `url` on the day `today`, its scheduler not started."""
    settings = load_settings(environ={})
    settings = dataclasses.replace(
        settings,
        database=DatabaseSettings(url=url),
        scheduler=dataclasses.replace(settings.scheduler, embedded=False),
    )
    return Context(settings, SettableClock(today), Database(url))


@contextmanager
def demo_council(purpose: str, cases: int, *, keep: bool = False) -> Iterator[str]:
    """The URL of a new database holding a bulk-loaded demo council of `cases` cases."""
    with new_database(purpose, keep=keep) as url:
        ctx = context_for(url, datetime.now(UTC).date())
        upgrade(ctx.database)
        summary = load_demo_data(ctx, cases=cases, method="bulk")
        ctx.database.dispose()
        print(f"{summary.cases:,} cases loaded in {summary.seconds:.0f} s")
        yield url


def gunicorn_on(url: str, folder: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """gunicorn serving the app on the database at `url` (its entry module written to
    `folder`), as docs/production.md runs it, with sign-in unthrottled."""
    (folder / "council_app.py").write_text(
        "from datetime import UTC, datetime\n"
        "from pg_council import context_for\n"
        "from web import create_app\n"
        f"app = create_app(context_for({url!r}, datetime.now(UTC).date()), "
        "{'SECRET_KEY': 'benchmark', 'SESSION_COOKIE_SECURE': False, "
        "'LOGIN_RATE_LIMIT': '1000/minute'})\n"
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--pythonpath",
         f"{folder},{Path(__file__).parent}", "--log-level", "warning", "council_app:app"],
    )  # fmt: skip
