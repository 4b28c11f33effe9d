"""Complaint points and what is decided about them: a finding per point per stage, and the
remedies offered at each stage. Adding a point at stage 1 may restart the response clock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, func, select

from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.models import (
    ComplaintPoint,
    FeedbackCase,
    FeedbackType,
    Outcome,
    PointOutcome,
    Remedy,
    RemedyKind,
    User,
)
from complaints.permissions import Permission, may, require, require_named
from complaints.services.cases import changing_case, check_event_day, finish_change, snapshot
from complaints.services.people import find_user, require_team
from complaints.services.timers import open_deadlines, start_timer
from complaints.services.values import parse_choice, parse_money, required_text
from complaints.services.views import CaseView, view_case

MAX_DESCRIPTION = 5_000
RESTARTABLE = {"stage1_response", "response"}


def add_complaint_point(
    ctx: Context,
    reference: str,
    description: str,
    *,
    by: str,
    team: str | None = None,
    officer: str | None = None,
    restart: bool = False,
    agreed_by: str | None = None,
    on: date | None = None,
    expected_version: int,
) -> CaseView:
    """Add a complaint point. With `restart` (stage 1 only, with a manager's agreement: the
    manager adds it, or `agreed_by` names them) the response clock starts again from Day 0 =
    `on`; the old deadline is kept as superseded and the agreement is in the audit event."""
    text = _text(description, "complaint point")
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE)
        _check_open_complaint(ctx, case)
        day = check_event_day(ctx, session, case, on)
        before = snapshot(view_case(session, case))
        point = ComplaintPoint(
            case_id=_id(case),
            number=_next_number(session, case),
            description=text,
            team_id=require_team(session, team).id if team else case.team_id,
            officer_id=_investigator(session, officer).id if officer else case.officer_id,
            stage_added=case.stage,
            added_on=day,
            created_at=ctx.clock.now(),
        )
        session.add(point)
        manager = _agreeing_manager(session, actor, agreed_by) if restart else None
        restarted = _restart(ctx, session, case, day) if restart else None
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="add_complaint_point",
            summary=f"Complaint point {point.number} added"
            + (f"; the {restarted.replace('_', ' ')} clock restarted" if restarted else ""),
            before=before,
            after={
                "point": point.number,
                "description": text,
                "restarted": restarted,
                "restart_agreed_by": manager.username if manager else None,
            },
        )


def record_finding(
    ctx: Context,
    reference: str,
    point_number: int,
    outcome: str,
    *,
    by: str,
    notes: str | None = None,
    on: date | None = None,
    expected_version: int,
) -> CaseView:
    """Record (or correct, until the stage is answered) the finding on a point at the case's
    current stage."""
    finding = _outcome(outcome)
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE)
        _check_open_complaint(ctx, case)
        day = check_event_day(ctx, session, case, on)
        point = session.exec(
            select(ComplaintPoint).where(
                ComplaintPoint.case_id == case.id, ComplaintPoint.number == point_number
            )
        ).first()
        if point is None:
            raise NotFoundError(f"case {case.reference} has no complaint point {point_number}")
        before = snapshot(view_case(session, case))
        existing = session.exec(
            select(PointOutcome).where(
                PointOutcome.point_id == point.id, PointOutcome.stage == case.stage
            )
        ).first()
        previous = existing.outcome.value if existing else None
        if existing is None:
            assert point.id is not None
            existing = PointOutcome(
                point_id=point.id,
                stage=case.stage,
                outcome=finding,
                recorded_on=day,
                created_at=ctx.clock.now(),
            )
        existing.outcome = finding
        existing.notes = notes
        existing.recorded_on = day
        existing.recorded_by_id = actor.id
        session.add(existing)
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="record_finding",
            summary=f"Point {point_number} at stage {case.stage}: {_words(finding.value)}",
            before=before | {"finding": previous},
            after={"point": point_number, "finding": finding.value},
        )


def add_remedy(
    ctx: Context,
    reference: str,
    kind: str,
    *,
    by: str,
    amount: str | None = None,
    description: str | None = None,
    expected_version: int,
) -> CaseView:
    """Record a remedy offered at the case's current stage; a financial remedy needs its amount."""
    remedy_kind = _remedy_kind(kind)
    money = _amount(remedy_kind, amount)
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE)
        _check_complaint(case)
        before = snapshot(view_case(session, case))
        duplicate = session.exec(
            select(Remedy).where(
                Remedy.case_id == case.id, Remedy.stage == case.stage, Remedy.kind == remedy_kind
            )
        ).first()
        if duplicate is not None:
            raise DomainError(
                f"a {_words(remedy_kind.value)} remedy is already recorded at stage {case.stage}"
            )
        session.add(
            Remedy(
                case_id=_id(case),
                stage=case.stage,
                kind=remedy_kind,
                amount=money,
                description=(description or "").strip() or None,
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
            action="add_remedy",
            summary=f"Remedy at stage {case.stage}: {remedy_kind.value.replace('_', ' ')}",
            before=before,
            after={"remedy": remedy_kind.value, "amount": str(money) if money else None},
        )


def _agreeing_manager(session: Session, actor: User, agreed_by: str | None) -> User:
    """The manager whose agreement restarts the clock: the person adding the point if they are
    one, otherwise the manager they name (Herefordshire flow chart: with a manager's agreement)."""
    if may(actor, Permission.EXTEND):
        return actor
    if not agreed_by:
        raise DomainError(
            "restarting the clock needs a manager's agreement: name the manager who agreed"
        )
    manager = find_user(session, agreed_by)
    require_named(manager, Permission.EXTEND, "agree a restart of the clock")
    return manager


def _restart(ctx: Context, session: Session, case: FeedbackCase, day: date) -> str:
    if case.stage != 1:
        raise DomainError("the clock restarts only for points added at stage 1")
    running = [d for d in open_deadlines(session, case) if d.name in RESTARTABLE]
    if not running:
        raise DomainError("the case has no stage 1 response clock running to restart")
    deadline = running[0]
    restarted = start_timer(
        session,
        ctx.settings,
        ctx.calendar,
        case,
        deadline.name,
        on=day,
        at=ctx.clock.now(),
        owner_id=deadline.owner_id,
        day_zero=day,
    )
    return restarted.name


def _check_complaint(case: FeedbackCase) -> None:
    if case.feedback_type is not FeedbackType.COMPLAINT:
        raise DomainError(f"case {case.reference} is a {case.feedback_type.value}, not a complaint")


def _check_open_complaint(ctx: Context, case: FeedbackCase) -> None:
    _check_complaint(case)
    if case.state in ctx.engine.workflow(case.procedure.value).final_states:
        raise DomainError(f"case {case.reference} is {case.state}; reopen it first")


def _next_number(session: Session, case: FeedbackCase) -> int:
    highest = session.exec(
        select(func.max(col(ComplaintPoint.number))).where(ComplaintPoint.case_id == case.id)
    ).one()
    return (highest or 0) + 1


def _investigator(session: Session, username: str) -> User:
    officer = find_user(session, username)
    require_named(officer, Permission.INVESTIGATE, "investigate")
    return officer


def _outcome(value: str) -> Outcome:
    return parse_choice(Outcome, value, "finding")


def _remedy_kind(value: str) -> RemedyKind:
    return parse_choice(RemedyKind, value, "remedy")


def _amount(kind: RemedyKind, amount: str | None) -> Decimal | None:
    if kind is not RemedyKind.FINANCIAL:
        if amount:
            raise DomainError("only a financial remedy has an amount")
        return None
    if not amount:
        raise DomainError("a financial remedy needs an amount in pounds")
    return parse_money(amount)


def _text(value: str, what: str) -> str:
    return required_text(value, what, MAX_DESCRIPTION)


def _words(value: str) -> str:
    return value.replace("_", " ")


def _id(case: FeedbackCase) -> int:
    assert case.id is not None
    return case.id
