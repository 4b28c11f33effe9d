"""The injectable clock: UTC moments, the council's local date, travel in tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from complaints.clock import SettableClock, SystemClock


def test_the_system_clock_gives_aware_utc_moments() -> None:
    moment = SystemClock().now()
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


def test_today_is_the_date_in_london_not_in_utc() -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time).
    clock = SettableClock(datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2026, 7, 1)
    clock.set(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2026, 12, 31)


def test_a_plain_date_means_nine_in_the_morning_local_time() -> None:
    clock = SettableClock(date(2026, 7, 1))
    assert clock.now() == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert clock.today() == date(2026, 7, 1)


def test_the_clock_travels_forward_and_back() -> None:
    clock = SettableClock(date(2026, 11, 23))
    clock.advance(timedelta(days=3))
    assert clock.today() == date(2026, 11, 26)
    clock.advance(timedelta(days=-5))
    assert clock.today() == date(2026, 11, 21)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SettableClock(datetime(2026, 11, 23, 9, 0))
