"""`complaints backup` and `complaints restore`: the whole database to a file and back."""

from __future__ import annotations

from pathlib import Path

import click

from complaints.backup import BackupSummary, back_up, restore
from complaints.cli.common import load_context


@click.command("backup")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The backup file to write.",
)
@click.pass_context
def backup_command(click_context: click.Context, out: Path) -> None:
    """Write a consistent copy of the whole database to a file, while the product runs."""
    summary = back_up(load_context(click_context).database, out)
    click.echo(f"Backed up {_described(summary)} to {summary.path}")


@click.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: the database's contents are replaced.")
@click.pass_context
def restore_command(click_context: click.Context, backup: Path, yes: bool) -> None:
    """Replace the whole database with BACKUP. What it held is first saved beside BACKUP."""
    if not yes:
        raise click.UsageError("restoring replaces everything in the database: add --yes")
    database = load_context(click_context).database
    kept = back_up(database, backup.with_name(f"{backup.name}.replaced"))
    summary = restore(database, backup)
    click.echo(f"What the database held ({_described(kept)}) is saved in {kept.path}")
    click.echo(f"Restored {_described(summary)} from {summary.path}")
    click.echo("Run 'complaints init-db' if the backup is from an older version.")


def _described(summary: BackupSummary) -> str:
    revision = summary.revision or "no schema"
    return f"{summary.cases} cases, schema {revision}, {summary.size_bytes:,} bytes"
