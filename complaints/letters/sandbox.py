"""The sandbox a council's wording of a letter renders in: Jinja2's immutable sandbox (no
attribute of Python's internals, no changing a list or dict), in which no step may build a value
larger than the largest letter (`complaints.letters.limits`).

Each step that could build a larger value is measured before it is taken: the operators *, +, %
and ** (Jinja2's intercepted binary operators), ~ and the output a block gathers (compiled by
`_MeasuredCompiler` to be measured), calls, str.format, every filter, and each {{ value }}
before it is turned into text. The wording may use only the filters that cannot make a value
much larger than they are given (`WORDING_FILTERS`; join, replace and format are measured for
what they would build), and only the methods of a text that cannot lengthen it (`TEXT_METHODS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from jinja2 import Environment, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import FILTERS
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_eval_context

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
# and join, replace and format are measured first. Not `safe`: it would let what a complainant
# typed (their summary, their name) into the letter as markup.
_PLAIN_FILTERS = (
    "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
    "forceescape", "groupby", "int", "items", "last", "length", "list", "lower", "map", "max",
    "min", "reject", "rejectattr", "reverse", "round", "select", "selectattr", "sort",
    "string", "striptags", "sum", "title", "trim", "truncate", "unique", "upper", "wordcount",
)  # fmt: skip
WORDING_FILTERS: dict[str, Callable[..., Any]] = {
    **{name: FILTERS[name] for name in _PLAIN_FILTERS},
    "join": _measured_join,
    "replace": _measured_replace,
    "format": _measured_format,
}


def wording_filters(**own: Callable[..., Any]) -> dict[str, Callable[..., Any]]:
    """`WORDING_FILTERS` and the product's `own` filters, each measured (see `measured_filter`)."""
    return {name: measured_filter(f) for name, f in {**WORDING_FILTERS, **own}.items()}


def measured_filter(function: Callable[..., Any]) -> Callable[..., Any]:
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

    def __init__(self, **options: Any) -> None:
        # `finalize` measures each {{ value }} before it is turned into text.
        super().__init__(finalize=within_limit, **options)

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
