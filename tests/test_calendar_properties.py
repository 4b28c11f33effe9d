"""Properties of the working-day calendar, with numpy's business-day functions as the oracle.

The oracle is a `np.busdaycalendar` holding the same holidays: England's bank holidays from the
`holidays` package, for every year a random date plus or minus 400 working days can reach, and a
few council closure days.
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta
from typing import Literal

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.calendar import WorkingCalendar

CLOSURE_DAYS = (date(2025, 12, 29), date(2025, 12, 30), date(2031, 6, 13), date(2088, 8, 2))
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
STEPS = st.integers(min_value=-400, max_value=400)
EXAMPLES = settings(max_examples=200, deadline=None)


@pytest.fixture(scope="module")
def england() -> WorkingCalendar:
    return WorkingCalendar.for_england(CLOSURE_DAYS)


@pytest.fixture(scope="module")
def oracle() -> np.busdaycalendar:
    # 400 working days is about 19 months, so 1998 to 2101 covers every result
    bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=range(1998, 2102))
    every_holiday = sorted({*bank_holidays, *CLOSURE_DAYS})
    return np.busdaycalendar(holidays=np.array(every_holiday, dtype="datetime64[D]"))


def busday_add(day: date, n: int, oracle: np.busdaycalendar) -> date:
    roll: Literal["backward", "forward"] = "backward" if n > 0 else "forward"
    result = np.busday_offset(np.datetime64(day, "D"), n, roll=roll, busdaycal=oracle).item()
    assert isinstance(result, date)
    return result


def busday_between(start: date, end: date, oracle: np.busdaycalendar) -> int:
    # numpy counts [begin, end) forwards but (end, begin] backwards, so only forwards is the
    # oracle; backwards is the same count negated.
    if end < start:
        return -busday_between(end, start, oracle)
    one = timedelta(days=1)
    return int(np.busday_count(start + one, end + one, busdaycal=oracle))


@EXAMPLES
@given(day=DAYS, n=STEPS)
def test_add_working_days_agrees_with_numpy(
    england: WorkingCalendar, oracle: np.busdaycalendar, day: date, n: int
) -> None:
    assert england.add_working_days(day, n) == busday_add(day, n, oracle)


@EXAMPLES
@given(start=DAYS, end=DAYS)
def test_working_days_between_agrees_with_numpy(
    england: WorkingCalendar, oracle: np.busdaycalendar, start: date, end: date
) -> None:
    assert england.working_days_between(start, end) == busday_between(start, end, oracle)


@EXAMPLES
@given(start=DAYS, end=DAYS)
def test_working_days_between_reversed_is_negated(
    england: WorkingCalendar, start: date, end: date
) -> None:
    assert england.working_days_between(end, start) == -england.working_days_between(start, end)


@EXAMPLES
@given(day=DAYS, n=STEPS)
def test_adding_then_counting_round_trips_from_a_working_day(
    england: WorkingCalendar, day: date, n: int
) -> None:
    start = england.roll_forward(day)
    assert england.working_days_between(start, england.add_working_days(start, n)) == n


@EXAMPLES
@given(day=DAYS, n=STEPS)
def test_adding_always_lands_on_a_working_day(england: WorkingCalendar, day: date, n: int) -> None:
    assert england.is_working_day(england.add_working_days(day, n))


@EXAMPLES
@given(day=DAYS, n=STEPS)
def test_subtracting_is_adding_the_negation(england: WorkingCalendar, day: date, n: int) -> None:
    assert england.subtract_working_days(day, n) == england.add_working_days(day, -n)


@EXAMPLES
@given(day=DAYS, steps=st.lists(STEPS, min_size=2, max_size=2, unique=True))
def test_adding_is_monotonic_in_n(england: WorkingCalendar, day: date, steps: list[int]) -> None:
    fewer, more = sorted(steps)
    earlier, later = england.add_working_days(day, fewer), england.add_working_days(day, more)
    assert earlier <= later
    if england.is_working_day(day):
        assert earlier < later  # from a non-working day, n = 0 and n = 1 land on the same day


@EXAMPLES
@given(day=DAYS, months=st.integers(min_value=-24, max_value=24))
def test_adding_months_rolls_the_same_day_of_month_forward(
    england: WorkingCalendar, oracle: np.busdaycalendar, day: date, months: int
) -> None:
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = month_calendar.monthrange(year, month_index + 1)[1]
    target = date(year, month_index + 1, min(day.day, last_day))
    assert england.add_months(day, months) == busday_add(target, 0, oracle)


@settings(max_examples=40, deadline=None)
@given(
    days=st.lists(DAYS, min_size=1, max_size=50),
    n=STEPS,
    steps=st.lists(STEPS, min_size=50, max_size=50),
)
def test_vectorised_forms_agree_with_numpy(
    england: WorkingCalendar, oracle: np.busdaycalendar, days: list[date], n: int, steps: list[int]
) -> None:
    array = np.array(days, dtype="datetime64[D]")
    per_day = np.array(steps[: len(days)], dtype=np.int64)
    roll: Literal["backward", "forward"] = "backward" if n > 0 else "forward"
    expected_one = np.busday_offset(array, n, roll=roll, busdaycal=oracle)
    expected_each = np.where(
        per_day > 0,
        np.busday_offset(array, per_day, roll="backward", busdaycal=oracle),
        np.busday_offset(array, per_day, roll="forward", busdaycal=oracle),
    )
    ends = array[::-1]
    assert np.array_equal(england.add_working_days_array(array, n), expected_one)
    assert np.array_equal(england.add_working_days_array(array, per_day), expected_each)
    assert np.array_equal(
        england.is_working_day_array(array), np.is_busday(array, busdaycal=oracle)
    )
    assert england.working_days_between_array(array, ends).tolist() == [
        busday_between(start, end, oracle) for start, end in zip(days, days[::-1], strict=True)
    ]
