"""The form of a workflow step, made from what the step's transition records (its `FieldSpec`s in
workflows/definition.py): one field for each, in the order declared, and the day it happened.

A step's values reach the service as text, as `--set name=value` does on the command line: dates
as YYYY-MM-DD, yes or no, whole numbers in digits; a value left empty is not sent.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from wtforms import Field

from web.forms.base import CaseChangeForm
from web.forms.fields import (
    TEXT_LIMIT,
    AskedField,
    ChoiceField,
    DateField,
    TextField,
    WholeNumberField,
    worded,
)
from web.pages import Choices
from workflows.definition import FieldKind, FieldSpec, Transition


class StepForm(CaseChangeForm):
    """Taking a step: the fields of its transition, then the day it happened."""

    on: DateField  # made last by `step_form`, after the transition's fields

    def __init__(self, options: Choices) -> None:
        super().__init__()
        for field in self.recorded:
            if isinstance(field, UserField):
                field.choices = options.investigator_options

    @property
    def recorded(self) -> list[AskedField]:
        """The fields the transition records (all but the day it happened)."""
        return [field for field in self if isinstance(field, AskedField) and field is not self.on]

    def values(self) -> dict[str, str]:
        """The values the step records, as the service reads them."""
        return {field.name: text for field in self.recorded if (text := _as_text(field))}


class UserField(ChoiceField):
    """A member of staff, by username (the choices are the people who may investigate)."""


class YesOrNoField(ChoiceField):
    """Yes or no, always asked: a step that records it needs the answer either way."""

    def __init__(self, label: str, called: str, **options: Any) -> None:
        super().__init__(label, called, choices=(("yes", "Yes"), ("no", "No")), **options)


def _text(spec: FieldSpec, label: str) -> Field:
    limit = spec.max_length or TEXT_LIMIT
    return TextField(label, spec.label.lower(), required=spec.required, limit=limit)


def _date(spec: FieldSpec, label: str) -> Field:
    return DateField(label, spec.label.lower(), required=spec.required)


def _yes_or_no(spec: FieldSpec, label: str) -> Field:
    return YesOrNoField(label, spec.label.lower())


def _choice(spec: FieldSpec, label: str) -> Field:
    return ChoiceField(
        label, spec.label.lower(), required=spec.required, choices=worded(spec.choices)
    )


def _user(spec: FieldSpec, label: str) -> Field:
    return UserField(label, spec.label.lower(), required=spec.required)


def _whole_number(spec: FieldSpec, label: str) -> Field:
    return WholeNumberField(label, spec.label.lower(), required=spec.required)


FIELD_FOR: dict[FieldKind, Callable[[FieldSpec, str], Field]] = {
    FieldKind.TEXT: _text,
    FieldKind.DATE: _date,
    FieldKind.BOOLEAN: _yes_or_no,
    FieldKind.CHOICE: _choice,
    FieldKind.USER: _user,
    FieldKind.WHOLE_NUMBER: _whole_number,
}


@cache
def step_form(transition: Transition) -> type[StepForm]:
    """The form class of `transition`'s step (made once per transition)."""
    fields: dict[str, Field] = {}
    for spec in transition.fields:
        if spec.name == "on" or hasattr(StepForm, spec.name):
            raise ValueError(
                f"step {transition.trigger}: its field '{spec.name}' names a form's own"
            )
        label = spec.label if spec.required else f"{spec.label} (optional)"
        fields[spec.name] = FIELD_FOR[spec.kind](spec, label)
    fields["on"] = DateField(
        "When did it happen? (optional)", "the day it happened", required=False, past_only=True
    )
    return type(f"{transition.trigger.title().replace('_', '')}Form", (StepForm,), fields)


def _as_text(field: AskedField) -> str:
    if isinstance(field, DateField):
        return field.data.isoformat() if field.data else ""
    if isinstance(field, WholeNumberField):
        return str(field.data) if field.data is not None else ""
    return str(field.data)
