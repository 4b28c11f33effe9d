"""Deadlines (the statutory and local timers of each step), their extensions, and holds.

`due_on` is always the date the step must now be done by: the date first computed
(`original_due_on`), moved by any extension (`extended_to` records the extended date) and by the
working days spent on hold (`paused_working_days`). The dashboard and the scheduler read `due_on`
alone, through the (status, due_on) index.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.enums import DeadlineStatus
from complaints.models.types import UTCDateTime, enum_type


class Deadline(SQLModel, table=True):
    """One timer of one case: e.g. the stage 1 response due 10 working days from receipt."""

    __table_args__ = (
        # The open steps by due date, with what the queue and the dashboard join on: their
        # counts over every open step read this index alone.
        sa.Index("ix_deadline_status_due_on", "status", "due_on", "case_id", "owner_id"),
        # A person's open steps by due date: each part of their queue (overdue, due today...)
        # is a range of this index.
        sa.Index("ix_deadline_owner_status_due_on", "owner_id", "status", "due_on"),
        # The responses sent this month (the dashboard's timeliness).
        sa.Index("ix_deadline_stopped_on", "stopped_on"),
        sa.CheckConstraint("paused_working_days >= 0", name="paused_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    name: str = Field(max_length=40)
    stage: int = 1
    started_on: date
    # Day 0 the due date was counted from; None when the date was agreed rather than computed,
    # so a change of the council's closure days leaves it alone.
    counted_from_on: date | None = None
    original_due_on: date
    due_on: date
    extended_to: date | None = None
    stopped_on: date | None = None
    paused_working_days: int = 0
    status: DeadlineStatus = Field(sa_type=enum_type(DeadlineStatus))
    owner_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class Extension(SQLModel, table=True):
    """An agreed extension of a deadline: why, who agreed, and the complainant's agreement."""

    __table_args__ = (sa.CheckConstraint("working_days > 0", name="working_days_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    previous_due_on: date
    new_due_on: date
    working_days: int
    reason: str = Field(sa_type=sa.Text)
    agreed_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    complainant_agreed: bool = False
    complainant_agreed_on: date | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)


class Hold(SQLModel, table=True):
    """A pause of all running timers of a case (awaiting consent, court proceedings, reg 8).

    A hold lasts at most the configured number of working days; `resume_by` is the date its
    timers resume by themselves if nobody resumes them sooner.
    """

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    reason: str = Field(sa_type=sa.Text)
    started_on: date
    resume_by: date = Field(index=True)
    ended_on: date | None = None
    working_days: int | None = None
    started_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    ended_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
