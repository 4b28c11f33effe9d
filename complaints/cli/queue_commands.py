"""`complaints queue`: the daily work queue, per officer or for everyone."""

from __future__ import annotations

import json
from itertools import groupby

import click

from complaints.cli.common import load_database_context
from complaints.dates import long_date
from complaints.queue import QueueItem, queue_for


@click.command()
@click.option("--user", "username", help="Only this person's queue (default: everyone's).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--by", "by", required=True, help="Who is asking: they see the cases they may.")
@click.pass_context
def queue(click_context: click.Context, username: str | None, as_json: bool, by: str) -> None:
    """Every open deadline of the cases BY may see: case reference, step, due date and working
    days left, overdue first."""
    context = load_database_context(click_context)
    today = context.clock.today()
    items = queue_for(context, by=by, owner=username)
    if as_json:
        for item in items:
            click.echo(json.dumps(_as_dict(item)))
        return
    click.echo(f"Work queue for {long_date(today)}")
    if not items:
        click.echo("Nothing is due: no open deadlines.")
        return
    for owner_name, owned in groupby(sorted(items, key=_owner_sort_key), key=_owner_title):
        owned_items = list(owned)
        overdue = sum(item.overdue for item in owned_items)
        click.echo(f"\n{owner_name}: {len(owned_items)} open, {overdue} overdue")
        for item in owned_items:
            click.echo(_line(item))


def _owner_sort_key(item: QueueItem) -> tuple[str, object, str]:
    return (item.owner_name or "~", item.due_on, item.reference)


def _owner_title(item: QueueItem) -> str:
    if item.owner_username is None:
        return "Complainant's windows and unallocated steps"
    return f"{item.owner_name} ({item.owner_username})"


def _line(item: QueueItem) -> str:
    if item.overdue:
        flag, left = "OVERDUE", f"{_working_days(-item.working_days_left)} late"
    else:
        flag, left = ("DUE TODAY" if item.working_days_left == 0 else ""), _days_left(item)
    paused = " (on hold)" if item.paused else ""
    return (
        f"  {flag:<9} {item.reference:<16} {item.step_label:<24} "
        f"due {item.due_on:%a} {item.due_on.day:>2} {item.due_on:%b %Y}  {left}{paused}"
    )


def _days_left(item: QueueItem) -> str:
    days = item.working_days_left
    return "" if days == 0 else f"{_working_days(days)} left"


def _working_days(count: int) -> str:
    return f"{count} working day{'' if count == 1 else 's'}"


def _as_dict(item: QueueItem) -> dict[str, object]:
    return {
        "reference": item.reference,
        "procedure": item.procedure,
        "state": item.state,
        "step": item.step,
        "due_on": item.due_on.isoformat(),
        "working_days_left": item.working_days_left,
        "overdue": item.overdue,
        "paused": item.paused,
        "owner": item.owner_username,
    }
