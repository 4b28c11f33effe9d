"""Closing the loop: actions and recommendations tracked to completion, and lessons learned."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.enums import ActionKind, ActionStatus
from complaints.models.types import UTCDateTime, enum_type


class Action(SQLModel, table=True):
    """An action or recommendation arising from a case, with its owner and due date."""

    __tablename__ = "case_action"
    __table_args__ = (sa.Index("ix_case_action_status_due_on", "status", "due_on"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    stage: int = 1
    kind: ActionKind = Field(sa_type=enum_type(ActionKind))
    description: str = Field(sa_type=sa.Text)
    owner_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    due_on: date
    status: ActionStatus = Field(sa_type=enum_type(ActionStatus))
    completed_on: date | None = None
    evidence: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class LessonLearned(SQLModel, table=True):
    """A lesson learned from a case, for the quarterly learning bulletin."""

    __tablename__ = "lesson_learned"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    text: str = Field(sa_type=sa.Text)
    recorded_on: date = Field(index=True)
    recorded_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
