"""The working-day calendar: the one place the product decides which days count for a deadline.

A working day is a Monday to Friday that is neither a bank holiday nor a council closure day.
`WorkingCalendar` adds and subtracts working days, counts them between two dates, adds calendar
months, and offers vectorised forms over numpy ``datetime64[D]`` arrays for bulk work (deadline
sweeps, reports).

Every answer is a lookup in a precomputed table over a span of whole years, so a call costs the
same whatever the distance: two lists indexed by day and by working day. The table starts over
1990-2060 and is rebuilt over a wider span (under a lock, published as one immutable object) when
a date or a result falls outside it. It is built in plain Python; numpy is imported only by the
vectorised forms, which copy a table into arrays the first time they use it, so a command that
adds a few working days does not wait for numpy to load.

Dates are supported from 1900-01-01 to 2199-12-31; a date outside, or a step that would leave the
range, raises `OutsideCalendarError`, a ValueError that is also one of the product's refusals
(complaints.errors.DomainError), so a date someone typed is refused with the range, never a
crash. `in_supported_range` lets a form or the API check first.

The contracts, with numpy's business-day functions as the reference:

* ``add_working_days(day, n)``, n > 0: the nth working day strictly after `day`
  (``np.busday_offset(day, n, roll="backward")``).
* ``add_working_days(day, n)``, n <= 0: the |n|th working day strictly before `day`, or for
  n == 0 `day` itself if it is a working day, else the next one
  (``np.busday_offset(day, n, roll="forward")``).
* ``working_days_between(start, end)``: working days after `start` up to and including `end`
  (``np.busday_count(start + 1, end + 1)``); when `end` is before `start`, the same count negated,
  ``-working_days_between(end, start)``. (numpy's busday_count is not antisymmetric when it counts
  backwards, so it is the reference only for `end` >= `start`.)
"""

from __future__ import annotations

import bisect
import itertools
import numbers
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from complaints.bank_holidays import bank_holidays_in, check_region
from complaints.errors import DomainError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

FIRST_SUPPORTED_YEAR = 1900
LAST_SUPPORTED_YEAR = 2199
FIRST_SUPPORTED_DAY = date(FIRST_SUPPORTED_YEAR, 1, 1)
LAST_SUPPORTED_DAY = date(LAST_SUPPORTED_YEAR, 12, 31)

_INITIAL_YEARS = (1990, 2060)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # numpy datetime64[D] counts days from here
_SUPPORTED_RANGE = (
    f"of the working-day calendar, {FIRST_SUPPORTED_DAY.isoformat()} "
    f"to {LAST_SUPPORTED_DAY.isoformat()}"
)
# No step within the supported range can exceed its length in days; larger steps are refused
# before they reach int64 arithmetic, where they could overflow.
_LONGEST_STEP = LAST_SUPPORTED_DAY.toordinal() - FIRST_SUPPORTED_DAY.toordinal() + 1
_DAY_TYPE = "datetime64[D]"  # numpy's type of the vectorised forms' days
# Monday to Sunday, 1 for a weekday: a week of the table's is_working before holidays are taken out
_WEEK = b"\x01\x01\x01\x01\x01\x00\x00"

HolidayProvider = Callable[[int], Iterable[date]]


class OutsideCalendarError(DomainError, ValueError):
    """A date, or the day a step reaches, outside the years the calendar can count."""


def in_supported_range(day: date) -> bool:
    """Whether the calendar can count `day` (1900-01-01 to 2199-12-31)."""
    return FIRST_SUPPORTED_DAY <= day <= LAST_SUPPORTED_DAY


class CalendarSettingsLike(Protocol):
    """The calendar part of the council's configuration (read-only)."""

    @property
    def country(self) -> str: ...

    @property
    def subdivision(self) -> str: ...

    @property
    def closure_days(self) -> tuple[date, ...]: ...


