"""Reading one row's cells: text, dates, choices, flags, amounts of money, lists of lines. Each
problem is noted against its column instead of stopping at the first, so a row's every problem is
reported at once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from complaints.calendar import FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY, in_supported_range
from complaints.errors import DomainError
from complaints.services.values import parse_money, plain_whole_number

E = TypeVar("E", bound=StrEnum)
Cell = str | int | float | date | datetime | None


class Cells:
    """Reads a row's cells by column, noting each problem instead of stopping at the first."""

    def __init__(self, row: Mapping[str, Cell], today: date) -> None:
        self.row = row
        self.today = today
        self.problems: list[str] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(f"{column}: {message}")

    def has(self, column: str) -> bool:
        return self.raw(column) != ""

    def raw(self, column: str) -> str:
        value = self.row.get(column)
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def text(self, column: str, *, required: bool = False, limit: int) -> str | None:
        value = self.raw(column)
        if not value:
            if required:
                self.problem(column, "is required")
            return None
        if len(value) > limit:
            self.problem(column, f"is longer than {limit} characters")
        return value

    def checked(self, column: str, check: Callable[[str], str | None]) -> str | None:
        """The cell's text as `check` gives it back (a contact detail in its normal form, say),
        or None with `check`'s refusal noted against the column."""
        try:
            return check(self.raw(column))
        except DomainError as refusal:
            self.problem(column, str(refusal))
            return None

    def lines(self, column: str, *, keep_blank: bool = False) -> tuple[str, ...]:
        lines = [line.strip() for line in self.raw(column).splitlines()]
        return tuple(line for line in lines if line or keep_blank)

    def choices_text(self, column: str) -> tuple[str, ...]:
        items = (item.strip() for line in self.lines(column) for item in line.split(";"))
        return tuple(dict.fromkeys(item for item in items if item))

    def choices(self, enum: type[E], column: str) -> tuple[E, ...]:
        parsed = (self.parse(enum, item, column) for item in self.choices_text(column))
        return tuple(item for item in parsed if item is not None)

    def choice(self, enum: type[E], column: str, *, required: bool = False) -> E | None:
        value = self.raw(column)
        if not value:
            if required:
                self.problem(column, "is required")
            return None
        return self.parse(enum, value, column)

    def parse(self, enum: type[E], value: str, column: str) -> E | None:
        try:
            return enum(value.strip().lower().replace(" ", "_"))
        except ValueError:
            self.problem(column, f"'{value}' is not one of {', '.join(m.value for m in enum)}")
            return None

    def day(
        self,
        column: str,
        *,
        required: bool = False,
        not_before: date | None = None,
        future: bool = False,
    ) -> date | None:
        value = self.raw(column)
        if not value:
            if required:
                self.problem(column, "is required")
            return None
        day = self.parse_day(value, column, future=future)
        if day is not None and not_before is not None and day < not_before:
            self.problem(column, f"{day.isoformat()} is before {not_before.isoformat()}")
        return day

    def parse_day(self, value: str, column: str, *, future: bool = False) -> date | None:
        day = as_date(value)
        if day is None:
            self.problem(
                column,
                f"'{value}' is not a date from {FIRST_SUPPORTED_DAY} to {LAST_SUPPORTED_DAY}; "
                "write YYYY-MM-DD or DD/MM/YYYY",
            )
        elif day > self.today and not future:
            self.problem(column, f"{day.isoformat()} is in the future")
        return day

    def flag(self, column: str) -> bool | None:
        value = self.raw(column).lower()
        if not value:
            return None
        if value in ("yes", "y", "true", "1"):
            return True
        if value in ("no", "n", "false", "0"):
            return False
        self.problem(column, f"'{value}' is not yes or no")
        return None

    def whole_number(self, column: str, lowest: int, highest: int) -> int | None:
        value = self.raw(column)
        if not value:
            return None
        number = plain_whole_number(value)
        if number is None or not lowest <= number <= highest:
            self.problem(column, f"'{value}' is not a whole number from {lowest} to {highest}")
            return None
        return number

    def money(self, column: str) -> Decimal | None:
        value = self.raw(column)
        return self.parse_money(value, column) if value else None

    def parse_money(self, value: str, column: str) -> Decimal | None:
        try:
            return parse_money(value, column)
        except DomainError as error:
            self.problem(column, str(error))
            return None


def as_date(value: str) -> date | None:
    """The date written YYYY-MM-DD or DD/MM/YYYY, if it is one the working-day calendar counts."""
    for parse in (date.fromisoformat, uk_date):
        try:
            day = parse(value[:10] if "-" in value else value)
        except ValueError:
            continue
        return day if in_supported_range(day) else None
    return None


def uk_date(value: str) -> date:
    day, month, year = (plain_whole_number(part) for part in value.split("/"))
    if day is None or month is None or year is None:
        raise ValueError(f"{value!r} is not written DD/MM/YYYY")
    return date(year, month, day)
