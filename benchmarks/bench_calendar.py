"""Benchmark of the working-day calendar against baselines measured in the same process.

1. Scalar `add_working_days`, per call, against a naive loop that steps one day at a time checking
   the weekday and a set of holidays, over the same random (day, n) pairs. Target: at most 2 µs
   per call.
2. Bulk `add_working_days_array` over 1,000,000 random dates, with one n and with an n per date,
   against `np.busday_offset` on the same holidays; the results must be identical. Target: at
   most 1.5 times numpy's time.

Run with ``python benchmarks/bench_calendar.py``. It prints PASS or FAIL for each target and
exits 0 either way: it reports, it does not gate.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import numpy as np
import numpy.typing as npt

from complaints.calendar import WorkingCalendar

SEED = 20251219
SCALAR_CALLS = 100_000
BULK_DATES = 1_000_000
FIXED_N = 10
MAX_N = 30
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
# Every year a date in 2000-2099 plus 30 working days (or the table's neighbours) can reach.
HOLIDAY_YEARS = range(1999, 2102)

SCALAR_TARGET_US = 2.0
BULK_TARGET_RATIO = 1.5


@dataclass(frozen=True)
class Comparison:
    """One measured figure against its baseline, both in seconds for the whole batch."""

    name: str
    ours: float
    baseline: float
    identical: bool


def naive_add_working_days(day: date, n: int, holiday_set: frozenset[date]) -> date:
    """The nth working day after `day` (n >= 1), found by walking one day at a time."""
    one_day = timedelta(days=1)
    while n > 0:
        day += one_day
        if day.weekday() < 5 and day not in holiday_set:
            n -= 1
    return day


def best_time(run: Callable[[], object], repeats: int) -> float:
    """The fastest of `repeats` runs, in seconds: the least disturbed by the rest of the machine."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def england_holidays() -> list[date]:
    return sorted(holidays.country_holidays("GB", subdiv="ENG", years=HOLIDAY_YEARS))


def random_pairs(count: int, rng: random.Random) -> tuple[list[date], list[int]]:
    span = (LAST_DAY - FIRST_DAY).days
    days = [FIRST_DAY + timedelta(days=rng.randrange(span + 1)) for _ in range(count)]
    steps = [rng.randint(1, MAX_N) for _ in range(count)]
    return days, steps


def compare_scalar(calendar: WorkingCalendar, holiday_days: Sequence[date]) -> Comparison:
    days, steps = random_pairs(SCALAR_CALLS, random.Random(SEED))
    holiday_set = frozenset(holiday_days)
    add = calendar.add_working_days

    def ours() -> list[date]:
        return [add(day, n) for day, n in zip(days, steps, strict=True)]

    def naive() -> list[date]:
        return [naive_add_working_days(d, n, holiday_set) for d, n in zip(days, steps, strict=True)]

    identical = ours() == naive()  # also warms the table up for every year in play
    return Comparison(
        "scalar add_working_days",
        best_time(ours, repeats=5),
        best_time(naive, repeats=2),
        identical,
    )


def compare_bulk(
    calendar: WorkingCalendar, holiday_days: Sequence[date]
) -> tuple[Comparison, Comparison]:
    rng = np.random.default_rng(SEED)
    first, last = np.datetime64(FIRST_DAY, "D"), np.datetime64(LAST_DAY, "D")
    epoch_days = rng.integers(first.astype(np.int64), last.astype(np.int64) + 1, BULK_DATES)
    dates: npt.NDArray[np.datetime64] = epoch_days.astype("datetime64[D]")
    steps = rng.integers(1, MAX_N + 1, BULK_DATES)
    busdays = np.busdaycalendar(holidays=np.array(holiday_days, dtype="datetime64[D]"))

    # n > 0 counts from the day itself, so a non-working day rolls backward before stepping
    def numpy_fixed() -> npt.NDArray[np.datetime64]:
        return np.busday_offset(dates, FIXED_N, roll="backward", busdaycal=busdays)

    def numpy_each() -> npt.NDArray[np.datetime64]:
        return np.busday_offset(dates, steps, roll="backward", busdaycal=busdays)

    def ours_fixed() -> npt.NDArray[np.datetime64]:
        return calendar.add_working_days_array(dates, FIXED_N)

    def ours_each() -> npt.NDArray[np.datetime64]:
        return calendar.add_working_days_array(dates, steps)

    return (
        _compare_arrays(f"bulk add, n = {FIXED_N}", ours_fixed, numpy_fixed),
        _compare_arrays(f"bulk add, n per date in 1..{MAX_N}", ours_each, numpy_each),
    )


def _compare_arrays(
    name: str,
    ours: Callable[[], npt.NDArray[np.datetime64]],
    numpy: Callable[[], npt.NDArray[np.datetime64]],
) -> Comparison:
    identical = bool(np.array_equal(ours(), numpy()))
    return Comparison(name, best_time(ours, repeats=7), best_time(numpy, repeats=5), identical)


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def report_scalar(result: Comparison) -> bool:
    ours_us = result.ours / SCALAR_CALLS * 1e6
    naive_us = result.baseline / SCALAR_CALLS * 1e6
    passed = result.identical and ours_us <= SCALAR_TARGET_US
    print(f"{result.name}: {SCALAR_CALLS:,} calls, n in 1..{MAX_N}, days {FIRST_DAY}..{LAST_DAY}")
    print(f"  ours           {ours_us:8.3f} µs per call")
    print(f"  naive loop     {naive_us:8.3f} µs per call")
    print(f"  speed-up       {naive_us / ours_us:8.1f}x    results identical: {result.identical}")
    print(f"  {verdict(passed)}: target at most {SCALAR_TARGET_US} µs per call")
    return passed


def report_bulk(result: Comparison) -> bool:
    ratio = result.ours / result.baseline
    passed = result.identical and ratio <= BULK_TARGET_RATIO
    print(f"{result.name}: {BULK_DATES:,} dates")
    print(f"  ours             {result.ours * 1e3:8.2f} ms")
    print(f"  np.busday_offset {result.baseline * 1e3:8.2f} ms")
    print(f"  ratio (ours / numpy) {ratio:6.3f}    results identical: {result.identical}")
    print(f"  {verdict(passed)}: target ratio at most {BULK_TARGET_RATIO}")
    return passed


def main() -> None:
    started = time.perf_counter()
    WorkingCalendar.for_england()
    first_build = time.perf_counter() - started
    calendar = WorkingCalendar.for_england()
    build = time.perf_counter() - started - first_build
    holiday_days = england_holidays()
    print(
        f"England calendar built in {build * 1e3:.1f} ms "
        f"({first_build * 1e3:.1f} ms the first time, loading the holidays package's rules)"
    )
    print()
    passes = [report_scalar(compare_scalar(calendar, holiday_days))]
    for result in compare_bulk(calendar, holiday_days):
        print()
        passes.append(report_bulk(result))
    print()
    summary = "all targets met" if all(passes) else "SOME TARGETS MISSED"
    print(f"{summary} ({sum(passes)}/{len(passes)}), in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
