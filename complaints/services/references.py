"""Case references such as CF-2026-000123: a prefix, the year received, a number per year."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from complaints.models import ReferenceCounter


def reserve_past(session: Session, prefix: str, references: Iterable[str]) -> None:
    """Move each year's counter past any of `references` written in the product's own pattern,
    so a reference brought in from elsewhere (an import) is never handed out again."""
    highest: dict[int, int] = {}
    for reference in references:
        match = re.fullmatch(rf"{re.escape(prefix)}-(\d{{4}})-(\d{{6}})", reference)
        if match:
            year, number = int(match[1]), int(match[2])
            highest[year] = max(number, highest.get(year, 0))
    counter = ReferenceCounter.__table__.c  # type: ignore[attr-defined]
    for year, number in highest.items():
        reserve_references(session, prefix, year, count=1)  # makes the row, moves it on by one
        session.execute(
            sa.update(ReferenceCounter)
            .where(counter.prefix == prefix, counter.year == year, counter.last_number < number)
            .values(last_number=number)
        )


def reserve_references(session: Session, prefix: str, year: int, count: int = 1) -> list[str]:
    """Take the next `count` references of `prefix` and `year`, in this session's transaction.

    The counter row is created if missing and moved on by one UPDATE, which every database
    serialises, so two cases logged at once never share a reference.
    """
    numbers = reserve_numbers(session, prefix, year, count)
    return [format_reference(prefix, year, number) for number in numbers]


def reserve_numbers(session: Session, prefix: str, year: int, count: int = 1) -> range:
    """`reserve_references` as the numbers taken, for a caller taking very many at once."""
    if count < 1:
        raise ValueError("count must be at least 1")
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(ReferenceCounter)
        .values(prefix=prefix, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    counter = ReferenceCounter.__table__.c  # type: ignore[attr-defined]
    last = session.execute(
        sa.update(ReferenceCounter)
        .where(counter.prefix == prefix, counter.year == year)
        .values(last_number=counter.last_number + count)
        .returning(counter.last_number)
    ).scalar_one()
    return range(last - count + 1, last + 1)


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"
