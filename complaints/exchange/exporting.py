"""Export: every case as exchange rows (CSV or XLSX, the columns the importer reads), or as one
JSON document with everything held about each case.

Cases are read a batch at a time, each table with one query per batch, so exporting a large
council's history needs neither one query per case nor all of it in memory at once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from complaints.context import Context
from complaints.deadlines import compute_due_on
from complaints.exchange.formatting import format_row
from complaints.exchange.records import (
    ADJUDICATION,
    STAGE_RESPONSE_DEADLINES,
    ActionRecord,
    CaseRecord,
    CostRecord,
    DeadlineDates,
    ExtensionRecord,
    LessonRecord,
    OmbudsmanRecord,
    StageRecord,
)
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
    Hold,
    LessonLearned,
    Letter,
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
    Outcome,
    Procedure,
    RemedyKind,
)
from complaints.permissions import Permission, require
from complaints.services.audit import json_value, record_event
from complaints.services.people import acting_user

BATCH_SIZE = 500
# The tables an exchange row is made from, besides complaint points and their findings.
_RECORD_TABLES: tuple[type[SQLModel], ...] = (
    CaseCategory,
    Deadline,
    Extension,
    Escalation,
    Remedy,
    StageCost,
    LgscoRecord,
    Action,
    LessonLearned,
)
DueOn = Callable[[Procedure, str, date], date]


def due_on_rule(ctx: Context) -> DueOn:
    """A deadline's due date from its Day 0, by the council's timescales and calendar."""

    def due_on(procedure: Procedure, deadline: str, day_zero: date) -> date:
        timescale = ctx.settings.timescale(procedure.value, deadline)
        return compute_due_on(ctx.calendar, timescale, day_zero)

    return due_on


def export_rows(ctx: Context, *, by: str) -> Iterator[dict[str, str]]:
    """Every case as an exchange row, oldest reference first, for an administrator (the export
    is every case's personal data: it is recorded in the audit trail before a row is read)."""
    _record_export(ctx, by, "rows")
    return _rows(ctx)


def export_json(ctx: Context, out: IO[str], *, by: str) -> int:
    """Write every case, with each of its rows in every table, as one JSON document, for an
    administrator (recorded in the audit trail first)."""
    _record_export(ctx, by, "JSON")
    return write_json(ctx, out)


def _record_export(ctx: Context, by: str, form: str) -> None:
    with ctx.database.unit_of_work() as session:
        actor = acting_user(session, by)
        require(actor, Permission.EXPORT_CASES)
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="export",
            summary=f"Every case exported as {form} by {actor.full_name}",
        )


def _rows(ctx: Context) -> Iterator[dict[str, str]]:
    due_on = due_on_rule(ctx)
    with ctx.database.reader() as session:
        for cases in _batches(session):
            for record in case_records(session, cases, due_on).values():
                yield format_row(record)


def write_json(ctx: Context, out: IO[str], only: Any = None) -> int:
    """Write every case (or those matching the condition `only`), with each of its rows in
    every table, as one JSON document; the caller has checked who asked and recorded it."""
    count = 0
    with ctx.database.reader() as session:
        out.write('{"format": "complaints-export", "version": 1,\n "cases": [\n')
        for cases in _batches(session, only):
            for document in _case_documents(session, cases):
                out.write(",\n" if count else "")
                out.write(json.dumps(json_value(document), sort_keys=True))
                count += 1
        out.write("\n]}\n")
    return count


def case_records(
    session: Session, cases: Sequence[FeedbackCase], due_on: DueOn
) -> dict[int, CaseRecord]:
    """The exchange record of each case, by case id, read with one query per table."""
    related = _Related.load(session, cases)
    return {case.id: related.record(case, due_on) for case in cases if case.id is not None}


def _batches(session: Session, only: Any = None) -> Iterator[list[FeedbackCase]]:
    last_id = 0
    while True:
        query = (
            select(FeedbackCase)
            .where(col(FeedbackCase.id) > last_id, sa.true() if only is None else only)
            .order_by(col(FeedbackCase.id))
            .limit(BATCH_SIZE)
        )
        cases = list(session.exec(query).all())
        if not cases:
            return
        yield cases
        last_id = cases[-1].id or last_id
        session.expunge_all()


