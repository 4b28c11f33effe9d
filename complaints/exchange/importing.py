"""Import of historic cases from a council's old system: all or nothing, and safe to re-run.

The whole file is checked first, every row, and every problem is reported with its row number;
only a file with no problems is imported, in one transaction. A reference already in the product
is updated if the file says something new about it and nobody has worked on it in the product
since it was imported; a case that has been worked on is never overwritten. Re-running the same
file changes nothing. Each imported or updated case gets an audit event holding its row before
and after, and the run one more, so what an import did can always be seen and undone by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, delete, func, select

from complaints.context import Context
from complaints.errors import DomainError
from complaints.exchange.exporting import case_records, due_on_rule
from complaints.exchange.files import SourceRow, read_rows
from complaints.exchange.records import (
    ADJUDICATION,
    STAGE_RESPONSE_DEADLINES,
    CaseRecord,
    StageRecord,
)
from complaints.exchange.rows import BadRowError, RowRules, format_row, parse_row
from complaints.models import (
    Action,
    AuditEvent,
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
from complaints.models.enums import (
    ActionStatus,
    DeadlineStatus,
    RemedyKind,
    Role,
)
from complaints.services.audit import record_event
from complaints.services.people import find_user, require_role
from complaints.services.references import reserve_past

IMPORT_ACTIONS = ("import", "import_update")
MAX_PROBLEMS_IN_MESSAGE = 50


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a trial run, would do)."""

    file_name: str
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    trial: bool


class ImportRefusedError(DomainError):
    """The file has problems; nothing was imported. `problems` lists (row number, problem)."""

    def __init__(self, file_name: str, problems: list[tuple[int, str]]) -> None:
        shown = problems[:MAX_PROBLEMS_IN_MESSAGE]
        lines = [f"  row {row}: {problem}" for row, problem in shown]
        if len(problems) > len(shown):
            lines.append(f"  ... and {len(problems) - len(shown)} more")
        rows = len({row for row, _ in problems})
        super().__init__(
            f"{file_name}: nothing was imported; {rows} rows have problems:\n" + "\n".join(lines)
        )
        self.problems = problems


def import_cases(ctx: Context, path: Path, *, by: str, trial: bool = False) -> ImportResult:
    """Import every case row of a CSV or XLSX file (see the README for the columns)."""
    source_rows = read_rows(path)
    if not source_rows:
        raise DomainError(f"{path.name} has headings but no cases")
    records, problems = _parse(ctx, source_rows)
    with ctx.database.unit_of_work() as session:
        actor = find_user(session, by)
        require_role(actor, {Role.ADMIN}, "import cases", "; an administrator does this")
        names = _Names.load(session)
        for row in source_rows:
            unknown = [(row.row, problem) for problem in names.unknown(row)]
            problems.extend(unknown)
            if unknown:
                records.pop(row.row, None)
        records = {number: names.canonical(record) for number, record in records.items()}
        existing = _existing_cases(session, [record.reference for record in records.values()])
        plan = _plan(ctx, session, records, existing, problems)
        if problems:
            raise ImportRefusedError(path.name, sorted(problems))
        result = ImportResult(
            path.name,
            created=tuple(records[row_number].reference for row_number in plan.create),
            updated=tuple(records[row_number].reference for row_number in plan.update),
            unchanged=plan.unchanged,
            trial=trial,
        )
        if trial:
            return result  # nothing has been written: the unit of work commits no change
        writer = _Writer(ctx, session, actor, names, path.name)
        for row_number in plan.create:
            writer.create(records[row_number], row_number)
        for row_number in plan.update:
            writer.update(existing[records[row_number].reference], records[row_number], row_number)
        reserve_past(session, ctx.settings.council.reference_prefix, result.created)
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="import",
            summary=f"Imported {path.name}: {len(result.created)} new cases, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged",
        )
    return result


