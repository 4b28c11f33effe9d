"""The daily work queue: every open deadline with its case, due date and working days left.

Overdue items come first (they have the earliest due dates), then today's, then the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from complaints.calendar import WorkingCalendar
from complaints.deadlines import step_label
from complaints.models import Deadline, DeadlineStatus, FeedbackCase, User, table_of

OPEN_STATUSES = (DeadlineStatus.RUNNING, DeadlineStatus.PAUSED)


@dataclass(frozen=True)
class QueueItem:
    reference: str
    procedure: str
    state: str
    step: str
    due_on: date
    working_days_left: int
    paused: bool
    owner_username: str | None
    owner_name: str | None
    overdue: bool

    @property
    def step_label(self) -> str:
        return step_label(self.step)


def work_queue(
    session: Session, calendar: WorkingCalendar, today: date, owner: User | None = None
) -> list[QueueItem]:
    """Open deadlines (of `owner`, or of everyone), earliest due first."""
    deadline_table, case_table, user_table = (table_of(m) for m in (Deadline, FeedbackCase, User))
    deadline, case, user = deadline_table.c, case_table.c, user_table.c
    query = (
        sa.select(
            case.reference,
            case.procedure,
            case.state,
            deadline.name,
            deadline.due_on,
            deadline.status,
            user.username,
            user.full_name,
        )
        .select_from(deadline_table)
        .join(case_table, case.id == deadline.case_id)
        .outerjoin(user_table, user.id == deadline.owner_id)
        .where(deadline.status.in_([status.value for status in OPEN_STATUSES]))
        .order_by(deadline.due_on, case.reference, deadline.name)
    )
    if owner is not None:
        query = query.where(deadline.owner_id == owner.id)
    return [
        QueueItem(
            reference=row.reference,
            procedure=row.procedure,
            state=row.state,
            step=row.name,
            due_on=row.due_on,
            working_days_left=calendar.working_days_between(today, row.due_on),
            paused=row.status == DeadlineStatus.PAUSED,
            owner_username=row.username,
            owner_name=row.full_name,
            # By date, not by working days: on a Saturday a Friday deadline has 0 working days
            # left to count, yet it has been missed.
            overdue=row.due_on < today,
        )
        for row in session.execute(query)
    ]
