"""Checking the values people type: text, choices from a vocabulary, amounts of money. Each
refusal names the value and what was expected."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from complaints.errors import DomainError

E = TypeVar("E", bound=StrEnum)
LARGEST_AMOUNT = Decimal("10000000000")


def required_text(value: str, what: str, limit: int) -> str:
    """`value` without surrounding spaces; refused when empty, longer than `limit`, or holding
    a NUL character (which PostgreSQL cannot store in text)."""
    cleaned = value.strip()
    if not cleaned:
        raise DomainError(f"the {what} must not be empty")
    if len(cleaned) > limit:
        raise DomainError(f"the {what} must be at most {limit} characters long")
    if "\x00" in cleaned:
        raise DomainError(f"the {what} must not contain a NUL character")
    return cleaned


def parse_choice(enum: type[E], value: str, what: str) -> E:
    """The member of `enum` whose value is `value`, or a refusal listing the choices."""
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(member.value for member in enum)
        raise DomainError(f"'{value}' is not a {what}; choose one of {known}") from None


def parse_money(amount: str | None, what: str = "amount") -> Decimal:
    """A positive amount in pounds and pence ("150", "£1,250.50")."""
    try:
        money = Decimal(str(amount).strip().lstrip("£").replace(",", ""))
    except InvalidOperation:
        raise DomainError(f"the {what} must be in pounds, not '{amount}'") from None
    if not money.is_finite() or money <= 0 or money != money.quantize(Decimal("0.01")):
        raise DomainError(f"the {what} must be more than £0 in pounds and pence, not '{amount}'")
    if money >= LARGEST_AMOUNT:
        raise DomainError(f"the {what} is too large")
    return money
