"""Writing imported cases: each record as a case with its points, findings, deadlines,
escalations, remedies, costs, extensions, Ombudsman record, actions and lessons, in the
import's transaction; and the names (teams, users, categories) a file's rows refer to."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, delete, select

from complaints.context import Context
from complaints.exchange.exporting import case_records, due_on_rule
from complaints.exchange.files import SourceRow
from complaints.exchange.formatting import format_row
from complaints.exchange.records import (
    ACKNOWLEDGEMENTS,
    STAGE_ADJUDICATIONS,
    STAGE_RESPONSE_DEADLINES,
    CaseRecord,
    StageRecord,
)
from complaints.models import (
    Action,
    CaseCategory,
    Category,
    ComplaintPoint,
    Deadline,
    Escalation,
    Extension,
    FeedbackCase,
    LessonLearned,
    LgscoRecord,
    PointOutcome,
    Remedy,
    StageCost,
    Team,
    User,
    table_of,
)
from complaints.models.enums import ActionStatus, DeadlineStatus, Procedure, RemedyKind
from complaints.services.audit import record_event


@dataclass
class Names:
    """The product's teams, users and categories, to check and resolve the names in a file."""

    teams: dict[str, Team]
    users: dict[str, User]
    categories: dict[str, Category]

    @classmethod
    def load(cls, session: Session) -> Names:
        return cls(
            {team.name.casefold(): team for team in session.exec(select(Team))},
            {user.username.casefold(): user for user in session.exec(select(User))},
            {category.name.casefold(): category for category in session.exec(select(Category))},
        )

    def canonical(self, record: CaseRecord) -> CaseRecord:
        """The record with names spelt as the product spells them (all known: see `unknown`)."""
        team = self.teams.get((record.team or "").casefold())
        officer = self.users.get((record.officer or "").casefold())
        categories = (self.categories[name.casefold()].name for name in record.categories)
        return replace(
            record,
            team=team.name if team else None,
            officer=officer.username if officer else None,
            categories=tuple(sorted(categories)),
        )

    def unknown(self, row: SourceRow) -> Iterator[str]:
        """What the row names that the product does not have."""
        team, officer = (str(row.cells.get(name) or "").strip() for name in ("team", "officer"))
        if team and team.casefold() not in self.teams:
            yield f"team: there is no team called '{team}'"
        if officer and officer.casefold() not in self.users:
            yield f"officer: there is no user called '{officer}'"
        for line in str(row.cells.get("categories") or "").splitlines():
            for name in (part.strip() for part in line.split(";")):
                if name and name.casefold() not in self.categories:
                    yield f"categories: there is no category called '{name}'"


