"""The whole of one case as its page shows it: summary, complainant, deadlines with the working
days left, complaint points and findings, remedies, actions, stage 2/3 costs, lessons learned,
letters, the Ombudsman track, the timeline from the audit trail, and the steps the person
looking may take now (on the case and on each Ombudsman enquiry).

Read-only; every change goes through the service that owns it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.deadlines import TimescaleWords, step_label, timescale_words
from complaints.errors import NotFoundError
from complaints.models import (
    Action,
    ActionStatus,
    AuditEvent,
    CaseCategory,
    Category,
    Deadline,
    Extension,
    FeedbackCase,
    Hold,
    LessonLearned,
    Letter,
    LetterStatus,
    LgscoRecord,
    Remedy,
    StageCost,
    Team,
    User,
)
from complaints.permissions import Permission, may, second_pair_of_eyes
from complaints.services.access import reach_for
from complaints.services.letter_fit import letters_fitting
from complaints.services.letters import LetterView, list_letters
from complaints.services.lgsco import enquiry_steps
from complaints.services.timers import OPEN
from complaints.services.views import CaseView, PointView, find_case, view_case
from workflows.definition import Transition

TIMELINE_LIMIT = 200


@dataclass(frozen=True)
class DeadlineLine:
    name: str
    label: str
    stage: int
    started_on: date
    due_on: date
    stopped_on: date | None
    status: str
    working_days_left: int | None  # None once the deadline is no longer open
    overdue: bool
    extended: bool


@dataclass(frozen=True)
class RemedyLine:
    stage: int
    kind: str
    amount: Decimal | None
    description: str | None


@dataclass(frozen=True)
class ActionLine:
    id: int
    kind: str
    description: str
    owner: str | None
    due_on: date
    status: str
    completed_on: date | None
    evidence: str | None
    overdue: bool


@dataclass(frozen=True)
class CostLine:
    stage: int
    kind: str
    amount: Decimal
    incurred_on: date
    description: str | None


@dataclass(frozen=True)
class LessonLine:
    text: str
    recorded_on: date
    recorded_by: str | None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str | None
    action: str
    summary: str


@dataclass(frozen=True)
class CaseFile:
    view: CaseView
    procedure_title: str
    contact_method: str
    made_by: str
    complainant_email: str | None
    complainant_phone: str | None
    complainant_address: str | None
    is_child: bool
    advocate_name: str | None
    team: str | None
    officer: str | None
    matter_date: date | None
    in_time: bool | None
    late_reason: str | None
    closed_on: date | None
    categories: tuple[str, ...]
    deadlines: tuple[DeadlineLine, ...]
    remedies: tuple[RemedyLine, ...]
    actions: tuple[ActionLine, ...]
    costs: tuple[CostLine, ...]
    lessons: tuple[LessonLine, ...]
    letters: tuple[LetterView, ...]
    lgsco: tuple[LgscoRecord, ...]
    lgsco_steps: Mapping[str, tuple[str, ...]]
    """For each Ombudsman enquiry (by its reference), the steps the viewer may record on it
    now; none for a role that does not deal with the Ombudsman."""
    open_hold: Hold | None
    timeline: tuple[TimelineEntry, ...]
    steps: tuple[Transition, ...]
    """The workflow steps the viewer's role may take from the case's state now (a step's
    conditions are checked when it is taken)."""
    step_descriptions: Mapping[str, str]
    """Each of `steps` (by trigger) described with the council's timescales filled in."""
    timescales: Mapping[str, TimescaleWords]
    """The procedure's timescales in words, as the council set them, for the words of its
    steps (`Transition.fill`)."""
    letter_templates: tuple[str, ...]
    """The letters that fit the case now (`complaints.letters.fit`), responses first."""
    is_final: bool
    can_triage: bool
    """Whether the viewer may triage or reallocate the case now (their role may, and the case
    is still open)."""
    can_record_sent_outside: bool
    letters_to_sign_off: frozenset[int] = frozenset()
    """The letters waiting for sign-off that the viewer may sign off: their role may, and they
    neither wrote nor put forward the letter (four eyes)."""

    @property
    def reference(self) -> str:
        return self.view.reference

    @property
    def points(self) -> tuple[PointView, ...]:
        return self.view.points

    @property
    def costs_total(self) -> Decimal:
        return sum((cost.amount for cost in self.costs), Decimal(0))


