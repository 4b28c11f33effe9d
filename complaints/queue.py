"""The daily work queue: every open deadline with its case, due date and working days left.

Overdue items come first (they have the earliest due dates), then today's, then the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from complaints.calendar import WorkingCalendar
from complaints.context import Context
from complaints.deadlines import step_label
from complaints.models import Deadline, DeadlineStatus, FeedbackCase, User, table_of
from complaints.services.access import reach_for, visible_cases
from complaints.services.people import find_user

OPEN_STATUSES = (DeadlineStatus.RUNNING, DeadlineStatus.PAUSED)
_DEADLINE = table_of(Deadline)


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
    session: Session,
    calendar: WorkingCalendar,
    today: date,
    owner: User | None = None,
    *conditions: sa.ColumnElement[bool],
    limit: int | None = None,
) -> list[QueueItem]:
    """Open deadlines (of `owner`, or of everyone) that meet `conditions`, earliest due first;
    the first `limit` of them when given."""
    case_table, user_table = table_of(FeedbackCase), table_of(User)
    case, user = case_table.c, user_table.c
    query = (
        sa.select(
            case.reference,
            case.procedure,
            case.state,
            _DEADLINE.c.name,
            _DEADLINE.c.due_on,
            _DEADLINE.c.status,
            user.username,
            user.full_name,
        )
        .select_from(_DEADLINE)
        .join(case_table, case.id == _DEADLINE.c.case_id)
        .outerjoin(user_table, user.id == _DEADLINE.c.owner_id)
        .where(_open_steps(owner), *conditions)
        .order_by(_DEADLINE.c.due_on, case.reference, _DEADLINE.c.name)
        .limit(limit)
    )
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


def queue_for(ctx: Context, *, by: str, owner: str | None = None) -> list[QueueItem]:
    """The open deadlines of the cases `by` may see (of `owner` only, if given), earliest due
    first: the daily work queue as the command line prints it."""
    with ctx.database.reader() as session:
        reach = reach_for(session, ctx.settings, by)
        owned_by = find_user(session, owner) if owner else None
        return work_queue(session, ctx.calendar, ctx.clock.today(), owned_by, visible_cases(reach))


def count_open_steps(
    session: Session, owner: User | None, bands: Mapping[str, sa.ColumnElement[bool]]
) -> dict[str, int]:
    """How many open deadlines (of `owner`, or of everyone) each band's condition holds, in one
    pass over the deadlines alone (every deadline has its case)."""
    totals = [sa.func.coalesce(sa.func.sum(sa.case((c, 1), else_=0)), 0) for c in bands.values()]
    row = session.execute(sa.select(*totals).where(_open_steps(owner))).one()
    return {name: int(total) for name, total in zip(bands, row, strict=True)}


def _open_steps(owner: User | None) -> sa.ColumnElement[bool]:
    is_open = _DEADLINE.c.status.in_([status.value for status in OPEN_STATUSES])
    return is_open if owner is None else sa.and_(is_open, _DEADLINE.c.owner_id == owner.id)
