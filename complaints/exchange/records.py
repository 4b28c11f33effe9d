"""A case as the exchange files carry it: one row of a spreadsheet, every date and value in it.

These plain records sit between files and the database. The importer turns a row into a
`CaseRecord` and the record into database rows; the exporter builds the same record from the
database and writes it as a row. So a row exported and imported again is the same record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from complaints.models.enums import (
    ActionKind,
    CostKind,
    EscalationReason,
    FeedbackType,
    LgscoDecision,
    MadeBy,
    Outcome,
    Procedure,
    RemedyKind,
)
from workflows import WORKFLOWS
from workflows.definition import DeadlineRole


def _by_stage(role: DeadlineRole) -> dict[Procedure, dict[int, str]]:
    """By procedure, each stage -> its deadline with `role`, from the workflows' declarations."""
    return {
        Procedure(workflow.name): {
            deadline.stage: deadline.name
            for deadline in workflow.deadlines
            if deadline.role is role and deadline.stage is not None
        }
        for workflow in WORKFLOWS.values()
    }


# The deadline whose stop is each stage's answer (see complaints.timeliness).
STAGE_RESPONSE_DEADLINES = _by_stage(DeadlineRole.RESPONSE)
# Where an investigation's report is followed by the council's adjudication (statutory stage 2),
# a response deadline of its own.
STAGE_ADJUDICATIONS = _by_stage(DeadlineRole.ADJUDICATION)
# The acknowledgement of the complaint (stage 1), by procedure.
ACKNOWLEDGEMENTS: dict[Procedure, str] = {
    Procedure(workflow.name): name
    for workflow in WORKFLOWS.values()
    for name in workflow.with_role(DeadlineRole.ACKNOWLEDGEMENT, stage=1)
}


@dataclass(frozen=True)
class DeadlineDates:
    """When a deadline started (Day 0), fell due, and was met."""

    started_on: date
    due_on: date
    met_on: date | None


@dataclass(frozen=True)
class CostRecord:
    """One cost of investigating a stage."""

    kind: CostKind
    amount: Decimal
    incurred_on: date


@dataclass(frozen=True)
class ExtensionRecord:
    """An agreed extension of a stage's response deadline."""

    working_days: int
    complainant_agreed: bool
    reason: str


@dataclass(frozen=True)
class StageRecord:
    """One stage a complaint reached: when it was asked for and answered, and what was found."""

    stage: int
    requested_on: date | None  # stages 2 and 3: the complainant's request
    reason: EscalationReason | None  # stages 2 and 3: why they asked
    started_on: date  # Day 0 of the stage's response deadline
    due_on: date
    responded_on: date | None
    outcomes: tuple[Outcome | None, ...]  # one per complaint point, in point order
    remedies: tuple[RemedyKind, ...]
    financial_remedy: Decimal | None
    extensions: tuple[ExtensionRecord, ...] = ()
    adjudication: DeadlineDates | None = None  # statutory stage 2 only
    findings_on: date | None = None  # the day the stage's last finding was recorded
    remedies_on: date | None = None  # the day the stage's last remedy was recorded
    costs: tuple[CostRecord, ...] = ()  # stages 2 and 3: what investigating it cost


@dataclass(frozen=True)
class ActionRecord:
    """An action or recommendation: when it is due, when it was done, what it is."""

    due_on: date
    completed_on: date | None
    description: str
    kind: ActionKind = ActionKind.ACTION


@dataclass(frozen=True)
class OmbudsmanRecord:
    """The case's enquiry at the Local Government and Social Care Ombudsman."""

    reference: str
    received_on: date
    decision: LgscoDecision | None
    decision_on: date | None
    compliance_due_on: date | None
    complied_on: date | None
    response_due_on: date | None = None
    responded_on: date | None = None
    remedy_agreed: str | None = None
    closed_on: date | None = None


@dataclass(frozen=True)
class LessonRecord:
    """A lesson learned, and the day it was recorded."""

    recorded_on: date
    text: str


@dataclass(frozen=True)
class CaseRecord:
    """Everything an exchange row says about one case."""

    reference: str
    feedback_type: FeedbackType
    procedure: Procedure
    state: str
    stage: int
    received_on: date
    closed_on: date | None
    contact_method: str
    made_by: MadeBy
    complainant_name: str
    complainant_email: str | None
    complainant_phone: str | None
    complainant_address: str | None
    is_child: bool
    summary: str
    team: str | None
    officer: str | None
    categories: tuple[str, ...]
    in_time: bool | None
    late_reason: str | None
    acknowledged_on: date | None
    points: tuple[str, ...]
    stages: tuple[StageRecord, ...]
    ombudsman: OmbudsmanRecord | None
    actions: tuple[ActionRecord, ...]
    lessons: tuple[LessonRecord, ...]
