"""What counts as a working day (a country's bank holidays and the council's closure days), and
the time zone that decides which date "today" is.

`load_calendar_settings` reads this section alone, for a command that needs nothing else (a
working-day sum), so that it does not wait for every other section's model to be built.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    ConfigDict,
    PlainValidator,
    TypeAdapter,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

from complaints.bank_holidays import UnknownRegionError, check_region
from complaints.settings.files import check_config, config_path, read_config
from complaints.settings.messages import suggestion
from complaints.settings.values import (
    SECTION,
    FilledText,
    Text,
    problem_at,
    refusal,
    refusals,
    written_as,
)


def _a_closure_day(value: object) -> date:
    """A date, written in the file as a TOML date or as YYYY-MM-DD in quotes."""
    if isinstance(value, datetime):
        raise refusal(
            f"is a date and time, not a date: {value.isoformat()} (write dates as YYYY-MM-DD)"
        )
    return written_as(value, date, r"\d{4}-\d{2}-\d{2}", "a date", "write dates as YYYY-MM-DD")


def _in_order_once_each(days: tuple[date, ...]) -> tuple[date, ...]:
    return tuple(sorted(set(days)))


@dataclass(frozen=True, config=SECTION)
class CalendarSettings:
    """What counts as a working day, and which time zone decides what "today" is."""

    country: FilledText
    subdivision: Text
    timezone: Text
    closure_days: Annotated[
        tuple[Annotated[date, PlainValidator(_a_closure_day)], ...],
        AfterValidator(_in_order_once_each),
    ]
    """The council's own closure days, sorted, without duplicates."""

    @field_validator("timezone")
    @classmethod
    def _a_time_zone(cls, timezone: str) -> str:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            hint = suggestion(timezone, available_timezones()) or " (e.g. Europe/London)"
            raise refusal(f"is not a known time zone: {timezone!r}{hint}") from None
        return timezone

    @model_validator(mode="after")
    def _has_bank_holidays(self) -> CalendarSettings:
        """The `holidays` package knows the country's (and subdivision's) bank holidays."""
        try:
            check_region(self.country, self.subdivision)
        except UnknownRegionError as unknown:
            if unknown.subdivisions is None:
                refused = (
                    ("country",),
                    f"has no bank holiday calendar: {self.country!r} "
                    "(use an ISO country code, e.g. GB)",
                    self.country,
                )
            else:
                refused = (
                    ("subdivision",),
                    f"{self.subdivision!r} is not a subdivision of {self.country}; "
                    f'use one of {", ".join(unknown.subdivisions)}, or "" for the whole country',
                    self.subdivision,
                )
            raise refusals([problem_at(*refused)]) from None
        return self


@dataclass(frozen=True, config=ConfigDict(extra="ignore"))
class _CalendarSection:
    """The file's [calendar] section, the others left unread."""

    calendar: CalendarSettings


_CALENDAR_SECTION = TypeAdapter(_CalendarSection)


def load_calendar_settings(
    path: Path | None = None, environ: Mapping[str, str] = os.environ
) -> CalendarSettings:
    """The [calendar] section of the configuration file (by default `config_path(environ)`),
    checked as `complaints.config.load_settings` checks it; the other sections are not checked.

    Raises `ConfigError` naming the file when it is missing, unreadable, not valid TOML, or when
    the section is missing or holds any bad value.
    """
    source = config_path(environ) if path is None else Path(path)
    data = read_config(source)
    checked = check_config(
        _CALENDAR_SECTION, _CalendarSection, data, source=source, environ=environ
    )
    return checked.calendar
