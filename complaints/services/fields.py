"""Reading the values a transition records (`--set name=value`, form fields) into Python values,
each refused with a message naming the field when it is missing or malformed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from complaints.calendar import FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY, in_supported_range
from complaints.errors import DomainError, NotFoundError
from complaints.services.people import find_user
from complaints.services.values import parse_whole_number
from workflows.definition import FieldKind, FieldSpec, Transition

MAX_TEXT_LENGTH = 10_000
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0"}


def read_fields(
    session: Session,
    transition: Transition,
    values: Mapping[str, str],
    timescales: Mapping[str, object],
) -> dict[str, Any]:
    """The transition's fields parsed from `values`; unknown or missing fields are refused,
    naming the field in the words of its label (filled in from the procedure's `timescales`)."""
    specs = {spec.name: spec for spec in transition.fields}
    unknown = sorted(set(values) - set(specs))
    if unknown:
        expected = ", ".join(specs) or "nothing"
        raise DomainError(
            f"'{transition.trigger}' does not record {', '.join(unknown)}; it records {expected}"
        )
    parsed: dict[str, Any] = {}
    for spec in transition.fields:
        raw = values.get(spec.name)
        if raw is None or not str(raw).strip():
            if spec.required:
                label = transition.fill(spec.label, timescales)
                raise DomainError(f"'{transition.trigger}' needs {label.lower()} ({spec.name})")
            continue
        parsed[spec.name] = _parse(session, spec, str(raw).strip())
    return parsed


def _parse(session: Session, spec: FieldSpec, raw: str) -> Any:
    if spec.kind is FieldKind.TEXT:
        limit = spec.max_length or MAX_TEXT_LENGTH
        if len(raw) > limit:
            raise DomainError(f"{spec.name} must be at most {limit} characters long")
        return raw
    if spec.kind is FieldKind.DATE:
        return _date(spec, raw)
    if spec.kind is FieldKind.BOOLEAN:
        word = raw.lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise DomainError(f"{spec.name}: answer yes or no, not '{raw}'")
        return word in TRUE_WORDS
    if spec.kind is FieldKind.WHOLE_NUMBER:
        return parse_whole_number(raw, spec.name)
    if spec.kind is FieldKind.CHOICE:
        if raw not in spec.choices:
            raise DomainError(f"{spec.name}: '{raw}' is not one of {', '.join(spec.choices)}")
        return raw
    try:
        return find_user(session, raw)
    except NotFoundError as error:
        raise DomainError(f"{spec.name}: {error}") from None


def _date(spec: FieldSpec, raw: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise DomainError(f"{spec.name}: '{raw}' is not a date; write YYYY-MM-DD") from None
    if not in_supported_range(day):
        raise DomainError(
            f"{spec.name}: {raw} is not from {FIRST_SUPPORTED_DAY} to {LAST_SUPPORTED_DAY}, "
            "the dates the working-day calendar counts"
        )
    return day
