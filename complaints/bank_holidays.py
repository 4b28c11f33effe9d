"""A country's bank holidays, from the `holidays` package, worked out once per process.

The package is slow to start: reaching any one country's rules imports every country's (its
`holidays/countries/__init__.py` imports them all, about 250 modules), and each set of rules it
makes reads the locale and works its years out afresh. So the package is imported on first use,
each region's rules are made once per process, and the holidays of each year are kept once found:
the configuration check (complaints/settings/calendar.py) and every calendar the process builds
(complaints/calendar.py) share them.

A region is a country's ISO code and, optionally, one of its subdivisions ("" for the whole
country): GB and ENG for England.
"""

from __future__ import annotations

import threading
from datetime import MAXYEAR, MINYEAR, date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from holidays import HolidayBase

# Years worked out by one set of rules at a time: making a set costs about as much as working out
# two years, and a calendar asks for some 70 years at once (complaints/calendar.py).
_YEARS_PER_LOOKUP = 16


class UnknownRegionError(ValueError):
    """A country, or a subdivision of one, the `holidays` package has no bank holidays for."""

    def __init__(self, country: str, subdivision: str, subdivisions: tuple[str, ...] | None):
        self.country = country
        self.subdivision = subdivision
        self.subdivisions = subdivisions
        """The country's known subdivisions; None when the country itself is unknown."""
        if subdivisions is None:
            message = f"unknown country {country!r} for the bank-holiday calendar"
        else:
            message = (
                f"unknown subdivision {subdivision!r} of {country!r} for the bank-holiday "
                f"calendar (known: {', '.join(subdivisions)})"
            )
        super().__init__(message)


def check_region(country: str, subdivision: str) -> None:
    """Raise `UnknownRegionError` unless the package knows the region's bank holidays."""
    _rules_of(country, subdivision)


def bank_holidays_in(country: str, subdivision: str, year: int) -> tuple[date, ...]:
    """The region's bank holidays (substitute days included) that fall in `year`, sorted; none
    for a year the package has no rules for. Raises `UnknownRegionError` for an unknown region."""
    return _rules_of(country, subdivision).holidays_in(year)


class _RegionRules:
    """One region's rules, and the holidays found so far year by year; safe to share."""

    def __init__(self, country: str, subdivision: str) -> None:
        self._country = country
        self._subdivision = subdivision
        self._by_year: dict[int, tuple[date, ...]] = {}
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise `UnknownRegionError` unless the package knows the region."""
        import holidays  # deferred: a slow import (see the module docstring)

        try:
            self._rules_over(range(0))
        except NotImplementedError:
            try:
                known = tuple(holidays.country_holidays(self._country).subdivisions)
            except NotImplementedError:
                raise UnknownRegionError(self._country, self._subdivision, None) from None
            raise UnknownRegionError(self._country, self._subdivision, known) from None

    def holidays_in(self, year: int) -> tuple[date, ...]:
        found = self._by_year.get(year)
        if found is None:
            with self._lock:
                if year not in self._by_year:
                    self._look_up_from(year)
                found = self._by_year[year]
        return found

    def _look_up_from(self, year: int) -> None:
        """Work out `year` and the years after it, keeping each year's holidays."""
        # A substitute day may fall in the year before or after its holiday's (31 December
        # observed for a Saturday New Year's Day), so a year is complete only once its
        # neighbours are worked out too.
        kept = range(year, min(year + _YEARS_PER_LOOKUP, MAXYEAR + 1))
        worked_out = range(max(year - 1, MINYEAR), min(kept.stop + 1, MAXYEAR + 1))
        by_year: dict[int, list[date]] = {kept_year: [] for kept_year in kept}
        for day in self._rules_over(worked_out):
            if day.year in by_year:
                by_year[day.year].append(day)
        for kept_year, days in by_year.items():
            self._by_year.setdefault(kept_year, tuple(sorted(days)))

    def _rules_over(self, years: range) -> HolidayBase:
        import holidays  # deferred: a slow import (see the module docstring)

        return holidays.country_holidays(
            self._country, subdiv=self._subdivision or None, years=years
        )


_regions: dict[tuple[str, str], _RegionRules] = {}
_regions_lock = threading.Lock()


def _rules_of(country: str, subdivision: str) -> _RegionRules:
    """The region's shared rules, checked when first asked for."""
    key = (country, subdivision)
    region = _regions.get(key)
    if region is None:
        with _regions_lock:
            region = _regions.get(key)
            if region is None:
                region = _RegionRules(country, subdivision)
                region.check()  # an unknown region is refused, and not kept
                _regions[key] = region
    return region
