"""Logging feedback and moving cases through their workflow.

`log_feedback` creates a case in `received` with the timers its procedure starts on receipt;
`fire_trigger` makes every other state change. Each runs in one unit of work: it checks the
change (state, role, fields, conditions), updates the case and its deadlines, and writes one
audit event with the values before and after, or refuses with a DomainError and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from complaints.contact_details import email_address, phone_number
from complaints.context import Context
from complaints.deadlines import timescale_words
from complaints.errors import ConflictError, DomainError
from complaints.letters.kinds import RESPONSES
from complaints.models import (
    AuditEvent,
    ComplaintPoint,
    DeadlineStatus,
    FeedbackCase,
    FeedbackType,
    Hold,
    Letter,
    LetterStatus,
    MadeBy,
    PointOutcome,
    Procedure,
    Team,
    User,
)
from complaints.permissions import Permission, require
from complaints.services.access import EVERY_CASE, reach_of
from complaints.services.approvals import LetterChange, recheck_letters
from complaints.services.audit import record_event
from complaints.services.categories import set_categories
from complaints.services.effects import apply_effects
from complaints.services.fields import read_fields
from complaints.services.people import acting_user, require_team
from complaints.services.references import reserve_references
from complaints.services.timers import (
    open_deadlines,
    start_log_timers,
    start_timer,
    stop_timers,
)
from complaints.services.values import parse_choice, required_text
from complaints.services.views import CaseView, find_case, view_case
from workflows import WORKFLOWS
from workflows.definition import DeadlineRole, Transition
from workflows.engine import CaseFacts

# The procedures each type of feedback may follow, as the workflows declare.
PROCEDURES_FOR_TYPE = {
    kind: {Procedure(w.name) for w in WORKFLOWS.values() if kind.value in w.feedback_types}
    for kind in FeedbackType
}
MAX_SUMMARY_LENGTH = 10_000
MAX_ADDRESS_LENGTH = 2_000


@dataclass(frozen=True)
class NewFeedback:
    """What is known when feedback arrives (docs/casework.md, feedback and triage)."""

    procedure: str
    feedback_type: str
    received_on: date
    summary: str
    complainant_name: str
    contact_method: str = "email"
    made_by: str = "complainant"
    is_child: bool = False
    advocate_name: str | None = None
    team: str | None = None
    matter_date: date | None = None
    late_reason: str | None = None
    categories: tuple[str, ...] = ()
    complainant_email: str | None = None
    complainant_phone: str | None = None
    complainant_address: str | None = None
    consent_recorded: bool = False


def log_feedback(ctx: Context, feedback: NewFeedback, *, by: str) -> CaseView:
    """Log feedback as a new case in `received` and start the timers its procedure starts."""
    with ctx.database.unit_of_work() as session:
        return log_feedback_in(ctx, session, feedback, by=by)


def log_feedback_in(
    ctx: Context, session: Session, feedback: NewFeedback, *, by: str | None
) -> CaseView:
    """`log_feedback` inside a unit of work the caller holds, for a use case that records more
    in the same transaction (an e-mail and its attachments, say). `by` None is feedback made
    online by a member of the public: nobody owns it until an officer triages it."""
    procedure, feedback_type = _check_type_and_procedure(feedback)
    _check_received_on(ctx, feedback.received_on)
    summary = _required_text(feedback.summary, "summary")
    name = _required_text(feedback.complainant_name, "complainant's name")
    contact_method = _check_contact_method(ctx, feedback.contact_method)
    made_by = parse_choice(MadeBy, feedback.made_by, "who the feedback is from")
    email, phone, address = _contact_details(feedback)
    workflow = ctx.engine.workflow(procedure.value)
    actor = _actor(session, by, Permission.LOG_FEEDBACK) if by is not None else None
    accepted_in_time = in_time(
        ctx, procedure, feedback.received_on, feedback.matter_date, feedback.late_reason
    )
    (reference,) = reserve_references(
        session, ctx.settings.council.reference_prefix, feedback.received_on.year
    )
    now = ctx.clock.now()
    case = FeedbackCase(
        reference=reference,
        feedback_type=feedback_type,
        procedure=procedure,
        state=workflow.initial,
        stage=workflow.stages.get(workflow.initial, 1),
        received_on=feedback.received_on,
        contact_method=contact_method,
        made_by=made_by,
        complainant_name=name,
        complainant_email=email,
        complainant_phone=phone,
        complainant_address=address,
        consent_recorded=feedback.consent_recorded,
        is_child=feedback.is_child or made_by is MadeBy.CHILD,
        advocate_name=(feedback.advocate_name or "").strip() or None,
        summary=summary,
        team_id=_team_id(session, feedback.team),
        officer_id=actor.id if actor else None,
        matter_date=feedback.matter_date,
        in_time=accepted_in_time,
        late_reason=(feedback.late_reason or "").strip() or None,
        created_at=now,
        updated_at=now,
        updated_by_id=actor.id if actor else None,
    )
    session.add(case)
    session.flush()
    if feedback.categories:
        set_categories(session, case, feedback.categories)
    start_log_timers(
        session,
        ctx.settings,
        ctx.calendar,
        workflow,
        case,
        on=feedback.received_on,
        at=now,
        owner_id=actor.id if actor else None,
    )
    session.flush()
    view = view_case(session, case)
    record_event(
        session,
        at=now,
        actor=actor,
        case=case,
        action="log",
        summary=f"{feedback_type.value.capitalize()} {reference} "
        + (f"logged by {actor.full_name}" if actor else "made online"),
        after=snapshot(view),
    )
    return view


def fire_trigger(
    ctx: Context,
    reference: str,
    trigger: str,
    *,
    by: str,
    on: date | None = None,
    values: Mapping[str, str] | None = None,
    expected_version: int,
) -> CaseView:
    """Fire `trigger` on the case as `by`, on `on` (today by default), recording `values`."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        return fire_in_session(ctx, session, case, actor, trigger, on, values or {})


