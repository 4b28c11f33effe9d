"""The kinds of field forms ask for: text, a choice (radios or a list), several choices (check
boxes), a yes (a check box), a whole number, a date (GOV.UK's day, month and year boxes), a file.

Each is a WTForms field that reads what was sent (a field not sent at all reads as empty, never as
its default) and, when the form is validated, keeps one problem with a message that says what to
do ("Enter the date it was received", "The date it was received must be a real date, like 27 3
2026"), written from the words the field is `called` in. These checks are only about the shape of
the input (is it a date, a number, short enough, one of the choices offered); the rules of the
domain stay in the service functions, whose refusals the pages also show.

Numbers, date boxes included, are read in the digits 0 to 9 alone (`plain_whole_number`), and a
date must be one the working-day calendar can count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from werkzeug.datastructures import FileStorage
from wtforms import Field
from wtforms.form import BaseForm
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from complaints.calendar import FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY, in_supported_range
from complaints.services.values import plain_whole_number, unstorable
from web.filters import words

TEXT_LIMIT = 10_000
NAME_LIMIT = 200
SUPPORTED_DATES = (
    f"{FIRST_SUPPORTED_DAY.day} {FIRST_SUPPORTED_DAY:%B %Y} "
    f"and {LAST_SUPPORTED_DAY.day} {LAST_SUPPORTED_DAY:%B %Y}"
)
YES = ("yes", "on", "true", "1")
DATE_PARTS = ("day", "month", "year")
Choices = Sequence[tuple[str, str]]


class AskedField(Field):
    """A field whose messages name it as `called` ("the date it was received"); `required` says
    whether leaving it empty is a problem."""

    def __init__(
        self, label: str, called: str = "", *, required: bool = True, **options: Any
    ) -> None:
        super().__init__(label, **options)
        self.called = called or label.lower()
        self.required = required

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the first control of the field."""
        return self.id

    @property
    def problem(self) -> str | None:
        return self.errors[0] if self.errors else None

    def _called_capitalised(self) -> str:
        return self.called.capitalize()


class TypedField(AskedField):
    """A box typed into, shown back as it was typed; `read` makes its value of the text."""

    def __init__(self, label: str, called: str = "", **options: Any) -> None:
        super().__init__(label, called, **options)
        self.typed = ""

    def process_data(self, value: object) -> None:
        self.typed = "" if value is None else str(value)
        self.data = self.read(self.typed)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.typed = str(valuelist[0]) if valuelist else ""
        self.data = self.read(self.typed)

    def _value(self) -> str:
        return self.typed

    def pre_validate(self, form: BaseForm) -> None:
        if self.typed.strip():
            self.check()
        elif self.required:
            raise StopValidation(f"Enter {self.called}")

    def read(self, typed: str) -> Any:
        """The value of what was typed: here the text without surrounding spaces."""
        return typed.strip()

    def check(self) -> None:
        """Raise StopValidation saying what is wrong with what was typed, if anything is."""


class TextField(TypedField):
    """Text, without surrounding spaces, of at most `limit` characters that a database stores."""

    data: str

    def __init__(self, label: str, called: str = "", *, limit: int = TEXT_LIMIT, **options: Any):
        super().__init__(label, called, **options)
        self.limit = limit

    def check(self) -> None:
        if len(self.data) > self.limit:
            raise StopValidation(
                f"{self._called_capitalised()} must be {self.limit:,} characters or fewer"
            )
        if problem := unstorable(self.data):  # nobody types it; no database stores it
            raise StopValidation(f"{self._called_capitalised()} must not contain {problem}")

    @property
    def optional(self) -> str | None:
        """The text, or None if left empty."""
        return self.data or None


class VerbatimTextField(TextField):
    """Text exactly as typed (a letter template's wording, say: not stripped, no limit of its
    own), but for the CRLF line breaks browsers send, made LF; whether it will do is for the
    service to say."""

    def __init__(self, label: str, **options: Any) -> None:
        super().__init__(label, "the text", required=False, limit=2**63, **options)

    def read(self, typed: str) -> str:
        return typed.replace("\r\n", "\n")


class OfferedField(AskedField):
    """A field offering `choices` (value, words) to choose from."""

    def __init__(
        self,
        label: str,
        called: str = "",
        *,
        choices: Iterable[tuple[str, str]] = (),
        **options: Any,
    ) -> None:
        super().__init__(label, called, **options)
        self.choices: Choices = list(choices)

    @property
    def values(self) -> list[str]:
        return [value for value, _ in self.choices]


class ChoiceField(OfferedField):
    """One of its choices: radios or a list, as the page shows it."""

    data: str

    def process_data(self, value: object) -> None:
        self.data = "" if value is None else str(value)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = str(valuelist[0]).strip() if valuelist else ""

    def pre_validate(self, form: BaseForm) -> None:
        if not self.data:
            if self.required:
                raise StopValidation(f"Select {self.called}")
        elif self.data not in self.values:
            raise StopValidation(f"Select {self.called} from the list")

    @property
    def optional(self) -> str | None:
        """The choice, or None if none was made."""
        return self.data or None


