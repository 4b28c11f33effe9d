"""How large a letter may grow, and the checks that hold a council's wording to it.

No letter comes near `MAX_LETTER_HTML` characters of HTML (the longest shipped letter is a few
thousand), so a letter that would pass it is refused rather than built: every template, shipped
or the council's, is rendered a piece at a time and stopped at the limit.

A council's wording runs in the sandbox (`complaints.letters.sandbox`), where each step that
could build a value larger than the limit is measured before it is taken, so the memory is never
spent: repeating text or a list (`'A' * 100000000`), joining (`~`, `+`, the join filter),
replacing, %-formatting with a huge width, raising to a huge power, or handing a filter or a
function a number or a value past the limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from string import Formatter
from typing import Any, NoReturn

from complaints.errors import DomainError

MAX_LETTER_HTML = 1_000_000
"""The most characters of HTML a letter may come to, and the largest value its wording may
build on the way."""

# A %-format conversion: its width and precision may be numbers, or * (taken from the values).
_CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def refuse(what: str) -> NoReturn:
    raise DomainError(
        f"the letter would {what}, more than {MAX_LETTER_HTML:,} characters; no letter is that "
        "long, so it is not written (look for text or a list repeated many times in the wording)"
    )


def joined_within_limit(parts: Iterable[str]) -> str:
    """The parts joined, taken one at a time and refused as soon as they pass the limit."""
    taken: list[str] = []
    length = 0
    for part in parts:
        length += len(part)
        if length > MAX_LETTER_HTML:
            refuse("come to more HTML than a letter may hold")
        taken.append(part)
    return "".join(taken)


class MeasuredBuffer(list[str]):
    """Where a template gathers the output of a block (`{% set x %}...{% endset %}`, a macro):
    refused as soon as it holds more than the limit, before the block's output is joined."""

    length = 0

    def append(self, part: str) -> None:
        self._count((part,))
        super().append(part)

    def extend(self, parts: Iterable[str]) -> None:
        taken = tuple(parts)
        self._count(taken)
        super().extend(taken)

    def _count(self, parts: tuple[str, ...]) -> None:
        self.length += sum(len(part) for part in parts)
        if self.length > MAX_LETTER_HTML:
            refuse("gather more text than a letter may hold")


def size_of(value: object) -> int:
    """About how many characters the value comes to as text (a number: its digits), counted
    only as far as the limit."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() // 3  # about its decimal digits
    if isinstance(value, Mapping):
        return _sum_within_limit(item for pair in value.items() for item in pair)
    if isinstance(value, list | tuple | set | frozenset):
        return _sum_within_limit(value)
    return 0  # dates, None, functions and the like are small


def _sum_within_limit(values: Iterable[Any]) -> int:
    total = 0
    for value in values:
        total += size_of(value) + 1
        if total > MAX_LETTER_HTML:
            break
    return total


def check_size(size: int, what: str) -> None:
    if size > MAX_LETTER_HTML:
        refuse(what)


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `left <operator> right` if its result would pass the limit."""
    if operator == "*":
        check_size(_repeated_size(left, right), "repeat a value")
    elif operator == "+":
        check_size(size_of(left) + size_of(right), "add up a value")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        check_size(left.bit_length() * right // 3, "raise a number to a power")
    elif operator == "%" and isinstance(left, str):
        check_formatting(left, right)


def _repeated_size(left: Any, right: Any) -> int:
    if isinstance(left, int) and isinstance(right, int):
        return size_of(left) + size_of(right)
    count, repeated = (left, right) if isinstance(left, int) else (right, left)
    if not isinstance(count, int) or count <= 0:
        return 0
    return size_of(repeated) * count


def check_formatting(template: str, values: Any) -> None:
    """Refuse `template % values` if the text it makes would pass the limit."""
    given = values if isinstance(values, tuple) else (values,)
    largest = max((value for value in given if isinstance(value, int)), default=0)
    widths = [
        largest if number == "*" else int(number)
        for conversion in _CONVERSION.finditer(template)
        for number in conversion.groups()
        if number
    ]
    check_size(len(template) + size_of(values) + sum(widths), "format a text")


def check_format_method(template: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """Refuse `template.format(*args, **kwargs)` if the text it makes would pass the limit."""
    try:
        specs = [spec for _, _, spec, _ in Formatter().parse(template) if spec]
    except ValueError:
        return  # not a format string: formatting it fails without building anything
    widths = [int(number) for spec in specs for number in re.findall(r"\d+", spec)]
    check_size(len(template) + size_of((args, kwargs)) + sum(widths), "format a text")


def check_arguments(args: Iterable[Any], kwargs: Mapping[str, Any]) -> None:
    """Refuse a call given a number past the limit (a width, a count) or values that together
    pass it."""
    given = [*args, *kwargs.values()]
    for value in given:
        if isinstance(value, int) and abs(value) > MAX_LETTER_HTML:
            refuse(f"be given the number {value:,}")
    check_size(_sum_within_limit(given), "be given a value")


def check_join(items: list[Any], separator: str) -> None:
    check_size(_sum_within_limit(items) + len(separator) * len(items), "join a list")


def check_replace(text: str, old: str, new: str, count: int | None = None) -> None:
    found = text.count(old) if count is None or count < 0 else min(count, text.count(old))
    check_size(len(text) + found * max(0, len(new) - len(old)), "replace text")


def within_limit(value: Any) -> Any:
    """The value, if it is within the limit."""
    check_size(size_of(value), "build a value")
    return value
