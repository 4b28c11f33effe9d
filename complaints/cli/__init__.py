"""The `complaints` command line: set-up, demo data, the working-day calendar, staff, the queue.

Every command is a thin caller of the service layer. Errors a person can cause print one line to
stderr and exit with status 1 (2 for a malformed command line), never a stack trace.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from complaints.cli import (
    alert_commands,
    api_commands,
    backup_commands,
    calendar_commands,
    case_commands,
    exchange_commands,
    letter_commands,
    mail_commands,
    people_commands,
    queue_commands,
    report_commands,
    retention_commands,
    scheduler_commands,
    setup_commands,
    workflow_commands,
)
from complaints.cli.common import ComplaintsGroup


@click.group(cls=ComplaintsGroup)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    envvar="COMPLAINTS_CONFIG",
    help="The council's config.toml (default: the one beside the code, or $COMPLAINTS_CONFIG).",
)
@click.pass_context
def cli(click_context: click.Context, config_file: str | None) -> None:
    """Complaints case management for English councils."""
    # Tests may hand in a ready context (with a settable clock) through `obj`.
    click_context.ensure_object(dict)
    click_context.obj.setdefault("config_file", config_file)


cli.add_command(setup_commands.init_db)
cli.add_command(setup_commands.demo_data)
cli.add_command(calendar_commands.calendar)
cli.add_command(people_commands.team)
cli.add_command(people_commands.user)
cli.add_command(queue_commands.queue)
cli.add_command(case_commands.case)
cli.add_command(workflow_commands.workflow)
cli.add_command(alert_commands.alerts)
cli.add_command(scheduler_commands.scheduler)
cli.add_command(letter_commands.letter)
cli.add_command(report_commands.report)
cli.add_command(exchange_commands.import_group)
cli.add_command(exchange_commands.export)
cli.add_command(backup_commands.backup_command)
cli.add_command(backup_commands.restore_command)
cli.add_command(retention_commands.retention)
cli.add_command(mail_commands.mail)
cli.add_command(api_commands.api)


def main(argv: list[str] | None = None) -> Any:
    """The console script's entry point."""
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="complaints")
