"""The JSON API's request bodies, each declared once: the OpenAPI document is generated from
these declarations and the API checks every request against the same ones, so the two cannot
drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from complaints.calendar import FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY, in_supported_range
from complaints.models import FeedbackType, MadeBy, Procedure
from complaints.services.cases import MAX_SUMMARY_LENGTH
from complaints.services.values import unstorable


@dataclass(frozen=True)
class Field:
    """One property of a JSON object: its JSON type, and the limits a value must keep."""

    kind: str  # string, date, boolean, integer, string_list, string_map
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 1000
    minimum: int | None = None
    description: str = ""


def _choices(enum: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


NEW_FEEDBACK: dict[str, Field] = {
    "procedure": Field("string", True, _choices(Procedure), description="Which procedure."),
    "feedback_type": Field("string", True, _choices(FeedbackType), description="What it is."),
    "summary": Field("string", True, max_length=MAX_SUMMARY_LENGTH, description="What about."),
    "complainant_name": Field("string", True, max_length=200, description="Who it is from."),
    "received_on": Field("date", description="Day 0; default today."),
    "complainant_email": Field("string", max_length=254),
    "complainant_phone": Field("string", max_length=40),
    "complainant_address": Field("string", max_length=2000),
    "contact_method": Field("string", max_length=40, description="Default email."),
    "made_by": Field("string", choices=_choices(MadeBy)),
    "is_child": Field("boolean"),
    "advocate_name": Field("string", max_length=200),
    "team": Field("string", max_length=100, description="The service area's team."),
    "matter_date": Field("date", description="When the matter happened."),
    "late_reason": Field("string", max_length=MAX_SUMMARY_LENGTH),
    "categories": Field("string_list", max_length=100),
    "consent_recorded": Field("boolean"),
}
FIRE_TRIGGER: dict[str, Field] = {
    "values": Field("string_map", max_length=MAX_SUMMARY_LENGTH, description="What it records."),
    "on": Field("date", description="The day it happened; default today."),
    "expected_version": Field(
        "integer",
        minimum=1,
        required=True,
        description="The case's version the change was made against (its `version`); a case "
        "changed since is refused with 409.",
    ),
}


class BodyError(Exception):
    """A request body that does not fit its declaration; `errors` lists (field, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors))
        self.errors = errors


def check_body(body: Any, fields: dict[str, Field]) -> dict[str, Any]:
    """The body's values, converted (dates parsed), or BodyError naming every problem."""
    if not isinstance(body, dict):
        raise BodyError([("", "the body must be a JSON object")])
    errors = [(name, "is not a field of this request") for name in body if name not in fields]
    values: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in body or body[name] is None:
            if field.required:
                errors.append((name, "is required"))
            continue
        try:
            values[name] = _value(body[name], field)
        except ValueError as error:
            errors.append((name, str(error)))
    if errors:
        raise BodyError(errors)
    return values


def _value(raw: Any, field: Field) -> Any:
    if field.kind == "boolean":
        if not isinstance(raw, bool):
            raise ValueError("must be true or false")
        return raw
    if field.kind == "integer":
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise ValueError("must be a whole number")
        if field.minimum is not None and raw < field.minimum:
            raise ValueError(f"must be at least {field.minimum}")
        return raw
    if field.kind == "date":
        return _date(raw)
    if field.kind == "string_list":
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise ValueError("must be a list of text")
        return tuple(_text(item, field) for item in raw)
    if field.kind == "string_map":
        if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
            raise ValueError("must be an object whose values are text")
        return {_key(key): _text(value, field) for key, value in raw.items()}
    if not isinstance(raw, str):
        raise ValueError("must be text")
    if field.choices and raw not in field.choices:
        raise ValueError(f"must be one of {', '.join(field.choices)}")
    return _text(raw, field)


def _date(raw: Any) -> date:
    """A date the working-day calendar can count."""
    written = "must be a date written YYYY-MM-DD"
    if not isinstance(raw, str):
        raise ValueError(written)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(written) from None
    if not in_supported_range(day):
        raise ValueError(f"must be a date from {FIRST_SUPPORTED_DAY} to {LAST_SUPPORTED_DAY}")
    return day


def _text(raw: str, field: Field) -> str:
    if len(raw) > field.max_length:
        raise ValueError(f"must be at most {field.max_length} characters")
    problem = unstorable(raw)
    if problem:
        raise ValueError(f"must not contain {problem}")
    return raw


def _key(key: str) -> str:
    """A name in a string_map (at most 100 characters of it), refused if no database stores it."""
    problem = unstorable(key)
    if problem:
        raise ValueError(f"has a name that contains {problem}")
    return key[:100]


def json_schema(fields: dict[str, Field]) -> dict[str, Any]:
    """The OpenAPI (JSON Schema 2020-12) object schema of a declaration."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, field in fields.items() if field.required],
        "properties": {name: _property(field) for name, field in fields.items()},
    }


def _property(field: Field) -> dict[str, Any]:
    text = {"type": "string", "maxLength": field.max_length}
    schema: dict[str, Any]
    if field.kind == "boolean":
        schema = {"type": "boolean"}
    elif field.kind == "integer":
        schema = {"type": "integer"} | ({"minimum": field.minimum} if field.minimum else {})
    elif field.kind == "date":
        schema = {
            "type": "string",
            "format": "date",
            "description": f"From {FIRST_SUPPORTED_DAY} to {LAST_SUPPORTED_DAY}.",
        }
    elif field.kind == "string_list":
        schema = {"type": "array", "items": text}
    elif field.kind == "string_map":
        schema = {"type": "object", "additionalProperties": text}
    elif field.choices:
        schema = {"type": "string", "enum": list(field.choices)}
    else:
        schema = text
    if not field.required:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema | ({"description": field.description} if field.description else {})