class ChoicesField(OfferedField):
    """Any number of its choices (check boxes), none among them."""

    data: tuple[str, ...]

    def __init__(self, label: str, called: str = "", **options: Any) -> None:
        super().__init__(label, called, required=False, **options)

    def process_data(self, value: object) -> None:
        self.data = tuple(str(item) for item in value) if isinstance(value, Iterable) else ()

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = tuple(str(value) for value in valuelist if value)

    def pre_validate(self, form: BaseForm) -> None:
        if any(value not in self.values for value in self.data):
            raise StopValidation(f"Select {self.called} from the list")


class YesField(AskedField):
    """A single check box: yes if it was ticked."""

    data: bool

    def __init__(self, label: str, **options: Any) -> None:
        super().__init__(label, required=False, **options)

    def process_data(self, value: object) -> None:
        self.data = bool(value)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = bool(valuelist) and str(valuelist[0]) in YES


class WholeNumberField(TypedField):
    """A whole number of at least `minimum`, in the digits 0 to 9."""

    data: int | None

    def __init__(self, label: str, called: str = "", *, minimum: int = 1, **options: Any) -> None:
        super().__init__(label, called, **options)
        self.minimum = minimum

    def read(self, typed: str) -> int | None:
        return plain_whole_number(typed)

    def check(self) -> None:
        if self.data is None:
            raise StopValidation(f"{self._called_capitalised()} must be a whole number, like 5")
        if self.data < self.minimum:
            raise StopValidation(f"{self._called_capitalised()} must be {self.minimum} or more")


class DateField(AskedField):
    """A date from the boxes `<name>-day`, `<name>-month` and `<name>-year` (the year in four
    digits), one the calendar counts; with `past_only`, today or before (the form's `today`)."""

    data: date | None

    def __init__(
        self, label: str, called: str = "", *, past_only: bool = False, **options: Any
    ) -> None:
        super().__init__(label, called, **options)
        self.past_only = past_only
        self.parts: dict[str, str] = dict.fromkeys(DATE_PARTS, "")

    @property
    def anchor(self) -> str:
        return f"{self.id}-day"

    def process(
        self,
        formdata: Any,
        data: object = unset_value,
        extra_filters: Sequence[Any] | None = None,
    ) -> None:
        super().process(None, data, extra_filters)
        if formdata is not None:
            self.parts = {
                part: formdata.get(f"{self.name}-{part}", "").strip() for part in DATE_PARTS
            }
            self.data = _real_date(self.parts)

    def process_data(self, value: object) -> None:
        self.data = value if isinstance(value, date) else None
        if self.data is not None:
            self.parts = {"day": str(self.data.day), "month": str(self.data.month),
                          "year": str(self.data.year)}  # fmt: skip

    def pre_validate(self, form: BaseForm) -> None:
        if not any(self.parts.values()):
            if self.required:
                raise StopValidation(f"Enter {self.called}")
            return
        if self.data is None:
            raise StopValidation(
                f"{self._called_capitalised()} must be a real date, like 27 3 2026"
            )
        if not in_supported_range(self.data):
            raise StopValidation(f"{self._called_capitalised()} must be between {SUPPORTED_DATES}")
        today: date | None = getattr(form, "today", None)
        if self.past_only and today is not None and self.data > today:
            raise StopValidation(f"{self._called_capitalised()} must be today or in the past")


class FileField(AskedField):
    """A file sent with the form: its first `limit` bytes (empty if none was chosen)."""

    data: bytes

    def __init__(self, label: str, called: str = "", *, limit: int, **options: Any) -> None:
        super().__init__(label, called, **options)
        self.limit = limit

    def process_data(self, value: object) -> None:
        self.data = b""

    def process_formdata(self, valuelist: list[Any]) -> None:
        upload = next((item for item in valuelist if isinstance(item, FileStorage)), None)
        self.data = upload.read(self.limit) if upload else b""

    def pre_validate(self, form: BaseForm) -> None:
        if self.required and not self.data:
            raise StopValidation(f"Choose {self.called}")


def _real_date(parts: dict[str, str]) -> date | None:
    """The date of the day, month and year boxes, if they make one (the year in four digits)."""
    day, month, year = (plain_whole_number(parts[part]) for part in DATE_PARTS)
    if day is None or month is None or year is None or len(parts["year"]) != 4:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def worded(values: Iterable[str]) -> list[tuple[str, str]]:
    """Choices from a vocabulary, each shown in words ('not_upheld' as 'Not upheld')."""
    return [(value, words(value)) for value in values]


def as_is(values: Iterable[str]) -> list[tuple[str, str]]:
    """Choices shown as they are (the names of teams and categories)."""
    return [(value, value) for value in values]
