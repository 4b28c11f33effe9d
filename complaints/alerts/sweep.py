"""The deadline sweep: for a given moment, one INSERT ... SELECT per kind of alert records an
alert for every running deadline that is due soon, due today or overdue, and for every open
action past its due date. Alerts are idempotent: a unique constraint per subject and kind, and
ON CONFLICT DO NOTHING, mean each deadline gets each kind once however often the sweep runs,
even two at once, and a sweep after downtime catches up with what it missed.

When each kind fires (docs/alerts.md): "due soon" from `[alerts] due_soon_working_days` working
days before the due date; "due today" on the day (deadlines always fall on working days, so a
weekend or bank holiday has none); "overdue" from the working day after the due date; and
"escalated" once it is `[alerts] head_of_service_after_working_days` working days overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from complaints.calendar import WorkingCalendar
from complaints.context import Context
from complaints.models import (
    Action,
    ActionStatus,
    Alert,
    AlertKind,
    Deadline,
    DeadlineStatus,
    table_of,
)

_ALERT = table_of(Alert)
_DEADLINE = table_of(Deadline)
_ACTION = table_of(Action)


@dataclass(frozen=True)
class SweepWindow:
    """The due dates each kind of alert covers on one day."""

    today: date
    due_soon_until: date  # due after today and on or before this: due soon
    overdue_before: date  # due before this: overdue (the last working day on or before today)
    escalated_on_or_before: date  # due on or before this: overdue long enough to escalate


@dataclass(frozen=True)
class SweepResult:
    window: SweepWindow
    new_alert_ids: tuple[int, ...]
    created: dict[str, int]


def sweep_window(
    calendar: WorkingCalendar, today: date, due_soon_working_days: int, escalate_after: int
) -> SweepWindow:
    """Which due dates are due soon, due today, overdue, and overdue by `escalate_after` working
    days or more, on `today`."""
    last_working_day = (
        today if calendar.is_working_day(today) else calendar.add_working_days(today, -1)
    )
    return SweepWindow(
        today=today,
        due_soon_until=calendar.add_working_days(today, due_soon_working_days),
        overdue_before=last_working_day,
        escalated_on_or_before=calendar.add_working_days(last_working_day, -escalate_after),
    )


def sweep(ctx: Context, moment: datetime | None = None) -> SweepResult:
    """Record the alerts due at `moment` (now by default); returns the ids of the new ones."""
    moment = moment or ctx.clock.now()
    today = moment.astimezone(ZoneInfo(ctx.settings.calendar.timezone)).date()
    settings = ctx.settings.alerts
    window = sweep_window(
        ctx.calendar,
        today,
        settings.due_soon_working_days,
        settings.head_of_service_after_working_days,
    )
    running = _DEADLINE.c.status == DeadlineStatus.RUNNING.value
    due_on = _DEADLINE.c.due_on
    deadline_kinds: list[tuple[AlertKind, ColumnElement[bool]]] = [
        (AlertKind.DUE_SOON, sa.and_(due_on > window.today, due_on <= window.due_soon_until)),
        (AlertKind.DUE_TODAY, due_on == window.today),
        (AlertKind.OVERDUE, due_on < window.overdue_before),
        (AlertKind.ESCALATED, due_on <= window.escalated_on_or_before),
    ]
    created: dict[str, int] = {}
    new_ids: list[int] = []
    with ctx.database.unit_of_work() as session:
        connection = session.connection()
        for kind, due in deadline_kinds:
            rows = _insert_alerts(
                connection, "deadline_id", _DEADLINE, sa.and_(running, due), kind, moment
            )
            created[f"deadline_{kind.value}"] = len(rows)
            new_ids += rows
        action_overdue = sa.and_(
            _ACTION.c.status == ActionStatus.OPEN.value, _ACTION.c.due_on < window.today
        )
        rows = _insert_alerts(
            connection, "action_id", _ACTION, action_overdue, AlertKind.OVERDUE, moment
        )
        created["action_overdue"] = len(rows)
        new_ids += rows
    return SweepResult(window=window, new_alert_ids=tuple(new_ids), created=created)


def _insert_alerts(
    connection: sa.Connection,
    subject: str,
    table: sa.Table,
    condition: ColumnElement[bool],
    kind: AlertKind,
    moment: datetime,
) -> list[int]:
    """INSERT ... SELECT the subjects matching `condition` as alerts of `kind`; a subject that
    already has one is skipped by the unique constraint, not by a read first."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    chosen = sa.select(
        table.c.id,
        sa.literal(kind.value, type_=_ALERT.c.kind.type),
        table.c.due_on,
        sa.literal(moment, type_=_ALERT.c.created_at.type),
    ).where(condition)
    statement = (
        insert(_ALERT)
        .from_select([subject, "kind", "due_on", "created_at"], chosen)
        .on_conflict_do_nothing(index_elements=[subject, "kind"])
        .returning(_ALERT.c.id)
    )
    return list(connection.execute(statement).scalars())
