"""`complaints retention`: the retention policy, and subject access requests."""

from __future__ import annotations

from pathlib import Path

import click

from complaints.cli.common import load_database_context
from complaints.private_files import private_file
from complaints.services.retention import run_retention, subject_access

BY = click.option("--by", "by", required=True, help="The administrator doing this.")


@click.group()
def retention() -> None:
    """Personal data: remove it when its time is up, or show someone what is held about them."""


@retention.command("run")
@BY
@click.option("--trial", is_flag=True, help="List the cases it would anonymise; change nothing.")
@click.pass_context
def retention_run(click_context: click.Context, by: str, trial: bool) -> None:
    """Anonymise every closed case past the retention period ([retention] in config.toml)."""
    result = run_retention(load_database_context(click_context), by=by, trial=trial)
    verb = "would anonymise" if trial else "anonymised"
    click.echo(
        f"Cases closed on or before {result.closed_on_or_before.isoformat()}: "
        f"{verb} {len(result.anonymised)}"
    )
    for reference in result.anonymised:
        click.echo(f"  {reference}")


@retention.command("subject-access")
@BY
@click.option("--name", default="", help="The person's name, as on their cases.")
@click.option("--email", default="", help="The person's e-mail address.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="A JSON file."
)
@click.pass_context
def retention_subject_access(
    click_context: click.Context, by: str, name: str, email: str, out: Path
) -> None:
    """Write everything held about one person (their cases, as JSON) for a subject access
    request."""
    ctx = load_database_context(click_context)
    with private_file(out) as partial, partial.open("w", encoding="utf-8") as stream:
        count = subject_access(ctx, stream, by=by, name=name, email=email)
    click.echo(f"{count} cases written to {out}")
