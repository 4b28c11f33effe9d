"""Dates as people read them, on letters, e-mails and the command line."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """'Wednesday 7 January 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"
