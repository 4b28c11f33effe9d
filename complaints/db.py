"""The database: engine set-up for SQLite and PostgreSQL, units of work, and migrations.

A unit of work is one transaction: it commits when the block ends and rolls back, leaving the
database untouched, when anything in it fails. A database that cannot take the change (read-only,
its disk full, not answering) is reported as a DatabaseError saying so and that nothing was
changed, never as a crash half-way through. On SQLite a writing unit of work begins with
BEGIN IMMEDIATE, so two writers queue for the lock instead of failing half-way through
(a deferred transaction that reads first cannot wait for the write lock later). A SQLite file the
product creates is readable by its owner only, and so are its -wal, -shm and -journal files,
which SQLite creates with the database file's permissions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from complaints.errors import ComplaintsError
from complaints.private_files import create_private_file, make_private_folder

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_BEGIN_MODE = "complaints_sqlite_begin"


class DatabaseError(ComplaintsError):
    """The database cannot be reached or used; the message says which and why."""


# PostgreSQL's SQLSTATE codes for a database that cannot take a change just now.
_PG_READ_ONLY = {"25006"}  # read_only_sql_transaction (a standby, or set read-only)
_PG_FULL = {"53100", "53200", "53300", "53400"}  # disk full, out of memory, too many connections


class Database:
    """One database: a reading engine and a writing one sharing a connection pool."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = _create_engine(url, echo=echo)
        self._writer = self.engine.execution_options(**{_BEGIN_MODE: "IMMEDIATE"})

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session in one writing transaction: committed at the end, rolled back on error
        (a database that cannot take it raises DatabaseError)."""
        with (
            _storage_failures_reported(),
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading; closing it rolls back anything it might have written, and the
        objects it loaded stay readable afterwards."""
        with _storage_failures_reported(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _create_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = sa.create_engine(url, echo=echo, pool_pre_ping=True)
        if parsed.get_backend_name() == "postgresql":
            _configure_postgresql(engine)
        return engine
    database = parsed.database
    if database and database != ":memory:":
        _create_sqlite_file(Path(database))
    engine = sa.create_engine(url, echo=echo)
    _configure_sqlite(engine)
    return engine


def _create_sqlite_file(path: Path) -> None:
    """Create the database file (empty: SQLite fills it in) for its owner only, if missing."""
    if path.exists():
        return
    make_private_folder(path.parent)
    with suppress(FileExistsError):  # another process made it first
        create_private_file(path)


@contextmanager
def _storage_failures_reported() -> Iterator[None]:
    """A database that cannot store anything just now becomes a DatabaseError saying so."""
    try:
        yield
    except DBAPIError as error:
        raise storage_failure(error) or error from error


def storage_failure(error: DBAPIError) -> DatabaseError | None:
    """The DatabaseError for a database that cannot store anything just now, or None for any
    other failure (a bug, a constraint), which stays what it is."""
    sqlstate = getattr(error.orig, "sqlstate", None)  # PostgreSQL (psycopg)
    sqlite_name = str(getattr(error.orig, "sqlite_errorname", ""))  # SQLite, e.g. SQLITE_FULL
    nothing = "; nothing was changed"
    if sqlstate in _PG_READ_ONLY or sqlite_name.startswith("SQLITE_READONLY"):
        return DatabaseError(
            "the database is read-only just now, so it cannot be changed" + nothing
        )
    if sqlstate in _PG_FULL or sqlite_name == "SQLITE_FULL":
        return DatabaseError("the database has run out of space (or memory)" + nothing)
    unreachable = sqlite_name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_BUSY"))
    if (
        error.connection_invalidated
        or unreachable
        or (isinstance(error, OperationalError) and sqlstate is None and not sqlite_name)
    ):
        return DatabaseError(f"the database is not answering ({error.orig})" + nothing)
    return None


def _configure_postgresql(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # No JIT compilation: it pays off for long analytical queries, not for pages of a few
        # milliseconds, yet the planner's cost estimates at a million cases switch it on and
        # each page would spend tens of milliseconds compiling.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()


def _configure_sqlite(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN is ours to issue (see module doc).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get(_BEGIN_MODE, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def alembic_config(url: str) -> AlembicConfig:
    """Alembic's configuration for this product, built in code (no alembic.ini to keep)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema up to `revision` (the newest by default); safe to run again."""
    config = alembic_config(database.url)
    try:
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as error:
        raise DatabaseError(
            f"cannot reach the database {_safe_url(database.url)}: {error.orig}"
        ) from error


def downgrade(database: Database, revision: str) -> None:
    """Take the schema back to `revision` ("base" removes every table)."""
    config = alembic_config(database.url)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(database: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with database.engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def head_revision() -> str:
    """The newest revision this version of the product knows."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def require_current_schema(database: Database) -> None:
    """Refuse to work on a database whose schema is missing or older than this product."""
    try:
        found = current_revision(database)
    except OperationalError as error:
        raise DatabaseError(
            f"cannot reach the database {_safe_url(database.url)}: {error.orig}"
        ) from error
    if found is None:
        raise DatabaseError(
            f"the database {_safe_url(database.url)} has no tables yet; "
            "run 'complaints init-db' first"
        )
    if found != head_revision():
        raise DatabaseError(
            f"the database schema is at revision {found}, not {head_revision()}; "
            "run 'complaints init-db' to upgrade it"
        )


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