class Writer:
    """Writes records as cases in the import's transaction."""

    def __init__(
        self, ctx: Context, session: Session, actor: User, names: Names, file_name: str
    ) -> None:
        self.ctx = ctx
        self.session = session
        self.actor = actor
        self.names = names
        self.file_name = file_name
        self.now = ctx.clock.now()
        self._waiting: dict[tuple[Procedure, str], frozenset[str]] = {}

    def create(self, record: CaseRecord, row_number: int) -> None:
        case = FeedbackCase.model_validate(
            {"reference": record.reference, "version": 1, "created_at": self.now}
            | self._case_fields(record)
        )
        self.session.add(case)
        self.session.flush()
        self._add_related(case, record)
        self._audit(case, "import", f"row {row_number}", None, record)

    def update(self, case: FeedbackCase, record: CaseRecord, row_number: int) -> None:
        (before,) = case_records(self.session, [case], due_on_rule(self.ctx)).values()
        self._clear_related(case)
        for field, value in self._case_fields(record).items():
            setattr(case, field, value)
        flag_modified(case, "updated_at")  # a new version even if only related rows changed
        self.session.flush()
        self._add_related(case, record)
        self._audit(case, "import_update", f"row {row_number} (updated)", before, record)

    def _audit(
        self,
        case: FeedbackCase,
        action: str,
        where: str,
        before: CaseRecord | None,
        after: CaseRecord,
    ) -> None:
        record_event(
            self.session,
            at=self.now,
            actor=self.actor,
            case=case,
            action=action,
            summary=f"Imported from {self.file_name}, {where}",
            before=format_row(before) if before else None,
            after=format_row(after),
        )

    def _case_fields(self, record: CaseRecord) -> dict[str, object]:
        team = self.names.teams.get((record.team or "").casefold())
        officer = self.names.users.get((record.officer or "").casefold())
        return {
            "feedback_type": record.feedback_type,
            "procedure": record.procedure,
            "state": record.state,
            "stage": record.stage,
            "received_on": record.received_on,
            "closed_on": record.closed_on,
            "contact_method": record.contact_method,
            "made_by": record.made_by,
            "complainant_name": record.complainant_name,
            "complainant_email": record.complainant_email,
            "complainant_phone": record.complainant_phone,
            "complainant_address": record.complainant_address,
            "is_child": record.is_child,
            "summary": record.summary,
            "team_id": team.id if team else None,
            "officer_id": officer.id if officer else None,
            "in_time": record.in_time,
            "late_reason": record.late_reason,
            "updated_at": self.now,
            "updated_by_id": self.actor.id,
        }

    def _clear_related(self, case: FeedbackCase) -> None:
        """Remove what an earlier import of this case wrote. Deadlines and actions are kept as
        history (superseded, cancelled), as alerts may refer to them; the rest is rewritten, and
        the audit event keeps the case's whole row as it was."""
        case_id = case.id
        point_ids = select(ComplaintPoint.id).where(ComplaintPoint.case_id == case_id)
        self.session.exec(delete(PointOutcome).where(col(PointOutcome.point_id).in_(point_ids)))
        for model in (ComplaintPoint, CaseCategory, Escalation, Remedy, StageCost, LgscoRecord):
            self.session.exec(delete(model).where(table_of(model).c.case_id == case_id))
        self.session.exec(delete(LessonLearned).where(col(LessonLearned.case_id) == case_id))
        for deadline in self.session.exec(select(Deadline).where(Deadline.case_id == case_id)):
            deadline.status = DeadlineStatus.SUPERSEDED
        for action in self.session.exec(select(Action).where(Action.case_id == case_id)):
            action.status = ActionStatus.CANCELLED

    def _add_related(self, case: FeedbackCase, record: CaseRecord) -> None:
        assert case.id is not None
        owner_id = case.officer_id
        for name in record.categories:
            category_id = self.names.categories[name.casefold()].id
            assert category_id is not None
            self.session.add(CaseCategory(case_id=case.id, category_id=category_id))
        points = [
            ComplaintPoint(
                case_id=case.id,
                number=number,
                description=description,
                team_id=case.team_id,
                officer_id=owner_id,
                added_on=record.received_on,
                created_at=self.now,
            )
            for number, description in enumerate(record.points, start=1)
        ]
        self.session.add_all(points)
        self.session.flush()
        self._add_acknowledgement(case, record)
        for stage in record.stages:
            self._add_stage(case, record, stage, points)
        if record.ombudsman:
            ombudsman = record.ombudsman
            self.session.add(
                LgscoRecord(
                    case_id=case.id,
                    ombudsman_reference=ombudsman.reference,
                    enquiry_received_on=ombudsman.received_on,
                    decision=ombudsman.decision,
                    decision_on=ombudsman.decision_on,
                    compliance_due_on=ombudsman.compliance_due_on,
                    complied_on=ombudsman.complied_on,
                    response_due_on=ombudsman.response_due_on,
                    responded_on=ombudsman.responded_on,
                    remedy_agreed=ombudsman.remedy_agreed,
                    closed_on=ombudsman.closed_on,
                    created_at=self.now,
                )
            )
        for action in record.actions:
            self.session.add(
                Action(
                    case_id=case.id,
                    stage=max(case.stage, 1),
                    kind=action.kind,
                    description=action.description,
                    owner_id=owner_id,
                    due_on=action.due_on,
                    status=ActionStatus.COMPLETED if action.completed_on else ActionStatus.OPEN,
                    completed_on=action.completed_on,
                    created_at=self.now,
                )
            )
        for lesson in record.lessons:
            self.session.add(
                LessonLearned(
                    case_id=case.id,
                    text=lesson.text,
                    recorded_on=lesson.recorded_on,
                    recorded_by_id=self.actor.id,
                    created_at=self.now,
                )
            )
        self.session.flush()

    def _add_acknowledgement(self, case: FeedbackCase, record: CaseRecord) -> None:
        name = ACKNOWLEDGEMENTS.get(record.procedure)
        if name is None:
            return
        waiting = record.state == self.ctx.engine.workflow(record.procedure.value).initial
        if record.acknowledged_on is None and not waiting:
            return
        due_on = due_on_rule(self.ctx)(record.procedure, name, record.received_on)
        self._add_deadline(
            case, name, 1, record.received_on, due_on, record.acknowledged_on, waiting
        )

    def _add_stage(
        self,
        case: FeedbackCase,
        record: CaseRecord,
        stage: StageRecord,
        points: list[ComplaintPoint],
    ) -> None:
        assert case.id is not None
        name = STAGE_RESPONSE_DEADLINES[record.procedure][stage.stage]
        current = record.closed_on is None and record.stage == stage.stage
        adjudication = stage.adjudication
        # A response timer that starts on acknowledgement (corporate, adult social care), on
        # agreeing the stage 2 statement or on the panel's report has not started before then.
        waiting = current and record.state in self._states_before(record.procedure, name)
        # The investigation's deadline runs until its report comes in; then the adjudication's.
        deadline = None
        if not waiting:
            deadline = self._add_deadline(
                case,
                name,
                stage.stage,
                stage.started_on,
                stage.due_on,
                stage.responded_on,
                current and adjudication is None,
            )
        if adjudication is not None:
            self._add_deadline(
                case,
                STAGE_ADJUDICATIONS[record.procedure][stage.stage],
                stage.stage,
                adjudication.started_on,
                adjudication.due_on,
                adjudication.met_on,
                current,
            )
        if deadline is not None:
            self._add_extensions(case, record, stage, deadline)
        answered_on = stage.responded_on or record.closed_on or stage.started_on
        if stage.requested_on is not None and stage.reason is not None:
            self.session.add(
                Escalation(
                    case_id=case.id,
                    to_stage=stage.stage,
                    requested_on=stage.requested_on,
                    reason=stage.reason,
                    created_at=self.now,
                )
            )
        for point, outcome in zip(points, stage.outcomes, strict=False):
            if outcome is not None and point.id is not None:
                self.session.add(
                    PointOutcome(
                        point_id=point.id,
                        stage=stage.stage,
                        outcome=outcome,
                        recorded_on=stage.findings_on or answered_on,
                        created_at=self.now,
                    )
                )
        for kind in stage.remedies:
            financial = kind is RemedyKind.FINANCIAL
            self.session.add(
                Remedy(
                    case_id=case.id,
                    stage=stage.stage,
                    kind=kind,
                    amount=stage.financial_remedy if financial else None,
                    recorded_on=stage.remedies_on or answered_on,
                    created_at=self.now,
                )
            )
        for cost in stage.costs:
            self.session.add(
                StageCost(
                    case_id=case.id,
                    stage=stage.stage,
                    kind=cost.kind,
                    amount=cost.amount,
                    incurred_on=cost.incurred_on,
                    created_at=self.now,
                )
            )

    def _states_before(self, procedure: Procedure, deadline: str) -> frozenset[str]:
        """The states of `procedure` before its timer `deadline` starts (worked out once)."""
        key = (procedure, deadline)
        if key not in self._waiting:
            self._waiting[key] = self.ctx.engine.workflow(procedure.value).states_before(deadline)
        return self._waiting[key]

    def _add_deadline(
        self,
        case: FeedbackCase,
        name: str,
        stage: int,
        started_on: date,
        due_on: date,
        stopped_on: date | None,
        current: bool,
    ) -> Deadline:
        """A deadline as the case's history left it: answered, still running, or overtaken."""
        assert case.id is not None
        status = (
            DeadlineStatus.STOPPED
            if stopped_on
            else DeadlineStatus.RUNNING
            if current
            else DeadlineStatus.CANCELLED
        )
        deadline = Deadline(
            case_id=case.id,
            name=name,
            stage=stage,
            started_on=started_on,
            counted_from_on=started_on,
            original_due_on=due_on,
            due_on=due_on,
            stopped_on=stopped_on,
            status=status,
            owner_id=case.officer_id,
            created_at=self.now,
        )
        self.session.add(deadline)
        return deadline

    def _add_extensions(
        self, case: FeedbackCase, record: CaseRecord, stage: StageRecord, deadline: Deadline
    ) -> None:
        """The stage's extensions, each moving the due date on from the one computed first."""
        if not stage.extensions:
            return
        self.session.flush()
        assert case.id is not None and deadline.id is not None
        name = STAGE_RESPONSE_DEADLINES[record.procedure][stage.stage]
        due_on = due_on_rule(self.ctx)(record.procedure, name, stage.started_on)
        deadline.original_due_on = due_on
        for extension in stage.extensions:
            new_due_on = self.ctx.calendar.add_working_days(due_on, extension.working_days)
            self.session.add(
                Extension(
                    deadline_id=deadline.id,
                    case_id=case.id,
                    previous_due_on=due_on,
                    new_due_on=new_due_on,
                    working_days=extension.working_days,
                    reason=extension.reason,
                    complainant_agreed=extension.complainant_agreed,
                    created_at=self.now,
                )
            )
            due_on = new_due_on
