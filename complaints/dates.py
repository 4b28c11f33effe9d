"""Dates as people read them, on letters, e-mails and the command line; whole years on."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """'Wednesday 7 January 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def years_on(day: date, years: int) -> date:
    """The same day `years` later (earlier if negative); 29 February becomes 28 February in a
    year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
