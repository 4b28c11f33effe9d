"""When deadline alerts are raised and sent, and when the scheduler that sends them runs."""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import Field, PlainValidator, Strict, field_validator
from pydantic.dataclasses import dataclass

from complaints.settings.values import (
    SECTION,
    FilledText,
    Text,
    WholeNumber,
    refusal,
    written_as,
)


@dataclass(frozen=True, config=SECTION)
class AlertSettings:
    """When deadline alerts fire, who is told, and how sending is retried."""

    due_soon_working_days: Annotated[WholeNumber, Field(ge=0)]
    case_link: FilledText
    head_of_service: Text
    head_of_service_after_working_days: Annotated[WholeNumber, Field(ge=1)]
    max_send_attempts: Annotated[WholeNumber, Field(ge=1, le=50)]

    @field_validator("case_link")
    @classmethod
    def _names_the_case(cls, case_link: str) -> str:
        if "{reference}" not in case_link:
            raise refusal("must contain {reference}, where the case reference goes")
        return case_link


def _a_time_of_day(value: object) -> time:
    """A time, written in the file as "HH:MM" (or as a TOML time)."""
    return written_as(value, time, r"\d{2}:\d{2}(:\d{2})?", "a time", "write HH:MM")


@dataclass(frozen=True, config=SECTION)
class SchedulerSettings:
    """When the deadline sweep runs, and how long one process's turn as the scheduler lasts."""

    interval_minutes: Annotated[WholeNumber, Field(ge=1, le=1440)]
    working_day_start: Annotated[time, PlainValidator(_a_time_of_day)]
    lease_seconds: Annotated[WholeNumber, Field(ge=10)]
    embedded: Annotated[bool, Strict()]
