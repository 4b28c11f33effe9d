"""Reading what people type into forms: text, dates (GOV.UK's day, month and year boxes),
choices, whole numbers, yes or no. Each problem is kept against its field, with a message that
says what to do, so the page can show the GOV.UK error summary and leave the service alone.

These checks are only about the shape of the input (is it a date, a number, short enough);
the rules of the domain stay in the service functions, whose refusals the views also show.
Numbers, date boxes included, are read in the digits 0 to 9 alone (`plain_whole_number`), and a
date must be one the working-day calendar can count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from werkzeug.datastructures import MultiDict

from complaints.calendar import FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY, in_supported_range
from complaints.errors import ComplaintsError, DomainError
from complaints.services.values import plain_whole_number, unstorable

TEXT_LIMIT = 10_000
NAME_LIMIT = 200
SUPPORTED_DATES = (
    f"{FIRST_SUPPORTED_DAY.day} {FIRST_SUPPORTED_DAY:%B %Y} "
    f"and {LAST_SUPPORTED_DAY.day} {LAST_SUPPORTED_DAY:%B %Y}"
)


@dataclass(frozen=True)
class FieldError:
    field_id: str
    message: str


@dataclass
class Form:
    """One submitted form and the problems found reading it."""

    data: MultiDict[str, str]
    errors: list[FieldError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def error(self, field_id: str, message: str) -> None:
        self.errors.append(FieldError(field_id, message))

    def refused(self, error: ComplaintsError, field_id: str = "") -> None:
        """A service's refusal, shown at the top of the page (and against a field if given)."""
        message = str(error)
        self.error(field_id, message[:1].upper() + message[1:])

    def error_for(self, field_id: str) -> str | None:
        return next((e.message for e in self.errors if e.field_id == field_id), None)

    def value(self, name: str, default: str = "") -> str:
        return self.data.get(name, default)

    def text(self, name: str, label: str, *, required: bool = True, limit: int = TEXT_LIMIT) -> str:
        value = self.data.get(name, "").strip()
        if required and not value:
            self.error(name, f"Enter {label}")
        elif len(value) > limit:
            self.error(name, f"{label.capitalize()} must be {limit:,} characters or fewer")
        elif problem := unstorable(value):  # nobody types it; no database stores it
            self.error(name, f"{label.capitalize()} must not contain {problem}")
        return value

    def verbatim(self, name: str) -> str:
        """Text exactly as typed (a letter template's wording, say: not stripped, no limit of
        its own), but for the CRLF line breaks browsers send, made LF; whether it will do is for
        the service to say."""
        text = self.data.get(name, "").replace("\r\n", "\n")
        if problem := unstorable(text):
            self.error(name, f"The text must not contain {problem}")
        return text

    def optional_text(self, name: str, label: str, *, limit: int = TEXT_LIMIT) -> str | None:
        return self.text(name, label, required=False, limit=limit) or None

    def choice(
        self, name: str, label: str, choices: Iterable[str], *, required: bool = True
    ) -> str:
        value = self.data.get(name, "").strip()
        allowed = list(choices)
        if not value:
            if required:
                self.error(name, f"Select {label}")
            return ""
        if value not in allowed:
            self.error(name, f"Select {label} from the list")
            return ""
        return value

    def choices(self, name: str, label: str, choices: Iterable[str]) -> tuple[str, ...]:
        allowed = set(choices)
        values = tuple(v for v in self.data.getlist(name) if v)
        if any(v not in allowed for v in values):
            self.error(name, f"Select {label} from the list")
            return ()
        return values

    def flag(self, name: str) -> bool:
        return self.data.get(name, "") in ("yes", "on", "true", "1")

    def whole_number(
        self, name: str, label: str, *, required: bool = True, minimum: int = 1
    ) -> int | None:
        raw = self.data.get(name, "").strip()
        if not raw:
            if required:
                self.error(name, f"Enter {label}")
            return None
        number = plain_whole_number(raw)
        if number is None:
            self.error(name, f"{label.capitalize()} must be a whole number, like 5")
            return None
        if number < minimum:
            self.error(name, f"{label.capitalize()} must be {minimum} or more")
            return None
        return number

    def date(
        self, name: str, label: str, *, required: bool = True, not_after: date | None = None
    ) -> date | None:
        """A date from the boxes `name-day`, `name-month` and `name-year`."""
        parts = [self.data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]
        if not any(parts):
            if required:
                self.error(f"{name}-day", f"Enter {label}")
            return None
        value = _real_date(parts)
        if value is None:
            self.error(f"{name}-day", f"{label.capitalize()} must be a real date, like 27 3 2026")
            return None
        if not in_supported_range(value):
            self.error(f"{name}-day", f"{label.capitalize()} must be between {SUPPORTED_DATES}")
            return None
        if not_after is not None and value > not_after:
            self.error(f"{name}-day", f"{label.capitalize()} must be today or in the past")
            return None
        return value

    def version(self) -> int:
        """The version of the case the form was shown with, which every change to a case says
        (a change made since by someone else is refused rather than overwritten). Read as the
        service is called, so a form without one is refused as the service's refusals are."""
        version = plain_whole_number(self.data.get("version", "").strip())
        if version is None:
            raise DomainError(
                "the form did not say which version of the case it changes; "
                "reload the case and try again"
            )
        return version


def _real_date(parts: list[str]) -> date | None:
    """The date of the day, month and year boxes, if they make one (the year in four digits)."""
    day, month, year = (plain_whole_number(part) for part in parts)
    if day is None or month is None or year is None or len(parts[2]) != 4:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def empty_form(values: Mapping[str, str] | None = None) -> Form:
    return Form(MultiDict(values or {}))
