"""Rendering letters: the Jinja2 templates of `letter_templates/` (autoescaped, and strict: a
value a template uses but the case lacks is an error, never a blank) to HTML, and HTML to PDF.

A letter to a child or young person uses the child-friendly variant of its template
(`letter_templates/child/`) where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from complaints.context import Context
from complaints.dates import long_date
from complaints.errors import DomainError
from complaints.letters.context import letter_context

LETTER_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "letter_templates"
# Letters that give a finding on every complaint point.
RESPONSES = {
    "stage1_response",
    "stage2_response",
    "adjudication",
    "adult_response",
    "panel_response",
}


@dataclass(frozen=True)
class RenderedLetter:
    template: str
    html: str


def _letter_date(day: date | None) -> str:
    """The `long_date` filter: a date as people read it, refused when the case lacks it."""
    if day is None:
        raise ValueError("the letter needs a date the case does not have")
    return long_date(day)


def letter_environment(directory: Path = LETTER_TEMPLATES) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(directory),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["long_date"] = _letter_date
    return environment


_ENVIRONMENT = letter_environment()


def template_for(name: str, *, child: bool, environment: Environment = _ENVIRONMENT) -> str:
    """The template file for the letter `name`: its child-friendly variant for a child."""
    if child:
        try:
            environment.get_template(f"child/{name}.html.j2")
            return f"child/{name}.html.j2"
        except TemplateNotFound:
            pass
    try:
        environment.get_template(f"{name}.html.j2")
    except TemplateNotFound:
        known = sorted(
            path.name.removesuffix(".html.j2")
            for path in LETTER_TEMPLATES.glob("*.html.j2")
            if not path.name.startswith(("layout", "_"))
        )
        letters = ", ".join(known)
        raise DomainError(
            f"there is no letter called '{name}'; the letters are {letters}"
        ) from None
    return f"{name}.html.j2"


def render_letter(ctx: Context, reference: str, name: str) -> RenderedLetter:
    """The letter `name` for the case, as HTML."""
    values = letter_context(ctx, reference)
    template = template_for(name, child=bool(values["is_child"]))
    if name in RESPONSES:
        unanswered = [str(point["number"]) for point in values["points"] if not point["finding"]]
        if not values["points"] or unanswered:
            missing = ", ".join(unanswered) or "(the case has no complaint points)"
            raise DomainError(f"the response cannot be written: no finding yet on point {missing}")
    return RenderedLetter(template, render_template(template, values))


def render_template(template: str, values: dict[str, Any]) -> str:
    try:
        return _ENVIRONMENT.get_template(template).render(**values)
    except ValueError as error:
        raise DomainError(f"the {template} letter cannot be written yet: {error}") from error


def html_to_pdf(html: str) -> bytes:
    """The letter as a PDF (WeasyPrint; it needs Pango from the operating system)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=str(LETTER_TEMPLATES)).write_pdf()
    return pdf
