"""The rows a demo council is made of: which columns of which tables the demo fills (in the order
its tuples hold them), a batch of those rows, and the ids they are given.

Ids are assigned here, in Python, rather than by the database, so a batch's rows can refer to one
another (a finding to its complaint point, an extension to its deadline) before any is written,
and the same rows can be saved through the ORM or copied in bulk. While a load runs it holds the
tables it fills, so no other writer takes an id in between; afterwards PostgreSQL's sequences are
moved past the ids used.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from complaints.models import (
    Action,
    AuditEvent,
    CaseCategory,
    ComplaintPoint,
    Deadline,
    Escalation,
    Extension,
    FeedbackCase,
    LessonLearned,
    LgscoRecord,
    PointOutcome,
    Remedy,
    StageCost,
    table_of,
)

Row = tuple[Any, ...]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a quick dictionary key
class DemoTable:
    """One table the demo fills and the columns its rows give, in their order in each tuple.

    Every column left out is nullable and left empty, as the ORM would leave it."""

    model: type[SQLModel]
    columns: tuple[str, ...]

    @property
    def table(self) -> sa.Table:
        return table_of(self.model)

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def has_id(self) -> bool:
        return "id" in self.columns


# The columns a history changes as it plays (state, stage, officer, closing date) come first.
CASES = DemoTable(FeedbackCase, (
    "id", "reference", "state", "stage", "officer_id", "closed_on", "feedback_type", "procedure",
    "received_on", "team_id", "contact_method", "made_by", "complainant_name",
    "complainant_email", "complainant_phone", "complainant_address", "is_child", "advocate_name",
    "consent_recorded", "summary", "matter_date", "in_time", "late_reason", "version",
    "created_at", "updated_at",
))  # fmt: skip
CATEGORIES = DemoTable(CaseCategory, ("case_id", "category_id"))
POINTS = DemoTable(ComplaintPoint, (
    "id", "case_id", "number", "description", "team_id", "officer_id", "stage_added", "added_on",
    "created_at",
))  # fmt: skip
DEADLINES = DemoTable(Deadline, (
    "id", "case_id", "name", "stage", "started_on", "counted_from_on", "original_due_on",
    "due_on", "extended_to", "stopped_on", "paused_working_days", "status", "owner_id",
    "created_at",
))  # fmt: skip
EXTENSIONS = DemoTable(Extension, (
    "id", "deadline_id", "case_id", "previous_due_on", "new_due_on", "working_days", "reason",
    "agreed_by_id", "complainant_agreed", "complainant_agreed_on", "created_at",
))  # fmt: skip
OUTCOMES = DemoTable(
    PointOutcome, ("id", "point_id", "stage", "outcome", "recorded_on", "created_at")
)
REMEDIES = DemoTable(
    Remedy, ("id", "case_id", "stage", "kind", "amount", "recorded_on", "created_at")
)
ESCALATIONS = DemoTable(
    Escalation, ("id", "case_id", "to_stage", "requested_on", "reason", "created_at")
)
ACTIONS = DemoTable(Action, (
    "id", "case_id", "stage", "kind", "description", "owner_id", "due_on", "status",
    "completed_on", "evidence", "created_at",
))  # fmt: skip
LESSONS = DemoTable(
    LessonLearned, ("id", "case_id", "text", "recorded_on", "recorded_by_id", "created_at")
)
OMBUDSMAN = DemoTable(LgscoRecord, (
    "id", "case_id", "ombudsman_reference", "enquiry_received_on", "response_due_on",
    "responded_on", "decision", "decision_on", "remedy_agreed", "compliance_due_on",
    "complied_on", "closed_on", "created_at",
))  # fmt: skip
COSTS = DemoTable(
    StageCost, ("id", "case_id", "stage", "kind", "amount", "incurred_on", "created_at")
)
EVENTS = DemoTable(AuditEvent, ("id", "case_id", "occurred_at", "action", "summary", "after"))

# Parents before the rows that refer to them.
DEMO_TABLES = (
    CASES, CATEGORIES, POINTS, DEADLINES, EXTENSIONS, OUTCOMES, REMEDIES, ESCALATIONS, ACTIONS,
    LESSONS, OMBUDSMAN, COSTS, EVENTS,
)  # fmt: skip


class DemoBatch(dict[DemoTable, list[Row]]):
    """The rows of one batch of demo cases, table by table, ready to write parents first."""

    def __init__(self) -> None:
        super().__init__((table, []) for table in DEMO_TABLES)

    def tables(self) -> Iterator[tuple[DemoTable, list[Row]]]:
        """Each table that has rows in this batch, parents first."""
        return ((table, rows) for table, rows in self.items() if rows)


class DemoIds:
    """The ids the next demo rows get: one counter per table, from past the highest id there."""

    def __init__(self, connection: sa.Connection) -> None:
        self._counters: dict[DemoTable, Iterator[int]] = {}
        for table in DEMO_TABLES:
            if table.has_id:
                highest = connection.execute(sa.func.max(table.table.c.id).select()).scalar()
                self._counters[table] = itertools.count((highest or 0) + 1)

    def take(self, table: DemoTable) -> int:
        return next(self._counters[table])


def advance_sequences(connection: sa.Connection) -> None:
    """Move each PostgreSQL id sequence of the demo's tables past the highest id now used, so
    rows added later (by the ORM, say) get fresh ids. Nothing to do on SQLite, whose next rowid
    is always past the highest."""
    if connection.dialect.name != "postgresql":
        return
    for table in DEMO_TABLES:
        if table.has_id:
            connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), max(id)) "
                    f"FROM {table.name} HAVING max(id) IS NOT NULL"
                )
            )


def lock_demo_tables(connection: sa.Connection) -> None:
    """Hold the tables a load fills until it commits, so nobody else adds a row (and takes an
    id) meanwhile; readers carry on. SQLite's writing transaction already holds the database."""
    if connection.dialect.name == "postgresql":
        names = ", ".join(table.name for table in DEMO_TABLES)
        connection.execute(sa.text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
