"""How long each step of each procedure lasts: `[timescales.<procedure>.<step>]` in the file.

Every number here is a default the council may change in `config.toml` (docs/timescales.md gives
each one's source); none is a constant in code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, model_validator
from pydantic.dataclasses import dataclass
from pydantic_core import InitErrorDetails

from complaints.settings.messages import Location
from complaints.settings.values import (
    SECTION,
    Text,
    WholeNumber,
    missing_key,
    problem_at,
    reading_file,
    refusals,
    unknown_key,
)

if TYPE_CHECKING:
    from workflows.definition import Deadline


class TimeUnit(StrEnum):
    """The unit a timescale is counted in."""

    WORKING_DAYS = "working_days"
    CALENDAR_MONTHS = "calendar_months"


# Keys a timescale had before the event a step counts from was declared with its workflow.
RETIRED_KEYS = ("from", "direction")


@dataclass(frozen=True, config=SECTION)
class Timescale:
    """How long one step of a procedure lasts. The event it counts from, and everything else
    about the step, is declared with its deadline in the procedure's workflow."""

    length: Annotated[WholeNumber, Field(ge=0)]
    unit: TimeUnit
    max_extension: Annotated[WholeNumber, Field(ge=0)]
    """The most the step may be extended beyond `length`, in `unit`; 0 means no extension."""
    note: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _no_retired_keys(cls, data: Any) -> Any:
        retired = [key for key in RETIRED_KEYS if isinstance(data, Mapping) and key in data]
        if retired:
            raise refusals(
                problem_at(
                    (key,),
                    "is no longer read: the event a step counts from is declared with its "
                    "deadline in the workflow (docs/timescales.md); remove it",
                    data[key],
                )
                for key in retired
            )
        return data


def declared_steps(info: ValidationInfo) -> dict[str, tuple[Deadline, ...]] | None:
    """Procedure -> the deadlines its workflow declares, in order, for the workflows the file
    being read is for (the shipped ones unless it says); None when settings are built in code
    from timescales already checked (a copy with one section changed, say)."""
    file = reading_file(info)
    if file is None:
        return None
    workflows = file.workflows
    if workflows is None:
        from workflows import WORKFLOWS

        workflows = WORKFLOWS
    return {name: wf.deadlines for name, wf in workflows.items() if wf.deadlines}


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


def _every_declared_step(table: Any, info: ValidationInfo) -> Any:
    declared = declared_steps(info)
    if declared is None:
        return table
    required = {
        procedure: [deadline.name for deadline in deadlines]
        for procedure, deadlines in declared.items()
    }
    if isinstance(table, Mapping) and (problems := step_problems(table, required)):
        raise refusals(problems)
    return table


def _months_only_where_allowed(
    table: Mapping[str, Mapping[str, Timescale]], info: ValidationInfo
) -> Mapping[str, Mapping[str, Timescale]]:
    problems = []
    for procedure, deadlines in (declared_steps(info) or {}).items():
        in_months = [deadline.name for deadline in deadlines if deadline.months_allowed]
        problems += [
            problem_at(
                (procedure, deadline.name, "unit"),
                "must be working_days, not 'calendar_months' (of this procedure's steps only "
                f"{', '.join(in_months) or 'none'} may be in months)",
                TimeUnit.CALENDAR_MONTHS.value,
            )
            for deadline in deadlines
            if table[procedure][deadline.name].unit is TimeUnit.CALENDAR_MONTHS
            and not deadline.months_allowed
        ]
    if problems:
        raise refusals(problems)
    return table


def _read_only_in_order(
    table: Mapping[str, Mapping[str, Timescale]], info: ValidationInfo
) -> Mapping[str, Mapping[str, Timescale]]:
    declared = declared_steps(info)
    if declared is None:
        return MappingProxyType(
            {name: MappingProxyType(dict(steps)) for name, steps in table.items()}
        )
    return MappingProxyType(
        {
            procedure: MappingProxyType({d.name: table[procedure][d.name] for d in deadlines})
            for procedure, deadlines in declared.items()
        }
    )


Timescales = Annotated[
    Mapping[str, Mapping[str, Timescale]],
    BeforeValidator(_every_declared_step),
    AfterValidator(_months_only_where_allowed),
    AfterValidator(_read_only_in_order),
]
"""Procedure -> step -> timescale, read-only, in the order the workflows declare the deadlines."""
