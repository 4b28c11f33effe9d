"""The deadline sweep: which alerts exist on each day as the clock travels, each once, even when
two sweeps run at once."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from complaints.alerts.sweep import sweep, sweep_window
from complaints.calendar import WorkingCalendar
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.models import Alert, Deadline
from complaints.services.cases import fire_trigger
from complaints.services.followup import add_action
from tests.support import LogCase, version_of


def alerts(ctx: Context) -> set[tuple[str, str]]:
    """(subject, kind) of every alert: the subject is a deadline's name or 'action'."""
    with ctx.database.reader() as session:
        rows = session.exec(select(Alert)).all()
        names = {d.id: d.name for d in session.exec(select(Deadline)).all()}
    return {(names[a.deadline_id] if a.deadline_id else "action", a.kind.value) for a in rows}


@pytest.fixture(scope="module")
def england() -> WorkingCalendar:
    return WorkingCalendar.for_england()


def test_the_window_of_each_kind_on_a_working_day_and_a_weekend(england: WorkingCalendar) -> None:
    monday = sweep_window(england, date(2026, 11, 23), 2, 5)
    assert (monday.due_soon_until, monday.overdue_before) == (
        date(2026, 11, 25),
        date(2026, 11, 23),
    )
    saturday = sweep_window(england, date(2026, 11, 28), 2, 5)
    # On a Saturday: due soon means by Tuesday; overdue means due before Friday.
    assert (saturday.due_soon_until, saturday.overdue_before) == (
        date(2026, 12, 1),
        date(2026, 11, 27),
    )


def test_alerts_day_by_day_through_a_fortnight(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    # Received Thursday 17 December 2026: acknowledgement due Monday 21 December (2 WD),
    # stage 1 response due Tuesday 5 January 2027 (10 WD: Christmas Day, the 28 December
    # substitute day and New Year's Day are not working days).
    log_case("statutory_children", date(2026, 12, 17))
    expected_new = {
        date(2026, 12, 17): {("acknowledgement", "due_soon")},
        date(2026, 12, 18): set(),
        date(2026, 12, 19): set(),  # Saturday
        date(2026, 12, 21): {("acknowledgement", "due_today")},
        date(2026, 12, 22): {("acknowledgement", "overdue")},
        date(2026, 12, 25): set(),  # Christmas Day: nothing is due today
        date(2026, 12, 30): {("acknowledgement", "escalated")},  # 5 working days overdue
        date(2026, 12, 31): {("stage1_response", "due_soon")},  # 2 WD before, over New Year
        date(2027, 1, 1): set(),  # New Year's Day
        date(2027, 1, 5): {("stage1_response", "due_today")},
        date(2027, 1, 6): {("stage1_response", "overdue")},
    }
    seen: set[tuple[str, str]] = set()
    for day, new in expected_new.items():
        clock.set(day)
        sweep(council)
        now = alerts(council)
        assert now - seen == new, day
        seen = now


def test_an_answered_deadline_raises_nothing_more(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 23)).reference
    fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )
    clock.set(date(2026, 12, 31))
    sweep(council)
    assert ("acknowledgement", "overdue") not in alerts(council)
    assert ("stage1_response", "overdue") in alerts(council)


def test_a_sweep_after_downtime_catches_up_and_a_second_creates_nothing(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    log_case("statutory_children", date(2026, 11, 2))
    clock.set(date(2026, 12, 1))
    first = sweep(council)
    assert {("acknowledgement", "overdue"), ("stage1_response", "overdue")} <= alerts(council)
    assert first.created["deadline_overdue"] == 2
    again = sweep(council)
    assert again.new_alert_ids == ()
    clock.advance(timedelta(days=-20))  # a clock moved backwards duplicates nothing either
    sweep(council)
    assert len(alerts(council)) == len(first.new_alert_ids)


def test_an_open_action_past_its_due_date_is_overdue(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    add_action(
        council,
        reference,
        "Fix the form",
        by="mgr",
        owner="off",
        due_on=date(2026, 11, 10),
        expected_version=version_of(council, reference),
    )
    clock.set(date(2026, 11, 11))
    result = sweep(council)
    assert result.created["action_overdue"] == 1
    assert ("action", "overdue") in alerts(council)


def test_two_sweeps_at_once_record_each_alert_once(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    for received in (date(2026, 10, 1), date(2026, 10, 5), date(2026, 10, 12)):
        log_case("statutory_children", received)
    clock.set(date(2026, 11, 23))
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            sweep(council)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with council.database.reader() as session:
        count = session.exec(select(sa.func.count()).select_from(Alert)).one()
    # 3 cases x (acknowledgement, stage 1 response) x (overdue, and 5 working days overdue)
    assert count == 12


def test_a_sweep_killed_half_way_leaves_nothing_and_the_next_one_records_everything(
    council: Context, clock: SettableClock, log_case: LogCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import complaints.alerts.sweep as sweeping

    log_case("statutory_children", date(2026, 11, 2))
    clock.set(date(2026, 11, 23))
    real_insert = sweeping._insert_alerts
    calls = 0

    def dies_on_the_third_kind(*args: object, **kwargs: object) -> list[int]:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("the process was killed")
        return real_insert(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sweeping, "_insert_alerts", dies_on_the_third_kind)
    with pytest.raises(RuntimeError):
        sweep(council)
    assert alerts(council) == set()
    monkeypatch.setattr(sweeping, "_insert_alerts", real_insert)
    sweep(council)
    assert {("acknowledgement", "overdue"), ("stage1_response", "overdue")} <= alerts(council)
