"""`complaints team` and `complaints user`: how a council sets up its teams and staff."""

from __future__ import annotations

import sys

import click

from complaints.cli.common import load_database_context
from complaints.models import Role
from complaints.services.people import add_team, add_user


@click.group()
def team() -> None:
    """Teams (service areas)."""


@team.command("add")
@click.argument("name")
@click.pass_context
def team_add(click_context: click.Context, name: str) -> None:
    """Add a team called NAME."""
    created = add_team(load_database_context(click_context), name)
    click.echo(f"Team '{created.name}' added.")


@click.group()
def user() -> None:
    """Staff accounts."""


@user.command("add")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice([role.value for role in Role]),
    help="What the person does.",
)
@click.option("--team", "team_name", help="The team they belong to (must exist).")
@click.option("--email", help="Where their alerts go.")
@click.option("--full-name", help="Their name as shown to colleagues (default: the username).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read their password from the first line of standard input.",
)
@click.pass_context
def user_add(
    click_context: click.Context,
    username: str,
    role: str,
    team_name: str | None,
    email: str | None,
    full_name: str | None,
    password_stdin: bool,
) -> None:
    """Add a member of staff who can sign in (e.g. the first administrator of a new install)."""
    password = _read_password() if password_stdin else None
    created = add_user(
        load_database_context(click_context),
        username,
        role=role,
        full_name=full_name,
        team=team_name,
        email=email,
        password=password,
    )
    click.echo(f"User '{created.username}' added as {created.role.value}.")


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise click.ClickException("no password on standard input")
    return password
