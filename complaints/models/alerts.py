"""Alerts raised by the deadline sweep: each deadline or action gets each kind at most once."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.enums import AlertKind
from complaints.models.types import UTCDateTime, enum_type


class Alert(SQLModel, table=True):
    """A due-soon, due-today or overdue alert about a deadline or an action.

    The unique constraints make alerts idempotent even when two sweeps run at once.
    """

    __table_args__ = (
        sa.UniqueConstraint("deadline_id", "kind"),
        sa.UniqueConstraint("action_id", "kind"),
        sa.CheckConstraint("(deadline_id IS NULL) <> (action_id IS NULL)", name="one_subject"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int | None = Field(default=None, foreign_key="deadline.id")
    action_id: int | None = Field(default=None, foreign_key="case_action.id")
    kind: AlertKind = Field(sa_type=enum_type(AlertKind))
    due_on: date
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
