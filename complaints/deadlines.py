"""Deadline arithmetic and words: the date a step falls due, from its timescale and the event it
counts from, and a timescale as people read it.

Kept apart from the state machines (docs/architecture.md): workflows say which deadline starts
when and what it counts from, this module says what date that makes, always through the
council's working-day calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from complaints.calendar import WorkingCalendar
from complaints.config import Settings, Timescale, TimeUnit
from workflows import WORKFLOWS
from workflows.definition import Workflow


def compute_due_on(
    calendar: WorkingCalendar, timescale: Timescale, event_day: date, *, counts_back: bool
) -> date:
    """The due date of a step whose timescale counts from `event_day` (Day 0).

    Working-day steps fall on the Nth working day after Day 0 (or before it, for a step that
    `counts_back`, such as QA sign-off 2 working days before the response is due); calendar
    month steps fall on the same day of the month, moved to the next working day if needed.
    """
    sign = -1 if counts_back else 1
    if timescale.unit is TimeUnit.CALENDAR_MONTHS:
        return calendar.add_months(event_day, sign * timescale.length)
    return calendar.add_working_days(event_day, sign * timescale.length)


def due_on_for(
    settings: Settings, calendar: WorkingCalendar, workflow: Workflow, step: str, event_day: date
) -> date:
    """The due date of `workflow`'s deadline `step` counted from `event_day`, as long as the
    council's timescale says and in the direction the workflow declares."""
    timescale = settings.timescale(workflow.name, step)
    counts_back = workflow.deadline(step).counts_back
    return compute_due_on(calendar, timescale, event_day, counts_back=counts_back)


@dataclass(frozen=True)
class TimescaleWords:
    """A timescale as a step's description or a letter quotes it: "10 working days"; `.most` is
    the length with the most it may be extended ("20 working days"), `.extra` that most."""

    timescale: Timescale

    def __str__(self) -> str:
        return _amount(self.timescale.length, self.timescale.unit)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    @property
    def unit(self) -> str:
        """The unit it is counted in ("working days")."""
        return unit_words(self.timescale.unit)

    @property
    def most(self) -> str:
        return _amount(self.timescale.length + self.timescale.max_extension, self.timescale.unit)

    @property
    def extra(self) -> str:
        """The most it may be extended by ("10 working days")."""
        return _amount(self.timescale.max_extension, self.timescale.unit)


def timescale_words(settings: Settings, procedure: str) -> Mapping[str, TimescaleWords]:
    """Each of the procedure's steps -> its timescale in words, for filling in descriptions."""
    steps = settings.timescales.get(procedure, {})
    return {step: TimescaleWords(timescale) for step, timescale in steps.items()}


def unit_words(unit: TimeUnit) -> str:
    """A unit as people say it: "working days", "calendar months"."""
    return f"{_UNIT_WORDS[unit]}s"


def _amount(length: int, unit: TimeUnit) -> str:
    return f"{length} {_UNIT_WORDS[unit]}{'' if length == 1 else 's'}"


_UNIT_WORDS = {TimeUnit.WORKING_DAYS: "working day", TimeUnit.CALENDAR_MONTHS: "calendar month"}


# How people say the deadlines whose names do not read well, from their declarations.
STEP_LABELS = {
    deadline.name: deadline.label
    for workflow in WORKFLOWS.values()
    for deadline in workflow.deadlines
    if deadline.label
}


def step_label(name: str) -> str:
    """A deadline's name as people say it: 'stage1_response' -> 'Stage 1 response'."""
    if name in STEP_LABELS:
        return STEP_LABELS[name]
    words = name.replace("stage", "stage ").replace("_", " ").split()
    return " ".join(words).capitalize()
