"""The working-day calendar, on dates checked by hand against a real calendar.

Weekdays used below, for checking by eye: Thursday 1 January 2026; Friday 19 December 2025;
Friday 25 December 2026; Saturday 25 December 2027; Monday 23 March 2026.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
import pytest

from complaints.calendar import WorkingCalendar
from complaints.config import CalendarSettings


@pytest.fixture(scope="module")
def england() -> WorkingCalendar:
    return WorkingCalendar.for_england()


def christmas_and_new_year(year: int) -> Iterable[date]:
    """A made-up holiday rule that knows every year, for years the bank-holiday package does not."""
    return [date(year, 1, 1), date(year, 12, 25)]


def days_array(*days: date) -> np.ndarray:
    return np.array(days, dtype="datetime64[D]")


# -- weekends and n = 0 ---------------------------------------------------------------------------


def test_friday_plus_one_working_day_is_monday(england: WorkingCalendar) -> None:
    assert england.add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 12)


def test_saturday_and_sunday_plus_one_working_day_are_monday(england: WorkingCalendar) -> None:
    assert england.add_working_days(date(2026, 1, 10), 1) == date(2026, 1, 12)
    assert england.add_working_days(date(2026, 1, 11), 1) == date(2026, 1, 12)


def test_saturday_minus_one_working_day_is_friday(england: WorkingCalendar) -> None:
    assert england.add_working_days(date(2026, 1, 10), -1) == date(2026, 1, 9)
    assert england.subtract_working_days(date(2026, 1, 10), 1) == date(2026, 1, 9)


def test_monday_minus_one_working_day_is_the_previous_friday(england: WorkingCalendar) -> None:
    assert england.subtract_working_days(date(2026, 1, 12), 1) == date(2026, 1, 9)


def test_five_working_days_from_a_monday_is_the_next_monday(england: WorkingCalendar) -> None:
    assert england.add_working_days(date(2026, 1, 12), 5) == date(2026, 1, 19)


def test_zero_working_days_from_a_working_day_is_that_day(england: WorkingCalendar) -> None:
    assert england.add_working_days(date(2026, 1, 14), 0) == date(2026, 1, 14)
    assert england.roll_forward(date(2026, 1, 14)) == date(2026, 1, 14)


def test_zero_working_days_from_a_weekend_or_holiday_is_the_next_working_day(
    england: WorkingCalendar,
) -> None:
    assert england.add_working_days(date(2026, 1, 10), 0) == date(2026, 1, 12)
    assert england.roll_forward(date(2026, 1, 1)) == date(2026, 1, 2)
    # Christmas Day 2026 is a Friday, Boxing Day's substitute the Monday after
    assert england.roll_forward(date(2026, 12, 25)) == date(2026, 12, 29)


def test_next_working_day_is_strictly_after_the_day(england: WorkingCalendar) -> None:
    assert england.next_working_day(date(2026, 1, 14)) == date(2026, 1, 15)
    assert england.next_working_day(date(2026, 1, 9)) == date(2026, 1, 12)


# -- Christmas and New Year -----------------------------------------------------------------------


def test_christmas_2025_and_new_year_2026_are_not_working_days(england: WorkingCalendar) -> None:
    for holiday in (date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1)):
        assert not england.is_working_day(holiday)
    for working in (date(2025, 12, 24), date(2025, 12, 29), date(2026, 1, 2)):
        assert england.is_working_day(working)


def test_stage1_deadline_from_friday_19_december_2025_is_wednesday_7_january(
    england: WorkingCalendar,
) -> None:
    # 22, 23, 24 Dec (1-3); 25, 26 Dec holidays; 29, 30, 31 Dec (4-6); 1 Jan holiday;
    # 2 Jan (7); 5, 6, 7 Jan (8-10)
    assert england.add_working_days(date(2025, 12, 19), 10) == date(2026, 1, 7)


def test_acknowledgement_from_christmas_eve_2025_skips_christmas_and_boxing_day(
    england: WorkingCalendar,
) -> None:
    assert england.add_working_days(date(2025, 12, 24), 2) == date(2025, 12, 30)


def test_boxing_day_2026_on_a_saturday_is_substituted_on_monday_28_december(
    england: WorkingCalendar,
) -> None:
    assert not england.is_working_day(date(2026, 12, 28))
    assert england.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)


def test_christmas_2027_on_a_weekend_is_substituted_on_monday_and_tuesday(
    england: WorkingCalendar,
) -> None:
    assert not england.is_working_day(date(2027, 12, 27))
    assert not england.is_working_day(date(2027, 12, 28))
    assert england.next_working_day(date(2027, 12, 24)) == date(2027, 12, 29)
    assert england.subtract_working_days(date(2027, 12, 29), 1) == date(2027, 12, 24)


# -- Easter, May and the one-off bank holidays ----------------------------------------------------


def test_stage1_deadline_skips_good_friday_and_easter_monday_2026(
    england: WorkingCalendar,
) -> None:
    assert england.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert england.subtract_working_days(date(2026, 4, 7), 1) == date(2026, 4, 2)


def test_easter_2025_good_friday_and_easter_monday_are_skipped(england: WorkingCalendar) -> None:
    assert not england.is_working_day(date(2025, 4, 18))
    assert not england.is_working_day(date(2025, 4, 21))
    assert england.add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)


def test_twenty_working_days_across_easter_2026_end_two_days_later(
    england: WorkingCalendar,
) -> None:
    # Four weeks of weekdays from Monday 23 March reach Monday 20 April; Good Friday and
    # Easter Monday push the deadline to Wednesday 22 April.
    assert england.add_working_days(date(2026, 3, 23), 20) == date(2026, 4, 22)


def test_early_may_and_spring_bank_holidays_2026_are_skipped(england: WorkingCalendar) -> None:
    assert england.next_working_day(date(2026, 5, 1)) == date(2026, 5, 5)
    assert england.next_working_day(date(2026, 5, 22)) == date(2026, 5, 26)


def test_state_funeral_on_19_september_2022_was_a_bank_holiday(england: WorkingCalendar) -> None:
    assert not england.is_working_day(date(2022, 9, 19))
    assert england.next_working_day(date(2022, 9, 16)) == date(2022, 9, 20)


def test_coronation_on_8_may_2023_followed_the_early_may_bank_holiday(
    england: WorkingCalendar,
) -> None:
    assert england.next_working_day(date(2023, 4, 28)) == date(2023, 5, 2)
    assert england.next_working_day(date(2023, 5, 5)) == date(2023, 5, 9)


def test_platinum_jubilee_2022_closed_thursday_and_friday(england: WorkingCalendar) -> None:
    assert england.next_working_day(date(2022, 6, 1)) == date(2022, 6, 6)


# -- closure days ---------------------------------------------------------------------------------


def test_council_closure_days_move_the_stage1_deadline() -> None:
    closed = WorkingCalendar.for_england(
        [date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)]
    )
    # 22, 23, 24 Dec (1-3); then nothing open until Friday 2 Jan (4); 5-9 Jan (5-9); 12 Jan (10)
    assert closed.add_working_days(date(2025, 12, 19), 10) == date(2026, 1, 12)
    assert closed.add_working_days(date(2025, 12, 24), 2) == date(2026, 1, 5)


def test_closure_days_are_reported_sorted_without_repeats() -> None:
    given = [date(2026, 12, 30), date(2026, 12, 29), date(2026, 12, 30)]
    calendar = WorkingCalendar.for_england(given)
    assert calendar.closure_days == (date(2026, 12, 29), date(2026, 12, 30))


def test_a_calendar_from_config_uses_its_closure_days() -> None:
    settings = CalendarSettings(
        country="GB",
        subdivision="ENG",
        timezone="Europe/London",
        closure_days=(date(2026, 12, 29), date(2026, 12, 30)),
    )
    calendar = WorkingCalendar.from_config(settings)
    assert calendar.closure_days == settings.closure_days
    assert calendar.next_working_day(date(2026, 12, 24)) == date(2026, 12, 31)


def test_non_working_days_between_lists_weekday_holidays_and_closure_days_only() -> None:
    calendar = WorkingCalendar.for_england([date(2026, 12, 29), date(2027, 1, 2)])
    # Boxing Day (Saturday 26th) and the Saturday closure day are weekends already
    assert calendar.non_working_days_between(date(2026, 12, 20), date(2027, 1, 5)) == [
        date(2026, 12, 25),
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2027, 1, 1),
    ]


def test_non_working_days_between_includes_both_ends_and_is_empty_when_reversed(
    england: WorkingCalendar,
) -> None:
    assert england.non_working_days_between(date(2026, 4, 3), date(2026, 4, 6)) == [
        date(2026, 4, 3),
        date(2026, 4, 6),
    ]
    assert england.non_working_days_between(date(2026, 4, 6), date(2026, 4, 3)) == []


# -- counting between two dates -------------------------------------------------------------------


def test_working_days_between_counts_after_start_up_to_and_including_end(
    england: WorkingCalendar,
) -> None:
    assert england.working_days_between(date(2025, 12, 19), date(2026, 1, 7)) == 10
    assert england.working_days_between(date(2026, 1, 9), date(2026, 1, 12)) == 1
    assert england.working_days_between(date(2026, 1, 10), date(2026, 1, 12)) == 1


def test_working_days_between_is_negative_when_end_is_before_start(
    england: WorkingCalendar,
) -> None:
    assert england.working_days_between(date(2026, 1, 7), date(2025, 12, 19)) == -10
    assert england.working_days_between(date(2026, 1, 12), date(2026, 1, 10)) == -1


def test_working_days_between_equal_dates_or_a_weekend_is_zero(england: WorkingCalendar) -> None:
    assert england.working_days_between(date(2026, 1, 14), date(2026, 1, 14)) == 0
    assert england.working_days_between(date(2026, 1, 10), date(2026, 1, 11)) == 0


def test_england_has_253_working_days_in_2026(england: WorkingCalendar) -> None:
    # 261 weekdays less 8 weekday bank holidays (Boxing Day falls on a Saturday)
    assert england.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 253


# -- calendar months ------------------------------------------------------------------------------


def test_one_month_from_31_january_2026_is_end_of_february_rolled_to_monday_2_march(
    england: WorkingCalendar,
) -> None:
    assert england.add_months(date(2026, 1, 31), 1) == date(2026, 3, 2)


def test_one_month_from_31_january_2028_is_leap_day(england: WorkingCalendar) -> None:
    assert england.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_six_months_from_19_december_2025_is_friday_19_june_2026(
    england: WorkingCalendar,
) -> None:
    assert england.add_months(date(2025, 12, 19), 6) == date(2026, 6, 19)


def test_a_month_landing_on_a_holiday_rolls_forward(england: WorkingCalendar) -> None:
    assert england.add_months(date(2025, 12, 25), 12) == date(2026, 12, 29)


def test_months_can_be_counted_backwards(england: WorkingCalendar) -> None:
    assert england.add_months(date(2026, 3, 31), -1) == date(2026, 3, 2)
    assert england.add_months(date(2026, 1, 15), -13) == date(2024, 12, 16)


# -- far from the initial table -------------------------------------------------------------------


def test_far_dates_extend_the_table_without_changing_near_answers() -> None:
    calendar = WorkingCalendar.for_england()
    assert calendar.next_working_day(date(1905, 12, 22)) == date(1905, 12, 27)
    assert calendar.add_working_days(date(2150, 1, 1), 0) == date(2150, 1, 1)
    fresh = WorkingCalendar.for_england()
    for day in (date(2025, 12, 19), date(2026, 4, 2), date(2027, 12, 24)):
        for n in (-30, -1, 0, 1, 10, 30):
            assert calendar.add_working_days(day, n) == fresh.add_working_days(day, n)


def test_years_outside_the_initial_table_ask_the_provider_only_when_needed() -> None:
    asked: list[int] = []

    def provider(year: int) -> Iterable[date]:
        asked.append(year)
        return christmas_and_new_year(year)

    calendar = WorkingCalendar(holidays_for_year=provider)
    assert 2150 not in asked
    # Thursday 24 December 2150; Christmas Day on the Friday
    assert calendar.next_working_day(date(2150, 12, 24)) == date(2150, 12, 28)
    assert not calendar.is_working_day(date(2150, 12, 25))
    assert 2150 in asked
    assert len(asked) == len(set(asked))


def test_a_step_past_either_end_of_the_table_extends_it() -> None:
    calendar = WorkingCalendar(holidays_for_year=christmas_and_new_year)
    rule_days = [day for year in range(2060, 2090) for day in christmas_and_new_year(year)]
    expected = np.busday_offset(
        np.datetime64("2060-12-01"),
        5000,
        roll="backward",
        busdaycal=np.busdaycalendar(holidays=np.array(rule_days, dtype="datetime64[D]")),
    )
    assert calendar.add_working_days(date(2060, 12, 1), 5000) == expected.item()
    # Tuesday 2 January 1990 is the first working day of the initial table: one before it is
    # index -1, which must extend the table rather than wrap round to its last working day.
    assert calendar.subtract_working_days(date(1990, 1, 2), 1) == date(1989, 12, 29)


def test_concurrent_extensions_all_see_whole_tables() -> None:
    calendar = WorkingCalendar.for_england()
    reference = WorkingCalendar.for_england()
    days = [date(year, 12, 24) for year in (1901, 1930, 1960, 2080, 2110, 2190)]
    expected = {day: reference.add_working_days(day, 3) for day in days}
    results: dict[date, date] = {}

    def work(day: date) -> None:
        results[day] = calendar.add_working_days(day, 3)

    threads = [threading.Thread(target=work, args=(day,)) for day in days]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == expected


# -- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [True, 2.0, 2.5, "3", None])
def test_a_number_of_working_days_that_is_not_a_whole_number_is_refused(
    england: WorkingCalendar, n: object
) -> None:
    with pytest.raises(TypeError, match="the number of working days must be a whole number, not"):
        england.add_working_days(date(2026, 1, 14), n)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="the number of working days must be a whole number"):
        england.subtract_working_days(date(2026, 1, 14), n)  # type: ignore[arg-type]


def test_a_numpy_integer_counts_as_a_whole_number(england: WorkingCalendar) -> None:
    assert england.add_working_days(date(2026, 1, 9), np.int64(1)) == date(2026, 1, 12)  # type: ignore[arg-type]


def test_a_number_of_months_that_is_not_a_whole_number_is_refused(
    england: WorkingCalendar,
) -> None:
    with pytest.raises(TypeError, match=r"the number of months must be a whole number, not 1\.5"):
        england.add_months(date(2026, 1, 14), 1.5)  # type: ignore[arg-type]


def test_a_datetime_is_refused_where_a_day_is_expected(england: WorkingCalendar) -> None:
    moment = datetime(2026, 1, 14, 9, 30)
    for call in (
        lambda: england.add_working_days(moment, 1),
        lambda: england.is_working_day(moment),
        lambda: england.working_days_between(date(2026, 1, 1), moment),
        lambda: england.add_months(moment, 1),
        lambda: england.non_working_days_between(moment, date(2026, 2, 1)),
    ):
        with pytest.raises(TypeError, match="not a datetime"):
            call()
    with pytest.raises(TypeError, match="not a datetime"):
        WorkingCalendar([moment])


def test_a_string_is_refused_where_a_day_is_expected(england: WorkingCalendar) -> None:
    with pytest.raises(TypeError, match="expected a date, not str"):
        england.add_working_days("2026-01-14", 1)  # type: ignore[arg-type]


def test_a_date_outside_1900_to_2199_is_refused(england: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="1800-01-01 is outside the supported range"):
        england.add_working_days(date(1800, 1, 1), 1)
    with pytest.raises(ValueError, match="2200-01-01 is outside the supported range"):
        england.is_working_day(date(2200, 1, 1))
    with pytest.raises(ValueError, match="1899-12-31 is outside the supported range"):
        england.working_days_between(date(1899, 12, 31), date(2026, 1, 1))


def test_a_result_outside_1900_to_2199_is_refused(england: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="from 2199-12-30 falls outside the supported range"):
        england.add_working_days(date(2199, 12, 30), 5)
    with pytest.raises(ValueError, match="from 1900-01-02 falls outside the supported range"):
        england.subtract_working_days(date(1900, 1, 2), 5)
    with pytest.raises(ValueError, match="falls outside the supported range"):
        england.add_months(date(2199, 6, 1), 12)


def test_an_unknown_country_is_refused_when_the_calendar_is_made() -> None:
    with pytest.raises(ValueError, match="unknown country 'XX' for the bank-holiday calendar"):
        WorkingCalendar.for_england(country="XX")


def test_an_unknown_subdivision_is_refused_when_the_calendar_is_made() -> None:
    with pytest.raises(ValueError, match=r"unknown subdivision 'XYZ' of 'GB'.*ENG, NIR, SCT, WLS"):
        WorkingCalendar.for_england(subdivision="XYZ")


# -- vectorised forms -----------------------------------------------------------------------------

SAMPLE_DAYS = [
    date(2025, 12, 19),
    date(2025, 12, 24),
    date(2025, 12, 27),
    date(2026, 1, 1),
    date(2026, 4, 2),
    date(2026, 4, 6),
    date(2026, 12, 26),
    date(2027, 12, 25),
]


@pytest.mark.parametrize("n", [-15, -1, 0, 1, 2, 10, 20])
def test_vectorised_add_with_one_n_equals_the_scalar_form(england: WorkingCalendar, n: int) -> None:
    result = england.add_working_days_array(days_array(*SAMPLE_DAYS), n)
    assert result.dtype == np.dtype("datetime64[D]")
    assert result.tolist() == [england.add_working_days(day, n) for day in SAMPLE_DAYS]


def test_vectorised_add_with_an_n_per_day_equals_the_scalar_form(
    england: WorkingCalendar,
) -> None:
    steps = np.array([-3, 0, 1, 10, -1, 0, 2, 5], dtype=np.int32)
    result = england.add_working_days_array(days_array(*SAMPLE_DAYS), steps)
    expected = [
        england.add_working_days(d, int(n)) for d, n in zip(SAMPLE_DAYS, steps, strict=True)
    ]
    assert result.tolist() == expected


def test_vectorised_add_broadcasts_days_against_n(england: WorkingCalendar) -> None:
    days = days_array(*SAMPLE_DAYS).reshape(-1, 1)
    steps = np.arange(-5, 6)
    result = england.add_working_days_array(days, steps)
    assert result.shape == (len(SAMPLE_DAYS), len(steps))
    for row, day in zip(result, SAMPLE_DAYS, strict=True):
        assert row.tolist() == [england.add_working_days(day, int(n)) for n in steps]


def test_vectorised_is_working_day_and_between_equal_the_scalar_forms(
    england: WorkingCalendar,
) -> None:
    starts = days_array(*SAMPLE_DAYS)
    ends = starts[::-1]
    assert england.is_working_day_array(starts).tolist() == [
        england.is_working_day(day) for day in SAMPLE_DAYS
    ]
    assert england.working_days_between_array(starts, ends).tolist() == [
        england.working_days_between(start, end)
        for start, end in zip(SAMPLE_DAYS, SAMPLE_DAYS[::-1], strict=True)
    ]


def test_vectorised_forms_extend_the_table_for_far_dates() -> None:
    calendar = WorkingCalendar(holidays_for_year=christmas_and_new_year)
    fresh = WorkingCalendar(holidays_for_year=christmas_and_new_year)
    far = [date(1905, 12, 22), date(2150, 12, 24), date(2199, 12, 1)]
    result = calendar.add_working_days_array(days_array(*far), 3)
    assert result.tolist() == [fresh.add_working_days(day, 3) for day in far]


def test_vectorised_forms_of_empty_arrays_are_empty(england: WorkingCalendar) -> None:
    empty = np.array([], dtype="datetime64[D]")
    assert england.add_working_days_array(empty, 3).shape == (0,)
    assert england.add_working_days_array(empty, np.array([], dtype=np.int64)).shape == (0,)
    assert england.is_working_day_array(empty).shape == (0,)
    assert england.working_days_between_array(empty, empty).shape == (0,)


def test_vectorised_forms_refuse_what_the_scalar_forms_refuse(england: WorkingCalendar) -> None:
    days = days_array(date(2026, 1, 14))
    with pytest.raises(TypeError, match="whole number, not an array of float64"):
        england.add_working_days_array(days, np.array([1.0]))
    with pytest.raises(TypeError, match=r"whole number, not 1\.5"):
        england.add_working_days_array(days, 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"datetime64\[D\] days, not datetime64\[s\]"):
        england.add_working_days_array(days.astype("datetime64[s]"), 1)
    with pytest.raises(ValueError, match="NaT is outside the supported range"):
        england.add_working_days_array(np.array(["NaT"], dtype="datetime64[D]"), 1)
    with pytest.raises(ValueError, match="1800-01-01 is outside the supported range"):
        england.is_working_day_array(days_array(date(1800, 1, 1)))
    with pytest.raises(ValueError, match="falls outside the supported range"):
        england.add_working_days_array(days_array(date(2199, 12, 30)), 5)
