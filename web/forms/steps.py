"""The form of a workflow step, made from what the step's transition records (its `FieldSpec`s in
workflows/definition.py): one field for each, in the order declared, and the day it happened.
Each field's label and hint are its declaration's, with the council's timescales filled in (an
extension asks for working days or calendar months, as the deadline it extends is counted).

A step's values reach the service as text, as `--set name=value` does on the command line: dates
as YYYY-MM-DD, yes or no, whole numbers in digits; a value left empty is not sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Words:
    """How a step's field is worded: its label, what its problems call it, and its hint."""

    label: str
    called: str
    hint: str

    @classmethod
    def of(cls, spec: FieldSpec, label: str, hint: str) -> Words:
        shown = label if spec.required else f"{label} (optional)"
        return cls(shown, label.lower(), hint)


def _text(spec: FieldSpec, words: Words) -> Field:
    limit = spec.max_length or TEXT_LIMIT
    return TextField(
        words.label, words.called, required=spec.required, limit=limit, description=words.hint
    )


def _date(spec: FieldSpec, words: Words) -> Field:
    return DateField(words.label, words.called, required=spec.required, description=words.hint)


def _yes_or_no(spec: FieldSpec, words: Words) -> Field:
    return YesOrNoField(words.label, words.called, description=words.hint)


def _choice(spec: FieldSpec, words: Words) -> Field:
    return ChoiceField(
        words.label,
        words.called,
        required=spec.required,
        choices=worded(spec.choices),
        description=words.hint,
    )


def _user(spec: FieldSpec, words: Words) -> Field:
    return UserField(words.label, words.called, required=spec.required, description=words.hint)


def _whole_number(spec: FieldSpec, words: Words) -> Field:
    return WholeNumberField(
        words.label, words.called, required=spec.required, description=words.hint
    )


FIELD_FOR: dict[FieldKind, Callable[[FieldSpec, Words], Field]] = {
    FieldKind.TEXT: _text,
    FieldKind.DATE: _date,
    FieldKind.BOOLEAN: _yes_or_no,
    FieldKind.CHOICE: _choice,
    FieldKind.USER: _user,
    FieldKind.WHOLE_NUMBER: _whole_number,
}


def step_form(transition: Transition, timescales: Mapping[str, object]) -> type[StepForm]:
    """The form class of `transition`'s step, in the words of the procedure's `timescales` (its
    deadlines' timescales in words, as the council set them)."""
    fields: dict[str, Field] = {}
    for spec in transition.fields:
        if spec.name == "on" or hasattr(StepForm, spec.name):
            raise ValueError(
                f"step {transition.trigger}: its field '{spec.name}' names a form's own"
            )
        label, hint = (transition.fill(text, timescales) for text in (spec.label, spec.hint))
        words = Words.of(spec, label, hint)
        fields[spec.name] = FIELD_FOR[spec.kind](spec, words)
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
