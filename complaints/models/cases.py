"""Feedback cases and their complaint points, with the counter that numbers case references.

A case is one piece of feedback (complaint, compliment, comment, question) from Day 0, its
receipt, to closure. A complaint that spans several services keeps one case; each complaint point
carries its own service area and investigating officer.
"""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from complaints.models.enums import EscalationReason, FeedbackType, MadeBy, Procedure
from complaints.models.types import UTCDateTime, enum_type


class FeedbackCase(SQLModel, table=True):
    """One case. `version` guards against lost updates: every change increments it, and a
    writer holding an older version is refused (optimistic locking)."""

    __tablename__ = "feedback_case"
    __table_args__ = (
        sa.Index("ix_feedback_case_state_team", "state", "team_id"),
        sa.Index("ix_feedback_case_state_officer", "state", "officer_id"),
        sa.Index("ix_feedback_case_procedure_state", "procedure", "state"),
        # The case list, newest first, and its count: who may see a case (team, officer) is in
        # the index, so a page deep in a large list is read from the index alone.
        sa.Index("ix_feedback_case_received_visible", "received_on", "id", "team_id", "officer_id"),
        # Who may see a case, found by its id without reading the case: the dashboard's counts.
        sa.Index("ix_feedback_case_visibility", "id", "team_id", "officer_id"),
        # The case list's search on PostgreSQL: a reference by its first characters, whatever
        # the collation, and any part of the complainant's name (trigrams, extension pg_trgm).
        # SQLite reads the table, quick enough at its sizes.
        sa.Index(
            "ix_feedback_case_reference_prefix",
            "reference",
            postgresql_ops={"reference": "varchar_pattern_ops"},
        ).ddl_if(dialect="postgresql"),
        sa.Index(
            "ix_feedback_case_name_trigrams",
            sa.func.lower(sa.column("complainant_name")).label("lower_name"),
            postgresql_using="gin",
            postgresql_ops={"lower_name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        sa.CheckConstraint("stage BETWEEN 0 AND 3", name="stage_range"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=30, sa_column_kwargs={"unique": True})
    feedback_type: FeedbackType = Field(sa_type=enum_type(FeedbackType))
    procedure: Procedure = Field(sa_type=enum_type(Procedure))
    state: str = Field(max_length=40)
    stage: int = 1
    received_on: date
    contact_method: str = Field(max_length=40)
    made_by: MadeBy = Field(sa_type=enum_type(MadeBy))
    complainant_name: str = Field(max_length=200)
    complainant_email: str | None = Field(default=None, max_length=254)
    complainant_phone: str | None = Field(default=None, max_length=40)
    complainant_address: str | None = Field(default=None, sa_type=sa.Text)
    is_child: bool = False
    advocate_name: str | None = Field(default=None, max_length=200)
    consent_recorded: bool = False
    summary: str = Field(sa_type=sa.Text)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    officer_id: int | None = Field(default=None, foreign_key="app_user.id")
    matter_date: date | None = None
    in_time: bool | None = None
    late_reason: str | None = Field(default=None, sa_type=sa.Text)
    closed_on: date | None = None
    # The day the retention policy removed the complainant's personal data (statistics stay).
    anonymised_on: date | None = None
    version: int = 1
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805  (a class-level directive)
        # SQLAlchemy adds "AND version = :old" to every UPDATE and raises StaleDataError when
        # another writer got there first, so no concurrent edit is silently overwritten.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class CaseCategory(SQLModel, table=True):
    """The subject categories a case is filed under (several per case)."""

    __tablename__ = "case_category"

    case_id: int = Field(foreign_key="feedback_case.id", primary_key=True, ondelete="CASCADE")
    category_id: int = Field(foreign_key="category.id", primary_key=True, index=True)


class ComplaintPoint(SQLModel, table=True):
    """A separate matter to investigate; it gets its own finding at each stage."""

    __tablename__ = "complaint_point"
    __table_args__ = (sa.UniqueConstraint("case_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    number: int
    description: str = Field(sa_type=sa.Text)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    officer_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    stage_added: int = 1
    added_on: date
    created_at: datetime = Field(sa_type=UTCDateTime)


class ReferenceCounter(SQLModel, table=True):
    """The last number used for case references of one prefix and year (CF-2026-000123)."""

    __tablename__ = "reference_counter"

    prefix: str = Field(max_length=10, primary_key=True)
    year: int = Field(primary_key=True)
    last_number: int = 0


class Escalation(SQLModel, table=True):
    """A complainant's request to take the case to the next stage, with the reason given."""

    __table_args__ = (sa.CheckConstraint("to_stage IN (2, 3)", name="to_stage_2_or_3"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    to_stage: int
    requested_on: date
    reason: EscalationReason = Field(sa_type=enum_type(EscalationReason))
    details: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
