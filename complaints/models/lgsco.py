"""The parallel track of a case at the Local Government and Social Care Ombudsman."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.enums import LgscoDecision
from complaints.models.types import UTCDateTime, enum_type


class LgscoRecord(SQLModel, table=True):
    """An Ombudsman enquiry: its dates, the decision, the agreed remedy and its compliance."""

    __tablename__ = "lgsco_record"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    ombudsman_reference: str = Field(max_length=40)
    enquiry_received_on: date
    response_due_on: date | None = None
    responded_on: date | None = None
    decision: LgscoDecision | None = Field(default=None, sa_type=enum_type(LgscoDecision))
    decision_on: date | None = None
    remedy_agreed: str | None = Field(default=None, sa_type=sa.Text)
    compliance_due_on: date | None = Field(default=None, index=True)
    complied_on: date | None = None
    compliance_evidence: str | None = Field(default=None, sa_type=sa.Text)
    closed_on: date | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
