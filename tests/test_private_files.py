"""Files holding personal data are readable by their owner only (0600, folders 0700) whatever
the umask: the SQLite database and its -wal and -shm, backups (with nothing left beside them),
exports, subject access exports, reports and letters written with --out, and the demo's mail.
PostgreSQL's password never appears on pg_dump's or pg_restore's command line."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner, Result

from complaints import backup
from complaints.backup import BackupError, back_up, restore
from complaints.cli import cli
from complaints.context import Context
from complaints.db import Database, upgrade
from tests.reports.test_known_answers import small_council
from tests.support import LogCase
from web.demo_mail import MailFolder


@pytest.fixture(autouse=True)
def _everyone_may_read_by_default() -> Iterator[None]:
    """The usual umask (022), under which a file made without care is readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(ctx: Context, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj={"context": ctx})


def test_a_new_sqlite_database_and_its_wal_and_shm_are_for_their_owner_only(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "instance"
    database = Database(f"sqlite:///{folder / 'complaints.db'}")
    upgrade(database)
    with database.engine.connect():  # holds the -wal and -shm open
        files = {path.name: mode(path) for path in folder.iterdir()}
    database.dispose()

    assert files == {"complaints.db": 0o600, "complaints.db-wal": 0o600, "complaints.db-shm": 0o600}
    assert mode(folder) == 0o700


def test_a_backup_is_private_and_leaves_nothing_beside_it(
    ctx: Context, log_case: LogCase, tmp_path: Path
) -> None:
    log_case("corporate", date(2026, 11, 2))
    folder = tmp_path / "backups"
    folder.mkdir()

    back_up(ctx.database, folder / "nightly.backup")

    assert {path.name: mode(path) for path in folder.iterdir()} == {"nightly.backup": 0o600}
    restore(ctx.database, folder / "nightly.backup")
    assert sorted(path.name for path in folder.iterdir()) == ["nightly.backup"]


def test_pg_dump_and_pg_restore_get_the_password_from_the_environment_never_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        calls.append({"command": command, "env": options["env"]})
        return subprocess.CompletedProcess(command, 1, "", "stopped by the test")

    monkeypatch.setattr(backup.shutil, "which", lambda program: f"/usr/bin/{program}")
    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    database = Database("postgresql+psycopg://clerk:s3cret%2Fword@db.example:5432/complaints")
    dump = tmp_path / "dump.backup"
    dump.write_bytes(backup.PG_DUMP_MAGIC + b"rest of the dump")

    with pytest.raises(BackupError, match="pg_dump failed: stopped by the test"):
        back_up(database, tmp_path / "new.backup")
    with pytest.raises(BackupError, match="pg_restore failed: stopped by the test"):
        restore(database, dump)

    assert [call["command"][0] for call in calls] == ["pg_dump", "pg_restore"]
    for call in calls:
        assert not [part for part in call["command"] if "s3cret" in part]
        address = [part for part in call["command"] if "db.example" in part]
        assert [part.removeprefix("--dbname=") for part in address] == [
            "postgresql://clerk@db.example:5432/complaints"
        ]
        assert call["env"]["PGPASSWORD"] == "s3cret/word"
    assert not (tmp_path / "new.backup").exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_an_export_is_private_even_over_a_file_everyone_could_read(
    council: Context, log_case: LogCase, tmp_path: Path, file_format: str
) -> None:
    log_case("corporate", date(2026, 11, 2))
    out = tmp_path / f"cases.{file_format}"
    out.write_text("an older export")
    out.chmod(0o644)

    result = run(council, "export", "--format", file_format, "--out", str(out), "--by", "admin")

    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600
    assert sorted(path.name for path in tmp_path.iterdir() if "cases" in path.name) == [out.name]


def test_a_subject_access_export_is_private(
    council: Context, log_case: LogCase, tmp_path: Path
) -> None:
    log_case("corporate", date(2026, 11, 2), complainant_name="Priya Shah")
    out = tmp_path / "request.json"

    result = run(council, "retention", "subject-access", "--by", "admin", "--name", "Priya Shah",
                 "--out", str(out))  # fmt: skip

    assert result.exit_code == 0 and "1 cases written" in result.output
    assert mode(out) == 0o600
    refused = run(council, "retention", "subject-access", "--by", "admin",
                  "--out", str(tmp_path / "nobody.json"))  # fmt: skip
    assert refused.exit_code != 0 and not (tmp_path / "nobody.json").exists()


def test_a_report_written_with_out_is_private(ctx: Context, tmp_path: Path) -> None:
    small_council().save(ctx.database)
    report = ("report", "annual", "--year", "2025", "--by", "admin")

    assert run(ctx, *report, "--format", "xlsx", "--out", str(tmp_path / "r.xlsx")).exit_code == 0
    assert run(ctx, *report, "--out", str(tmp_path / "r.html")).exit_code == 0
    assert run(ctx, *report, "--format", "csv", "--out", str(tmp_path / "tables")).exit_code == 0

    assert mode(tmp_path / "r.xlsx") == mode(tmp_path / "r.html") == 0o600
    assert mode(tmp_path / "tables") == 0o700
    assert {mode(path) for path in (tmp_path / "tables").iterdir()} == {0o600}


def test_a_letter_written_as_a_pdf_from_the_command_line_is_private(
    council: Context, log_case: LogCase, tmp_path: Path
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    out = tmp_path / "letter.pdf"

    result = run(
        council, "letter", "preview", reference, "acknowledgement", "--pdf", str(out), "--by", "off"
    )

    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600 and out.read_bytes().startswith(b"%PDF")


def test_the_demo_mail_sink_keeps_messages_for_its_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "instance" / "mail"
    sink = MailFolder(folder)
    envelope = SimpleNamespace(content=b"Subject: CF-2026-000001 is overdue\r\n\r\nAva Smith\r\n")

    assert asyncio.run(sink.handle_DATA(None, None, envelope)) == "250 Message accepted"

    (message,) = folder.iterdir()
    assert message.name == "000001.eml" and message.read_bytes() == envelope.content
    assert mode(message) == 0o600 and mode(folder) == 0o700
