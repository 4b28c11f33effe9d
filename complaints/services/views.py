"""Read-only pictures of a case for the CLI, the web and the API: its state and its deadlines."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from complaints.errors import CaseNotFoundError
from complaints.models import ComplaintPoint, FeedbackCase, Outcome, PointOutcome, Team, User
from complaints.outcomes import stage_outcome
from complaints.services.access import Reach, note_refusal, visible_cases
from complaints.services.timers import case_deadlines


@dataclass(frozen=True)
class DeadlineView:
    name: str
    stage: int
    started_on: date
    due_on: date
    original_due_on: date
    stopped_on: date | None
    status: str
    paused_working_days: int


@dataclass(frozen=True)
class PointView:
    """A complaint point with who investigates it and its finding at each stage, so the lead
    officer of a case spanning several services sees every point's progress."""

    number: int
    description: str
    team: str | None
    officer: str | None
    findings: dict[int, str]


@dataclass(frozen=True)
class CaseView:
    reference: str
    procedure: str
    feedback_type: str
    state: str
    stage: int
    version: int
    received_on: date
    summary: str
    complainant_name: str
    deadlines: tuple[DeadlineView, ...]
    points: tuple[PointView, ...] = ()

    @property
    def outcomes(self) -> dict[int, str]:
        """Each stage's outcome, derived from the findings on its points."""
        stages = sorted({stage for point in self.points for stage in point.findings})
        derived = {
            stage: stage_outcome(
                Outcome(point.findings[stage]) for point in self.points if stage in point.findings
            )
            for stage in stages
        }
        return {stage: outcome.value for stage, outcome in derived.items() if outcome}

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values, dates as ISO strings."""
        json: dict[str, Any] = _jsonable(asdict(self))
        return json | {"outcomes": {str(stage): value for stage, value in self.outcomes.items()}}


def find_case(
    session: Session, reference: str, reach: Reach, *, to_change: bool = False
) -> FeedbackCase:
    """The case with this reference if it is within `reach` (its row locked until the
    transaction ends if `to_change`); otherwise a CaseNotFoundError, the same whether the case
    does not exist or may not be seen, so nobody learns which references exist."""
    wanted = reference.strip().upper()
    query = select(FeedbackCase).where(FeedbackCase.reference == wanted, visible_cases(reach))
    if to_change:
        # A change locks its case's row first (PostgreSQL; SQLite's writers already queue at
        # BEGIN), so two changes to one case take turns: the second sees the first's work.
        query = query.with_for_update()
    case = session.exec(query).first()
    if case is None:
        note_refusal(session, reach, wanted)
        raise CaseNotFoundError(f"there is no case with reference '{wanted}'")
    return case


def view_case(session: Session, case: FeedbackCase, *, with_points: bool = False) -> CaseView:
    """The case and its deadlines (and, if asked, its complaint points with their findings)."""
    deadlines = case_deadlines(session, case)
    return CaseView(
        reference=case.reference,
        procedure=case.procedure.value,
        feedback_type=case.feedback_type.value,
        state=case.state,
        stage=case.stage,
        version=case.version,
        received_on=case.received_on,
        summary=case.summary,
        complainant_name=case.complainant_name,
        deadlines=tuple(
            DeadlineView(
                name=d.name,
                stage=d.stage,
                started_on=d.started_on,
                due_on=d.due_on,
                original_due_on=d.original_due_on,
                stopped_on=d.stopped_on,
                status=d.status.value,
                paused_working_days=d.paused_working_days,
            )
            for d in deadlines
        ),
        points=_points(session, case) if with_points else (),
    )


def _points(session: Session, case: FeedbackCase) -> tuple[PointView, ...]:
    rows = session.exec(
        select(ComplaintPoint, Team.name, User.username)
        .outerjoin(Team, col(Team.id) == ComplaintPoint.team_id)
        .outerjoin(User, col(User.id) == ComplaintPoint.officer_id)
        .where(ComplaintPoint.case_id == case.id)
        .order_by(col(ComplaintPoint.number))
    ).all()
    point_ids = [point.id for point, _, _ in rows]
    findings: dict[int | None, dict[int, str]] = {}
    for outcome in session.exec(
        select(PointOutcome).where(col(PointOutcome.point_id).in_(point_ids))
    ).all():
        findings.setdefault(outcome.point_id, {})[outcome.stage] = outcome.outcome.value
    return tuple(
        PointView(point.number, point.description, team, officer, findings.get(point.id, {}))
        for point, team, officer in rows
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
