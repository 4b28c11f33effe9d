"""The kinds of value `config.toml` holds, with their checks, shared by every section.

Every section is a frozen pydantic dataclass with `SECTION` as its configuration: refusing keys
it does not know, and reading the file's own names for keys (`from`, `password_env`) while code
builds it with the attribute names. While a file is read, validators can see it through
`reading_file` (to resolve relative paths and read secrets from the environment); built in code
(tests, `dataclasses.replace`) a section takes its values as given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from complaints.settings.messages import Location, show

if TYPE_CHECKING:
    from workflows.definition import Workflow

SECTION = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

_ENV_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DateOrTime = TypeVar("_DateOrTime", date, time)


@dataclass(frozen=True)
class ConfigFile:
    """The file being read (its path names it in messages and anchors relative paths), the
    environment its secrets and overrides come from, and the workflows whose deadlines its
    timescales give (None: the shipped ones)."""

    path: Path
    environ: Mapping[str, str]
    workflows: Mapping[str, Workflow] | None = None

    @property
    def folder(self) -> Path:
        return self.path.absolute().parent


def reading_file(info: ValidationInfo) -> ConfigFile | None:
    """The file being read, or None when a section is built in code."""
    return info.context if isinstance(info.context, ConfigFile) else None


def refusal(message: str) -> PydanticCustomError:
    """A refusal of the value being checked, worded as the rest of a sentence that starts with its
    dotted key ("must contain {reference}, ..."), or with ": " after it."""
    return PydanticCustomError("refused", "{message}", {"message": message})


def refusals(problems: Iterable[InitErrorDetails]) -> ValidationError:
    """Several problems at keys below the value being checked, reported together."""
    return ValidationError.from_exception_data("config.toml", list(problems))


def problem_at(location: Location, message: str, value: object) -> InitErrorDetails:
    """A refusal (worded as for `refusal`) of the value at `location`, below the one checked."""
    return {"type": refusal(message), "loc": location, "input": value}


def unknown_key(
    location: Location, value: object, known: Iterable[str] | None = None
) -> InitErrorDetails:
    """A key the table does not allow; `known` lists the keys it does, if they are not its
    fields."""
    if known is None:
        return {"type": "unexpected_keyword_argument", "loc": location, "input": value}
    kind = PydanticCustomError(
        "unexpected_keyword_argument", "Unexpected keyword argument", {"known": tuple(known)}
    )
    return {"type": kind, "loc": location, "input": value}


def missing_key(location: Location, table: object) -> InitErrorDetails:
    return {"type": "missing", "loc": location, "input": table}


WholeNumber = Annotated[int, Strict()]
"""A whole number written as one (not `true`, `2.0` or "2"); its range is given where used."""

Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True)]
"""Text in quotes, without the spaces around it."""
FilledText = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1)]


def _listed_once(items: tuple[str, ...]) -> tuple[str, ...]:
    first: dict[str, int] = {}
    repeats: list[InitErrorDetails] = []
    for index, item in enumerate(items):
        seen = first.setdefault(item.casefold(), index)
        if seen != index:
            kind = PydanticCustomError("repeated", "repeats an entry", {"first": seen})
            repeats.append({"type": kind, "loc": (index,), "input": item})
    if repeats:
        raise refusals(repeats)
    return items


ChoiceList = Annotated[tuple[FilledText, ...], Field(min_length=1), AfterValidator(_listed_once)]
"""Entries officers choose from: at least one, none blank, none repeated (ignoring case)."""


def _secret_from_environment(value: str, info: ValidationInfo) -> str:
    file = reading_file(info)
    if file is None:
        return value
    if value and not _ENV_VAR_NAME.fullmatch(value):
        raise refusal(
            "must be the NAME of an environment variable (letters, digits and _), "
            "never the password itself"
        )
    return file.environ.get(value, "") if value else ""


Secret = Annotated[Text, AfterValidator(_secret_from_environment)]
"""A password: the file names the environment variable holding it (never the password itself),
and the settings hold the password ("" when that variable is not set)."""


def _an_email_address(value: str) -> str:
    if value and "@" not in value:
        raise refusal(f"is not an e-mail address: {value!r}")
    return value


EmailAddress = Annotated[Text, AfterValidator(_an_email_address)]
"""An e-mail address, or "" for none."""


def written_as(
    value: object, kind: type[_DateOrTime], pattern: str, what: str, how: str
) -> _DateOrTime:
    """`value` if the file holds it as a TOML date or time, else read from text matching
    `pattern`; refused otherwise, saying it is not `what` and `how` to write one."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str) and re.fullmatch(pattern, value.strip()):
        try:
            return kind.fromisoformat(value.strip())
        except ValueError:
            pass
    shown = repr(value) if isinstance(value, str) else show(value)
    raise refusal(f"is not {what}: {shown} ({how})")
