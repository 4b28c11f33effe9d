"""The injectable clock: the one place the product asks what time and what day it is.

Production code receives a `Clock`; the system clock reads the real time, and tests use a
`SettableClock` to travel through working days. Moments are timezone-aware UTC datetimes; "today"
is the council's local date (Europe/London by default), because a deadline falls on the day a
council officer sees on their own calendar, not on the UTC date at midnight.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

COUNCIL_TIMEZONE = "Europe/London"


class Clock(Protocol):
    """Anything that can say what moment it is now."""

    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...

    def today(self) -> date:
        """The council's local date at this moment."""
        ...


class SystemClock:
    """The real clock, for production."""

    def __init__(self, timezone: str = COUNCIL_TIMEZONE) -> None:
        self._zone = ZoneInfo(timezone)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(self._zone).date()


class SettableClock:
    """A clock that stands still until told to move: tests set it and travel with it."""

    def __init__(self, moment: datetime | date, timezone: str = COUNCIL_TIMEZONE) -> None:
        self._zone = ZoneInfo(timezone)
        self._lock = threading.Lock()
        self._moment = self._as_moment(moment)

    def now(self) -> datetime:
        return self._moment

    def today(self) -> date:
        return self._moment.astimezone(self._zone).date()

    def set(self, moment: datetime | date) -> None:
        """Move to `moment`; a plain date means 09:00 local time on that day."""
        with self._lock:
            self._moment = self._as_moment(moment)

    def advance(self, delta: timedelta) -> None:
        """Move forward (or, with a negative delta, backward) by `delta`."""
        with self._lock:
            self._moment = self._moment + delta

    def _as_moment(self, moment: datetime | date) -> datetime:
        if isinstance(moment, datetime):
            if moment.tzinfo is None:
                raise ValueError("a clock moment must be timezone-aware")
            return moment.astimezone(UTC)
        return datetime.combine(moment, time(9, 0), tzinfo=self._zone).astimezone(UTC)