@dataclass(frozen=True, eq=False)
class _Table:
    """Working days over whole years `first_year`..`last_year`; never changed once built.

    Offsets count days from `first_ordinal` (1 January of `first_year`).
    """

    first_year: int
    last_year: int
    first_ordinal: int
    day_count: int
    # before[i]: working days strictly before offset i; len day_count + 1, so before[i + 1] is
    # the count up to and including offset i and no index ever needs to be -1.
    before: list[int]
    # The working days themselves, ascending: returning a stored date is faster than building one.
    working_days: list[date]
    working_count: int
    weekday_holidays: list[int]  # ordinals of holidays and closure days falling Monday-Friday
    is_working: bytes  # 1 at the offset of each working day, else 0

    @cached_property
    def arrays(self) -> _TableArrays:
        """The table as numpy arrays, for the vectorised forms (made when first asked for)."""
        return _TableArrays.of(self)

    def covers(self, first_ordinal: int, last_ordinal: int) -> bool:
        return self.first_ordinal <= first_ordinal and last_ordinal < (
            self.first_ordinal + self.day_count
        )

    def step_index(self, offset: int, n: int) -> int:
        """Index in `working_days` of `n` working days from the day at `offset` (unchecked)."""
        return self.before[offset + 1] + n - 1 if n > 0 else self.before[offset] + n


