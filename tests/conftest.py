"""Fixtures shared by the suite: settings, a settable clock, a migrated database, a context.

The database is SQLite (a fresh file per test, copied from one migrated template) unless
COMPLAINTS_DATABASE_URL names a PostgreSQL database, as CI's second run does; then the schema is
migrated once and every table is emptied after each test.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from complaints import passwords
from complaints.clock import SettableClock
from complaints.config import DEFAULT_CONFIG_PATH, DatabaseSettings, Settings, load_settings
from complaints.context import Context, shared_engine
from complaints.db import Database, upgrade
from complaints.logs import CaseInHand, JsonFormatter
from complaints.models import metadata
from complaints.services.cases import NewFeedback, log_feedback
from complaints.services.people import add_user, seed_reference_data
from complaints.services.views import CaseView
from tests.support import LogCase

SERVER_DATABASE_URL = os.environ.get("COMPLAINTS_DATABASE_URL", "")
# A Monday with no bank holiday nearby, so tests can count working days by eye.
DEFAULT_TODAY = date(2026, 11, 23)


def pytest_report_header() -> str:
    return f"database: {SERVER_DATABASE_URL or 'SQLite (a temporary file per test)'}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its production cost takes a quarter of a second a hash; tests need no such
    protection, only the same algorithm."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture(autouse=True)
def _engine_built_afresh_under_mutation_testing() -> None:
    """The workflow engine is built once per process; under mutation testing (`make mutation`,
    docs/mutation-testing.md) every test builds its own, so a changed engine is the one tested
    rather than the one an earlier test left behind."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        shared_engine.cache_clear()


@pytest.fixture(scope="session")
def shipped_settings() -> Settings:
    """The settings of the repository's own config.toml, ignoring the environment."""
    return load_settings(DEFAULT_CONFIG_PATH, environ={})


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(DEFAULT_TODAY)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "complaints.db"
    template = Database(f"sqlite:///{path}")
    upgrade(template)
    template.dispose()
    return path


@pytest.fixture(scope="session")
def _server_database() -> Iterator[Database]:
    database = Database(SERVER_DATABASE_URL)
    upgrade(database)
    yield database
    database.dispose()


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of the kind this run tests."""
    if SERVER_DATABASE_URL:
        server: Database = request.getfixturevalue("_server_database")
        yield server
        _empty_every_table(server)
        return
    template: Path = request.getfixturevalue("_sqlite_template")
    path = tmp_path / "complaints.db"
    shutil.copyfile(template, path)
    local = Database(f"sqlite:///{path}")
    yield local
    local.dispose()


@pytest.fixture
def settings(shipped_settings: Settings, database: Database) -> Settings:
    return dataclasses.replace(shipped_settings, database=DatabaseSettings(url=database.url))


@pytest.fixture
def ctx(settings: Settings, clock: SettableClock, database: Database) -> Context:
    return Context(settings, clock, database)


def _empty_every_table(database: Database) -> None:
    names = ", ".join(table.name for table in metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def council(ctx: Context) -> Context:
    """Teams and categories from config, and staff: off, off2, qa, mgr, admin."""
    seed_reference_data(ctx)
    add_user(ctx, "off", role="officer", full_name="Olive Officer", team="Customer Service")
    add_user(ctx, "off2", role="officer", full_name="Owen Officer", team="Customer Service")
    add_user(ctx, "qa", role="qa_practitioner", full_name="Quinn Practitioner")
    add_user(ctx, "mgr", role="manager", full_name="Mina Manager")
    add_user(ctx, "admin", role="admin", full_name="Ada Admin")
    return ctx


@pytest.fixture
def log_case(council: Context, clock: SettableClock) -> LogCase:
    """Log a complaint received on `received` by the officer 'off' (the clock moves there)."""

    def log(procedure: str, received: date, **details: object) -> CaseView:
        clock.set(received)
        feedback = NewFeedback(
            procedure=procedure,
            feedback_type=str(details.pop("feedback_type", "complaint")),
            received_on=received,
            summary=str(details.pop("summary", "The service let us down")),
            complainant_name=str(details.pop("complainant_name", "Ava Smith")),
            **details,  # type: ignore[arg-type]
        )
        return log_feedback(council, feedback, by="off")

    return log


@pytest.fixture
def json_lines() -> Iterator[Callable[[], list[dict[str, object]]]]:
    """The lines logged while the test runs, as the production handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(CaseInHand())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)
