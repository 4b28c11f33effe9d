"""When the council changes its closure days in config.toml, every open deadline computed on the
old calendar is recomputed on the new one, and each case's move is audited (DESIGN.md 3a).

The closure days the deadlines were last computed with are kept in the database, so the change
is noticed by whichever process starts first after config.toml is edited, and applied once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from complaints.calendar import WorkingCalendar
from complaints.config import Settings, TimeUnit
from complaints.context import Context
from complaints.deadlines import compute_due_on
from complaints.models import CalendarState, Deadline, Extension, FeedbackCase
from complaints.services.audit import record_event
from complaints.services.timers import OPEN

STATE_ID = 1


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
        moves = _recompute_open_deadlines(ctx, session)
        change = CalendarChange(
            added=tuple(sorted(after - before)),
            removed=tuple(sorted(before - after)),
            moves=tuple(moves),
        )
        record_event(
            session,
            at=ctx.clock.now(),
            action="calendar_changed",
            summary=(
                f"Closure days changed ({len(change.added)} added, {len(change.removed)} "
                f"removed); {len(moves)} open deadlines moved"
            ),
            before={"closure_days": state.closure_days},
            after={"closure_days": configured},
        )
        state.closure_days = configured
        state.applied_at = ctx.clock.now()
        flag_modified(state, "closure_days")
        session.add(state)
        return change


def recomputed_due_on(
    settings: Settings,
    calendar: WorkingCalendar,
    case: FeedbackCase,
    deadline: Deadline,
    extensions: list[Extension],
) -> date:
    """The deadline's due date on `calendar`: from its Day 0, plus its extensions, plus the
    working days it spent on hold."""
    assert deadline.counted_from_on is not None
    timescale = settings.timescale(case.procedure.value, deadline.name)
    due = compute_due_on(calendar, timescale, deadline.counted_from_on)
    for extension in extensions:
        if timescale.unit is TimeUnit.CALENDAR_MONTHS:
            due = calendar.add_months(due, extension.working_days)
        else:
            due = calendar.add_working_days(due, extension.working_days)
    return calendar.add_working_days(due, deadline.paused_working_days)


def _recompute_open_deadlines(ctx: Context, session: Session) -> list[DeadlineMove]:
    rows = session.exec(
        select(Deadline, FeedbackCase)
        .join(FeedbackCase, col(FeedbackCase.id) == Deadline.case_id)
        .where(col(Deadline.status).in_(OPEN), col(Deadline.counted_from_on).is_not(None))
        .order_by(col(FeedbackCase.reference), col(Deadline.id))
    ).all()
    moves: list[DeadlineMove] = []
    moved_cases: dict[int, tuple[FeedbackCase, list[DeadlineMove]]] = {}
    for deadline, case in rows:
        extensions = list(
            session.exec(
                select(Extension)
                .where(Extension.deadline_id == deadline.id)
                .order_by(col(Extension.id))
            ).all()
        )
        new_due = recomputed_due_on(ctx.settings, ctx.calendar, case, deadline, extensions)
        if new_due == deadline.due_on:
            continue
        move = DeadlineMove(case.reference, deadline.name, deadline.due_on, new_due)
        deadline.due_on = new_due
        if deadline.extended_to is not None:
            deadline.extended_to = new_due
        session.add(deadline)
        moves.append(move)
        assert case.id is not None
        moved_cases.setdefault(case.id, (case, []))[1].append(move)
    for case, case_moves in moved_cases.values():
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
            before={m.step: m.old_due_on for m in case_moves},
            after={m.step: m.new_due_on for m in case_moves},
        )
    return moves
