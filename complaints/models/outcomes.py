"""Findings and remedies: the outcome of each complaint point at each stage, and the remedies
offered at each stage (several per case, counted per case in the statutory report)."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.enums import Outcome, RemedyKind
from complaints.models.types import MONEY, UTCDateTime, enum_type


class PointOutcome(SQLModel, table=True):
    """The finding on one complaint point at one stage."""

    __tablename__ = "point_outcome"
    __table_args__ = (
        sa.UniqueConstraint("point_id", "stage"),
        sa.CheckConstraint("stage BETWEEN 1 AND 3", name="stage_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    point_id: int = Field(foreign_key="complaint_point.id")
    stage: int
    outcome: Outcome = Field(sa_type=enum_type(Outcome))
    notes: str | None = Field(default=None, sa_type=sa.Text)
    recorded_on: date
    recorded_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class Remedy(SQLModel, table=True):
    """A remedy offered at a stage; a financial remedy carries its amount."""

    __table_args__ = (
        sa.UniqueConstraint("case_id", "stage", "kind"),
        sa.CheckConstraint("stage BETWEEN 1 AND 3", name="stage_range"),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    stage: int
    kind: RemedyKind = Field(sa_type=enum_type(RemedyKind))
    amount: Decimal | None = Field(default=None, sa_type=MONEY)
    description: str | None = Field(default=None, sa_type=sa.Text)
    recorded_on: date
    recorded_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
