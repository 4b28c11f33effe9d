"""Timeliness per stage: working days from a deadline's start to its stop, within or exceeding
the due date in force, and the reporting band; checked by hand across Christmas 2025 (25, 26
December and 1 January are bank holidays in England)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from complaints.calendar import WorkingCalendar
from complaints.models.deadlines import Deadline
from complaints.models.enums import DeadlineStatus
from complaints.timeliness import (
    Band,
    Timeliness,
    answer_deadlines,
    stage_timeliness,
    timeliness,
)
from workflows import WORKFLOWS

ANSWERS = answer_deadlines(WORKFLOWS.values())

# Friday 19 December 2025: a stage 1 response due 10 working days later, Wednesday 7 January.
STARTED = date(2025, 12, 19)
DUE = date(2026, 1, 7)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.for_england()


def deadline(
    stopped_on: date | None,
    *,
    name: str = "stage1_response",
    stage: int = 1,
    started_on: date = STARTED,
    due_on: date = DUE,
    original_due_on: date | None = None,
    status: DeadlineStatus = DeadlineStatus.STOPPED,
) -> Deadline:
    return Deadline(
        case_id=1,
        name=name,
        stage=stage,
        started_on=started_on,
        original_due_on=original_due_on or due_on,
        due_on=due_on,
        stopped_on=stopped_on,
        status=status,
        created_at=datetime(2025, 12, 19, 9, 0, tzinfo=UTC),
    )


def test_answered_on_the_tenth_working_day_across_christmas_is_within_10(
    calendar: WorkingCalendar,
) -> None:
    assert timeliness(calendar, deadline(date(2026, 1, 7))) == Timeliness(
        deadline="stage1_response",
        stage=1,
        working_days_taken=10,
        within=True,
        band=Band.WITHIN_10,
    )


def test_answered_the_day_after_the_due_date_exceeds_it_in_the_11_to_20_band(
    calendar: WorkingCalendar,
) -> None:
    result = timeliness(calendar, deadline(date(2026, 1, 8)))
    assert result is not None
    assert (result.working_days_taken, result.within, result.band) == (
        11,
        False,
        Band.FROM_11_TO_20,
    )
    assert result.band.value == "11_to_20"


@pytest.mark.parametrize(
    ("stopped_on", "taken", "band"),
    [
        (date(2025, 12, 19), 0, Band.WITHIN_10),  # answered on the day of receipt
        (date(2025, 12, 24), 3, Band.WITHIN_10),
        # Christmas Day, Boxing Day and a weekend do not count: 29 December is the 4th.
        (date(2025, 12, 29), 4, Band.WITHIN_10),
        (date(2026, 1, 21), 20, Band.FROM_11_TO_20),
        (date(2026, 1, 22), 21, Band.OVER_20),
    ],
)
def test_working_days_taken_skip_weekends_and_bank_holidays(
    calendar: WorkingCalendar, stopped_on: date, taken: int, band: Band
) -> None:
    result = timeliness(calendar, deadline(stopped_on))
    assert result is not None
    assert (result.working_days_taken, result.band) == (taken, band)


def test_within_is_judged_against_the_due_date_after_an_extension(
    calendar: WorkingCalendar,
) -> None:
    # Extended by 10 working days from 7 to 21 January; answered on 20 January.
    extended = deadline(date(2026, 1, 20), due_on=date(2026, 1, 21), original_due_on=DUE)
    result = timeliness(calendar, extended)
    assert result is not None
    assert (result.working_days_taken, result.within, result.band) == (
        19,
        True,
        Band.FROM_11_TO_20,
    )


@pytest.mark.parametrize(
    "status",
    [
        DeadlineStatus.RUNNING,
        DeadlineStatus.PAUSED,
        DeadlineStatus.CANCELLED,
        DeadlineStatus.SUPERSEDED,
    ],
)
def test_a_deadline_not_stopped_has_no_timeliness(
    calendar: WorkingCalendar, status: DeadlineStatus
) -> None:
    # Even with a date recorded (a cancelled or superseded timer keeps the day it ended).
    assert timeliness(calendar, deadline(date(2026, 1, 6), status=status)) is None
    assert timeliness(calendar, deadline(None, status=status)) is None


def test_the_response_deadlines_are_those_that_answer_a_stage() -> None:
    assert {
        "stage1_response",
        "stage2_investigation",
        "stage2_response",
        "adjudication",
        "panel_response",
        "response",
    } == ANSWERS


def test_stage_timeliness_measures_each_stage_by_its_response_deadline(
    calendar: WorkingCalendar,
) -> None:
    deadlines = [
        # Acknowledged on the first working day: not a response, so not measured.
        deadline(date(2025, 12, 22), name="acknowledgement", due_on=date(2025, 12, 23)),
        deadline(date(2026, 1, 8)),
        # Stage 2 (corporate): acknowledged Thursday 22 January, due Thursday 19 February.
        deadline(
            date(2026, 2, 18),
            name="stage2_response",
            stage=2,
            started_on=date(2026, 1, 22),
            due_on=date(2026, 2, 19),
        ),
        deadline(
            date(2026, 1, 23),
            name="stage2_acknowledgement",
            stage=2,
            started_on=date(2026, 1, 20),
            due_on=date(2026, 1, 27),
        ),
    ]
    result = stage_timeliness(calendar, deadlines, ANSWERS)
    assert sorted(result) == [1, 2]
    assert (result[1].deadline, result[1].working_days_taken, result[1].within) == (
        "stage1_response",
        11,
        False,
    )
    assert (result[2].deadline, result[2].working_days_taken, result[2].band) == (
        "stage2_response",
        19,
        Band.FROM_11_TO_20,
    )
    assert result[2].within


def test_stage_timeliness_takes_the_last_stopped_response_of_a_stage(
    calendar: WorkingCalendar,
) -> None:
    # Statutory stage 2: the investigation stopped when the report came, then the adjudication.
    investigation = deadline(
        date(2026, 3, 20),
        name="stage2_investigation",
        stage=2,
        started_on=date(2026, 2, 16),
        due_on=date(2026, 3, 23),
    )
    adjudication = deadline(
        date(2026, 4, 15),
        name="adjudication",
        stage=2,
        started_on=date(2026, 3, 20),
        due_on=date(2026, 4, 21),
    )
    result = stage_timeliness(calendar, [adjudication, investigation], ANSWERS)
    # 20 March to 15 April: 18 weekdays, less Good Friday 3 and Easter Monday 6 April.
    assert result == {
        2: Timeliness(
            deadline="adjudication",
            stage=2,
            working_days_taken=16,
            within=True,
            band=Band.FROM_11_TO_20,
        )
    }


def test_stage_timeliness_ignores_superseded_and_running_responses(
    calendar: WorkingCalendar,
) -> None:
    superseded = deadline(date(2025, 12, 22), status=DeadlineStatus.SUPERSEDED)
    running = deadline(None, name="stage2_response", stage=2, status=DeadlineStatus.RUNNING)
    restarted = deadline(date(2026, 1, 5), started_on=date(2025, 12, 22))
    result = stage_timeliness(calendar, [restarted, superseded, running], ANSWERS)
    assert list(result) == [1]
    # Monday 22 December to Monday 5 January: 23, 24, 29, 30, 31 December, 2 and 5 January.
    assert (result[1].working_days_taken, result[1].within) == (7, True)
