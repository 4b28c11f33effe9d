"""A demo council in a PostgreSQL database of its own, and the web app served from it by
gunicorn, for the runs that load or break the production set-up (load_test.py,
fault_db_restart.py). The database is created on PG_ADMIN's server and dropped afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from query_plans import PG_ADMIN, context_for

from complaints.db import upgrade
from complaints.demo import load_demo_data


@contextmanager
def demo_council(purpose: str, cases: int) -> Iterator[str]:
    """The URL of a new database holding a bulk-loaded demo council of `cases` cases."""
    name = f"complaints_{purpose}_{os.getpid()}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        ctx = context_for(url, datetime.now(UTC).date())
        upgrade(ctx.database)
        load_demo_data(ctx, cases=cases, method="bulk")
        ctx.database.dispose()
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def gunicorn_on(url: str, folder: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """gunicorn serving the app on the database at `url` (its entry module written to
    `folder`), as the README's production set-up runs it, with sign-in unthrottled."""
    (folder / "council_app.py").write_text(
        "from datetime import UTC, datetime\n"
        "from query_plans import context_for\n"
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
