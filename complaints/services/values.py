"""Checking the values people type: text the database can store, whole numbers, choices from a
vocabulary, amounts of money. Each refusal names the value and what was expected.

Numbers are read in the plain digits 0 to 9 alone, wherever they come from (a form, a query
string, the API, the command line, a spreadsheet): Python's `str.isdigit()` also says yes to '²',
and `int()` also reads Arabic-Indic and other digits, so neither is asked on its own.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from complaints.errors import DomainError

E = TypeVar("E", bound=StrEnum)
MOST_DIGITS = 9  # any count, page or id a person types fits in nine digits
_PLAIN_AMOUNT = re.compile(r"-?[0-9]*\.?[0-9]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """What in `text` no database can store, in words ("a NUL character"), or None.

    A NUL cannot be stored in PostgreSQL's text; a lone surrogate (half of a UTF-16 pair, which
    JSON's \\ud800 escapes can carry) is not Unicode text at all, and no database encodes it."""
    if "\x00" in text:
        return "a NUL character"
    if _SURROGATE.search(text):
        return "a lone surrogate (a broken character)"
    return None


def required_text(value: str, what: str, limit: int) -> str:
    """`value` without surrounding spaces; refused when empty, longer than `limit`, or holding
    what the database cannot store (see `unstorable`)."""
    cleaned = value.strip()
    if not cleaned:
        raise DomainError(f"the {what} must not be empty")
    if len(cleaned) > limit:
        raise DomainError(f"the {what} must be at most {limit} characters long")
    problem = unstorable(cleaned)
    if problem:
        raise DomainError(f"the {what} must not contain {problem}")
    return cleaned


def plain_whole_number(text: str, *, most_digits: int = MOST_DIGITS) -> int | None:
    """`text`, less surrounding spaces, as a whole number if it is written in the digits 0 to 9
    alone, at most `most_digits` of them; otherwise None (a sign, a space or underscore inside,
    '²', '٣' or any other numeral)."""
    cleaned = text.strip()
    if not 0 < len(cleaned) <= most_digits or not (cleaned.isascii() and cleaned.isdigit()):
        return None
    return int(cleaned)


def parse_whole_number(text: str, what: str) -> int:
    """`plain_whole_number(text)`, or a refusal naming `what`."""
    number = plain_whole_number(text)
    if number is None:
        raise DomainError(f"{what}: '{text}' is not a whole number written in the digits 0 to 9")
    return number


def parse_choice(enum: type[E], value: str, what: str) -> E:
    """The member of `enum` whose value is `value`, or a refusal listing the choices."""
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(member.value for member in enum)
        raise DomainError(f"'{value}' is not a {what}; choose one of {known}") from None


def parse_money(amount: str | None, what: str = "amount") -> Decimal:
    """A positive amount in pounds and pence ("150", "£1,250.50"), in the digits 0 to 9 (no
    exponent: '1e999' is not an amount), less than the money column can hold."""
    cleaned = str(amount).strip().lstrip("£").replace(",", "")
    try:
        if not _PLAIN_AMOUNT.fullmatch(cleaned):
            raise InvalidOperation
        money = Decimal(cleaned)
    except InvalidOperation:
        raise DomainError(f"the {what} must be in pounds, not '{amount}'") from None
    if money <= 0:
        raise DomainError(f"the {what} must be more than £0 in pounds and pence, not '{amount}'")
    largest = largest_amount()
    if money >= largest:
        raise DomainError(f"the {what} must be less than £{largest:,}")
    if money != money.quantize(Decimal("0.01")):
        raise DomainError(f"the {what} must be more than £0 in pounds and pence, not '{amount}'")
    return money


def largest_amount() -> Decimal:
    """The money column's own limit (complaints/models/types.py MONEY): less than £10,000,000,000.

    Read from the column when asked, not when this module loads: the command line reads whole
    numbers with this module and must not load the database layer to do so."""
    from complaints.models.types import MONEY_DIGITS, MONEY_PLACES

    return Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)
