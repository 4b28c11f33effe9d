"""Deadline dates from the configured timescales, through the working-day calendar."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from complaints.calendar import WorkingCalendar
from complaints.config import Settings, TimeUnit
from complaints.deadlines import compute_due_on, due_on_for, step_label
from workflows import WORKFLOWS


@pytest.fixture(scope="module")
def england() -> WorkingCalendar:
    return WorkingCalendar.for_england()


def test_statutory_stage1_response_received_before_christmas_is_due_in_january(
    shipped_settings: Settings, england: WorkingCalendar
) -> None:
    # Friday 19 Dec 2025 is Day 0; 25, 26 Dec and 1 Jan are bank holidays.
    timescale = shipped_settings.timescale("statutory_children", "stage1_response")
    due = compute_due_on(england, timescale, date(2025, 12, 19), counts_back=False)
    assert due == date(2026, 1, 7)


def test_qa_signoff_falls_two_working_days_before_the_response_is_due(
    shipped_settings: Settings, england: WorkingCalendar
) -> None:
    workflow = WORKFLOWS["statutory_children"]
    assert workflow.deadline("qa_signoff").counts_back
    # Response due Tuesday 7 April 2026, the day after Easter Monday: two working days before
    # is Wednesday 1 April (Good Friday 3 April and Easter Monday 6 April are not counted).
    due = due_on_for(shipped_settings, england, workflow, "qa_signoff", date(2026, 4, 7))
    assert due == date(2026, 4, 1)


def test_adult_social_care_response_is_six_calendar_months_on_a_working_day(
    shipped_settings: Settings, england: WorkingCalendar
) -> None:
    timescale = shipped_settings.timescale("adult_social_care", "response")
    assert timescale.unit is TimeUnit.CALENDAR_MONTHS
    # 6 months from Sunday 30 November 2025 is Saturday 30 May 2026: moved to Monday 1 June.
    due = compute_due_on(england, timescale, date(2025, 11, 30), counts_back=False)
    assert due == date(2026, 6, 1)


def test_a_council_closure_day_moves_the_deadline(
    shipped_settings: Settings, england: WorkingCalendar
) -> None:
    closed = WorkingCalendar.for_england([date(2026, 12, 29), date(2026, 12, 30)])
    timescale = dataclasses.replace(
        shipped_settings.timescale("corporate", "acknowledgement"), length=5
    )
    # From Wednesday 23 Dec 2026: 24, 29, 30, 31 Dec, 4 Jan with bank holidays only...
    due = compute_due_on(england, timescale, date(2026, 12, 23), counts_back=False)
    assert due == date(2027, 1, 4)
    # ...and two more days later when the council closes on 29 and 30 December.
    due = compute_due_on(closed, timescale, date(2026, 12, 23), counts_back=False)
    assert due == date(2027, 1, 6)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("stage1_response", "Stage 1 response"),
        ("acknowledgement", "Acknowledgement"),
        ("stage2_request_window", "Stage 2 request window"),
        ("qa_signoff", "QA sign-off"),
        ("stage3_request_window", "Review panel request window"),
    ],
)
def test_step_labels_read_as_words(name: str, label: str) -> None:
    assert step_label(name) == label
