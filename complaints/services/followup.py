"""Closing the loop on a case: actions and recommendations tracked to completion, lessons
learned for the learning bulletin, and what stage 2 and 3 investigations cost."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.models import (
    Action,
    ActionKind,
    ActionStatus,
    CostKind,
    LessonLearned,
    StageCost,
)
from complaints.permissions import Permission, require
from complaints.services.access import reach_for
from complaints.services.cases import changing_case, finish_change, snapshot
from complaints.services.people import find_user
from complaints.services.values import parse_choice, parse_money, required_text
from complaints.services.views import CaseView, find_case, view_case

MAX_TEXT = 5_000


def add_action(
    ctx: Context,
    reference: str,
    description: str,
    *,
    by: str,
    expected_version: int,
    owner: str,
    due_on: date,
    kind: str = "action",
) -> CaseView:
    """An action or recommendation arising from the case, owned by someone, due on a date."""
    text = _checked(description, "action")
    action_kind = parse_choice(ActionKind, kind, "kind of action")
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE)
        if due_on < ctx.clock.today():
            raise DomainError(f"the due date {due_on.isoformat()} has already passed")
        owner_user = find_user(session, owner)
        before = snapshot(view_case(session, case))
        assert case.id is not None
        session.add(
            Action(
                case_id=case.id,
                stage=case.stage,
                kind=action_kind,
                description=text,
                owner_id=owner_user.id,
                due_on=due_on,
                status=ActionStatus.OPEN,
                created_at=ctx.clock.now(),
            )
        )
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="add_action",
            summary=f"{action_kind.value.capitalize()} for {owner_user.full_name}, "
            f"due {due_on.isoformat()}",
            before=before,
            after={"action": text, "owner": owner_user.username, "due_on": due_on.isoformat()},
        )


def complete_action(
    ctx: Context, reference: str, action_id: int, *, by: str, expected_version: int, evidence: str
) -> CaseView:
    """Mark an action done, with the evidence that it was."""
    proof = _checked(evidence, "evidence of completion")
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE)
        action = session.get(Action, action_id)
        if action is None or action.case_id != case.id:
            raise NotFoundError(f"case {case.reference} has no action {action_id}")
        if action.status is not ActionStatus.OPEN:
            raise DomainError(f"action {action_id} is already {action.status.value}")
        before = snapshot(view_case(session, case))
        action.status = ActionStatus.COMPLETED
        action.completed_on = ctx.clock.today()
        action.evidence = proof
        session.add(action)
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="complete_action",
            summary=f"Action {action_id} completed",
            before=before,
            after={"action_id": action_id, "evidence": proof},
        )


def record_lesson(
    ctx: Context, reference: str, text: str, *, by: str, expected_version: int
) -> CaseView:
    """A lesson learned from the case, for the quarterly learning bulletin."""
    lesson = _checked(text, "lesson learned")
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE)
        before = snapshot(view_case(session, case))
        assert case.id is not None
        session.add(
            LessonLearned(
                case_id=case.id,
                text=lesson,
                recorded_on=ctx.clock.today(),
                recorded_by_id=actor.id,
                created_at=ctx.clock.now(),
            )
        )
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="record_lesson",
            summary="Lesson learned recorded",
            before=before,
            after={"lesson": lesson},
        )


def record_cost(
    ctx: Context,
    reference: str,
    kind: str,
    amount: str,
    *,
    by: str,
    expected_version: int,
    incurred_on: date,
    description: str | None = None,
) -> CaseView:
    """A cost of investigating the case at stage 2 or 3 (invoices, panel costs)."""
    cost_kind = parse_choice(CostKind, kind, "kind of cost")
    money = parse_money(amount)
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE)
        if case.stage not in (2, 3):
            raise DomainError("costs are recorded for stage 2 and 3 investigations only")
        if incurred_on > ctx.clock.today():
            raise DomainError(f"{incurred_on.isoformat()} is in the future")
        before = snapshot(view_case(session, case))
        assert case.id is not None
        session.add(
            StageCost(
                case_id=case.id,
                stage=case.stage,
                kind=cost_kind,
                amount=money,
                incurred_on=incurred_on,
                description=(description or "").strip() or None,
                created_at=ctx.clock.now(),
            )
        )
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="record_cost",
            summary=f"Stage {case.stage} cost: {cost_kind.value.replace('_', ' ')} £{money}",
            before=before,
            after={"cost": cost_kind.value, "amount": str(money)},
        )


def open_actions(ctx: Context, reference: str, *, by: str) -> list[Action]:
    """The actions of a case not yet completed or cancelled, for `by`, who must see the case."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, by))
        query = select(Action).where(Action.case_id == case.id, Action.status == ActionStatus.OPEN)
        return list(session.exec(query).all())


def _checked(value: str, what: str) -> str:
    return required_text(value, what, MAX_TEXT)
