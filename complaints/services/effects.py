"""What particular transitions do beyond moving state and timers: allocate an officer, extend a
deadline, ask for information, hold and resume, record an escalation or an Ombudsman enquiry,
close or withdraw.

Each effect changes rows in the caller's session and says what it did for the audit event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.errors import DomainError
from complaints.models import (
    DeadlineStatus,
    Escalation,
    EscalationReason,
    Extension,
    FeedbackCase,
    Hold,
    LgscoRecord,
    User,
)
from complaints.permissions import Permission, require_named
from complaints.services.timers import (
    end_all_timers,
    extended_due_on,
    open_deadlines,
    pause_timers,
    resume_timers,
)
from workflows.definition import Transition


@dataclass
class Effects:
    """What an effect did: who now owns the new timers, and what the audit event should say."""

    owner_id: int | None = None
    audit: dict[str, Any] = field(default_factory=dict)
    # Due dates agreed rather than computed, for timers this transition starts.
    agreed_due_on: dict[str, date] = field(default_factory=dict)


@dataclass(frozen=True)
class EffectInput:
    ctx: Context
    session: Session
    case: FeedbackCase
    transition: Transition
    fields: Mapping[str, Any]
    actor: User
    on: date


Effect = Callable[[EffectInput], Effects]


def apply_effects(
    ctx: Context,
    session: Session,
    case: FeedbackCase,
    transition: Transition,
    fields: Mapping[str, Any],
    *,
    actor: User,
    on: date,
) -> Effects:
    """Run the effects `transition` has (by its flags and its trigger)."""
    request = EffectInput(ctx, session, case, transition, fields, actor, on)
    effects = Effects()
    chosen: list[Effect] = [effect for flag, effect in _BY_FLAG if getattr(transition, flag)]
    chosen += _BY_TRIGGER.get(transition.trigger, [])
    for effect in chosen:
        done = effect(request)
        effects.owner_id = done.owner_id or effects.owner_id
        effects.audit |= done.audit
        effects.agreed_due_on |= done.agreed_due_on
    if transition.dest in ctx.engine.workflow(case.procedure.value).final_states:
        case.closed_on = on
    return effects


def _allocate(request: EffectInput) -> Effects:
    officer: User = request.fields["officer"]
    require_named(officer, Permission.INVESTIGATE, "investigate")
    previous = request.case.officer_id
    request.case.officer_id = officer.id
    for deadline in open_deadlines(request.session, request.case):
        if deadline.name != "acknowledgement":
            deadline.owner_id = officer.id
    return Effects(
        owner_id=officer.id, audit={"officer": officer.username, "previous_officer_id": previous}
    )


def _extend(request: EffectInput) -> Effects:
    name = request.transition.extends
    assert name is not None
    deadline = next(
        (d for d in open_deadlines(request.session, request.case) if d.name == name), None
    )
    if deadline is None:
        raise DomainError(f"the case has no open {name.replace('_', ' ')} deadline to extend")
    if request.fields.get("complainant_agreed") is False:
        raise DomainError(
            "this procedure extends a deadline only with the complainant's written agreement"
        )
    used = sum(
        extension.working_days
        for extension in request.session.exec(
            select(Extension).where(Extension.deadline_id == deadline.id)
        ).all()
    )
    extra: int = request.fields["working_days"]
    new_due = extended_due_on(
        request.ctx.settings, request.ctx.calendar, request.case, deadline, extra, used
    )
    assert deadline.id is not None and request.case.id is not None
    request.session.add(
        Extension(
            deadline_id=deadline.id,
            case_id=request.case.id,
            previous_due_on=deadline.due_on,
            new_due_on=new_due,
            working_days=extra,
            reason=request.fields["reason"],
            agreed_by_id=request.actor.id,
            complainant_agreed=bool(request.fields.get("complainant_agreed")),
            complainant_agreed_on=request.on if request.fields.get("complainant_agreed") else None,
            created_at=request.ctx.clock.now(),
        )
    )
    audit = {"extended": name, "from": deadline.due_on.isoformat(), "to": new_due.isoformat()}
    deadline.due_on = new_due
    deadline.extended_to = new_due
    return Effects(audit=audit)


def _hold(request: EffectInput) -> Effects:
    paused = pause_timers(request.session, request.case)
    if not paused:
        raise DomainError("the case has no running timer to pause")
    limit = request.ctx.settings.holds.max_working_days
    resume_by = request.ctx.calendar.add_working_days(request.on, limit)
    assert request.case.id is not None
    request.session.add(
        Hold(
            case_id=request.case.id,
            reason=request.fields["reason"],
            started_on=request.on,
            resume_by=resume_by,
            started_by_id=request.actor.id,
            created_at=request.ctx.clock.now(),
        )
    )
    return Effects(audit={"paused": [d.name for d in paused], "resume_by": resume_by.isoformat()})


def _resume(request: EffectInput) -> Effects:
    hold = request.session.exec(
        select(Hold).where(Hold.case_id == request.case.id, col(Hold.ended_on).is_(None))
    ).one()
    resumed, days = resume_timers(
        request.session, request.ctx.calendar, request.case, hold.started_on, request.on
    )
    hold.ended_on = request.on
    hold.working_days = days
    hold.ended_by_id = request.actor.id
    return Effects(audit={"resumed": [d.name for d in resumed], "working_days_on_hold": days})


def _escalate(request: EffectInput) -> Effects:
    assert request.case.id is not None and request.transition.stage is not None
    request.session.add(
        Escalation(
            case_id=request.case.id,
            to_stage=request.transition.stage,
            requested_on=request.on,
            reason=EscalationReason(request.fields["reason"]),
            details=request.fields.get("details"),
            created_at=request.ctx.clock.now(),
        )
    )
    return Effects(audit={"escalated_to_stage": request.transition.stage})


def _lgsco(request: EffectInput) -> Effects:
    assert request.case.id is not None
    request.session.add(
        LgscoRecord(
            case_id=request.case.id,
            ombudsman_reference=request.fields["ombudsman_reference"],
            enquiry_received_on=request.on,
            response_due_on=request.fields.get("response_due_on"),
            created_at=request.ctx.clock.now(),
        )
    )
    return Effects(audit={"ombudsman_reference": request.fields["ombudsman_reference"]})


def _agree_response_date(request: EffectInput) -> Effects:
    agreed: date | None = request.fields.get("agreed_response_on")
    if agreed is None:
        return Effects()
    if agreed <= request.on or not request.ctx.calendar.is_working_day(agreed):
        raise DomainError("the agreed response date must be a working day after today")
    return Effects(
        audit={"agreed_response_on": agreed.isoformat()}, agreed_due_on={"response": agreed}
    )


def _request_information(request: EffectInput) -> Effects:
    reply_by: date | None = request.fields.get("reply_by")
    if reply_by is not None and reply_by <= request.on:
        raise DomainError("the date to reply by must be after the day the information is asked for")
    return Effects(audit={"information_requested": request.fields["information"]})


def _stop_all(request: EffectInput) -> Effects:
    ended = end_all_timers(request.session, request.case, request.on, DeadlineStatus.STOPPED)
    return Effects(audit={"stopped_all": [d.name for d in ended]})


def _cancel_all(request: EffectInput) -> Effects:
    ended = end_all_timers(request.session, request.case, request.on, DeadlineStatus.CANCELLED)
    return Effects(
        audit={"cancelled": [d.name for d in ended], "reason": request.fields.get("reason")}
    )


_BY_FLAG: tuple[tuple[str, Effect], ...] = (
    ("stops_all", _stop_all),
    ("cancels_all", _cancel_all),
    ("pauses", _hold),
    ("resumes", _resume),
)
_BY_TRIGGER: dict[str, list[Effect]] = {
    "allocate": [_allocate],
    "extend": [_extend],
    "request_stage2": [_escalate],
    "request_review": [_escalate],
    "escalate_to_lgsco": [_lgsco],
    "acknowledge": [_agree_response_date],
    "request_information": [_request_information],
}