def case_file(ctx: Context, reference: str, viewer: User) -> CaseFile:
    """Everything the case page shows, for a viewer allowed to see the case."""
    today = ctx.clock.today()
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, viewer))
        view = view_case(session, case, with_points=True)
        team = session.get(Team, case.team_id) if case.team_id else None
        officer = session.get(User, case.officer_id) if case.officer_id else None
        workflow = ctx.engine.workflow(case.procedure.value)
        steps = ctx.engine.available(case.procedure.value, case.state, viewer.role.value)
        timescales = timescale_words(ctx.settings, workflow.name)
        file = CaseFile(
            view=view,
            procedure_title=workflow.title,
            contact_method=case.contact_method,
            made_by=case.made_by.value,
            complainant_email=case.complainant_email,
            complainant_phone=case.complainant_phone,
            complainant_address=case.complainant_address,
            is_child=case.is_child,
            advocate_name=case.advocate_name,
            team=team.name if team else None,
            officer=officer.full_name if officer else None,
            matter_date=case.matter_date,
            in_time=case.in_time,
            late_reason=case.late_reason,
            closed_on=case.closed_on,
            categories=_categories(session, case),
            deadlines=_deadlines(ctx, session, case, view, today),
            remedies=_remedies(session, case),
            actions=_actions(session, case, today),
            costs=_costs(session, case),
            lessons=_lessons(session, case),
            letters=(),
            lgsco=tuple(
                session.exec(
                    select(LgscoRecord)
                    .where(LgscoRecord.case_id == case.id)
                    .order_by(col(LgscoRecord.id))
                ).all()
            ),
            lgsco_steps={},
            open_hold=session.exec(
                select(Hold).where(Hold.case_id == case.id, col(Hold.ended_on).is_(None))
            ).first(),
            timeline=_timeline(session, case),
            steps=steps,
            step_descriptions={step.trigger: step.describe(timescales) for step in steps},
            timescales=timescales,
            letter_templates=letters_fitting(ctx, session, case),
            is_final=case.state in workflow.final_states,
            can_triage=may(viewer, Permission.TRIAGE) and case.state not in workflow.final_states,
            can_record_sent_outside=may(viewer, Permission.RECORD_SENT_OUTSIDE),
        )
    # Letters are read through their own service, so their view is the one it defines; what may
    # be done next on each Ombudsman enquiry follows from the enquiry and the viewer's role.
    letters = tuple(list_letters(ctx, reference, by=viewer))
    return replace(
        file,
        letters=letters,
        lgsco_steps={
            enquiry.ombudsman_reference: enquiry_steps(enquiry)
            for enquiry in file.lgsco
            if may(viewer, Permission.DEAL_WITH_OMBUDSMAN)
        },
        letters_to_sign_off=frozenset(
            letter.id
            for letter in letters
            if letter.status == LetterStatus.SUBMITTED
            and may(viewer, Permission.SIGN_OFF)
            and second_pair_of_eyes(viewer.username, (letter.author, letter.submitted_by)) is None
        ),
    )


