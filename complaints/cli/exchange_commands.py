"""`complaints import` and `complaints export`: historic cases in, every case out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import click

from complaints.cli.common import load_database_context
from complaints.context import Context
from complaints.exchange.exporting import export_json, export_rows
from complaints.exchange.files import write_csv, write_xlsx
from complaints.exchange.importing import import_cases
from complaints.private_files import private_file


@click.group("import")
def import_group() -> None:
    """Bring cases in from another system."""


@import_group.command("cases")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", "by", required=True, help="The administrator doing the import.")
@click.option("--trial", is_flag=True, help="Check the whole file and say what would happen.")
@click.pass_context
def import_cases_command(click_context: click.Context, file: Path, by: str, trial: bool) -> None:
    """Import the historic cases in FILE (.csv or .xlsx): all of them, or none if any row is
    wrong. Re-running a file updates its cases and adds no duplicates."""
    result = import_cases(load_database_context(click_context), file, by=by, trial=trial)
    verb = "would import" if result.trial else "imported"
    click.echo(
        f"{result.file_name}: {verb} {len(result.created)} new cases, "
        f"{len(result.updated)} updated, {len(result.unchanged)} unchanged"
    )


@click.command("export")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "xlsx", "json"]),
    required=True,
    help="csv or xlsx: a row per case, the columns import reads; json: everything held.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    required=True,
    help="The file to write (- for standard output, csv and json only).",
)
@click.option("--by", "by", required=True, help="The administrator doing the export.")
@click.pass_context
def export(click_context: click.Context, file_format: str, out: Path, by: str) -> None:
    """Export every case (an administrator; recorded in the audit trail)."""
    ctx = load_database_context(click_context)
    if str(out) == "-":
        if file_format == "xlsx":
            raise click.UsageError("an XLSX workbook needs a file: give --out FILE.xlsx")
        _write_text(ctx, file_format, sys.stdout, by)
        return
    if not out.parent.is_dir():
        raise click.ClickException(f"there is no folder {out.parent} to write {out.name} in")
    with private_file(out) as partial:
        if file_format == "xlsx":
            count = write_xlsx(export_rows(ctx, by=by), partial)
        else:
            with partial.open("w", encoding="utf-8", newline="") as stream:
                count = _write_text(ctx, file_format, stream, by)
    click.echo(f"{count} cases written to {out}")


def _write_text(ctx: Context, file_format: str, stream: IO[str], by: str) -> int:
    if file_format == "csv":
        return write_csv(export_rows(ctx, by=by), stream)
    return export_json(ctx, stream, by=by)