class WorkingCalendar:
    """Working days: Monday to Friday, less bank holidays and council closure days.

    `holidays` are fixed non-working dates (council closure days, or a whole explicit holiday
    list). `holidays_for_year`, if given, supplies the bank holidays of one year; it is called
    lazily, once per year, as the table grows to cover more years (and for the year either side,
    which may be 1899 or 2200). Safe to share between threads.
    """

    def __init__(
        self,
        holidays: Iterable[date] = (),
        *,
        holidays_for_year: HolidayProvider | None = None,
    ) -> None:
        fixed = sorted({_supported_day(day) for day in holidays})
        self._closure_days = tuple(fixed)
        self._fixed_ordinals = [day.toordinal() for day in fixed]
        self._holidays_for_year = holidays_for_year
        self._year_cache: dict[int, list[int]] = {}
        self._lock = threading.Lock()
        self._table = self._build_table(*_INITIAL_YEARS)

    @classmethod
    def for_england(
        cls,
        closure_days: Iterable[date] = (),
        *,
        country: str = "GB",
        subdivision: str = "ENG",
    ) -> WorkingCalendar:
        """England's bank holidays (or another region's, from the `holidays` package, through
        complaints/bank_holidays.py) plus the council's closure days.

        Raises ValueError (`UnknownRegionError`) at once for a country or subdivision the package
        does not know. The package knows bank holidays only up to its own last year (2100 in
        holidays 0.109): later years have weekends and closure days only.
        """
        check_region(country, subdivision)

        def bank_holidays(year: int) -> Iterable[date]:
            return bank_holidays_in(country, subdivision, year)

        return cls(closure_days, holidays_for_year=bank_holidays)

    @classmethod
    def from_config(cls, settings: CalendarSettingsLike) -> WorkingCalendar:
        """The calendar the council's configuration describes."""
        return cls.for_england(
            settings.closure_days, country=settings.country, subdivision=settings.subdivision
        )

    @property
    def closure_days(self) -> tuple[date, ...]:
        """The fixed non-working dates given at construction, sorted, without repeats."""
        return self._closure_days

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a Monday to Friday that is not a holiday or closure day."""
        if type(day) is not date:
            _require_date(day)
        table = self._table
        offset = day.toordinal() - table.first_ordinal
        if not 0 <= offset < table.day_count:
            table = self._table_covering(_supported_ordinal(day))
            offset = day.toordinal() - table.first_ordinal
        return table.before[offset + 1] != table.before[offset]

    def add_working_days(self, day: date, n: int) -> date:
        """The working day `n` working days from `day`; day 0 is `day` itself.

        n > 0: the nth working day strictly after `day` (Friday + 1 and Saturday + 1 are Monday).
        n < 0: the |n|th working day strictly before `day` (Saturday - 1 and Monday - 1 are Friday).
        n == 0: `day` if it is a working day, else the next working day.

        Raises TypeError if `n` is not a whole number or `day` is not a date (a datetime is
        refused: a deadline is a day), ValueError if `day` or the result is outside 1900-2199.
        """
        if type(n) is not int:
            n = _whole_number(n, "working days")
        if type(day) is not date:
            _require_date(day)
        table = self._table
        offset = day.toordinal() - table.first_ordinal
        if 0 <= offset < table.day_count:
            # table.step_index inlined: a method call would cost a sixth of the whole call
            index = table.before[offset + 1] + n - 1 if n > 0 else table.before[offset] + n
            if 0 <= index < table.working_count:
                return table.working_days[index]
        return self._add_beyond_table(day, n)

    def subtract_working_days(self, day: date, n: int) -> date:
        """`add_working_days(day, -n)`: the nth working day strictly before `day` for n > 0."""
        if type(n) is not int:
            n = _whole_number(n, "working days")  # before negating: -True would pass as -1
        return self.add_working_days(day, -n)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def roll_forward(self, day: date) -> date:
        """`day` if it is a working day, else the next working day."""
        return self.add_working_days(day, 0)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`.

        Negative (the same count, negated) when `end` is before `start`; 0 when they are equal.
        """
        if type(start) is not date or type(end) is not date:
            _require_date(start)
            _require_date(end)
        table = self._table
        start_offset = start.toordinal() - table.first_ordinal
        end_offset = end.toordinal() - table.first_ordinal
        if not (0 <= start_offset < table.day_count and 0 <= end_offset < table.day_count):
            table = self._table_covering(_supported_ordinal(start), _supported_ordinal(end))
            start_offset = start.toordinal() - table.first_ordinal
            end_offset = end.toordinal() - table.first_ordinal
        return table.before[end_offset + 1] - table.before[start_offset + 1]

    def add_months(self, day: date, months: int) -> date:
        """`day` plus whole calendar months, rolled forward to a working day.

        A day past the end of the target month becomes its last day (31 January + 1 month is
        28 or 29 February) before rolling forward.
        """
        months = _whole_number(months, "months")
        _supported_day(day)
        year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
        if not FIRST_SUPPORTED_YEAR <= year <= LAST_SUPPORTED_YEAR:
            raise OutsideCalendarError(
                f"{months} months from {day.isoformat()} falls outside the supported range "
                f"{_SUPPORTED_RANGE}"
            )
        month = month_index + 1
        return self.roll_forward(date(year, month, min(day.day, _days_in_month(year, month))))

    def non_working_days_between(self, start: date, end: date) -> list[date]:
        """Holidays and closure days falling Monday to Friday in [start, end], sorted.

        Weekends are not listed, nor holidays that fall on a weekend. Empty if `end` < `start`.
        """
        first, last = _supported_ordinal(start), _supported_ordinal(end)
        if last < first:
            return []
        table = self._table_covering(first, last)
        ordinals = table.weekday_holidays
        low = bisect.bisect_left(ordinals, first)
        high = bisect.bisect_right(ordinals, last)
        return [date.fromordinal(ordinal) for ordinal in ordinals[low:high]]

    def is_working_day_array(self, days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_]:
        """`is_working_day` over an array of ``datetime64[D]`` days."""
        import numpy as np

        epoch = _epoch_days(days)
        if epoch.size == 0:
            return np.zeros(epoch.shape, dtype=np.bool_)
        arrays = self._table_covering_epoch(*_epoch_bounds(epoch)).arrays
        offsets = epoch - arrays.first_epoch
        return np.take(arrays.is_working, offsets, mode="clip")

    def add_working_days_array(
        self,
        days: npt.NDArray[np.datetime64],
        n: int | npt.NDArray[np.integer[Any]],
    ) -> npt.NDArray[np.datetime64]:
        """`add_working_days` over an array of ``datetime64[D]`` days.

        `n` is one whole number for every day, or an integer array broadcast against `days`.
        """
        import numpy as np

        epoch = _epoch_days(days)
        if isinstance(n, np.ndarray) and n.ndim:
            return self._add_steps_array(epoch, _whole_number_array(n))
        if isinstance(n, np.ndarray):
            n = n[()]  # a 0-d array is one number
        step = _whole_number(n, "working days")
        _check_step_size(abs(step))
        if epoch.size == 0:
            return epoch.astype(_DAY_TYPE)
        return self._add_step_array(epoch, step)

    def working_days_between_array(
        self,
        starts: npt.NDArray[np.datetime64],
        ends: npt.NDArray[np.datetime64],
    ) -> npt.NDArray[np.int64]:
        """`working_days_between` over arrays of ``datetime64[D]`` days, broadcast together."""
        import numpy as np

        start_epoch, end_epoch = _epoch_days(starts), _epoch_days(ends)
        if start_epoch.size == 0 or end_epoch.size == 0:
            return np.zeros(np.broadcast_shapes(start_epoch.shape, end_epoch.shape), np.int64)
        start_low, start_high = _epoch_bounds(start_epoch)
        end_low, end_high = _epoch_bounds(end_epoch)
        table = self._table_covering_epoch(min(start_low, end_low), max(start_high, end_high))
        arrays = table.arrays
        end_counts = np.take(arrays.through, end_epoch - arrays.first_epoch, mode="clip")
        start_counts = np.take(arrays.through, start_epoch - arrays.first_epoch, mode="clip")
        result: npt.NDArray[np.int64] = end_counts - start_counts
        return result

    # -- beyond the fast path ------------------------------------------------------------------

    def _add_beyond_table(self, day: date, n: int) -> date:
        ordinal = _supported_ordinal(day)
        table = self._table_covering(ordinal)
        while True:
            index = table.step_index(ordinal - table.first_ordinal, n)
            if 0 <= index < table.working_count:
                return table.working_days[index]
            grown = self._grow(table, earlier=index < 0)
            if grown is None:
                raise OutsideCalendarError(
                    f"{n} working days from {day.isoformat()} falls outside the supported range "
                    f"{_SUPPORTED_RANGE}"
                )
            table = grown

    def _add_step_array(
        self, epoch: npt.NDArray[np.int64], step: int
    ) -> npt.NDArray[np.datetime64]:
        import numpy as np

        low, high = _epoch_bounds(epoch)
        table = self._table_covering_epoch(low, high)
        while True:
            arrays = table.arrays
            # Counts grow with the day, so the extreme days give the extreme indexes.
            counts = arrays.through if step > 0 else arrays.before
            shift = step - 1 if step > 0 else step
            lowest = int(counts[low - arrays.first_epoch]) + shift
            highest = int(counts[high - arrays.first_epoch]) + shift
            if lowest >= 0 and highest < table.working_count:
                break
            table = self._grow_or_refuse(table, earlier=lowest < 0)
        indexes = np.take(counts, epoch - arrays.first_epoch, mode="clip")
        indexes += shift
        return np.take(arrays.working, indexes, mode="clip").view(_DAY_TYPE)

    def _add_steps_array(
        self, epoch: npt.NDArray[np.int64], steps: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.datetime64]:
        import numpy as np

        shape = np.broadcast_shapes(epoch.shape, steps.shape)
        if epoch.size == 0 or steps.size == 0:
            return np.zeros(shape, dtype=np.int64).view(_DAY_TYPE)
        table = self._table_covering_epoch(*_epoch_bounds(epoch))
        forward = (steps > 0).view(np.int8)  # n > 0 counts from the day after, then steps n - 1
        while True:
            arrays = table.arrays
            offsets = epoch - arrays.first_epoch
            indexes = np.take(arrays.before, offsets + forward, mode="clip")
            indexes += steps
            indexes -= forward
            lowest, highest = int(indexes.min()), int(indexes.max())
            if lowest >= 0 and highest < table.working_count:
                break
            table = self._grow_or_refuse(table, earlier=lowest < 0)
        return np.take(arrays.working, indexes, mode="clip").view(_DAY_TYPE)

    # -- the table -----------------------------------------------------------------------------

    def _table_covering(self, first_ordinal: int, last_ordinal: int | None = None) -> _Table:
        """A table covering the (already range-checked) ordinals, extending it if need be."""
        last_ordinal = first_ordinal if last_ordinal is None else last_ordinal
        low, high = min(first_ordinal, last_ordinal), max(first_ordinal, last_ordinal)
        table = self._table
        if table.covers(low, high):
            return table
        return self._extend(date.fromordinal(low).year, date.fromordinal(high).year)

    def _table_covering_epoch(self, low: int, high: int) -> _Table:
        return self._table_covering(low + _EPOCH_ORDINAL, high + _EPOCH_ORDINAL)

    def _grow(self, table: _Table, *, earlier: bool) -> _Table | None:
        """A table reaching at least one year further, or None at the edge of the range."""
        if earlier:
            if table.first_year <= FIRST_SUPPORTED_YEAR:
                return None
            return self._extend(table.first_year - 1, table.last_year)
        if table.last_year >= LAST_SUPPORTED_YEAR:
            return None
        return self._extend(table.first_year, table.last_year + 1)

    def _grow_or_refuse(self, table: _Table, *, earlier: bool) -> _Table:
        grown = self._grow(table, earlier=earlier)
        if grown is None:
            raise OutsideCalendarError(
                f"adding these working days to these dates falls outside the supported range "
                f"{_SUPPORTED_RANGE}"
            )
        return grown

    def _extend(self, first_year: int, last_year: int) -> _Table:
        """Publish a table covering `first_year`..`last_year` and return it.

        The span at least doubles in each direction that grows, so a long walk through the years
        rebuilds the table only a few times.
        """
        with self._lock:
            table = self._table
            if table.first_year <= first_year and last_year <= table.last_year:
                return table  # another thread got here first
            width = table.last_year - table.first_year + 1
            if first_year < table.first_year:
                first_year = max(FIRST_SUPPORTED_YEAR, min(first_year, table.first_year - width))
            if last_year > table.last_year:
                last_year = min(LAST_SUPPORTED_YEAR, max(last_year, table.last_year + width))
            table = self._build_table(
                min(first_year, table.first_year), max(last_year, table.last_year)
            )
            self._table = table
            return table

    def _build_table(self, first_year: int, last_year: int) -> _Table:
        return _build_table(first_year, last_year, self._holiday_ordinals(first_year, last_year))

    def _holiday_ordinals(self, first_year: int, last_year: int) -> list[int]:
        """Ordinals of every holiday and closure day known for the years (possibly a few more)."""
        collected = list(self._fixed_ordinals)
        if self._holidays_for_year is not None:
            # Neighbouring years too: a provider may file a substitute day under the year of the
            # holiday it replaces (31 December observed for a Saturday New Year's Day).
            for year in range(first_year - 1, last_year + 2):
                collected.extend(self._bank_holiday_ordinals(year))
        return collected

    def _bank_holiday_ordinals(self, year: int) -> list[int]:
        cached = self._year_cache.get(year)
        if cached is None:
            assert self._holidays_for_year is not None
            cached = [_require_date(day).toordinal() for day in self._holidays_for_year(year)]
            self._year_cache[year] = cached
        return cached


