"""The `complaints` command group: commands named up front and imported only when one is run,
and the product's errors turned into one line on stderr and exit status 1.

`complaints --help` lists every command from its summary alone, and `complaints calendar add`
imports the calendar's commands alone, so neither loads the database layer, the reports or the
letters that other commands need.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import click

from complaints.errors import ComplaintsError


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives (`module`, `attribute`) and its line in the group's help."""

    module: str
    attribute: str
    summary: str

    def load(self) -> click.Command:
        command = getattr(importlib.import_module(self.module), self.attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.module}.{self.attribute} is not a click command")
        return command


class ComplaintsGroup(click.Group):
    """A group of commands loaded by name when first asked for, which turns the product's errors
    into one line on stderr and exit 1."""

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, LazyCommand] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            self.add_command(self.lazy_commands[cmd_name].load(), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands with their summaries, without importing them."""
        rows = [
            (name, self.lazy_commands[name].summary)
            if name in self.lazy_commands
            else (name, self.commands[name].get_short_help_str())
            for name in self.list_commands(ctx)
            if name in self.lazy_commands or not self.commands[name].hidden
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ComplaintsError as error:
            raise click.ClickException(str(error)) from error
        except Exception as error:
            if not _is_database_error(error):
                raise
            raise click.ClickException(
                f"database error: {error.__class__.__name__}: {error}"
            ) from error


def _is_database_error(error: Exception) -> bool:
    """Whether `error` is SQLAlchemy's; asked without importing it, for a command that never
    loaded SQLAlchemy cannot have raised one of its errors."""
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    return sqlalchemy_errors is not None and isinstance(error, sqlalchemy_errors.SQLAlchemyError)
