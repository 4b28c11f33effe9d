"""Triage after logging: the service area, the subject categories, whether the complaint was
made in time, and reallocation to another type or procedure with its history kept."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.errors import DomainError
from complaints.models import (
    CaseCategory,
    Category,
    DeadlineStatus,
    FeedbackCase,
    FeedbackType,
    Procedure,
    User,
)
from complaints.permissions import Permission, require
from complaints.services.cases import (
    PROCEDURES_FOR_TYPE,
    changing_case,
    check_event_day,
    finish_change,
    in_time,
    snapshot,
)
from complaints.services.categories import set_categories
from complaints.services.people import require_team
from complaints.services.timers import end_all_timers, start_log_timers
from complaints.services.values import parse_choice, required_text
from complaints.services.views import CaseView, view_case


def triage_case(
    ctx: Context,
    reference: str,
    *,
    by: str,
    team: str | None = None,
    categories: Iterable[str] | None = None,
    matter_date: date | None = None,
    late_reason: str | None = None,
    expected_version: int,
) -> CaseView:
    """Record or correct the triage of an open case; only what is given changes."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        _check_may_triage(ctx, case, actor)
        before = snapshot(view_case(session, case)) | _triage_values(session, case)
        chosen = before["categories"]
        if team is not None:
            case.team_id = require_team(session, team).id
        if categories is not None:
            chosen = sorted(set_categories(session, case, categories))
        if matter_date is not None or late_reason is not None:
            case.matter_date = matter_date or case.matter_date
            case.late_reason = (late_reason or "").strip() or case.late_reason
            case.in_time = in_time(
                ctx, case.procedure, case.received_on, case.matter_date, case.late_reason
            )
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="triage",
            summary="Triage recorded",
            before=before,
            after=_triage_values(session, case) | {"categories": chosen},
        )


def reallocate(
    ctx: Context,
    reference: str,
    *,
    by: str,
    reason: str,
    feedback_type: str | None = None,
    procedure: str | None = None,
    on: date | None = None,
    expected_version: int,
) -> CaseView:
    """Re-type the case or move it to another procedure. Its open deadlines are kept in the
    history as superseded; it starts again in the new procedure's first state, with the timers
    that procedure starts on receipt counted from the day it was received."""
    why = required_text(reason, "reason for reallocating", 5_000)
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        _check_may_triage(ctx, case, actor)
        day = check_event_day(ctx, session, case, on)
        new_type = (
            parse_choice(FeedbackType, feedback_type, "type of feedback")
            if feedback_type
            else case.feedback_type
        )
        new_procedure = (
            parse_choice(Procedure, procedure, "procedure") if procedure else case.procedure
        )
        if (new_type, new_procedure) == (case.feedback_type, case.procedure):
            raise DomainError("reallocation must change the type of feedback or the procedure")
        if new_procedure not in PROCEDURES_FOR_TYPE[new_type]:
            fitting = ", ".join(sorted(p.value for p in PROCEDURES_FOR_TYPE[new_type]))
            raise DomainError(
                f"a {new_type.value} follows the {fitting} procedure, not {new_procedure.value}"
            )
        before = snapshot(view_case(session, case)) | {
            "feedback_type": case.feedback_type.value,
            "procedure": case.procedure.value,
        }
        superseded = end_all_timers(session, case, day, DeadlineStatus.SUPERSEDED)
        workflow = ctx.engine.workflow(new_procedure.value)
        case.feedback_type, case.procedure = new_type, new_procedure
        case.state = workflow.initial
        case.stage = workflow.stages.get(workflow.initial, 1)
        start_log_timers(
            session,
            ctx.settings,
            ctx.calendar,
            case,
            workflow.starts_on_log,
            on=day,
            at=ctx.clock.now(),
            owner_id=case.officer_id or actor.id,
        )
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="reallocate",
            summary=f"Reallocated to {new_type.value} under the {workflow.title} procedure: {why}",
            before=before,
            after={
                "feedback_type": new_type.value,
                "procedure": new_procedure.value,
                "reason": why,
                "superseded": [d.name for d in superseded],
            },
        )


def _triage_values(session: Session, case: FeedbackCase) -> dict[str, Any]:
    names = session.exec(
        select(Category.name)
        .join(CaseCategory, col(CaseCategory.category_id) == Category.id)
        .where(CaseCategory.case_id == case.id)
        .order_by(col(Category.name))
    ).all()
    return {
        "team_id": case.team_id,
        "categories": list(names),
        "matter_date": case.matter_date,
        "in_time": case.in_time,
        "late_reason": case.late_reason,
    }


def _check_may_triage(ctx: Context, case: FeedbackCase, actor: User) -> None:
    require(actor, Permission.TRIAGE)
    if case.state in ctx.engine.workflow(case.procedure.value).final_states:
        raise DomainError(f"case {case.reference} is {case.state}; it cannot be triaged again")
