"""When the council changes its closure days in config.toml, every open deadline computed on the
old calendar is recomputed on the new one, and each case's move is audited (docs/timescales.md).

The closure days the deadlines were last computed with are kept in the database, so the change
is noticed by whichever process starts first after config.toml is edited, and applied once.
Each case is recomputed in its own transaction: a case that cannot be is logged with its
reference and counted, the others still move, and the new closure days are recorded as applied
only once every case has been, so the next run tries the rest again (a deadline already on the
new calendar does not move twice: its due date is always worked out afresh from its Day 0).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from complaints.calendar import WorkingCalendar
from complaints.config import Settings, TimeUnit
from complaints.context import Context
from complaints.deadlines import compute_due_on
from complaints.models import CalendarState, Deadline, Extension, FeedbackCase
from complaints.services.access import EVERY_CASE
from complaints.services.audit import record_event
from complaints.services.timers import OPEN
from complaints.services.views import find_case
from workflows.definition import Workflow

STATE_ID = 1
log = logging.getLogger("complaints.scheduler")


@dataclass(frozen=True)
class DeadlineMove:
    reference: str
    step: str
    old_due_on: date
    new_due_on: date


@dataclass(frozen=True)
class CalendarChange:
    added: tuple[date, ...]
    removed: tuple[date, ...]
    moves: tuple[DeadlineMove, ...]
    failed: tuple[str, ...] = ()  # cases that could not be recomputed (reference: why)


def apply_calendar_change(ctx: Context) -> CalendarChange | None:
    """Recompute open deadlines if config.toml's closure days differ from those they were
    computed with; None when nothing changed (or on a fresh database, which starts here)."""
    configured = [day.isoformat() for day in ctx.settings.calendar.closure_days]
    with ctx.database.unit_of_work() as session:
        state = session.get(CalendarState, STATE_ID)
        if state is None:
            session.add(
                CalendarState(id=STATE_ID, closure_days=configured, applied_at=ctx.clock.now())
            )
            return None
        if state.closure_days == configured:
            return None
        before = {date.fromisoformat(day) for day in state.closure_days}
    after = set(ctx.settings.calendar.closure_days)
    moves, failed = _recompute_each_case(ctx)
    change = CalendarChange(
        added=tuple(sorted(after - before)),
        removed=tuple(sorted(before - after)),
        moves=tuple(moves),
        failed=tuple(failed),
    )
    if not failed:
        _record_applied(ctx, configured, change)
    return change


def _record_applied(ctx: Context, configured: list[str], change: CalendarChange) -> None:
    with ctx.database.unit_of_work() as session:
        state = session.get(CalendarState, STATE_ID, with_for_update=True)
        assert state is not None
        if state.closure_days == configured:  # another process finished it first
            return
        record_event(
            session,
            at=ctx.clock.now(),
            action="calendar_changed",
            summary=(
                f"Closure days changed ({len(change.added)} added, {len(change.removed)} "
                f"removed); {len(change.moves)} open deadlines moved"
            ),
            before={"closure_days": state.closure_days},
            after={"closure_days": configured},
        )
        state.closure_days = configured
        state.applied_at = ctx.clock.now()
        flag_modified(state, "closure_days")
        session.add(state)


def recomputed_due_on(
    settings: Settings,
    calendar: WorkingCalendar,
    case: FeedbackCase,
    deadline: Deadline,
    extensions: list[Extension],
    workflow: Workflow,
) -> date:
    """The deadline's due date on `calendar`: from its Day 0 (before it, for one the workflow
    counts back), plus its extensions, plus the working days it spent on hold."""
    assert deadline.counted_from_on is not None
    timescale = settings.timescale(case.procedure.value, deadline.name)
    counts_back = workflow.deadline(deadline.name).counts_back
    due = compute_due_on(calendar, timescale, deadline.counted_from_on, counts_back=counts_back)
    for extension in extensions:
        if timescale.unit is TimeUnit.CALENDAR_MONTHS:
            due = calendar.add_months(due, extension.working_days)
        else:
            due = calendar.add_working_days(due, extension.working_days)
    return calendar.add_working_days(due, deadline.paused_working_days)


def _recompute_each_case(ctx: Context) -> tuple[list[DeadlineMove], list[str]]:
    """Recompute every case with an open computed deadline, each in its own transaction."""
    with ctx.database.reader() as session:
        references = session.exec(
            select(FeedbackCase.reference)
            .join(Deadline, col(FeedbackCase.id) == Deadline.case_id)
            .where(col(Deadline.status).in_(OPEN), col(Deadline.counted_from_on).is_not(None))
            .distinct()
            .order_by(col(FeedbackCase.reference))
        ).all()
    moves: list[DeadlineMove] = []
    failed: list[str] = []
    for reference in references:
        try:
            with ctx.database.unit_of_work() as session:
                moves += _recompute_case(
                    ctx, session, find_case(session, reference, EVERY_CASE, to_change=True)
                )
        except Exception as error:  # any failure of one case must not stop the others
            log.exception(
                "could not recompute the deadlines of %s", reference, extra={"case": reference}
            )
            failed.append(f"{reference}: {error}")
    return moves, failed


def _recompute_case(ctx: Context, session: Session, case: FeedbackCase) -> list[DeadlineMove]:
    """Move the case's open computed deadlines onto the calendar, audited; returns the moves."""
    deadlines = session.exec(
        select(Deadline)
        .where(
            Deadline.case_id == case.id,
            col(Deadline.status).in_(OPEN),
            col(Deadline.counted_from_on).is_not(None),
        )
        .order_by(col(Deadline.id))
    ).all()
    moves: list[DeadlineMove] = []
    for deadline in deadlines:
        extensions = list(
            session.exec(
                select(Extension)
                .where(Extension.deadline_id == deadline.id)
                .order_by(col(Extension.id))
            ).all()
        )
        new_due = recomputed_due_on(
            ctx.settings,
            ctx.calendar,
            case,
            deadline,
            extensions,
            ctx.engine.workflow(case.procedure.value),
        )
        if new_due == deadline.due_on:
            continue
        moves.append(DeadlineMove(case.reference, deadline.name, deadline.due_on, new_due))
        deadline.due_on = new_due
        if deadline.extended_to is not None:
            deadline.extended_to = new_due
        session.add(deadline)
    if not moves:
        return moves
    case.updated_at = ctx.clock.now()
    case.updated_by_id = None
    flag_modified(case, "updated_at")  # a new version: edits made on the old dates conflict
    session.add(case)
    record_event(
        session,
        at=case.updated_at,
        case=case,
        action="calendar_changed",
        summary="Deadlines recomputed after the council's closure days changed",
        before={m.step: m.old_due_on for m in moves},
        after={m.step: m.new_due_on for m in moves},
    )
    return moves
