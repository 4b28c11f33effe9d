"""Deadline arithmetic: the date a step falls due, from its timescale and the event it counts from.

Kept apart from the state machines (docs/architecture.md): workflows say which timer starts when,
this module says what date that makes, always through the council's working-day calendar.
"""

from __future__ import annotations

from datetime import date

from complaints.calendar import WorkingCalendar
from complaints.config import Direction, Timescale, TimeUnit


def compute_due_on(calendar: WorkingCalendar, timescale: Timescale, event_day: date) -> date:
    """The due date of a step whose timescale counts from `event_day` (Day 0).

    Working-day steps fall on the Nth working day after Day 0 (or before it, for a step due
    ahead of another, such as QA sign-off 2 working days before the response is due); calendar
    month steps fall on the same day of the month, moved to the next working day if needed.
    """
    sign = -1 if timescale.direction is Direction.BEFORE else 1
    if timescale.unit is TimeUnit.CALENDAR_MONTHS:
        return calendar.add_months(event_day, sign * timescale.length)
    return calendar.add_working_days(event_day, sign * timescale.length)


STEP_LABELS = {
    "complaint_time_limit": "Time limit to complain",
    "first_contact": "First contact with complainant",
    "qa_signoff": "QA sign-off",
    "stage3_request_window": "Review panel request window",
    "panel_meeting": "Review panel meeting",
    "panel_report": "Review panel report",
    "panel_response": "Response to panel",
}


def step_label(name: str) -> str:
    """A deadline's name as people say it: 'stage1_response' -> 'Stage 1 response'."""
    if name in STEP_LABELS:
        return STEP_LABELS[name]
    words = name.replace("stage", "stage ").replace("_", " ").split()
    return " ".join(words).capitalize()
