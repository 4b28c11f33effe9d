"""Alerts raised by the deadline sweep (each deadline or action gets each kind at most once),
and their delivery to the people who must act on them."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.enums import AlertKind, DeliveryStatus, Recipient
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


class AlertDelivery(SQLModel, table=True):
    """One alert to one person by e-mail. It is marked sent only once the mail server has
    accepted it; until then it is retried, later each time, up to a configured limit. A
    manager's overdue alerts wait for their daily digest."""

    __tablename__ = "alert_delivery"
    __table_args__ = (
        sa.UniqueConstraint("alert_id", "recipient_id"),
        sa.Index("ix_alert_delivery_status_next_attempt", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id")
    recipient_id: int = Field(foreign_key="app_user.id", index=True)
    reason: Recipient = Field(sa_type=enum_type(Recipient))
    digest: bool = False
    status: DeliveryStatus = Field(sa_type=enum_type(DeliveryStatus))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)


class SchedulerLease(SQLModel, table=True):
    """Whose turn it is to run the scheduler's jobs: one row per job group, held until
    `expires_at` and renewed at each run, so however many processes run a scheduler only one
    sweeps, and another takes over when the holder stops."""

    __tablename__ = "scheduler_lease"

    name: str = Field(max_length=40, primary_key=True)
    holder: str = Field(max_length=200)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class JobRun(SQLModel, table=True):
    """When each of the scheduler's jobs last started, last succeeded and last failed (with a
    short reason), so a job that stops working is seen (`/health`) rather than silent."""

    __tablename__ = "job_run"

    name: str = Field(max_length=40, primary_key=True)
    last_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_succeeded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_failed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_failure: str | None = Field(default=None, max_length=500)
