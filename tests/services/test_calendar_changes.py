"""A change to the council's closure days recomputes every open deadline, once, audited."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.config import CalendarSettings
from complaints.context import Context
from complaints.models import AuditEvent
from complaints.services import calendar_changes
from complaints.services.calendar_changes import apply_calendar_change
from complaints.services.cases import fire_trigger, show_case
from tests.support import LogCase, version_of


def with_closure_days(ctx: Context, *days: date) -> Context:
    calendar = dataclasses.replace(ctx.settings.calendar, closure_days=tuple(days))
    assert isinstance(calendar, CalendarSettings)
    return Context(dataclasses.replace(ctx.settings, calendar=calendar), ctx.clock, ctx.database)


def due(ctx: Context, reference: str, step: str) -> date:
    (deadline,) = [
        d
        for d in show_case(ctx, reference, by="admin").deadlines
        if d.name == step and d.status == "running"
    ]
    return deadline.due_on


def test_new_closure_days_move_open_deadlines_and_are_audited(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    assert apply_calendar_change(council) is None  # the first run records the calendar in use
    # Received Monday 21 December 2026: stage 1 response due 10 WD later, over Christmas.
    reference = log_case("statutory_children", date(2026, 12, 21)).reference
    assert due(council, reference, "stage1_response") == date(2027, 1, 7)
    version = show_case(council, reference, by="admin").version

    closed = with_closure_days(council, date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31))
    change = apply_calendar_change(closed)
    assert change is not None
    assert change.added == (date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31))
    # The acknowledgement (due 23 December) is untouched; the response moves by three days.
    assert [(m.step, m.old_due_on, m.new_due_on) for m in change.moves] == [
        ("stage1_response", date(2027, 1, 7), date(2027, 1, 12))
    ]
    assert due(closed, reference, "stage1_response") == date(2027, 1, 12)
    assert show_case(closed, reference, by="admin").version == version + 1
    with closed.database.reader() as session:
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert actions.count("calendar_changed") == 2  # the council-wide event and the case's
    assert apply_calendar_change(closed) is None


def test_an_extended_deadline_keeps_its_extension_and_an_agreed_date_stays(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    apply_calendar_change(council)
    corporate = log_case("corporate", date(2026, 12, 1)).reference
    fire_trigger(
        council, corporate, "acknowledge", by="off", expected_version=version_of(council, corporate)
    )  # stage 1 due 15 December
    fire_trigger(
        council,
        corporate,
        "extend",
        by="mgr",
        values={"working_days": "10", "reason": "complex"},
        expected_version=version_of(council, corporate),
    )
    assert due(council, corporate, "stage1_response") == date(2026, 12, 31)
    adult = log_case("adult_social_care", date(2026, 12, 1)).reference
    fire_trigger(
        council,
        adult,
        "acknowledge",
        by="off",
        values={"agreed_response_on": "2026-12-30"},
        expected_version=version_of(council, adult),
    )

    closed = with_closure_days(council, date(2026, 12, 29), date(2026, 12, 30))
    apply_calendar_change(closed)
    assert due(closed, corporate, "stage1_response") == date(2027, 1, 5)
    assert due(closed, adult, "response") == date(2026, 12, 30)


def test_a_case_that_cannot_be_recomputed_stops_no_other_and_is_tried_again(
    council: Context, clock: SettableClock, log_case: LogCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_calendar_change(council)
    broken = log_case("statutory_children", date(2026, 12, 21)).reference
    fine = log_case("statutory_children", date(2026, 12, 21)).reference
    closed = with_closure_days(council, date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31))
    real = calendar_changes.recomputed_due_on

    def recomputed_due_on(settings: Any, calendar: Any, case: Any, *rest: Any) -> date:
        if case.reference == broken:
            raise ValueError("no timescale for this step")
        return real(settings, calendar, case, *rest)

    monkeypatch.setattr(calendar_changes, "recomputed_due_on", recomputed_due_on)

    change = apply_calendar_change(closed)

    assert change is not None
    assert due(closed, fine, "stage1_response") == date(2027, 1, 12)
    assert due(closed, broken, "stage1_response") == date(2027, 1, 7)
    assert change.failed == (f"{broken}: no timescale for this step",)
    monkeypatch.undo()
    again = apply_calendar_change(closed)  # not recorded as applied: the next run finishes it
    assert again is not None and [m.reference for m in again.moves] == [broken]
    assert due(closed, broken, "stage1_response") == date(2027, 1, 12)
    assert apply_calendar_change(closed) is None
    with closed.database.reader() as session:
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert actions.count("calendar_changed") == 3  # once for each case, once council-wide
