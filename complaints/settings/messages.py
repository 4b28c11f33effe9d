"""What is wrong with a configuration, in plain English: one line per problem, naming its key.

Pydantic reports each problem with a location (`("timescales", "corporate", "stage1_response",
"length")`) and a type (`greater_than_equal`); `problem_lines` writes it as the council's IT
officer reads it, from the constraints of the field at that location:

    timescales.corporate.stage1_response.length must be a whole number of 0 or more, not -3
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any, Literal, get_args, get_origin

from annotated_types import Ge, Gt, Le
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

Location = tuple[int | str, ...]

_MISSING = ("missing", "missing_argument")

# Errors about the value's range or choices show it bare ("not -3"); others say what kind it is.
_OUT_OF_RANGE = frozenset(
    {
        "greater_than",
        "greater_than_equal",
        "less_than_equal",
        "finite_number",
        "enum",
        "literal_error",
    }
)


def problem_lines(error: ValidationError, root: type) -> list[str]:
    """Each problem `error` holds, as a line saying which key of `root`'s file is wrong and how.

    A key missing because it is misspelt is told once, as the unknown key it is spelt as."""
    details = error.errors(include_url=False)
    misspelt = {
        (*detail["loc"][:-1], meant)
        for detail in details
        if detail["type"] == "unexpected_keyword_argument"
        and (meant := _close_match(str(detail["loc"][-1]), _known_keys(detail, root)))
    }
    return [
        _line(detail, root)
        for detail in details
        if not (detail["type"] in _MISSING and detail["loc"] in misspelt)
    ]


def suggestion(word: str, known: Iterable[str], prefix: str = "") -> str:
    """' (did you mean <prefix>.<match>?)' when a known name is close to `word`, else ''."""
    match = _close_match(word, known)
    return f" (did you mean {dotted((prefix, match))}?)" if match else ""


def _close_match(word: str, known: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def dotted(location: Sequence[int | str]) -> str:
    """A location as the file's dotted key: `lists.service_areas[4]`."""
    key = ""
    for part in location:
        if isinstance(part, int):
            key += f"[{part}]"
        elif part:
            key = f"{key}.{part}" if key else part
    return key


def show(value: object) -> str:
    """A value as the person editing the file would recognise it, with what kind of value it is."""
    if isinstance(value, bool):
        return f"the true/false value {str(value).lower()}"
    if isinstance(value, int):
        return f"the whole number {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, date | time):
        return f"the {type(value).__name__} {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return repr(value)


def _line(detail: ErrorDetails, root: type) -> str:
    location, kind, value = detail["loc"], detail["type"], detail["input"]
    context = detail.get("ctx", {})
    key = dotted(location)
    if kind == "refused":
        message: str = context["message"]
        return f"{key}{message}" if message.startswith(":") else f"{key} {message}"
    if kind == "repeated":
        first = dotted((*location[:-1], context["first"]))
        return f"{key} repeats {value!r}, already listed as {first}"
    if kind in _MISSING:
        return f"{key} is missing" if len(location) > 1 else f"section [{key}] is missing"
    if kind == "unexpected_keyword_argument":
        known = _known_keys(detail, root)
        hint = suggestion(str(location[-1]), known, dotted(location[:-1]))
        return f"unknown key {key}{hint or '; the keys here are ' + ', '.join(known)}"
    if kind in ("too_short", "string_too_short"):
        if not isinstance(value, str):
            return f"{key} must list at least one entry"
        if location and isinstance(location[-1], int):
            return f"{key} is blank; remove it or give it a name"
        return f"{key} must not be empty"
    expected, field = _expected(root, location)
    if kind == "string_pattern_mismatch" and field is not None and field.description:
        return f"{key} must be {field.description}, not {value!r}"
    wanted = _wanted(expected, field.metadata if field else [], key)
    if wanted is None:
        return f"{key}: {detail['msg']}"
    shown = repr(value) if kind in _OUT_OF_RANGE else show(value)
    return f"{key} must be {wanted}, not {shown}"


def _expected(root: Any, location: Location) -> tuple[Any, FieldInfo | None]:
    """The type the file should hold at `location`, and its field (None inside lists and tables)."""
    kind: Any = root
    field: FieldInfo | None = None
    for part in location:
        fields: dict[str, FieldInfo] | None = getattr(kind, "__pydantic_fields__", None)
        if fields is not None:
            field = next((f for name, f in fields.items() if (f.alias or name) == part), None)
            if field is None:
                return None, None
            kind = _bare(field.annotation)
        else:
            arguments = get_args(kind)
            if not arguments:
                return None, None
            kind, field = _bare(arguments[0] if isinstance(part, int) else arguments[-1]), None
    return kind, field


def _known_keys(detail: ErrorDetails, root: type) -> list[str]:
    """The keys the table holding an unknown key may hold, as written in the file."""
    known: Sequence[str] | None = detail.get("ctx", {}).get("known")
    if known is not None:
        return list(known)
    table, _ = _expected(root, detail["loc"][:-1])
    fields: dict[str, FieldInfo] = getattr(table, "__pydantic_fields__", {})
    return [field.alias or name for name, field in fields.items() if not field.exclude]


def _bare(kind: Any) -> Any:
    return get_args(kind)[0] if get_origin(kind) is Annotated else kind


def _wanted(kind: Any, constraints: list[Any], key: str) -> str | None:
    """What the file should hold, in words: "a whole number from 1 to 65535"."""
    origin = get_origin(kind)
    if kind is bool:
        return "true or false"
    if kind is int:
        low = next((c.ge for c in constraints if isinstance(c, Ge)), 0)
        high = next((c.le for c in constraints if isinstance(c, Le)), None)
        return f"a whole number {f'from {low} to {high}' if high else f'of {low} or more'}"
    if kind is float:
        return f"a number more than {next((c.gt for c in constraints if isinstance(c, Gt)), 0)}"
    if kind is str:
        return 'text in "quotes"'
    if origin is Literal or (isinstance(kind, type) and issubclass(kind, Enum)):
        choices = get_args(kind) if origin is Literal else [member.value for member in kind]
        return f"one of {', '.join(choices)}"
    if origin is tuple:
        item = _bare(get_args(kind)[0])
        return "a list of dates (YYYY-MM-DD)" if item is date else 'a list of text in "quotes"'
    if origin is Mapping or hasattr(kind, "__pydantic_fields__"):
        return f"a table (a [{key}] section)"
    return None