@dataclass
class _Related:
    """The rows of one batch of cases in every related table, grouped by case."""

    names: dict[str, dict[int, str]]
    points: dict[int, list[ComplaintPoint]]
    outcomes: dict[int, dict[int, Outcome]]  # point id -> stage -> outcome
    finding_days: dict[tuple[int, int], date]  # (point id, stage) -> the day it was recorded
    rows: dict[type[SQLModel], dict[int, list[Any]]]

    @classmethod
    def load(cls, session: Session, cases: Sequence[FeedbackCase]) -> _Related:
        ids = [case.id for case in cases]
        rows = {model: _by_case(session, model, ids) for model in _RECORD_TABLES}
        points = _by_case(session, ComplaintPoint, ids)
        outcomes: dict[int, dict[int, Outcome]] = defaultdict(dict)
        finding_days: dict[tuple[int, int], date] = {}
        for found in _outcomes_of(session, points).values():
            for outcome in found:
                outcomes[outcome.point_id][outcome.stage] = outcome.outcome
                finding_days[outcome.point_id, outcome.stage] = outcome.recorded_on
        return cls(_names(session), points, outcomes, finding_days, rows)

    def of(self, model: type[SQLModel], case: FeedbackCase) -> list[Any]:
        return self.rows[model].get(case.id or 0, [])

    def record(self, case: FeedbackCase, due_on: DueOn) -> CaseRecord:
        points = sorted(self.points.get(case.id or 0, []), key=lambda point: point.number)
        deadlines = [d for d in self.of(Deadline, case) if d.status != DeadlineStatus.SUPERSEDED]
        acknowledgement = _latest(deadlines, "acknowledgement")
        return CaseRecord(
            reference=case.reference,
            feedback_type=case.feedback_type,
            procedure=case.procedure,
            state=case.state,
            stage=case.stage,
            received_on=case.received_on,
            closed_on=case.closed_on,
            contact_method=case.contact_method,
            made_by=case.made_by,
            complainant_name=case.complainant_name,
            complainant_email=case.complainant_email,
            complainant_phone=case.complainant_phone,
            complainant_address=case.complainant_address,
            is_child=case.is_child,
            summary=case.summary,
            team=self.names["team"].get(case.team_id or 0),
            officer=self.names["user"].get(case.officer_id or 0),
            categories=tuple(
                sorted(
                    self.names["category"][link.category_id] for link in self.of(CaseCategory, case)
                )
            ),
            in_time=case.in_time,
            late_reason=case.late_reason,
            acknowledged_on=_answered_on(acknowledgement),
            points=tuple(point.description for point in points),
            stages=tuple(self._stages(case, points, deadlines, due_on)),
            ombudsman=self._ombudsman(case),
            actions=tuple(
                ActionRecord(action.due_on, action.completed_on, action.description, action.kind)
                for action in sorted(self.of(Action, case), key=lambda action: action.id)
                if action.status != ActionStatus.CANCELLED
            ),
            lessons=tuple(
                LessonRecord(lesson.recorded_on, lesson.text)
                for lesson in sorted(self.of(LessonLearned, case), key=_by_id)
            ),
        )

    def _stages(
        self,
        case: FeedbackCase,
        points: list[ComplaintPoint],
        deadlines: list[Deadline],
        due_on: DueOn,
    ) -> Iterator[StageRecord]:
        escalations = {e.to_stage: e for e in sorted(self.of(Escalation, case), key=_by_id)[::-1]}
        for stage, name in STAGE_RESPONSE_DEADLINES[case.procedure].items():
            deadline = _latest(deadlines, name)
            escalation = escalations.get(stage)
            if stage > 1 and escalation is None and deadline is None:
                return
            started_on = (
                (deadline.counted_from_on or deadline.started_on)
                if deadline
                else escalation.requested_on
                if escalation
                else case.received_on
            )
            remedies = [r for r in self.of(Remedy, case) if r.stage == stage]
            stage_costs = sorted(
                (cost for cost in self.of(StageCost, case) if cost.stage == stage), key=_by_id
            )
            adjudication = _latest(deadlines, ADJUDICATION) if stage == 2 else None
            found = [self.finding_days.get((point.id or 0, stage)) for point in points]
            finding_days = [day for day in found if day is not None]
            yield StageRecord(
                stage=stage,
                adjudication=_dates(adjudication) if adjudication else None,
                findings_on=max(finding_days, default=None),
                remedies_on=max((r.recorded_on for r in remedies), default=None),
                costs=tuple(
                    CostRecord(cost.kind, cost.amount, cost.incurred_on) for cost in stage_costs
                ),
                requested_on=escalation.requested_on if escalation else None,
                reason=escalation.reason if escalation else None,
                started_on=started_on,
                due_on=deadline.due_on if deadline else due_on(case.procedure, name, started_on),
                responded_on=_answered_on(deadline),
                outcomes=_stage_outcomes(points, self.outcomes, stage),
                remedies=tuple(r.kind for r in sorted(remedies, key=_remedy_order)),
                financial_remedy=next(
                    (r.amount for r in remedies if r.kind is RemedyKind.FINANCIAL), None
                ),
                extensions=tuple(
                    ExtensionRecord(e.working_days, e.complainant_agreed, e.reason)
                    for e in sorted(self.of(Extension, case), key=_by_id)
                    if deadline is not None and e.deadline_id == deadline.id
                ),
            )

    def _ombudsman(self, case: FeedbackCase) -> OmbudsmanRecord | None:
        records = sorted(self.of(LgscoRecord, case), key=_by_id)
        if not records:
            return None
        record = records[-1]
        return OmbudsmanRecord(
            reference=record.ombudsman_reference,
            received_on=record.enquiry_received_on,
            decision=record.decision,
            decision_on=record.decision_on,
            compliance_due_on=record.compliance_due_on,
            complied_on=record.complied_on,
            response_due_on=record.response_due_on,
            responded_on=record.responded_on,
            remedy_agreed=record.remedy_agreed,
            closed_on=record.closed_on,
        )


