"""How long each stage took to answer (docs/reports.md, the rules behind the figures).

A response sent stops its deadline; timeliness is the working days from the deadline's start to
its stop, whether that was within the due date in force (after extensions and holds), and the
band the reports group it in: within 10 working days, 11 to 20, or over 20. Pure functions over
`Deadline` rows and the council's working calendar; no database.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from complaints.calendar import WorkingCalendar
from complaints.models.deadlines import Deadline
from complaints.models.enums import DeadlineStatus
from workflows.definition import ANSWERS, Workflow, deadlines_with_role

# The reporting bands' upper limits, in working days (the bands the issue asks reports to use).
WITHIN_10_LIMIT = 10
FROM_11_TO_20_LIMIT = 20


def answer_deadlines(workflows: Iterable[Workflow]) -> frozenset[str]:
    """The deadlines whose stop is a stage's answer to the complainant (responses and
    adjudications), in every procedure; the others (acknowledgements, QA sign-off, request
    windows, panel meetings) measure steps on the way."""
    return deadlines_with_role(workflows, *ANSWERS)


class Band(StrEnum):
    """The band of working days a stage took, as reports group them."""

    WITHIN_10 = "within_10"
    FROM_11_TO_20 = "11_to_20"
    OVER_20 = "over_20"


@dataclass(frozen=True)
class Timeliness:
    """How one stopped deadline fared: working days taken, within its due date, and the band."""

    deadline: str
    stage: int
    working_days_taken: int
    within: bool
    band: Band


def band_for(working_days: int) -> Band:
    """The reporting band of a number of working days taken."""
    if working_days <= WITHIN_10_LIMIT:
        return Band.WITHIN_10
    if working_days <= FROM_11_TO_20_LIMIT:
        return Band.FROM_11_TO_20
    return Band.OVER_20


def timeliness(calendar: WorkingCalendar, deadline: Deadline) -> Timeliness | None:
    """The timeliness of a stopped deadline; None for one still running or paused, or cancelled
    or superseded (those were never answered, so they measure nothing)."""
    if deadline.status is not DeadlineStatus.STOPPED or deadline.stopped_on is None:
        return None
    # From Day 0, which is not always the day the timer started: a case reallocated to the
    # statutory procedure counts from the day it was received.
    day_zero = deadline.counted_from_on or deadline.started_on
    taken = calendar.working_days_between(day_zero, deadline.stopped_on)
    return Timeliness(
        deadline=deadline.name,
        stage=deadline.stage,
        working_days_taken=taken,
        within=deadline.stopped_on <= deadline.due_on,
        band=band_for(taken),
    )


def stage_timeliness(
    calendar: WorkingCalendar, deadlines: Iterable[Deadline], answers: Collection[str]
) -> dict[int, Timeliness]:
    """For each stage with a stopped deadline among `answers` (those whose stop answers the
    complainant, `answer_deadlines`), that deadline's timeliness; where a stage has several (a
    clock restarted, an adjudication after the investigation), the one stopped last."""
    latest: dict[int, tuple[date, Timeliness]] = {}
    for deadline in deadlines:
        if deadline.name not in answers:
            continue
        result = timeliness(calendar, deadline)
        if result is None or deadline.stopped_on is None:
            continue
        current = latest.get(deadline.stage)
        if current is None or current[0] <= deadline.stopped_on:
            latest[deadline.stage] = (deadline.stopped_on, result)
    return {stage: result for stage, (_, result) in sorted(latest.items())}
