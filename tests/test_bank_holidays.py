"""Bank holidays from the `holidays` package: the days it gives, worked out once per process."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from complaints.bank_holidays import UnknownRegionError, bank_holidays_in, check_region
from complaints.calendar import WorkingCalendar


@pytest.fixture
def rules_made(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every set of rules the package is asked to make from now on, by its years."""
    made: list[object] = []
    make = holidays.country_holidays

    def counted(*args: object, **kwargs: object) -> holidays.HolidayBase:
        made.append(kwargs.get("years"))
        return make(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(holidays, "country_holidays", counted)
    return made


def test_a_year_holds_the_days_the_package_gives_for_that_year() -> None:
    for year in (1995, 2026, 2027, 2099):
        expected = sorted(holidays.country_holidays("GB", subdiv="ENG", years=year))
        assert list(bank_holidays_in("GB", "ENG", year)) == expected


def test_england_2027_has_its_christmas_substitute_days() -> None:
    # Christmas Day 2027 is a Saturday and Boxing Day a Sunday: Monday 27 and Tuesday 28 instead
    assert bank_holidays_in("GB", "ENG", 2027)[-2:] == (date(2027, 12, 27), date(2027, 12, 28))


def test_a_substitute_day_is_filed_under_the_year_it_falls_in() -> None:
    # New Year's Day 2022 is a Saturday; the United States observe it on Friday 31 December 2021
    assert date(2021, 12, 31) in bank_holidays_in("US", "", 2021)
    assert all(day.year == 2022 for day in bank_holidays_in("US", "", 2022))


def test_years_the_package_has_no_rules_for_have_no_bank_holidays() -> None:
    assert bank_holidays_in("GB", "ENG", 2150) == ()


def test_a_region_is_checked_and_its_years_worked_out_once_per_process(
    rules_made: list[object],
) -> None:
    # Guernsey: a region no other test asks for, so nothing is known of it yet
    check_region("GG", "")
    check_region("GG", "")
    assert len(rules_made) == 1
    for year in range(1989, 2062):  # the years a new calendar's table asks for
        bank_holidays_in("GG", "", year)
    asked_for_years = len(rules_made)
    assert asked_for_years <= 1 + (2062 - 1989) // 8  # many years at a time
    WorkingCalendar.for_england(country="GG", subdivision="")
    WorkingCalendar.for_england(country="GG", subdivision="")
    assert len(rules_made) == asked_for_years


def test_an_unknown_country_or_subdivision_is_refused_each_time_it_is_asked_for() -> None:
    for _ in range(2):
        with pytest.raises(UnknownRegionError, match="unknown country 'XX'") as unknown:
            check_region("XX", "")
        assert unknown.value.subdivisions is None
        with pytest.raises(UnknownRegionError, match="unknown subdivision 'XYZ' of 'GB'") as wrong:
            bank_holidays_in("GB", "XYZ", 2026)
        assert wrong.value.subdivisions == ("ENG", "NIR", "SCT", "WLS")
