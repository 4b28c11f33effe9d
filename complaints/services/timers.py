"""Starting, stopping, pausing and moving a case's deadlines, always through the calendar.

Each function changes rows in the caller's session; the service that calls it owns the
transaction and the audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from complaints.calendar import WorkingCalendar
from complaints.config import Settings, TimeUnit
from complaints.deadlines import compute_due_on, unit_words
from complaints.errors import DomainError
from complaints.models import Deadline, DeadlineStatus, FeedbackCase
from workflows.definition import Event, Workflow

OPEN = (DeadlineStatus.RUNNING, DeadlineStatus.PAUSED)
_DEADLINES_OF_CASE = (
    select(Deadline).where(Deadline.case_id == bindparam("case_id")).order_by(col(Deadline.id))
)


def case_deadlines(session: Session, case: FeedbackCase) -> list[Deadline]:
    """Every deadline of the case, oldest first, read once per session: a change reads them,
    changes them in memory and adds new ones here, and the session writes them all at the end."""
    loaded: dict[int | None, list[Deadline]] = session.info.setdefault("case_deadlines", {})
    if case.id not in loaded:
        loaded[case.id] = list(session.exec(_DEADLINES_OF_CASE, params={"case_id": case.id}).all())
    return loaded[case.id]


def open_deadlines(session: Session, case: FeedbackCase) -> list[Deadline]:
    """The case's running and paused deadlines, soonest first, as this change sees them."""
    return sorted(
        (deadline for deadline in case_deadlines(session, case) if deadline.status in OPEN),
        key=lambda deadline: deadline.due_on,
    )


def start_timer(
    session: Session,
    settings: Settings,
    calendar: WorkingCalendar,
    workflow: Workflow,
    case: FeedbackCase,
    step: str,
    *,
    on: date,
    at: datetime,
    owner_id: int | None,
    day_zero: date | None = None,
) -> Deadline:
    """Start `step`'s deadline on `on`, counted from the event its workflow declares for it and
    as long as config.toml says.

    A deadline of the same step still open is superseded (kept in the history), so a case never
    has two clocks for one step. `day_zero` overrides the event (a restarted clock).
    """
    declared = workflow.deadline(step)
    timescale = settings.timescale(case.procedure.value, step)
    if day_zero is None:
        day_zero = _event_day(session, workflow, case, declared.counts_from, on)
    due_on = compute_due_on(calendar, timescale, day_zero, counts_back=declared.counts_back)
    for previous in open_deadlines(session, case):
        if previous.name == step:
            previous.status = DeadlineStatus.SUPERSEDED
            previous.stopped_on = on
    deadline = Deadline(
        case_id=_id(case),
        name=step,
        stage=case.stage,
        started_on=on,
        counted_from_on=day_zero,
        original_due_on=due_on,
        due_on=due_on,
        status=DeadlineStatus.RUNNING,
        owner_id=owner_id,
        created_at=at,
    )
    session.add(deadline)
    case_deadlines(session, case).append(deadline)
    return deadline


def start_log_timers(
    session: Session,
    settings: Settings,
    calendar: WorkingCalendar,
    workflow: Workflow,
    case: FeedbackCase,
    *,
    on: date,
    at: datetime,
    owner_id: int | None,
) -> None:
    """Start the timers a procedure starts when feedback is logged (or reallocated to it)."""
    for step in workflow.starts_on_log:
        start_timer(
            session, settings, calendar, workflow, case, step, on=on, at=at, owner_id=owner_id
        )


def stop_timers(
    session: Session,
    case: FeedbackCase,
    steps: Iterable[str],
    on: date,
    status: DeadlineStatus = DeadlineStatus.STOPPED,
) -> list[Deadline]:
    """Stop the open deadlines of `steps`: the step has been done on `on` (or, with status
    CANCELLED, will not be done: the case moved on without it)."""
    wanted = set(steps)
    stopped = [deadline for deadline in open_deadlines(session, case) if deadline.name in wanted]
    for deadline in stopped:
        deadline.status = status
        deadline.stopped_on = on
    return stopped


def end_all_timers(
    session: Session, case: FeedbackCase, on: date, status: DeadlineStatus
) -> list[Deadline]:
    """Stop (closing) or cancel (withdrawing) every open deadline of the case."""
    ended = open_deadlines(session, case)
    for deadline in ended:
        deadline.status = status
        deadline.stopped_on = on
    return ended


def pause_timers(session: Session, case: FeedbackCase) -> list[Deadline]:
    """Put every running deadline on hold."""
    paused = [d for d in open_deadlines(session, case) if d.status is DeadlineStatus.RUNNING]
    for deadline in paused:
        deadline.status = DeadlineStatus.PAUSED
    return paused


def resume_timers(
    session: Session, calendar: WorkingCalendar, case: FeedbackCase, held_from: date, on: date
) -> tuple[list[Deadline], int]:
    """Restart the paused deadlines; each moves on by the working days spent on hold."""
    days_held = max(0, calendar.working_days_between(held_from, on))
    resumed = [d for d in open_deadlines(session, case) if d.status is DeadlineStatus.PAUSED]
    for deadline in resumed:
        deadline.status = DeadlineStatus.RUNNING
        deadline.paused_working_days += days_held
        deadline.due_on = calendar.add_working_days(deadline.due_on, days_held)
    return resumed, days_held


def extended_due_on(
    settings: Settings,
    calendar: WorkingCalendar,
    case: FeedbackCase,
    deadline: Deadline,
    extra: int,
    already_extended: int,
) -> date:
    """The due date after extending `deadline` by `extra` (in its step's unit), refused beyond
    the step's maximum extension."""
    timescale = settings.timescale(case.procedure.value, deadline.name)
    unit = unit_words(timescale.unit)
    if extra < 1:
        raise DomainError(f"an extension must be at least 1 of the step's {unit}")
    if already_extended + extra > timescale.max_extension:
        left = timescale.max_extension - already_extended
        raise DomainError(
            f"the {deadline.name.replace('_', ' ')} can be extended by at most "
            f"{timescale.max_extension} {unit} in all; {already_extended} already used, so at "
            f"most {left} more"
        )
    if timescale.unit is TimeUnit.CALENDAR_MONTHS:
        return calendar.add_months(deadline.due_on, extra)
    return calendar.add_working_days(deadline.due_on, extra)


def _event_day(
    session: Session, workflow: Workflow, case: FeedbackCase, event: Event, on: date
) -> date:
    if event is Event.RECEIPT:
        return case.received_on
    if event is Event.MATTER:
        return case.matter_date or case.received_on
    if event is Event.RESPONSE_DUE:
        response = workflow.response_deadline(case.stage)
        for deadline in open_deadlines(session, case):
            if deadline.name == response:
                return deadline.due_on
        raise DomainError(f"the case has no open stage {case.stage} response deadline")
    return on


def _id(case: FeedbackCase) -> int:
    assert case.id is not None, "a case is saved before its timers start"
    return case.id