def _build_table(first_year: int, last_year: int, holiday_ordinals: Iterable[int]) -> _Table:
    """The table over whole years: weekdays less holidays, then running counts."""
    first_ordinal = date(first_year, 1, 1).toordinal()
    day_count = date(last_year, 12, 31).toordinal() - first_ordinal + 1
    first_weekday = (first_ordinal + 6) % 7  # date.weekday() of 1 January of first_year
    weeks = (_WEEK[first_weekday:] + _WEEK[:first_weekday]) * (day_count // 7 + 1)
    is_working = bytearray(weeks[:day_count])
    weekday_holidays = []
    for ordinal in sorted(set(holiday_ordinals)):
        offset = ordinal - first_ordinal
        if 0 <= offset < day_count and is_working[offset]:
            is_working[offset] = 0
            weekday_holidays.append(ordinal)
    working_offsets = list(itertools.compress(range(day_count), is_working))
    return _Table(
        first_year=first_year,
        last_year=last_year,
        first_ordinal=first_ordinal,
        day_count=day_count,
        before=list(itertools.accumulate(is_working, initial=0)),
        working_days=[date.fromordinal(first_ordinal + offset) for offset in working_offsets],
        working_count=len(working_offsets),
        weekday_holidays=weekday_holidays,
        is_working=bytes(is_working),
    )


@dataclass(frozen=True, slots=True, eq=False)
class _TableArrays:
    """A table's counts as read-only numpy arrays, in numpy's epoch days (from 1970-01-01)."""

    first_epoch: int
    before: npt.NDArray[np.int64]  # as _Table.before
    through: npt.NDArray[np.int64]  # before[1:]: working days up to and including each day
    working: npt.NDArray[np.int64]  # the working days
    is_working: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, table: _Table) -> _TableArrays:
        import numpy as np

        first_epoch = table.first_ordinal - _EPOCH_ORDINAL
        is_working = np.frombuffer(table.is_working, dtype=np.bool_)  # read-only: bytes
        before = np.zeros(table.day_count + 1, dtype=np.int64)
        np.cumsum(is_working, out=before[1:])
        working = np.flatnonzero(is_working) + first_epoch
        for shared in (before, working):
            shared.flags.writeable = False  # tables are shared between threads: never changed
        return cls(first_epoch, before, before[1:], working, is_working)


