"""Reading alerts: the in-app list of what the sweep raised, for one person or everyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from complaints.context import Context
from complaints.models import Action, Alert, AlertKind, Deadline, FeedbackCase, User, table_of
from complaints.services.access import reach_for, visible_cases
from complaints.services.people import find_user

_ALERT = table_of(Alert)
_DEADLINE = table_of(Deadline)
_ACTION = table_of(Action)
_CASE = table_of(FeedbackCase)
_USER = table_of(User)


@dataclass(frozen=True)
class AlertItem:
    id: int
    kind: str
    reference: str
    subject: str  # the deadline's step, or "action: ..." for an action
    due_on: date
    created_at: datetime
    owner: str | None


def list_alerts(
    session: Session,
    owner: User | None = None,
    limit: int = 500,
    *conditions: sa.ColumnElement[bool],
) -> list[AlertItem]:
    """Alerts newest first (of `owner`'s steps and actions, if given, and meeting `conditions`
    on their case), with their case and the person who owns the step or action."""
    owner_id = sa.func.coalesce(_DEADLINE.c.owner_id, _ACTION.c.owner_id)
    query = (
        sa.select(
            _ALERT.c.id,
            _ALERT.c.kind,
            _CASE.c.reference,
            _DEADLINE.c.name,
            _ACTION.c.description,
            _ALERT.c.due_on,
            _ALERT.c.created_at,
            _USER.c.username,
        )
        .select_from(_ALERT)
        .outerjoin(_DEADLINE, _DEADLINE.c.id == _ALERT.c.deadline_id)
        .outerjoin(_ACTION, _ACTION.c.id == _ALERT.c.action_id)
        .join(_CASE, _CASE.c.id == sa.func.coalesce(_DEADLINE.c.case_id, _ACTION.c.case_id))
        .outerjoin(_USER, _USER.c.id == owner_id)
        .order_by(_ALERT.c.created_at.desc(), _ALERT.c.id.desc())
        .limit(limit)
    )
    if owner is not None:
        query = query.where(owner_id == owner.id)
    if conditions:
        query = query.where(*conditions)
    return [
        AlertItem(
            id=row.id,
            kind=AlertKind(row.kind).value,
            reference=row.reference,
            subject=row.name if row.name else f"action: {row.description}",
            due_on=row.due_on,
            created_at=row.created_at,
            owner=row.username,
        )
        for row in session.execute(query)
    ]


def alerts_seen_by(ctx: Context, *, by: str, owner: str | None = None) -> list[AlertItem]:
    """The alerts about the cases `by` may see (of `owner`'s steps and actions only, if given),
    newest first."""
    with ctx.database.reader() as session:
        reach = reach_for(session, ctx.settings, by)
        owned_by = find_user(session, owner) if owner else None
        return list_alerts(session, owned_by, 500, visible_cases(reach))
