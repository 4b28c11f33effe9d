"""The `complaints` command line: set-up, demo data, the working-day calendar, staff, the queue.

Every command is a thin caller of the service layer. Errors a person can cause print one line to
stderr and exit with status 1 (2 for a malformed command line), never a stack trace.

The commands are named here with their summaries and imported only when one is run, so that
`complaints --help` or a working-day sum does not wait for the reports, the letters or the
database layer that other commands load (docs/cli.md).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from complaints.cli.group import ComplaintsGroup, LazyCommand


def _in(module: str, attribute: str, summary: str) -> LazyCommand:
    return LazyCommand(f"complaints.cli.{module}", attribute, summary)


COMMANDS = {
    "init-db": _in("setup_commands", "init_db", "Create or upgrade the database schema."),
    "demo-data": _in("setup_commands", "demo_data", "Load a demo council: staff and cases."),
    "calendar": _in("calendar_commands", "calendar", "Working-day arithmetic on the calendar."),
    "team": _in("people_commands", "team", "Teams (service areas)."),
    "user": _in("people_commands", "user", "Staff accounts."),
    "queue": _in("queue_commands", "queue", "Every open deadline of the cases BY may see."),
    "case": _in("case_commands", "case", "Cases: log feedback and move it through its procedure."),
    "workflow": _in("workflow_commands", "workflow", "The procedures' workflows."),
    "alerts": _in("alert_commands", "alerts", "Due-soon, due-today and overdue alerts."),
    "scheduler": _in("scheduler_commands", "scheduler", "Run the scheduler in this process."),
    "letter": _in("letter_commands", "letter", "Letters to complainants."),
    "report": _in("report_commands", "report", "The statutory complaints reports."),
    "import": _in("exchange_commands", "import_group", "Bring cases in from another system."),
    "export": _in("exchange_commands", "export", "Export every case (an administrator)."),
    "backup": _in("backup_commands", "backup_command", "Copy the whole database to a file."),
    "restore": _in("backup_commands", "restore_command", "Replace the whole database."),
    "retention": _in("retention_commands", "retention", "Personal data: remove or show it."),
    "mail": _in("mail_commands", "mail", "E-mailed feedback."),
    "api": _in("api_commands", "api", "The JSON API's integrations."),
}


@click.group(cls=ComplaintsGroup, lazy_commands=COMMANDS)
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


def main(argv: list[str] | None = None) -> Any:
    """The console script's entry point."""
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="complaints")
