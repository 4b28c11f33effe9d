"""The audit trail: who changed what, when, with the values before and after."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.types import JSON_DOCUMENT, UTCDateTime


class AuditEvent(SQLModel, table=True):
    """One accepted change. Events are only ever added, never updated or deleted."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_case_occurred", "case_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="feedback_case.id")
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    occurred_at: datetime = Field(sa_type=UTCDateTime, index=True)
    action: str = Field(max_length=60)
    summary: str = Field(sa_type=sa.Text)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON_DOCUMENT)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON_DOCUMENT)