@contextmanager
def changing_case(
    ctx: Context, reference: str, by: str, expected_version: int | None
) -> Iterator[tuple[Session, FeedbackCase, User]]:
    """A unit of work on one case, as one user, who must be allowed to see it (the locking read
    itself applies the rule, so a case outside their reach is not found). Every change a person
    makes says which version of the case it was made against (the version they were shown): a
    stale `expected_version`, or another writer committing first, is refused with who changed
    the case and when, so nobody overwrites a change they have not seen. Changes the product
    makes by itself (a hold running out, the e-mail intake) do not come through here.

    `expected_version` None is for a change guarded by a version of its own instead, checked by
    its caller under the same lock (a letter's revision, `revise_letter`): the case's version
    still moves on, but a change to another part of the case does not refuse it.

    Nothing is flushed until `finish_change`, so the case is written once per change and its
    version moves on by exactly one.
    """
    try:
        with ctx.database.unit_of_work() as session:
            actor = acting_user(session, by)
            reach = reach_of(session, ctx.settings, actor)
            case = find_case(session, reference, reach, to_change=True)
            if expected_version is not None and expected_version != case.version:
                raise _conflict(ctx, reference, case)
            with session.no_autoflush:
                yield session, case, actor
    except StaleDataError:
        raise _conflict(ctx, reference) from None


def finish_change(
    ctx: Context,
    session: Session,
    case: FeedbackCase,
    actor: User | None,
    *,
    action: str,
    summary: str,
    before: dict[str, Any],
    after: dict[str, Any],
    rechecked: list[LetterChange] | None = None,
) -> CaseView:
    """Write the case once (its version moves on by one) and the change's audit event; a change
    the product makes by itself (a hold running out) has no actor. Letters under sign-off are
    checked against the case as it now stands (`complaints.services.approvals`), unless that
    was just done (`rechecked`); what that changed goes in the same audit event."""
    case.updated_at = ctx.clock.now()
    case.updated_by_id = actor.id if actor else None
    # Written even when no column differs (two changes in one instant), so the version moves on.
    flag_modified(case, "updated_at")
    session.add(case)
    session.flush()
    letters = recheck_letters(ctx, session, case) if rechecked is None else rechecked
    if letters:
        after = after | {
            "letters_changed": [
                {"letter_id": c.letter_id, "approval_withdrawn": c.voided, "why": c.why}
                for c in letters
            ]
        }
    view = view_case(session, case)
    record_event(
        session,
        at=case.updated_at,
        actor=actor,
        case=case,
        action=action,
        summary=summary,
        before=before,
        after=snapshot(view) | after,
    )
    return view


def show_case(ctx: Context, reference: str, *, by: str) -> CaseView:
    """The case as it is now, with its deadlines and its complaint points, for `by`, who must
    be allowed to see it."""
    with ctx.database.reader() as session:
        reach = reach_of(session, ctx.settings, acting_user(session, by))
        return view_case(session, find_case(session, reference, reach), with_points=True)


