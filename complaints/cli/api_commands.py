"""`complaints api`: the integrations that may use the JSON API, and their tokens."""

from __future__ import annotations

import click

from complaints.cli.common import load_database_context
from complaints.services.integrations import SCOPES, add_token, list_tokens, revoke_token

BY = click.option("--by", "by", required=True, help="The administrator doing this.")


@click.group("api")
def api() -> None:
    """The JSON API's integrations."""


@api.group("token")
def token() -> None:
    """Tokens: one per integration, with its scopes."""


@token.command("add")
@click.argument("name")
@click.option(
    "--scope", "scopes", multiple=True, required=True, type=click.Choice(SCOPES),
    help="What it may do (repeatable).",
)  # fmt: skip
@click.option("--as", "acts_as", required=True, help="The staff account it acts as.")
@BY
@click.pass_context
def token_add(
    click_context: click.Context, name: str, scopes: tuple[str, ...], acts_as: str, by: str
) -> None:
    """Give the integration NAME a token; it is printed once and not stored."""
    secret = add_token(load_database_context(click_context), name, scopes, acts_as=acts_as, by=by)
    click.echo(secret)
    click.echo(
        f"The token for '{name}' is shown once; keep it in the integration's secrets.", err=True
    )


@token.command("list")
@click.pass_context
def token_list(click_context: click.Context) -> None:
    """Every integration, its scopes and the account it acts as."""
    for item in list_tokens(load_database_context(click_context)):
        state = "revoked" if item.revoked else "active"
        click.echo(f"{item.name:<24} {state:<8} as {item.acts_as:<16} {' '.join(item.scopes)}")


@token.command("revoke")
@click.argument("name")
@BY
@click.pass_context
def token_revoke(click_context: click.Context, name: str, by: str) -> None:
    """Stop the integration NAME's token working."""
    revoke_token(load_database_context(click_context), name, by=by)
    click.echo(f"The token for '{name}' no longer works.")
