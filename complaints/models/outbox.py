"""E-mail to complainants waiting to be sent (acknowledgements of feedback made online), so a
mail server that is down delays a message but never loses it."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.enums import DeliveryStatus
from complaints.models.types import UTCDateTime, enum_type


class OutboundEmail(SQLModel, table=True):
    """One message to send, with its attempts; sent or given up after the last attempt."""

    __tablename__ = "outbound_email"
    __table_args__ = (sa.Index("ix_outbound_email_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="feedback_case.id", index=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=sa.Text)
    status: DeliveryStatus = Field(sa_type=enum_type(DeliveryStatus))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