def _parse(
    ctx: Context, source_rows: list[SourceRow]
) -> tuple[dict[int, CaseRecord], list[tuple[int, str]]]:
    rules = RowRules(
        today=ctx.clock.today(),
        workflow=ctx.engine.workflow,
        contact_methods=ctx.settings.lists.contact_methods,
        due_on=due_on_rule(ctx),
    )
    records: dict[int, CaseRecord] = {}
    problems: list[tuple[int, str]] = []
    first_row: dict[str, int] = {}
    for row in source_rows:
        problems.extend((row.row, problem) for problem in row.problems)
        try:
            record = parse_row(row.cells, rules)
        except BadRowError as error:
            problems.extend((row.row, problem) for problem in error.problems)
            continue
        key = record.reference.casefold()
        if key in first_row:
            problems.append(
                (row.row, f"reference {record.reference} is also on row {first_row[key]}")
            )
            continue
        first_row[key] = row.row
        records[row.row] = record
    return records, problems


@dataclass
class _Names:
    """The product's teams, users and categories, to check and resolve the names in a file."""

    teams: dict[str, Team]
    users: dict[str, User]
    categories: dict[str, Category]

    @classmethod
    def load(cls, session: Session) -> _Names:
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


@dataclass
class _Plan:
    create: list[int]
    update: list[int]
    unchanged: tuple[str, ...]


def _existing_cases(session: Session, references: Sequence[str]) -> dict[str, FeedbackCase]:
    found: dict[str, FeedbackCase] = {}
    wanted = [reference.casefold() for reference in references]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(FeedbackCase).where(func.lower(FeedbackCase.reference).in_(chunk))
        for case in session.exec(query):
            found[case.reference.casefold()] = case
    return {
        reference: found[reference.casefold()]
        for reference in references
        if reference.casefold() in found
    }


def _plan(
    ctx: Context,
    session: Session,
    records: dict[int, CaseRecord],
    existing: dict[str, FeedbackCase],
    problems: list[tuple[int, str]],
) -> _Plan:
    current = case_records(session, list(existing.values()), due_on_rule(ctx))
    worked_on = _worked_on_since_import(session, [case.id for case in existing.values()])
    plan = _Plan([], [], ())
    unchanged = []
    for row_number, record in records.items():
        case = existing.get(record.reference)
        if case is None:
            plan.create.append(row_number)
        elif current.get(case.id or 0) == replace(record, reference=case.reference):
            unchanged.append(case.reference)
        elif case.id in worked_on:
            problems.append(
                (
                    row_number,
                    f"{case.reference} has been worked on in the product; it was not overwritten",
                )
            )
        else:
            plan.update.append(row_number)
    plan.unchanged = tuple(unchanged)
    return plan


def _worked_on_since_import(session: Session, case_ids: Iterable[int | None]) -> set[int]:
    """The cases with any audit event that is not an import: those belong to the product now."""
    ids = [case_id for case_id in case_ids if case_id is not None]
    query = (
        select(AuditEvent.case_id)
        .where(col(AuditEvent.case_id).in_(ids), col(AuditEvent.action).not_in(IMPORT_ACTIONS))
        .distinct()
    )
    return {case_id for case_id in session.exec(query) if case_id is not None}


class _Writer:
    """Writes records as cases in the import's transaction."""

    def __init__(
        self, ctx: Context, session: Session, actor: User, names: _Names, file_name: str
    ) -> None:
        self.ctx = ctx
        self.session = session
        self.actor = actor
        self.names = names
        self.file_name = file_name
        self.now = ctx.clock.now()

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
        steps = self.ctx.settings.timescales.get(record.procedure.value, {})
        if "acknowledgement" not in steps:
            return
        waiting = record.state == self.ctx.engine.workflow(record.procedure.value).initial
        if record.acknowledged_on is None and not waiting:
            return
        due_on = due_on_rule(self.ctx)(record.procedure, "acknowledgement", record.received_on)
        self._add_deadline(
            case, "acknowledgement", 1, record.received_on, due_on, record.acknowledged_on, waiting
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
        # The investigation's deadline runs until its report comes in; then the adjudication's.
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
                ADJUDICATION,
                stage.stage,
                adjudication.started_on,
                adjudication.due_on,
                adjudication.met_on,
                current,
            )
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
