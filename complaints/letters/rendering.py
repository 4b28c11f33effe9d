"""Rendering letters: the Jinja2 templates of `letter_templates/` (autoescaped, and strict: a
value a template uses but the case lacks is an error, never a blank) to HTML, no larger than
the largest letter (`complaints.letters.limits`). `complaints.letters.pdf` makes the PDF.

A letter to a child or young person uses the child-friendly variant of its template
(`letter_templates/child/`) where there is one. A template is rendered in the council's own
wording where it has one (`complaints.letters.overrides`), in Jinja2's immutable sandbox; a
letter already drafted is rendered again in the wording it was drafted in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateNotFound, UndefinedError
from jinja2.exceptions import SecurityError
from sqlmodel import Session

from complaints.context import Context
from complaints.errors import DomainError
from complaints.letters.context import letter_values
from complaints.letters.environment import LETTER_TEMPLATES as LETTER_TEMPLATES
from complaints.letters.environment import (
    SUFFIX,
    compile_wording,
    letter_names,
    render_within_limit,
)
from complaints.letters.environment import letter_environment as letter_environment
from complaints.letters.kinds import NEEDS
from complaints.letters.kinds import RESPONSES as RESPONSES
from complaints.letters.overrides import source_in_session
from complaints.models import Deadline, FeedbackCase


@dataclass(frozen=True)
class RenderedLetter:
    template: str
    html: str
    wording: str | None = None
    """The council's wording the letter was rendered in; None for the shipped template."""


_ENVIRONMENT = letter_environment()


def template_for(name: str, *, child: bool) -> str:
    """The template file for the letter `name`: its child-friendly variant for a child."""
    if child:
        try:
            _ENVIRONMENT.get_template(f"child/{name}{SUFFIX}")
            return f"child/{name}{SUFFIX}"
        except TemplateNotFound:
            pass
    try:
        _ENVIRONMENT.get_template(f"{name}{SUFFIX}")
    except TemplateNotFound:
        letters = ", ".join(letter_names())
        raise DomainError(
            f"there is no letter called '{name}'; the letters are {letters}"
        ) from None
    return f"{name}{SUFFIX}"


def render_letter(
    ctx: Context,
    session: Session,
    case: FeedbackCase,
    name: str,
    *,
    deadlines: Sequence[Deadline],
    content: Mapping[str, Any] | None = None,
) -> RenderedLetter:
    """The letter `name` for `case` with its `deadlines` and the parts people wrote in it
    (`content`), as HTML, in the wording in force now."""
    return _render(
        ctx,
        session,
        case,
        deadlines,
        name,
        lambda template: source_in_session(session, ctx.settings, template).text,
        content,
    )


def render_letter_as_drafted(
    ctx: Context,
    session: Session,
    case: FeedbackCase,
    name: str,
    wording: str | None,
    *,
    deadlines: Sequence[Deadline],
    content: Mapping[str, Any] | None = None,
) -> RenderedLetter:
    """The letter `name` for `case` with its `deadlines` as they stand now and the parts people
    wrote in it (`content`), in the wording it was drafted in (the council's `wording`, or the
    shipped template if None)."""
    return _render(ctx, session, case, deadlines, name, lambda template: wording, content)


def _render(
    ctx: Context,
    session: Session,
    case: FeedbackCase,
    deadlines: Sequence[Deadline],
    name: str,
    wording_of: Callable[[str], str | None],
    content: Mapping[str, Any] | None,
) -> RenderedLetter:
    values = letter_values(ctx, session, case, deadlines, content)
    template = template_for(name, child=bool(values["is_child"]))
    if name in RESPONSES:
        unanswered = [str(point["number"]) for point in values["points"] if not point["finding"]]
        if not values["points"] or unanswered:
            missing = ", ".join(unanswered) or "(the case has no complaint points)"
            raise DomainError(f"the response cannot be written: no finding yet on point {missing}")
    if name in NEEDS:
        key, why = NEEDS[name]
        if values[key] is None:
            raise DomainError(f"the {name} letter cannot be written yet: {why}")
    wording = wording_of(template.removesuffix(SUFFIX))
    return RenderedLetter(template, render_template(template, values, wording), wording)


def render_template(template: str, values: dict[str, Any], wording: str | None = None) -> str:
    """The template (or the council's `wording` of it) rendered with `values`; a value the
    case lacks, wording that reaches for what it may not, or a letter larger than any letter
    (`complaints.letters.limits`) is refused with a message."""
    try:
        if wording is None:
            return render_within_limit(_ENVIRONMENT.get_template(template), values)
        return render_within_limit(compile_wording(wording), values)
    except ValueError as error:
        raise DomainError(f"the {template} letter cannot be written yet: {error}") from error
    except SecurityError as error:
        raise DomainError(
            f"the wording of {template} reaches for what templates may not touch ({error})"
        ) from None
    except UndefinedError as error:
        raise DomainError(
            f"the {template} letter uses a value letters do not have: {error.message}"
        ) from None
