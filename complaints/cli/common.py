"""What the commands share: loading the context, parsing dates, reporting errors.

Only what every command needs is imported here; the settings are imported by `load_context`, and
the database layer and the services that check it by `load_database_context`, when a command asks
for them. A command that needs only the calendar (a working-day sum) asks `load_calendar`, which
reads the [calendar] section of config.toml alone, and starts without the rest.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from complaints.calendar import (
    FIRST_SUPPORTED_DAY,
    LAST_SUPPORTED_DAY,
    WorkingCalendar,
    in_supported_range,
)
from complaints.services.values import plain_whole_number

if TYPE_CHECKING:
    from complaints.context import Context
    from complaints.services.calendar_changes import CalendarChange

EXPECTED_VERSION = click.option(
    "--expected-version",
    type=click.IntRange(min=1),
    required=True,
    help="The case's version you are changing (as `case show` prints it): a change made "
    "since by someone else is refused rather than overwritten.",
)


def load_context(click_context: click.Context) -> Context:
    """The product's context, built once per command from the chosen config.toml."""
    from complaints.context import Context

    root = click_context.find_root()
    if "context" not in root.obj:
        root.obj["context"] = Context.load(_config_file(root))
    context: Context = root.obj["context"]
    return context


def load_calendar(click_context: click.Context) -> WorkingCalendar:
    """The council's working-day calendar: the context's if there is one already, else made from
    the [calendar] section of the chosen config.toml alone (the rest of the file is not checked:
    every command that needs it does so)."""
    from complaints.settings.calendar import load_calendar_settings

    root = click_context.find_root()
    if "context" in root.obj:
        return load_context(click_context).calendar
    return WorkingCalendar.from_config(load_calendar_settings(_config_file(root)))


def _config_file(root: click.Context) -> Path | None:
    config_file = root.obj.get("config_file")
    return Path(config_file) if config_file else None


def load_database_context(click_context: click.Context) -> Context:
    """The context, after checking its database has the schema this version needs, that its
    open deadlines were computed on the closure days config.toml now lists, and that no hold has
    outlasted the longest allowed (until the scheduler does this, every command does)."""
    from complaints.db import require_current_schema
    from complaints.services.calendar_changes import apply_calendar_change
    from complaints.services.holds import resume_expired_holds

    context = load_context(click_context)
    require_current_schema(context.database)
    report_calendar_change(apply_calendar_change(context))
    holds = resume_expired_holds(context)
    if holds.resumed:
        click.echo(
            f"Holds ended by themselves (the longest allowed): {', '.join(holds.resumed)}",
            err=True,
        )
    for failure in holds.failed:
        click.echo(f"A hold could not be ended (tried again later): {failure}", err=True)
    return context


def report_calendar_change(change: CalendarChange | None) -> None:
    if change is not None:
        click.echo(
            f"Closure days changed ({len(change.added)} added, {len(change.removed)} removed): "
            f"{len(change.moves)} open deadlines recomputed.",
            err=True,
        )
        for failure in change.failed:
            click.echo(f"Deadlines not recomputed (tried again later): {failure}", err=True)


class IsoDate(click.ParamType[date]):
    """A date written as YYYY-MM-DD, one the working-day calendar counts."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"'{value}' is not a date: write dates as YYYY-MM-DD", param, ctx)
        if not in_supported_range(day):
            self.fail(
                f"'{value}' is outside the dates the working-day calendar counts "
                f"({FIRST_SUPPORTED_DAY} to {LAST_SUPPORTED_DAY})",
                param,
                ctx,
            )
        return day


class WholeNumber(click.ParamType[int]):
    """An integer, possibly negative, in the digits 0 to 9, with a message that says what was
    wrong."""

    name = "integer"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        number = plain_whole_number(text.removeprefix("-"))
        if number is None:
            self.fail(f"'{value}' is not a whole number of days", param, ctx)
        return -number if text.startswith("-") else number


ISO_DATE = IsoDate()
WHOLE_NUMBER = WholeNumber()
