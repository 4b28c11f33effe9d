"""The Jinja2 environments letters render in: the shipped templates of `letter_templates/` in an
ordinary environment, and a council's own wording in Jinja2's immutable sandbox. Both are
autoescaped and strict (a value a template uses but the case lacks is an error, never a blank),
and both know the `long_date` filter.

A council's wording is read by people outside the development team, so besides the sandbox
(which refuses Python's internals while rendering) it is checked before it is used: it must
parse, it may not name an attribute or item starting with an underscore, which is how a
template reaches `''.__class__.__mro__` and the like, and it may use only the filters that
cannot make a value much larger than they are given (`WORDING_FILTERS`). While it renders, no
value it builds may pass the size of the largest letter (`complaints.letters.limits`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import TemplateSyntaxError
from jinja2.filters import FILTERS
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_eval_context

from complaints.dates import long_date
from complaints.errors import DomainError
from complaints.letters.limits import (
    MeasuredBuffer,
    check_arguments,
    check_binop,
    check_format_method,
    check_formatting,
    check_join,
    check_replace,
    check_size,
    joined_within_limit,
    size_of,
    within_limit,
)

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


# The methods of a text a council's wording may call: none makes the text much longer (padding,
# joining, replacing and formatting can, so the wording uses the measured filters instead).
TEXT_METHODS = frozenset(
    {
        "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
        "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "lower", "lstrip",
        "partition", "removeprefix", "removesuffix", "rfind", "rindex", "rpartition", "rsplit",
        "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper",
    }
)  # fmt: skip


@pass_eval_context
def _measured_join(
    eval_ctx: EvalContext, value: Iterable[Any], d: str = "", attribute: str | int | None = None
) -> str:
    items = list(value)
    check_join(items, d)
    joined: str = FILTERS["join"](eval_ctx, items, d, attribute)
    return joined


@pass_eval_context
def _measured_replace(
    eval_ctx: EvalContext, s: str, old: str, new: str, count: int | None = None
) -> str:
    check_replace(str(s), str(old), str(new), count)
    replaced: str = FILTERS["replace"](eval_ctx, s, old, new, count)
    return replaced


def _measured_format(value: str, *args: Any, **kwargs: Any) -> str:
    check_formatting(str(value), kwargs or args)
    formatted: str = FILTERS["format"](value, *args, **kwargs)
    return formatted


# The filters a council's wording may use: none can build a value much larger than it is given,
# and join, replace and format are measured first.
_PLAIN_FILTERS = (
    "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
    "forceescape", "groupby", "int", "items", "last", "length", "list", "lower", "map", "max",
    "min", "reject", "rejectattr", "reverse", "round", "safe", "select", "selectattr", "sort",
    "string", "striptags", "sum", "title", "trim", "truncate", "unique", "upper", "wordcount",
)  # fmt: skip
WORDING_FILTERS: dict[str, Callable[..., Any]] = {
    **{name: FILTERS[name] for name in _PLAIN_FILTERS},
    "join": _measured_join,
    "replace": _measured_replace,
    "format": _measured_format,
    "long_date": letter_date,
}


def _measured_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """The filter, refusing arguments (after the value it filters) or a result past the limit."""

    @wraps(function)
    def measured(*args: Any, **kwargs: Any) -> Any:
        passed = [arg for arg in args if isinstance(arg, Context | EvalContext | Environment)]
        value, *options = args[len(passed) :]
        check_size(size_of(value), "filter a value")
        check_arguments(options, kwargs)
        return within_limit(function(*args, **kwargs))

    return measured


class _MeasuredCompiler(CodeGenerator):
    """Compiles `a ~ b` so that the parts are measured before they are joined, and a block's
    output into a `MeasuredBuffer`."""

    def buffer(self, frame: Frame) -> None:
        super().buffer(frame)
        self.writeline(f"{frame.buffer} = environment.measured_buffer()")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802
        self.write("environment.concatenated(context, (")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")


class WordingSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox (no attribute of Python's internals, no changing a list or
    dict), in which no step may build a value larger than the largest letter."""

    intercepted_binops = frozenset({"*", "+", "%", "**"})
    code_generator_class = _MeasuredCompiler
    concat = staticmethod(joined_within_limit)
    measured_buffer = MeasuredBuffer

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        check_arguments(args, kwargs)
        return within_limit(super().call(context, obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        formatting = super().wrap_str_format(value)
        if formatting is None:
            return None
        template = str(value.__self__)

        def measured(*args: Any, **kwargs: Any) -> str:
            check_format_method(template, args, kwargs)
            return formatting(*args, **kwargs)

        return measured

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if callable(value) and isinstance(obj, str | int | float) and attr not in TEXT_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def concatenated(self, context: Context, parts: tuple[Any, ...]) -> str:
        """`a ~ b ~ ...`, measured first."""
        check_size(size_of(parts), "join texts")
        joined: str = markup_join(parts) if context.eval_ctx.autoescape else str_join(parts)
        return joined


def sandboxed_environment(directory: Path = LETTER_TEMPLATES) -> WordingSandbox:
    """The environment a council's wording renders in (`WordingSandbox`), able to extend the
    shipped layout and include the shipped parts, with only `WORDING_FILTERS`."""
    environment = WordingSandbox(loader=FileSystemLoader(directory), **_OPTIONS)
    environment.filters = {
        name: _measured_filter(function) for name, function in WORDING_FILTERS.items()
    }
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
