"""How long each step of each procedure lasts: `[timescales.<procedure>.<step>]` in the file.

Every number here is a default the council may change in `config.toml` (docs/timescales.md gives
each one's source); none is a constant in code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, field_validator
from pydantic.dataclasses import dataclass
from pydantic_core import InitErrorDetails

from complaints.settings.messages import Location, suggestion
from complaints.settings.values import (
    SECTION,
    Text,
    WholeNumber,
    missing_key,
    problem_at,
    refusal,
    refusals,
    unknown_key,
)


class TimeUnit(StrEnum):
    """The unit a timescale is counted in."""

    WORKING_DAYS = "working_days"
    CALENDAR_MONTHS = "calendar_months"


class Direction(StrEnum):
    """Whether a deadline falls after its event (the usual case) or before it (QA sign-off)."""

    AFTER = "after"
    BEFORE = "before"


TIMER_EVENTS: frozenset[str] = frozenset(
    {
        "matter",
        "receipt",
        "acknowledgement",
        "allocation",
        "response_due",
        "response_sent",
        "stage2_request",
        "statement_agreed",
        "report_received",
        "adjudication",
        "review_request",
        "panel_meeting",
        "panel_report",
    }
)
"""The events a timescale may count from (the `from` key of a timescale)."""

REQUIRED_STEPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "statutory_children": (
            "complaint_time_limit",
            "acknowledgement",
            "stage1_response",
            "first_contact",
            "qa_signoff",
            "stage2_request_window",
            "stage2_investigation",
            "adjudication",
            "stage3_request_window",
            "panel_meeting",
            "panel_report",
            "panel_response",
        ),
        "corporate": (
            "complaint_time_limit",
            "acknowledgement",
            "stage1_response",
            "first_contact",
            "qa_signoff",
            "stage2_acknowledgement",
            "stage2_response",
        ),
        "adult_social_care": (
            "complaint_time_limit",
            "acknowledgement",
            "response",
            "first_contact",
            "qa_signoff",
        ),
    }
)
"""Each procedure and the steps its timescales must define, in workflow order."""

# Steps that may be counted in calendar months; every other step is in working days.
# The time limit to complain is a year (Children Act 1989 reg 9; 2009 regulations reg 12) and the
# adult social care response period is "6 months unless agreed otherwise" (2009 regulations reg 14).
_MONTH_STEPS: frozenset[tuple[str, str]] = frozenset(
    {(procedure, "complaint_time_limit") for procedure in REQUIRED_STEPS}
    | {("adult_social_care", "response")}
)


@dataclass(frozen=True, config=SECTION)
class Timescale:
    """How long one step of a procedure lasts, counted from which event."""

    length: Annotated[WholeNumber, Field(ge=0)]
    unit: TimeUnit
    counted_from: Annotated[Text, Field(alias="from")]
    """The event the step counts from: one of `TIMER_EVENTS` (the `from` key in the file)."""
    max_extension: Annotated[WholeNumber, Field(ge=0)]
    """The most the step may be extended beyond `length`, in `unit`; 0 means no extension."""
    direction: Direction = Direction.AFTER
    note: Text = ""

    @field_validator("counted_from")
    @classmethod
    def _a_timer_event(cls, event: str) -> str:
        if event not in TIMER_EVENTS:
            raise refusal(
                f"must be an event the step counts from, not {event!r}"
                f"{suggestion(event, TIMER_EVENTS)}; "
                f"the events are {', '.join(sorted(TIMER_EVENTS))}"
            )
        return event


def step_problems(
    table: Mapping[str, Any], required: Mapping[str, Sequence[str]]
) -> list[InitErrorDetails]:
    """The procedures and steps missing from `table`, and those it has that `required` lacks."""
    problems = _names(table, required, ())
    for procedure, steps in required.items():
        if isinstance(table.get(procedure), Mapping):
            problems += _names(table[procedure], steps, (procedure,))
    return problems


def _names(
    table: Mapping[str, Any], known: Sequence[str] | Mapping[str, Any], at: Location
) -> list[InitErrorDetails]:
    unknown = [unknown_key((*at, name), table[name], known) for name in table if name not in known]
    return unknown + [missing_key((*at, name), table) for name in known if name not in table]


def _every_required_step(table: Any) -> Any:
    if isinstance(table, Mapping) and (problems := step_problems(table, REQUIRED_STEPS)):
        raise refusals(problems)
    return table


def _months_only_where_allowed(
    table: Mapping[str, Mapping[str, Timescale]],
) -> Mapping[str, Mapping[str, Timescale]]:
    problems = [
        problem_at(
            (procedure, step, "unit"),
            "must be working_days, not 'calendar_months' "
            "(only complaint_time_limit and the adult social care response may be in months)",
            timescale.unit.value,
        )
        for procedure, steps in table.items()
        for step, timescale in steps.items()
        if timescale.unit is TimeUnit.CALENDAR_MONTHS and (procedure, step) not in _MONTH_STEPS
    ]
    if problems:
        raise refusals(problems)
    return table


def _read_only_in_order(
    table: Mapping[str, Mapping[str, Timescale]],
) -> Mapping[str, Mapping[str, Timescale]]:
    return MappingProxyType(
        {
            procedure: MappingProxyType({step: table[procedure][step] for step in steps})
            for procedure, steps in REQUIRED_STEPS.items()
        }
    )


Timescales = Annotated[
    Mapping[str, Mapping[str, Timescale]],
    BeforeValidator(_every_required_step),
    AfterValidator(_months_only_where_allowed),
    AfterValidator(_read_only_in_order),
]
"""Procedure -> step -> timescale, read-only, in the order of `REQUIRED_STEPS`."""
