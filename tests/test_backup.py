"""Backup and restore of the whole database, on SQLite (online backup API) and PostgreSQL
(pg_dump and pg_restore): a restore brings back exactly the figures the backup held, the annual
report's tables among them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from complaints.backup import BackupError, back_up, restore
from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.demo import load_demo_data
from complaints.reports import Period, build_report
from complaints.reports.model import Table
from complaints.services.cases import NewFeedback, log_feedback
from tests.support import audit_count, figures


def run(ctx: Context, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj={"context": ctx})


@pytest.fixture
def demo(ctx: Context, clock: SettableClock) -> Context:
    clock.set(date(2026, 11, 23))
    load_demo_data(ctx, cases=40)
    return ctx


def log_another_case(ctx: Context) -> None:
    feedback = NewFeedback(
        procedure="corporate",
        feedback_type="complaint",
        received_on=date(2026, 11, 20),
        summary="Logged after the backup",
        complainant_name="Sam Lee",
    )
    log_feedback(ctx, feedback, by="officer.patel")


def annual_report_tables(ctx: Context) -> tuple[Table, ...]:
    """Every table of this financial year's annual report, as the council would present it."""
    return build_report(ctx, Period.financial_year(2026), by="admin").tables


def test_a_restore_brings_back_what_the_backup_held(demo: Context, tmp_path: Path) -> None:
    backup = tmp_path / "nightly.backup"
    before, events = figures(demo), audit_count(demo)
    report_before = annual_report_tables(demo)
    taken = run(demo, "backup", "--out", str(backup))
    assert taken.exit_code == 0, taken.output
    assert "Backed up 40 cases" in taken.output
    log_another_case(demo)
    assert figures(demo) != before
    assert annual_report_tables(demo) != report_before

    restored = run(demo, "restore", str(backup), "--yes")

    assert restored.exit_code == 0, restored.output
    assert "Restored 40 cases" in restored.output
    assert figures(demo) == before
    assert annual_report_tables(demo) == report_before
    assert audit_count(demo) == events
    # What the restore replaced is kept, and can itself be restored.
    replaced = tmp_path / "nightly.backup.replaced"
    assert "(41 cases," in restored.output and replaced.is_file()
    restore(demo.database, replaced)
    assert figures(demo) != before


def test_a_restore_needs_confirming(demo: Context, tmp_path: Path) -> None:
    backup = tmp_path / "b.backup"
    back_up(demo.database, backup)
    log_another_case(demo)
    changed = figures(demo)
    result = run(demo, "restore", str(backup))
    assert result.exit_code == 2 and "add --yes" in result.output
    assert figures(demo) == changed


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    demo: Context, tmp_path: Path
) -> None:
    before = figures(demo)
    other = tmp_path / "notes.txt"
    other.write_text("not a backup", encoding="utf-8")
    with pytest.raises(BackupError, match="is not a backup made by 'complaints backup'"):
        restore(demo.database, other)
    with pytest.raises(BackupError, match="there is no backup file"):
        restore(demo.database, tmp_path / "missing.backup")
    assert figures(demo) == before


def test_a_damaged_backup_is_refused_and_nothing_changes(demo: Context, tmp_path: Path) -> None:
    backup = tmp_path / "b.backup"
    back_up(demo.database, backup)
    content = backup.read_bytes()
    backup.write_bytes(content[: len(content) // 3])
    before = figures(demo)
    with pytest.raises(BackupError):
        restore(demo.database, backup)
    assert figures(demo) == before


def test_a_backup_into_a_missing_folder_is_refused(demo: Context, tmp_path: Path) -> None:
    result = run(demo, "backup", "--out", str(tmp_path / "nowhere" / "b.backup"))
    assert result.exit_code == 1 and "there is no folder" in result.output
