"""Backups of the whole database, and restoring one.

SQLite is copied with its online backup API, page by page under its own locks, so a backup taken
while the product runs is a consistent snapshot; the copy is checked with `PRAGMA
integrity_check` before it is kept. PostgreSQL is dumped with `pg_dump` in its custom format and
restored with `pg_restore` in a single transaction, so a restore that fails leaves the database
as it was; they are given the password through the environment (PGPASSWORD), never on their
command line, where anyone on the server could read it. Either way the backup is written to a
`.part` file and renamed only when complete, readable by its owner only from the start; a SQLite
backup is a single file (rollback journal, not WAL), so nothing is left beside it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from complaints.db import Database, current_revision
from complaints.errors import ComplaintsError
from complaints.private_files import private_file

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(ComplaintsError):
    """A backup or restore that could not be done; the message says why, and nothing changed."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, or what a restore brought back."""

    path: Path
    cases: int
    revision: str | None
    size_bytes: int


def back_up(database: Database, out: Path) -> BackupSummary:
    """Write a consistent copy of the whole database to `out`."""
    if not out.parent.is_dir():
        raise BackupError(f"there is no folder {out.parent} to write {out.name} in")
    with private_file(out) as partial:
        if database.dialect == "sqlite":
            _sqlite_backup(_sqlite_path(database), partial)
        else:
            _run(
                ["pg_dump", "--format=custom", f"--file={partial}", _libpq_url(database)], database
            )
    return BackupSummary(out, _case_count(database), current_revision(database), out.stat().st_size)


def restore(database: Database, backup: Path) -> BackupSummary:
    """Replace the whole database with the backup's contents."""
    kind = _backup_kind(backup)
    if kind != database.dialect:
        raise BackupError(f"{backup.name} is a {kind} backup; this database is {database.dialect}")
    database.dispose()  # no pooled connection may hold the old pages or tables
    if kind == "sqlite":
        _sqlite_check(backup)
        _sqlite_copy(backup, _sqlite_path(database))
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={_libpq_url(database)}",
                str(backup),
            ],
            database,
        )
    return BackupSummary(
        backup, _case_count(database), current_revision(database), backup.stat().st_size
    )


def _sqlite_backup(source_path: Path, target: Path) -> None:
    source = sqlite3.connect(source_path)
    try:
        # A rollback journal: the copy is one file, with no -wal or -shm beside it.
        _sqlite_copy_connection(source, target, journal_mode="DELETE")
    finally:
        source.close()
    _sqlite_check(target)


def _sqlite_copy(backup: Path, live: Path) -> None:
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        _sqlite_copy_connection(source, live)
    finally:
        source.close()


def _sqlite_copy_connection(
    source: sqlite3.Connection, target_path: Path, *, journal_mode: str | None = None
) -> None:
    target = sqlite3.connect(target_path)
    try:
        source.backup(target, pages=1024)
        if journal_mode is not None:
            target.execute(f"PRAGMA journal_mode = {journal_mode}")
    except sqlite3.Error as error:
        raise BackupError(f"could not copy the database: {error}") from None
    finally:
        target.close()


def _sqlite_check(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (result,) = connection.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path.name} is not a usable SQLite database: {error}") from None
    finally:
        connection.close()
    if result != "ok":
        raise BackupError(f"{path.name} failed SQLite's integrity check: {result}")


def _backup_kind(path: Path) -> str:
    if not path.is_file():
        raise BackupError(f"there is no backup file {path}")
    with path.open("rb") as stream:
        head = stream.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path.name} is not a backup made by 'complaints backup'")


def _sqlite_path(database: Database) -> Path:
    name = make_url(database.url).database
    if not name or name == ":memory:":
        raise BackupError("an in-memory database cannot be backed up or restored")
    return Path(name)


def _libpq_url(database: Database) -> str:
    """The URL as pg_dump and pg_restore take it: no SQLAlchemy driver name, and no password
    (`_run` gives them that through the environment)."""
    url = make_url(database.url).set(drivername="postgresql")
    return url._replace(password=None).render_as_string()


def _run(command: list[str], database: Database) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install PostgreSQL's client programs")
    password = make_url(database.url).password
    # --no-password: fail with a message rather than wait for someone to type one.
    command = [command[0], "--no-password", *command[1:]]
    environment = {
        **os.environ,
        # Give up rather than wait for ever behind another session's lock.
        "PGCONNECT_TIMEOUT": "10",
        "PGOPTIONS": "-c lock_timeout=30s",
    }
    if password is not None:
        environment["PGPASSWORD"] = str(password)
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()
        raise BackupError(f"{command[0]} failed: {detail[-1] if detail else result.returncode}")


def _case_count(database: Database) -> int:
    with database.engine.connect() as connection:
        if not sa.inspect(connection).has_table("feedback_case"):
            return 0
        return int(connection.execute(sa.text("SELECT count(*) FROM feedback_case")).scalar_one())