def letter_document(ctx: Context, reference: str, letter_id: int, viewer: User) -> str:
    """The HTML of a letter as drafted or as sent, for a viewer allowed to see the case."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, viewer))
        letter = session.get(Letter, letter_id)
        if letter is None or letter.case_id != case.id:
            raise NotFoundError(f"case {case.reference} has no letter {letter_id}")
        if letter.html is None:
            raise NotFoundError(f"the text of letter {letter_id} is no longer kept")
        return letter.html


def _categories(session: Session, case: FeedbackCase) -> tuple[str, ...]:
    return tuple(
        session.exec(
            select(Category.name)
            .join(CaseCategory, col(CaseCategory.category_id) == Category.id)
            .where(CaseCategory.case_id == case.id)
            .order_by(col(Category.name))
        ).all()
    )


def _deadlines(
    ctx: Context, session: Session, case: FeedbackCase, view: CaseView, today: date
) -> tuple[DeadlineLine, ...]:
    extended_names = set(
        session.exec(
            select(Deadline.name)
            .join(Extension, col(Extension.deadline_id) == Deadline.id)
            .where(Deadline.case_id == case.id, col(Deadline.status).in_(OPEN))
        ).all()
    )
    lines = []
    for deadline in view.deadlines:
        is_open = deadline.status in ("running", "paused")
        lines.append(
            DeadlineLine(
                name=deadline.name,
                label=step_label(deadline.name),
                stage=deadline.stage,
                started_on=deadline.started_on,
                due_on=deadline.due_on,
                stopped_on=deadline.stopped_on,
                status=deadline.status,
                working_days_left=(
                    ctx.calendar.working_days_between(today, deadline.due_on) if is_open else None
                ),
                overdue=is_open and deadline.due_on < today,
                extended=is_open and deadline.name in extended_names,
            )
        )
    return tuple(sorted(lines, key=lambda line: (line.working_days_left is None, line.due_on)))


def _remedies(session: Session, case: FeedbackCase) -> tuple[RemedyLine, ...]:
    rows = session.exec(
        select(Remedy).where(Remedy.case_id == case.id).order_by(col(Remedy.stage), col(Remedy.id))
    ).all()
    return tuple(RemedyLine(r.stage, r.kind.value, r.amount, r.description) for r in rows)


def _actions(session: Session, case: FeedbackCase, today: date) -> tuple[ActionLine, ...]:
    rows = session.exec(
        select(Action, User.full_name)
        .outerjoin(User, col(User.id) == Action.owner_id)
        .where(Action.case_id == case.id)
        .order_by(col(Action.due_on), col(Action.id))
    ).all()
    return tuple(
        ActionLine(
            id=action.id or 0,
            kind=action.kind.value,
            description=action.description,
            owner=owner,
            due_on=action.due_on,
            status=action.status.value,
            completed_on=action.completed_on,
            evidence=action.evidence,
            overdue=action.status is ActionStatus.OPEN and action.due_on < today,
        )
        for action, owner in rows
    )


def _costs(session: Session, case: FeedbackCase) -> tuple[CostLine, ...]:
    rows = session.exec(
        select(StageCost)
        .where(StageCost.case_id == case.id)
        .order_by(col(StageCost.incurred_on), col(StageCost.id))
    ).all()
    return tuple(
        CostLine(c.stage, c.kind.value, c.amount, c.incurred_on, c.description) for c in rows
    )


def _lessons(session: Session, case: FeedbackCase) -> tuple[LessonLine, ...]:
    rows = session.exec(
        select(LessonLearned, User.full_name)
        .outerjoin(User, col(User.id) == LessonLearned.recorded_by_id)
        .where(LessonLearned.case_id == case.id)
        .order_by(col(LessonLearned.recorded_on), col(LessonLearned.id))
    ).all()
    return tuple(LessonLine(lesson.text, lesson.recorded_on, by) for lesson, by in rows)


def _timeline(session: Session, case: FeedbackCase) -> tuple[TimelineEntry, ...]:
    rows = session.exec(
        select(AuditEvent.occurred_at, User.full_name, AuditEvent.action, AuditEvent.summary)
        .outerjoin(User, col(User.id) == AuditEvent.actor_id)
        .where(AuditEvent.case_id == case.id)
        .order_by(col(AuditEvent.occurred_at).desc(), col(AuditEvent.id).desc())
        .limit(TIMELINE_LIMIT)
    ).all()
    return tuple(TimelineEntry(at, actor, action, summary) for at, actor, action, summary in rows)
