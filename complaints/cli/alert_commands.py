"""`complaints alerts`: run the deadline sweep, and list the alerts it raised."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import click

from complaints.alerts.delivery import plan_deliveries, send_digests, send_pending
from complaints.alerts.queries import alerts_seen_by
from complaints.alerts.sweep import sweep
from complaints.cli.common import ISO_DATE, load_database_context
from complaints.mail.mailer import SmtpMailer


@click.group()
def alerts() -> None:
    """Due-soon, due-today and overdue alerts."""


@alerts.command("sweep")
@click.option("--on", "on", type=ISO_DATE, help="Sweep as of 09:00 on this day (default: now).")
@click.pass_context
def alerts_sweep(click_context: click.Context, on: date | None) -> None:
    """Record the alerts due now; running it again records nothing twice."""
    context = load_database_context(click_context)
    zone = ZoneInfo(context.settings.calendar.timezone)
    moment = datetime.combine(on, time(9, 0), tzinfo=zone) if on else None
    result = sweep(context, moment)
    planned = plan_deliveries(context, result.new_alert_ids)
    counts = ", ".join(
        f"{name.replace('_', ' ')} {count}" for name, count in result.created.items()
    )
    day, new = result.window.today.isoformat(), len(result.new_alert_ids)
    click.echo(f"Sweep for {day}: {new} new alerts ({counts}); {planned} messages to send.")


@alerts.command("send")
@click.option("--digests", is_flag=True, help="Send the managers' daily digests instead.")
@click.pass_context
def alerts_send(click_context: click.Context, digests: bool) -> None:
    """Send the alert e-mails due now (each is retried later if the server refuses it)."""
    context = load_database_context(click_context)
    mailer = SmtpMailer(context.settings.smtp)
    report = send_digests(context, mailer) if digests else send_pending(context, mailer)
    click.echo(
        f"{report.sent} sent, {report.failed} failed (to be retried), {report.gave_up} given up."
    )


@alerts.command("list")
@click.option("--user", "username", help="Only this person's alerts (default: everyone's).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--by", "by", required=True, help="Who is asking: they see the cases they may.")
@click.pass_context
def alerts_list(click_context: click.Context, username: str | None, as_json: bool, by: str) -> None:
    """The alerts raised about the cases BY may see, newest first."""
    items = alerts_seen_by(load_database_context(click_context), by=by, owner=username)
    for item in items:
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "id": item.id,
                        "kind": item.kind,
                        "reference": item.reference,
                        "subject": item.subject,
                        "due_on": item.due_on.isoformat(),
                        "created_at": item.created_at.isoformat(),
                        "owner": item.owner,
                    }
                )
            )
        else:
            click.echo(
                f"{item.kind.replace('_', ' '):<10} {item.reference:<16} {item.subject:<28} "
                f"due {item.due_on.isoformat()}  {item.owner or ''}"
            )
    if not items and not as_json:
        click.echo("No alerts.")
