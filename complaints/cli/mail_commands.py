"""`complaints mail`: take in feedback e-mailed to the council."""

from __future__ import annotations

from pathlib import Path

import click

from complaints.cli.common import load_database_context
from complaints.intake.mailboxes import FolderMailbox, ImapMailbox, Mailbox
from complaints.services.intake import fetch_mail, recent_messages


@click.group()
def mail() -> None:
    """E-mailed feedback."""


@mail.command("fetch")
@click.option("--by", "by", required=True, help="The officer new feedback is logged by.")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Read the .eml files of this folder instead of the [mail] mailbox.",
)
@click.pass_context
def mail_fetch(click_context: click.Context, by: str, folder: Path | None) -> None:
    """Read new messages: each becomes feedback to triage, or joins the case it quotes."""
    ctx = load_database_context(click_context)
    settings = ctx.settings.mail
    mailbox: Mailbox = (
        FolderMailbox(folder, settings.max_message_bytes) if folder else ImapMailbox(settings)
    )
    outcomes = fetch_mail(ctx, mailbox, by=by)
    for outcome in outcomes:
        if outcome.outcome == "already":
            continue
        detail = outcome.reference or outcome.reason or ""
        click.echo(f"{outcome.outcome:<9} {detail}  {outcome.message_id}")
    counts = {kind: sum(o.outcome == kind for o in outcomes) for kind in ("created", "threaded")}
    refused = sum(o.outcome == "refused" for o in outcomes)
    click.echo(
        f"{len(outcomes)} messages: {counts['created']} new cases, {counts['threaded']} added "
        f"to cases, {refused} refused (see 'complaints mail list --refused')"
    )


@mail.command("list")
@click.option("--refused", is_flag=True, help="Only the messages that could not be taken in.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.pass_context
def mail_list(click_context: click.Context, refused: bool, limit: int) -> None:
    """The e-mails recorded most recently, newest first."""
    for message in recent_messages(
        load_database_context(click_context), refused_only=refused, limit=limit
    ):
        where = message.reference or message.refusal or ""
        click.echo(f"{message.received_at}  {message.outcome:<9} {message.sender}  {where}")
        click.echo(f"    {message.subject}")
