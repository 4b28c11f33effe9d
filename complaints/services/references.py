"""Case references such as CF-2026-000123: a prefix, the year received, a number per year."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from complaints.models import ReferenceCounter


def reserve_references(session: Session, prefix: str, year: int, count: int = 1) -> list[str]:
    """Take the next `count` references of `prefix` and `year`, in this session's transaction.

    The counter row is created if missing and moved on by one UPDATE, which every database
    serialises, so two cases logged at once never share a reference.
    """
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
    return [format_reference(prefix, year, number) for number in range(last - count + 1, last + 1)]


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"