def _whole_number(value: object, what: str) -> int:
    # bool is an int subclass, but True working days is a mistake, not a number. numpy's integers
    # count as whole numbers (numbers.Integral), without importing numpy to ask.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"the number of {what} must be a whole number, not {value!r}")
    return int(value)


def _whole_number_array(values: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    if values.dtype.kind not in "iu":
        raise TypeError(
            f"the number of working days must be a whole number, not an array of {values.dtype}"
        )
    if values.size:
        _check_step_size(max(abs(int(values.min())), abs(int(values.max()))))
    return values.astype("int64", copy=False)


def _check_step_size(size: int) -> None:
    if size > _LONGEST_STEP:
        raise OutsideCalendarError(
            f"{size} working days reaches outside the supported range {_SUPPORTED_RANGE}"
        )


def _require_date(value: object) -> date:
    if isinstance(value, datetime):
        raise TypeError(f"expected a date, not a datetime ({value!r}): a deadline is a day")
    if not isinstance(value, date):
        raise TypeError(f"expected a date, not {type(value).__name__} ({value!r})")
    return value


def _supported_day(value: object) -> date:
    day = _require_date(value)
    if not FIRST_SUPPORTED_DAY <= day <= LAST_SUPPORTED_DAY:
        raise OutsideCalendarError(
            f"{day.isoformat()} is outside the supported range {_SUPPORTED_RANGE}"
        )
    return day


def _supported_ordinal(value: object) -> int:
    return _supported_day(value).toordinal()


def _epoch_days(days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
    import numpy as np

    if not isinstance(days, np.ndarray) or days.dtype != _DAY_TYPE:
        described = days.dtype if isinstance(days, np.ndarray) else type(days).__name__
        raise TypeError(f"expected a numpy array of datetime64[D] days, not {described}")
    return days.view(np.int64)


def _epoch_bounds(epoch: npt.NDArray[np.int64]) -> tuple[int, int]:
    """The earliest and latest of the (non-empty) days, refused if either is unsupported."""
    import numpy as np

    bounds = int(epoch.min()), int(epoch.max())
    for epoch_day in bounds:
        ordinal = epoch_day + _EPOCH_ORDINAL
        if not FIRST_SUPPORTED_DAY.toordinal() <= ordinal <= LAST_SUPPORTED_DAY.toordinal():
            described = np.datetime64(epoch_day, "D")  # NaT, the missing-date marker, included
            raise OutsideCalendarError(
                f"{described} is outside the supported range {_SUPPORTED_RANGE}"
            )
    return bounds


def _days_in_month(year: int, month: int) -> int:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - timedelta(days=1)).day
