"""`complaints calendar`: working-day sums on the council's calendar."""

from __future__ import annotations

from datetime import date

import click

from complaints.cli.common import ISO_DATE, WHOLE_NUMBER, load_calendar


@click.group()
def calendar() -> None:
    """Working-day arithmetic on the council's calendar (bank holidays and closure days)."""


# Unknown options are let through so a negative count ("-2") reads as a number, not an option.
@calendar.command("add", context_settings={"ignore_unknown_options": True})
@click.argument("day", type=ISO_DATE)
@click.argument("working_days", type=WHOLE_NUMBER)
@click.pass_context
def add(click_context: click.Context, day: date, working_days: int) -> None:
    """Print the date WORKING_DAYS working days after DAY (Day 0); negative counts back."""
    council_calendar = load_calendar(click_context)
    try:
        click.echo(council_calendar.add_working_days(day, working_days).isoformat())
    except ValueError as error:
        raise click.ClickException(str(error)) from error


@calendar.command("between")
@click.argument("start", type=ISO_DATE)
@click.argument("end", type=ISO_DATE)
@click.pass_context
def between(click_context: click.Context, start: date, end: date) -> None:
    """Print the working days after START up to and including END (negative if END is earlier)."""
    council_calendar = load_calendar(click_context)
    try:
        click.echo(str(council_calendar.working_days_between(start, end)))
    except ValueError as error:
        raise click.ClickException(str(error)) from error
