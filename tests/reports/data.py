"""Report test data written straight into the tables (bulk inserts, no services), so a test says
exactly which cases, findings, deadlines and remedies exist and can know every figure."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from complaints.db import Database
from complaints.models import (
    Action,
    CaseCategory,
    Category,
    ComplaintPoint,
    Deadline,
    Escalation,
    Extension,
    FeedbackCase,
    LessonLearned,
    LgscoRecord,
    PointOutcome,
    Remedy,
    Role,
    StageCost,
    Team,
    User,
    table_of,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
COMPLAINT_STATES = {1: "stage1_responded", 2: "stage2_responded", 3: "closed"}


class ReportData:
    """Rows to insert, gathered per table and written in one executemany each by `save`."""

    def __init__(self) -> None:
        self.rows: dict[sa.Table, list[dict[str, Any]]] = defaultdict(list)
        self.ids: dict[str, int] = defaultdict(int)
        self.teams: dict[str, int] = {}
        self.categories: dict[str, int] = {}

    def _add(self, model: type[Any], **values: Any) -> int:
        table = table_of(model)
        self.ids[table.name] += 1
        values.setdefault("id", self.ids[table.name])
        if "created_at" in table.c:
            values.setdefault("created_at", NOW)
        self.rows[table].append(values)
        return int(values["id"])

    def team(self, name: str) -> int:
        if name not in self.teams:
            self.teams[name] = self._add(Team, name=name, active=True)
        return self.teams[name]

    def category(self, name: str) -> int:
        if name not in self.categories:
            self.categories[name] = self._add(Category, name=name, active=True)
        return self.categories[name]

    def case(
        self,
        received: date,
        *,
        feedback_type: str = "complaint",
        procedure: str = "statutory_children",
        team: str | None = None,
        categories: tuple[str, ...] = (),
        state: str = "stage1_responded",
        stage: int = 1,
        closed_on: date | None = None,
    ) -> int:
        number = self.ids["feedback_case"] + 1
        case_id = self._add(
            FeedbackCase,
            reference=f"CF-{received.year}-{number:06d}",
            feedback_type=feedback_type,
            procedure=procedure,
            state=state,
            stage=stage,
            received_on=received,
            contact_method="email",
            made_by="complainant",
            complainant_name="A Person",
            is_child=False,
            consent_recorded=True,
            summary="Test case",
            team_id=self.team(team) if team else None,
            closed_on=closed_on,
            version=1,
            updated_at=NOW,
        )
        for name in categories:
            self.rows[table_of(CaseCategory)].append(
                {"case_id": case_id, "category_id": self.category(name)}
            )
        return case_id

    def findings(
        self, case_id: int, stage: int, outcomes: list[str], on: date | list[date]
    ) -> None:
        """A finding at `stage` on each of the case's points (numbered 1, 2...), made now."""
        days = on if isinstance(on, list) else [on] * len(outcomes)
        existing = [row for row in self.rows[table_of(ComplaintPoint)] if row["case_id"] == case_id]
        for number, (outcome, day) in enumerate(zip(outcomes, days, strict=True), start=1):
            if number > len(existing):
                point_id = self._add(
                    ComplaintPoint,
                    case_id=case_id,
                    number=number,
                    description=f"Point {number}",
                    added_on=day,
                )
                existing.append({"id": point_id})
            self._add(
                PointOutcome,
                point_id=existing[number - 1]["id"],
                stage=stage,
                outcome=outcome,
                recorded_on=day,
            )

    def deadline(
        self,
        case_id: int,
        name: str,
        *,
        stage: int = 1,
        day_zero: date,
        due: date,
        stopped: date | None = None,
        status: str | None = None,
        started: date | None = None,
    ) -> int:
        return self._add(
            Deadline,
            case_id=case_id,
            name=name,
            stage=stage,
            started_on=started or day_zero,
            counted_from_on=day_zero,
            original_due_on=due,
            due_on=due,
            stopped_on=stopped,
            paused_working_days=0,
            status=status or ("stopped" if stopped else "running"),
        )

    def extension(
        self, deadline_id: int, case_id: int, working_days: int, *, agreed: bool = False
    ) -> None:
        self._add(
            Extension,
            deadline_id=deadline_id,
            case_id=case_id,
            previous_due_on=date(2025, 1, 1),
            new_due_on=date(2025, 1, 2),
            working_days=working_days,
            reason="Complex",
            complainant_agreed=agreed,
        )

    def remedy(
        self, case_id: int, stage: int, kind: str, on: date, amount: str | None = None
    ) -> None:
        self._add(
            Remedy,
            case_id=case_id,
            stage=stage,
            kind=kind,
            amount=Decimal(amount) if amount else None,
            recorded_on=on,
        )

    def escalation(self, case_id: int, to_stage: int, on: date, reason: str) -> None:
        self._add(Escalation, case_id=case_id, to_stage=to_stage, requested_on=on, reason=reason)

    def lgsco(self, case_id: int, received: date, **values: Any) -> None:
        self._add(
            LgscoRecord,
            case_id=case_id,
            ombudsman_reference=f"LG-{self.ids['lgsco_record'] + 1}",
            enquiry_received_on=received,
            **values,
        )

    def cost(self, case_id: int, stage: int, kind: str, amount: str, on: date) -> None:
        self._add(
            StageCost, case_id=case_id, stage=stage, kind=kind, amount=Decimal(amount),
            incurred_on=on,
        )  # fmt: skip

    def action(
        self,
        case_id: int,
        due: date,
        *,
        kind: str = "action",
        status: str = "open",
        completed: date | None = None,
    ) -> None:
        self._add(
            Action, case_id=case_id, kind=kind, description="Do it", due_on=due, status=status,
            completed_on=completed,
        )  # fmt: skip

    def lesson(self, case_id: int, on: date, text: str) -> None:
        self._add(LessonLearned, case_id=case_id, text=text, recorded_on=on)

    def save(self, database: Database) -> None:
        """Insert every row gathered, parents first, one executemany per table."""
        order = [table_of(model) for model in (Team, Category, FeedbackCase, CaseCategory,
                 ComplaintPoint, PointOutcome, Deadline, Extension, Remedy, Escalation,
                 LgscoRecord, StageCost, Action, LessonLearned)]  # fmt: skip
        with database.engine.begin() as connection:
            _ensure_a_reader(connection)
            for table in order:
                rows = self.rows.get(table)
                if rows:
                    # executemany takes its columns from the first row: give every row them all.
                    keys = {key for row in rows for key in row}
                    connection.execute(
                        table.insert(), [{key: row.get(key) for key in keys} for row in rows]
                    )
            if database.dialect == "postgresql":  # explicit ids leave the sequences behind
                for table in order:
                    if "id" in table.c and self.rows.get(table):
                        connection.execute(
                            sa.text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"(SELECT max(id) FROM {table.name}))"
                            )
                        )


def _ensure_a_reader(connection: sa.Connection) -> None:
    """An administrator, 'admin', to ask for the reports (they are built for a person)."""
    users = table_of(User)
    if connection.execute(sa.select(users.c.id).where(users.c.username == "admin")).first():
        return
    connection.execute(
        users.insert().values(
            username="admin",
            full_name="Ada Admin",
            role=Role.ADMIN.value,
            active=True,
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
    )