def fire_in_session(
    ctx: Context,
    session: Session,
    case: FeedbackCase,
    actor: User,
    trigger: str,
    on: date | None,
    values: Mapping[str, str],
    *,
    sent: Letter | None = None,
) -> CaseView:
    """Fire `trigger` inside a change already under way. A step whose letter answers the
    complaint (a response, signed off by a second person) is taken only by sending that letter:
    `sent` is the letter being sent."""
    day = check_event_day(ctx, session, case, on)
    procedure = case.procedure.value
    conditions = ctx.engine.transition(procedure, case.state, trigger).conditions
    transition = ctx.engine.check(
        procedure, case.state, trigger, actor.role.value, _facts(session, case, actor, conditions)
    )
    _check_letter_sent(transition, sent)
    timescales = timescale_words(ctx.settings, procedure)
    fields = read_fields(session, transition, values, timescales)
    before = snapshot(view_case(session, case))
    case.state = ctx.engine.next_state(procedure, case.state, trigger)
    if transition.stage is not None:
        case.stage = transition.stage
    stopped = stop_timers(session, case, transition.stops, day)
    cancelled = stop_timers(session, case, transition.cancels, day, DeadlineStatus.CANCELLED)
    effects = apply_effects(ctx, session, case, transition, fields, actor=actor, on=day)
    for step in transition.starts:
        deadline = start_timer(
            session,
            ctx.settings,
            ctx.calendar,
            ctx.engine.workflow(procedure),
            case,
            step,
            on=day,
            at=ctx.clock.now(),
            owner_id=effects.owner_id or case.officer_id or actor.id,
        )
        if step in effects.agreed_due_on:
            deadline.due_on = deadline.original_due_on = effects.agreed_due_on[step]
            deadline.counted_from_on = None  # agreed, not computed: no calendar moves it
    return finish_change(
        ctx,
        session,
        case,
        actor,
        action=trigger,
        summary=f"{transition.describe(timescales)} ({actor.full_name}, {day.isoformat()})",
        before=before,
        after={
            "values": _loggable(fields),
            "stopped": [d.name for d in stopped],
            "cancelled": [d.name for d in cancelled],
        }
        | effects.audit
        | _letter_sent(sent),
    )


def _check_letter_sent(transition: Transition, sent: Letter | None) -> None:
    if transition.letter in RESPONSES and sent is None:
        raise DomainError(
            f"'{transition.trigger}' is done by sending the signed-off "
            f"{transition.letter.replace('_', ' ')} letter from the case's letters (or, for a "
            "letter sent another way, by a manager recording it with a copy of what was sent)"
        )
    if sent is not None and sent.template != transition.letter:
        raise DomainError(f"'{transition.trigger}' does not send the {sent.template} letter")


def _letter_sent(sent: Letter | None) -> dict[str, Any]:
    if sent is None:
        return {}
    recorded: dict[str, Any] = {"letter_id": sent.id, "sha256": sent.sha256}
    if sent.sent_outside_reason:
        recorded["sent_outside_the_product"] = sent.sent_outside_reason
    return recorded


def _facts(
    session: Session, case: FeedbackCase, actor: User, conditions: tuple[str, ...]
) -> CaseFacts:
    """What `conditions` look at, and no more: most transitions have none."""
    facts = CaseFacts(acting_user_id=actor.id)
    if "second_pair_of_eyes" in conditions:
        facts = replace(facts, draft_by=_draft_writers(session, case))
    if "points_have_findings" in conditions:
        finding = (
            select(PointOutcome.id)
            .where(PointOutcome.point_id == ComplaintPoint.id, PointOutcome.stage == case.stage)
            .exists()
        )
        points = session.exec(
            select(ComplaintPoint.number, finding).where(ComplaintPoint.case_id == case.id)
        ).all()
        missing = tuple(sorted(number for number, found in points if not found))
        facts = replace(facts, points_without_findings=missing, point_count=len(points))
    if {"on_hold", "not_on_hold"} & set(conditions):
        open_hold = select(Hold.id).where(Hold.case_id == case.id, col(Hold.ended_on).is_(None))
        facts = replace(facts, on_hold=session.exec(open_hold).first() is not None)
    return facts


def _draft_writers(session: Session, case: FeedbackCase) -> frozenset[int]:
    """Who put the draft response forward (the last `submit_draft`), and who wrote or put
    forward a response letter of the case now waiting for or holding sign-off."""
    submitter = session.exec(
        select(AuditEvent.actor_id)
        .where(AuditEvent.case_id == case.id, AuditEvent.action == "submit_draft")
        .order_by(col(AuditEvent.id).desc())
    ).first()
    letters = session.exec(
        select(Letter.author_id, Letter.submitted_by_id).where(
            Letter.case_id == case.id,
            col(Letter.template).in_(RESPONSES),
            col(Letter.status).in_((LetterStatus.SUBMITTED, LetterStatus.APPROVED)),
        )
    ).all()
    people = {submitter, *(person for row in letters for person in row)}
    return frozenset(person for person in people if person is not None)


