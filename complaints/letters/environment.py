"""The Jinja2 environments letters render in: the shipped templates of `letter_templates/` in an
ordinary environment, and a council's own wording in Jinja2's immutable sandbox. Both are
autoescaped and strict (a value a template uses but the case lacks is an error, never a blank),
and both know the `long_date` filter.

A council's wording is read by people outside the development team, so besides the sandbox
(which refuses Python's internals while rendering) it is checked before it is used: it must
parse, it may not name an attribute or item starting with an underscore, which is how a
template reaches `''.__class__.__mro__` and the like, and it may use only the filters the
sandbox has (`complaints.letters.sandbox`, where no value the wording builds may pass the size
of the largest letter). Every template renders a piece at a time, stopped at that size.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, nodes
from jinja2.exceptions import TemplateSyntaxError

from complaints.dates import long_date
from complaints.errors import DomainError
from complaints.letters.limits import joined_within_limit
from complaints.letters.sandbox import WordingSandbox, wording_filters

LETTER_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "letter_templates"
SUFFIX = ".html.j2"


def letter_names() -> tuple[str, ...]:
    """The letters there are shipped templates for (not the layout or the shared parts)."""
    return tuple(
        sorted(
            path.name.removesuffix(SUFFIX)
            for path in LETTER_TEMPLATES.glob(f"*{SUFFIX}")
            if not path.name.startswith(("layout", "_"))
        )
    )


def letter_date(day: date | None) -> str:
    """The `long_date` filter: a date as people read it, refused when the case lacks it."""
    if day is None:
        raise ValueError("the letter needs a date the case does not have")
    return long_date(day)


# Autoescaped, strict, and tidy around block tags: the same for the shipped and council wording.
_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "undefined": StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


def letter_environment(directory: Path = LETTER_TEMPLATES) -> Environment:
    """The shipped templates' environment."""
    environment = Environment(loader=FileSystemLoader(directory), **_OPTIONS)
    environment.filters["long_date"] = letter_date
    return environment


def render_within_limit(template: Template, values: dict[str, Any]) -> str:
    """The template rendered with `values`, a piece at a time, refused once it passes the size
    of the largest letter."""
    return joined_within_limit(template.generate(**values))


def sandboxed_environment(directory: Path = LETTER_TEMPLATES) -> WordingSandbox:
    """The environment a council's wording renders in (`WordingSandbox`), able to extend the
    shipped layout and include the shipped parts, with only the filters it may use."""
    environment = WordingSandbox(loader=FileSystemLoader(directory), **_OPTIONS)
    environment.filters = wording_filters(long_date=letter_date)
    environment.globals.pop("lipsum")  # paragraphs by the thousand; no letter needs them
    return environment


SANDBOX = sandboxed_environment()


@lru_cache(maxsize=256)
def compile_wording(text: str) -> Template:
    """A council's wording, checked (see `check_wording`) and compiled in the sandbox."""
    check_wording(text)
    return SANDBOX.from_string(text)


def check_wording(text: str) -> None:
    """Refuse wording that does not parse, or that reaches for what templates may not touch."""
    try:
        tree = SANDBOX.parse(text)
    except TemplateSyntaxError as error:
        raise DomainError(
            f"the template has a mistake on line {error.lineno}: {error.message}"
        ) from None
    for name in _unsafe_names(tree):
        raise DomainError(
            f"the template may not use {name}: a letter template can use the letter's values "
            "(reference, recipient, points...) but never Python's internals"
        )
    for applied in tree.find_all(nodes.Filter):
        if applied.name not in SANDBOX.filters:
            raise DomainError(
                f"the template may not use the {applied.name} filter: the filters a letter "
                f"template can use are {', '.join(sorted(SANDBOX.filters))}"
            )


def _unsafe_names(tree: nodes.Template) -> Iterator[str]:
    for getattr_node in tree.find_all(nodes.Getattr):
        if getattr_node.attr.startswith("_"):
            yield f"'{getattr_node.attr}'"
    for item in tree.find_all(nodes.Getitem):
        key = item.arg.value if isinstance(item.arg, nodes.Const) else None
        if isinstance(key, str) and key.startswith("_"):
            yield f"'{key}'"
    for name in tree.find_all(nodes.Name):
        if name.name.startswith("_"):
            yield f"'{name.name}'"
    for applied in tree.find_all(nodes.Filter):
        # `|attr("__class__")` names an attribute where the checks above cannot see it.
        if applied.name == "attr":
            yield "the attr filter"
