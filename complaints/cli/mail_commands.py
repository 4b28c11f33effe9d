"""`complaints mail`: take in feedback e-mailed to the council."""

from __future__ import annotations

from pathlib import Path

import click

from complaints.cli.common import load_database_context
from complaints.intake.mailboxes import FolderMailbox, ImapMailbox, Mailbox
from complaints.services.intake import confirm_reply, fetch_mail, recent_messages


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
        if outcome.possible_reply_to:
            detail += f" (possible reply to {outcome.possible_reply_to})"
        click.echo(f"{outcome.outcome:<9} {detail}  {outcome.message_id}")
    counts = {
        kind: sum(o.outcome == kind for o in outcomes)
        for kind in ("created", "threaded", "possible_reply", "refused")
    }
    click.echo(
        f"{len(outcomes)} messages: {counts['created']} new cases, {counts['threaded']} added "
        f"to cases, {counts['refused']} refused (see 'complaints mail list --refused'), "
        f"{counts['possible_reply']} possible replies to confirm (see 'complaints mail list "
        "--possible-replies')"
    )


@mail.command("list")
@click.option("--refused", is_flag=True, help="Only the messages that could not be taken in.")
@click.option(
    "--possible-replies",
    is_flag=True,
    help="Only the messages that quote a case but are not from its contact, to confirm.",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--by", "by", required=True, help="The officer asking (they see what they may).")
@click.pass_context
def mail_list(
    click_context: click.Context, refused: bool, possible_replies: bool, limit: int, by: str
) -> None:
    """The e-mails recorded most recently, newest first, each with its number."""
    for message in recent_messages(
        load_database_context(click_context),
        by=by,
        refused_only=refused,
        possible_replies_only=possible_replies,
        limit=limit,
    ):
        where = message.reference or message.refusal or ""
        if message.outcome == "possible_reply":
            where += f" (possible reply to {message.possible_reply_to})"
        click.echo(
            f"{message.number:>6}  {message.received_at}  {message.outcome:<9} "
            f"{message.sender}  {where}"
        )
        click.echo(f"        {message.subject}")


@mail.command("confirm")
@click.argument("number", type=int)
@click.option("--by", "by", required=True, help="The officer confirming it.")
@click.pass_context
def mail_confirm(click_context: click.Context, number: int, by: str) -> None:
    """Confirm that e-mail NUMBER (a possible reply) is a reply to the case it quotes: it joins
    that case, and the feedback it was logged as is withdrawn."""
    reference = confirm_reply(load_database_context(click_context), number, by=by)
    click.echo(f"E-mail {number} added to {reference}.")