def _stage_outcomes(
    points: list[ComplaintPoint], outcomes: dict[int, dict[int, Outcome]], stage: int
) -> tuple[Outcome | None, ...]:
    found = tuple(outcomes.get(point.id or 0, {}).get(stage) for point in points)
    return found if any(found) else ()


def _answered_on(deadline: Deadline | None) -> date | None:
    """The day a deadline was met; a cancelled one (withdrawn, say) was never answered."""
    if deadline is None or deadline.status != DeadlineStatus.STOPPED:
        return None
    return deadline.stopped_on


def _dates(deadline: Deadline) -> DeadlineDates:
    started_on = deadline.counted_from_on or deadline.started_on
    return DeadlineDates(started_on, deadline.due_on, _answered_on(deadline))


def _latest(deadlines: Iterable[Deadline], name: str) -> Deadline | None:
    """The last made of the deadlines with this name: the one in force."""
    named = [deadline for deadline in deadlines if deadline.name == name]
    return max(named, key=_by_id) if named else None


def _by_id(row: Any) -> int:
    return int(row.id or 0)


def _remedy_order(remedy: Remedy) -> int:
    return list(RemedyKind).index(remedy.kind)


def _by_case(
    session: Session, model: type[SQLModel], case_ids: list[int | None]
) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    column = table_of(model).c.case_id
    for row in session.exec(select(model).where(column.in_(case_ids))):
        grouped[getattr(row, "case_id")].append(row)  # noqa: B009  (every table here has one)
    return grouped


def _outcomes_of(
    session: Session, points: dict[int, list[ComplaintPoint]]
) -> dict[int, list[PointOutcome]]:
    """The findings on these complaint points, by point id."""
    point_ids = [point.id for group in points.values() for point in group]
    found: dict[int, list[PointOutcome]] = defaultdict(list)
    query = select(PointOutcome).where(col(PointOutcome.point_id).in_(point_ids))
    for outcome in session.exec(query):
        found[outcome.point_id].append(outcome)
    return found


def _names(session: Session) -> dict[str, dict[int, str]]:
    return {
        "team": dict(session.exec(select(Team.id, Team.name)).all()),  # type: ignore[arg-type]
        "user": dict(session.exec(select(User.id, User.username)).all()),  # type: ignore[arg-type]
        "category": dict(session.exec(select(Category.id, Category.name)).all()),  # type: ignore[arg-type]
    }


# Everything about a case for the JSON export; a letter's text and PDF stay in the product
# (its digest identifies the exact copy sent).
_CASE_TABLES: tuple[type[SQLModel], ...] = (
    *_RECORD_TABLES,
    ComplaintPoint,
    Hold,
    AuditEvent,
)
_LETTER_FIELDS = ("id", "template", "status", "recipient_name", "sha256", "sent_on", "created_at")


def _case_documents(session: Session, cases: Sequence[FeedbackCase]) -> Iterator[dict[str, Any]]:
    ids = [case.id for case in cases]
    tables = {model.__tablename__: _by_case(session, model, ids) for model in _CASE_TABLES}
    letters = _by_case(session, Letter, ids)
    outcomes = _outcomes_of(session, tables["complaint_point"])
    for case in cases:
        document = case.model_dump()
        for table, grouped in tables.items():
            document[str(table)] = [row.model_dump() for row in grouped.get(case.id or 0, [])]
        document["point_outcome"] = [
            outcome.model_dump()
            for point in tables["complaint_point"].get(case.id or 0, [])
            for outcome in outcomes.get(point.id, [])
        ]
        document["letter"] = [
            {field: getattr(letter, field) for field in _LETTER_FIELDS}
            for letter in letters.get(case.id or 0, [])
        ]
        yield document