def check_event_day(ctx: Context, session: Session, case: FeedbackCase, on: date | None) -> date:
    """The day a change happened: today unless given; never in the future, before the case was
    received, or before the case's last recorded step."""
    today = ctx.clock.today()
    day = on or today
    if day > today:
        raise DomainError(f"{day.isoformat()} is in the future; today is {today.isoformat()}")
    if day < case.received_on:
        raise DomainError(
            f"{day.isoformat()} is before the case was received ({case.received_on.isoformat()})"
        )
    latest = max(
        (d.stopped_on or d.started_on for d in open_deadlines(session, case)), default=None
    )
    if latest is not None and day < latest:
        raise DomainError(
            f"{day.isoformat()} is before the case's last recorded step ({latest.isoformat()})"
        )
    return day


def _conflict(ctx: Context, reference: str, case: FeedbackCase | None = None) -> ConflictError:
    with ctx.database.reader() as session:
        # Only reached once the person has found the case: who changed it is theirs to know.
        current = case or find_case(session, reference, EVERY_CASE)
        editor = session.get(User, current.updated_by_id) if current.updated_by_id else None
    who = editor.full_name if editor else "someone else"
    when = current.updated_at.astimezone(ZoneInfo(ctx.settings.calendar.timezone))
    return ConflictError(
        f"case {current.reference} was changed by {who} at {when:%H:%M on %d %B %Y}; "
        "reload it and try again"
    )


def snapshot(view: CaseView) -> dict[str, Any]:
    return {
        "state": view.state,
        "stage": view.stage,
        "version": view.version,
        "open_deadlines": {
            d.name: d.due_on.isoformat()
            for d in view.deadlines
            if d.status in ("running", "paused")
        },
    }


def _loggable(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: value.username if isinstance(value, User) else value for name, value in fields.items()
    }


def _actor(session: Session, username: str, permission: Permission) -> User:
    actor = acting_user(session, username)
    require(actor, permission)
    return actor


def _check_type_and_procedure(feedback: NewFeedback) -> tuple[Procedure, FeedbackType]:
    procedure = parse_choice(Procedure, feedback.procedure, "procedure")
    feedback_type = parse_choice(FeedbackType, feedback.feedback_type, "type of feedback")
    if procedure not in PROCEDURES_FOR_TYPE[feedback_type]:
        fitting = ", ".join(sorted(p.value for p in PROCEDURES_FOR_TYPE[feedback_type]))
        raise DomainError(
            f"a {feedback_type.value} follows the {fitting} procedure, not {procedure.value}"
        )
    return procedure, feedback_type


def _check_received_on(ctx: Context, received_on: date) -> None:
    today = ctx.clock.today()
    if received_on > today:
        raise DomainError(
            f"the received date {received_on.isoformat()} is in the future; "
            f"today is {today.isoformat()}"
        )


def in_time(
    ctx: Context,
    procedure: Procedure,
    received_on: date,
    matter_date: date | None,
    late_reason: str | None,
) -> bool | None:
    """Whether a complaint was made within the time limit (reg 9: a year from the matter); a
    late complaint is accepted only with a recorded reason. None when the date is not known."""
    if procedure not in PROCEDURES_FOR_TYPE[FeedbackType.COMPLAINT] or matter_date is None:
        return None
    if matter_date > received_on:
        raise DomainError(
            "the date of the matter complained about is after the complaint was received"
        )
    (step,) = ctx.engine.workflow(procedure.value).with_role(DeadlineRole.TIME_LIMIT)
    limit = ctx.settings.timescale(procedure.value, step)
    deadline = ctx.calendar.add_months(matter_date, limit.length)
    if received_on <= deadline:
        return True
    if not (late_reason or "").strip():
        raise DomainError(
            f"this complaint was made after the time limit ({limit.length} months from the "
            f"matter, so by {deadline.isoformat()}); record why it is accepted late"
        )
    return False


def _contact_details(feedback: NewFeedback) -> tuple[str | None, str | None, str | None]:
    email = email_address(feedback.complainant_email)
    phone = phone_number(feedback.complainant_phone)
    address = (feedback.complainant_address or "").strip() or None
    if address is not None and len(address) > MAX_ADDRESS_LENGTH:
        raise DomainError(f"the address must be at most {MAX_ADDRESS_LENGTH} characters long")
    return email, phone, address


def _check_contact_method(ctx: Context, method: str) -> str:
    methods = ctx.settings.lists.contact_methods
    if method not in methods:
        raise DomainError(f"'{method}' is not a contact method; choose one of {', '.join(methods)}")
    return method


def _team_id(session: Session, name: str | None) -> int | None:
    if not name:
        return None
    team: Team = require_team(session, name)
    return team.id


def _required_text(value: str, what: str) -> str:
    return required_text(value, what, MAX_SUMMARY_LENGTH)
