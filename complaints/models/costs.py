"""What stage 2 and stage 3 cost: investigator, independent person and panel invoices."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.enums import CostKind
from complaints.models.types import MONEY, UTCDateTime, enum_type


class StageCost(SQLModel, table=True):
    """One cost of investigating a case at stage 2 or 3."""

    __tablename__ = "stage_cost"
    __table_args__ = (
        sa.CheckConstraint("stage IN (2, 3)", name="stage_2_or_3"),
        sa.CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    stage: int
    kind: CostKind = Field(sa_type=enum_type(CostKind))
    amount: Decimal = Field(sa_type=MONEY)
    incurred_on: date
    description: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
