"""The demo council: staff of every role and as many cases as asked for, across procedures,
states and dates, some of them overdue, so the product can be tried and shown on a fresh install
(a few hundred cases) or measured at scale (a million).

The cases come from one generator (generator.py, histories.py) and are written one of two ways:
`played`, saved through the ORM like any other change (the default up to `BULK_ABOVE` cases),
or `bulk`, copied in batches with PostgreSQL's COPY or SQLite's executemany (bulk.py). The same
seed gives the same council either way. Each case gets its `demo_case_loaded` audit event, written
with the rest of its rows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session

from complaints.context import Context
from complaints.demo.bulk import vacuum_after_bulk, write_in_bulk
from complaints.demo.generator import DemoGenerator
from complaints.demo.rows import DemoBatch, advance_sequences, lock_demo_tables
from complaints.demo.staff import DEMO_PASSWORD, DEMO_STAFF, ensure_demo_staff
from complaints.errors import DomainError
from complaints.models import FeedbackCase, table_of
from complaints.services.people import seed_reference_data

DEFAULT_CASES = 400
# Above this many cases a demo is written in bulk unless asked otherwise.
BULK_ABOVE = 2_000


class LoadMethod(StrEnum):
    PLAYED = "played"
    BULK = "bulk"


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    by_state: dict[str, int]
    staff: tuple[str, ...]
    password: str
    method: LoadMethod
    # Writing the cases: from the start of their transaction to its commit (and, in bulk on
    # PostgreSQL, the VACUUM after it).
    seconds: float
    # In bulk, the seconds each part of the writing took (complaints.demo.bulk.BULK_PHASES).
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else float("inf")


def choose_method(cases: int, method: LoadMethod | str | None = None) -> LoadMethod:
    """`method` if given, else bulk for more than `BULK_ABOVE` cases and played otherwise."""
    if method is None:
        return LoadMethod.BULK if cases > BULK_ABOVE else LoadMethod.PLAYED
    try:
        return LoadMethod(method)
    except ValueError:
        known = " or ".join(known.value for known in LoadMethod)
        raise DomainError(f"demo data is loaded {known}, not {method!r}") from None


def load_demo_data(
    ctx: Context,
    *,
    cases: int = DEFAULT_CASES,
    seed: int = 2026,
    method: LoadMethod | str | None = None,
) -> DemoSummary:
    """Load the demo council into a database with no cases (refused, changing nothing, if it
    has any), by `method` (see `choose_method`)."""
    if cases < 1:
        raise DomainError("the number of demo cases must be at least 1")
    chosen = choose_method(cases, method)
    with ctx.database.reader() as session:
        _refuse_if_cases(session.connection())
    seed_reference_data(ctx)
    ensure_demo_staff(ctx)
    started = time.perf_counter()
    with ctx.database.unit_of_work() as session:
        connection = session.connection()
        lock_demo_tables(connection)
        _refuse_if_cases(connection)  # again, now no other load can be adding cases
        generator = DemoGenerator(ctx, session, seed, cases)
        batches = generator.batches()
        phases: dict[str, float] = {}
        if chosen is LoadMethod.BULK:
            phases = write_in_bulk(connection, batches)
        else:
            _save_through_orm(session, batches)
        advance_sequences(connection)
    if chosen is LoadMethod.BULK:
        phases |= vacuum_after_bulk(ctx.database.engine)
    return DemoSummary(
        cases=cases,
        by_state=dict(sorted(generator.states.items())),
        staff=tuple(person.username for person in DEMO_STAFF),
        password=DEMO_PASSWORD,
        method=chosen,
        seconds=time.perf_counter() - started,
        phases=phases,
    )


def _refuse_if_cases(connection: sa.Connection) -> None:
    existing = connection.execute(sa.select(sa.func.count()).select_from(table_of(FeedbackCase)))
    count = existing.scalar_one()
    if count:
        raise DomainError(f"the database already holds {count} cases; demo data not loaded")


def _save_through_orm(session: Session, batches: Iterable[DemoBatch]) -> None:
    """Each batch's rows as model objects, flushed table by table, parents first (the models
    declare no relationships for the ORM to order them by), then let go, so only one batch is
    held at a time."""
    for batch in batches:
        for table, rows in batch.tables():
            session.add_all(
                table.model(**dict(zip(table.columns, row, strict=True))) for row in rows
            )
            session.flush()
        session.expunge_all()
