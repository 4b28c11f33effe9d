"""Turning one row of an exchange file into a `CaseRecord`.

A row is a mapping of column name to cell (text from CSV; text, numbers or dates from XLSX).
Parsing checks every cell and reports every problem of the row at once, each naming its column,
so a council fixing a spreadsheet of old cases sees all that is wrong in one pass. Whether the
team, officer and categories exist is the importer's check, as it needs the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from complaints.contact_details import email_address, phone_number
from complaints.errors import DomainError
from complaints.exchange.cells import Cell, Cells, as_date
from complaints.exchange.columns import (
    ACTION_SEPARATOR,
    ADJUDICATION_COLUMNS,
    MAX_EXTENSION_DAYS,
    NO_FINDING,
    OMBUDSMAN_COLUMNS,
    STAGE_COLUMNS,
    STAGES,
    stage_column,
)
from complaints.exchange.records import (
    STAGE_ADJUDICATIONS,
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
from complaints.services.cases import MAX_SUMMARY_LENGTH, PROCEDURES_FOR_TYPE
from complaints.services.values import plain_whole_number
from workflows.definition import Workflow


@dataclass(frozen=True)
class RowRules:
    """What parsing a row needs to know beyond the row: today, the workflows, the council's
    contact methods, and how to compute a deadline's due date from its Day 0."""

    today: date
    workflow: Callable[[str], Workflow]
    contact_methods: tuple[str, ...]
    due_on: Callable[[Procedure, str, date], date]


class BadRowError(DomainError):
    """A row that cannot be imported; `problems` names each bad cell."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_row(row: Mapping[str, Cell], rules: RowRules) -> CaseRecord:
    """The record a row describes, or BadRowError listing everything wrong with it."""
    cells = Cells(row, rules.today)
    record = _parse_cells(cells, rules)
    if cells.problems or record is None:
        raise BadRowError(cells.problems or ["the row could not be read"])
    return record


def _parse_cells(cells: Cells, rules: RowRules) -> CaseRecord | None:
    reference = cells.text("reference", required=True, limit=30)
    feedback_type = cells.choice(FeedbackType, "feedback_type", required=True)
    procedure = cells.choice(Procedure, "procedure", required=True)
    received_on = cells.day("received_on", required=True)
    if feedback_type and procedure and procedure not in PROCEDURES_FOR_TYPE[feedback_type]:
        cells.problem("procedure", f"a {feedback_type.value} cannot follow {procedure.value}")
    workflow = rules.workflow(procedure.value) if procedure else None
    state = cells.text("state", required=True, limit=40)
    if workflow and state and state not in workflow.states:
        cells.problem("state", f"'{state}' is not a state of {workflow.name}")
    points = cells.lines("points")
    stages = (
        _stages(cells, rules, procedure, received_on, len(points))
        if procedure and received_on
        else ()
    )
    closed_on = _closed_on(cells, workflow, state, received_on)
    stage = _stage(cells, workflow, state, stages)
    contact_method = cells.text("contact_method", limit=40) or "email"
    if contact_method not in rules.contact_methods:
        cells.problem("contact_method", f"'{contact_method}' is not one of config.toml's list")
    made_by = cells.choice(MadeBy, "made_by") or MadeBy.COMPLAINANT
    name = cells.text("complainant_name", limit=200) or "Not recorded"
    email = cells.checked("complainant_email", email_address)
    phone = cells.checked("complainant_phone", phone_number)
    address = cells.text("complainant_address", limit=2000)
    is_child = bool(cells.flag("is_child"))
    summary = cells.text("summary", required=True, limit=MAX_SUMMARY_LENGTH)
    team = cells.text("team", limit=100)
    officer = cells.text("officer", limit=100)
    categories = cells.choices_text("categories")
    in_time = cells.flag("in_time")
    late_reason = cells.text("late_reason", limit=MAX_SUMMARY_LENGTH)
    acknowledged_on = cells.day("acknowledged_on", not_before=received_on)
    ombudsman = _ombudsman(cells)
    actions = _actions(cells)
    lessons = _lessons(cells, closed_on or received_on)
    if not (reference and feedback_type and procedure and state and received_on and summary):
        return None
    if stage is None:
        return None
    return CaseRecord(
        reference=reference,
        feedback_type=feedback_type,
        procedure=procedure,
        state=state,
        stage=stage,
        received_on=received_on,
        closed_on=closed_on,
        contact_method=contact_method,
        made_by=made_by,
        complainant_name=name,
        complainant_email=email,
        complainant_phone=phone,
        complainant_address=address,
        is_child=is_child,
        summary=summary,
        team=team,
        officer=officer,
        categories=categories,
        in_time=in_time,
        late_reason=late_reason,
        acknowledged_on=acknowledged_on,
        points=points,
        stages=stages,
        ombudsman=ombudsman,
        actions=actions,
        lessons=lessons,
    )


def _closed_on(
    cells: Cells, workflow: Workflow | None, state: str | None, received_on: date | None
) -> date | None:
    closed_on = cells.day("closed_on", not_before=received_on)
    if workflow is None or state is None or state not in workflow.states:
        return closed_on
    if state in workflow.final_states and closed_on is None:
        cells.problem("closed_on", f"a case that is {state} needs the day it was closed")
    if state not in workflow.final_states and closed_on is not None:
        cells.problem("closed_on", f"a case that is {state} is still open; leave it empty")
    return closed_on


def _stage(
    cells: Cells, workflow: Workflow | None, state: str | None, stages: tuple[StageRecord, ...]
) -> int | None:
    reached = max((stage.stage for stage in stages), default=0)
    given = cells.whole_number("stage", 0, 3)
    if workflow is None or state is None or state not in workflow.states:
        return given
    expected = workflow.stages.get(state)
    if given is not None and expected is not None and given != expected:
        cells.problem("stage", f"a case that is {state} is at stage {expected}, not {given}")
    stage = given if given is not None else expected if expected is not None else reached
    if stage < reached:
        cells.problem(
            "stage", f"stage {reached} columns are filled but the case is at stage {stage}"
        )
    return stage


def _stages(
    cells: Cells, rules: RowRules, procedure: Procedure, received_on: date, point_count: int
) -> tuple[StageRecord, ...]:
    deadlines = STAGE_RESPONSE_DEADLINES[procedure]
    found: list[StageRecord] = []
    for stage in STAGES:
        columns = (*STAGE_COLUMNS, *ADJUDICATION_COLUMNS)
        filled = any(cells.has(stage_column(stage, name)) for name, _ in columns)
        if stage not in deadlines:
            if filled:
                cells.problem(stage_column(stage, "*"), f"{procedure.value} has no stage {stage}")
            continue
        if stage > 1 and not filled:
            break
        record = _stage_record(cells, rules, procedure, stage, received_on, point_count)
        if record is not None:
            found.append(record)
    return tuple(found)


def _stage_record(
    cells: Cells,
    rules: RowRules,
    procedure: Procedure,
    stage: int,
    received_on: date,
    point_count: int,
) -> StageRecord | None:
    def column(name: str) -> str:
        return stage_column(stage, name)

    requested_on = reason = None
    costs: tuple[CostRecord, ...] = ()
    if stage > 1:
        requested_on = cells.day(column("requested_on"), required=True, not_before=received_on)
        reason = cells.choice(EscalationReason, column("reason")) or EscalationReason.OTHER
        costs = _costs(cells, column("costs"), received_on)
    started_on = cells.day(column("started_on"), not_before=received_on) or (
        requested_on if stage > 1 else received_on
    )
    outcomes = _outcomes(cells, column("outcomes"), point_count)
    remedies = tuple(sorted(cells.choices(RemedyKind, column("remedies")), key=_remedy_order))
    financial = cells.money(column("financial_remedy"))
    if financial is not None and RemedyKind.FINANCIAL not in remedies:
        cells.problem(column("financial_remedy"), f"{column('remedies')} does not list financial")
    extensions = _extensions(cells, column("extensions"))
    deadline = STAGE_RESPONSE_DEADLINES[procedure][stage]
    if started_on is None:
        return None
    adjudication = _adjudication(cells, rules, procedure, stage, started_on)
    responded_on = cells.day(column("responded_on"), not_before=started_on)
    answered_on = adjudication.met_on if adjudication and adjudication.met_on else responded_on
    findings_on = cells.day(column("findings_on"), not_before=received_on)
    if outcomes and findings_on is None:
        findings_on = answered_on or started_on
    remedies_on = cells.day(column("remedies_on"), not_before=received_on)
    if remedies and remedies_on is None:
        remedies_on = findings_on or answered_on or started_on
    return StageRecord(
        stage=stage,
        adjudication=adjudication,
        findings_on=findings_on if outcomes else None,
        remedies_on=remedies_on if remedies else None,
        costs=costs,
        requested_on=requested_on,
        reason=reason,
        started_on=started_on,
        due_on=cells.day(column("due_on"), not_before=started_on, future=True)
        or rules.due_on(procedure, deadline, started_on),
        responded_on=responded_on,
        outcomes=outcomes,
        remedies=remedies,
        financial_remedy=financial,
        extensions=extensions,
    )


def _costs(cells: Cells, column: str, received_on: date) -> tuple[CostRecord, ...]:
    found = []
    for line in cells.lines(column):
        parts = _parts(line, 3)
        if len(parts) != 3:
            cells.problem(column, f"'{line}' is not 'kind | pounds | date'")
            continue
        kind = cells.parse(CostKind, parts[0], column)
        amount = cells.parse_money(parts[1], column)
        incurred_on = cells.parse_day(parts[2], column)
        if incurred_on is not None and incurred_on < received_on:
            cells.problem(column, f"{incurred_on.isoformat()} is before {received_on.isoformat()}")
        elif kind is not None and amount is not None and incurred_on is not None:
            found.append(CostRecord(kind, amount, incurred_on))
    return tuple(found)


def _parts(line: str, most: int) -> list[str]:
    return [part.strip() for part in line.split(ACTION_SEPARATOR.strip(), most - 1)]


def _adjudication(
    cells: Cells, rules: RowRules, procedure: Procedure, stage: int, investigated_from: date
) -> DeadlineDates | None:
    names = [stage_column(stage, name) for name, _ in ADJUDICATION_COLUMNS]
    if not any(cells.has(name) for name in names):
        return None
    adjudication = STAGE_ADJUDICATIONS[procedure].get(stage)
    if adjudication is None:
        cells.problem(
            names[0], f"stage {stage} of the {procedure.value} procedure has no adjudication"
        )
        return None
    started_on = cells.day(names[0], required=True, not_before=investigated_from)
    if started_on is None:
        return None
    due_on = cells.day(names[1], not_before=started_on, future=True)
    return DeadlineDates(
        started_on,
        due_on or rules.due_on(procedure, adjudication, started_on),
        cells.day(names[2], not_before=started_on),
    )


def _extensions(cells: Cells, column: str) -> tuple[ExtensionRecord, ...]:
    found = []
    for line in cells.lines(column):
        parts = [part.strip() for part in line.split(ACTION_SEPARATOR.strip(), 2)]
        agreed = parts[1].lower() if len(parts) == 3 else ""
        days = plain_whole_number(parts[0])
        if len(parts) != 3 or days is None or agreed not in ("yes", "no") or not parts[2]:
            cells.problem(column, f"'{line}' is not 'working days | yes or no | why'")
            continue
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            cells.problem(column, f"{parts[0]} working days is not from 1 to {MAX_EXTENSION_DAYS}")
            continue
        found.append(ExtensionRecord(days, agreed == "yes", parts[2]))
    return tuple(found)


def _remedy_order(kind: RemedyKind) -> int:
    return list(RemedyKind).index(kind)


def _outcomes(cells: Cells, column: str, point_count: int) -> tuple[Outcome | None, ...]:
    lines = cells.lines(column, keep_blank=True)
    if not lines:
        return ()
    if len(lines) != point_count:
        cells.problem(column, f"{len(lines)} findings for {point_count} points; give one per point")
    outcomes: list[Outcome | None] = []
    for line in lines:
        outcomes.append(None if line == NO_FINDING else cells.parse(Outcome, line, column))
    return tuple(outcomes)


def _ombudsman(cells: Cells) -> OmbudsmanRecord | None:
    if not any(cells.has(name) for name, _ in OMBUDSMAN_COLUMNS):
        return None
    reference = cells.text("lgsco_reference", required=True, limit=40)
    received_on = cells.day("lgsco_received_on", required=True)
    decision = cells.choice(LgscoDecision, "lgsco_decision")
    decision_on = cells.day("lgsco_decision_on", not_before=received_on)
    compliance_due_on = cells.day("lgsco_compliance_due_on", not_before=received_on, future=True)
    complied_on = cells.day("lgsco_complied_on", not_before=received_on)
    response_due_on = cells.day("lgsco_response_due_on", not_before=received_on, future=True)
    responded_on = cells.day("lgsco_responded_on", not_before=received_on)
    remedy = cells.text("lgsco_remedy", limit=MAX_SUMMARY_LENGTH)
    closed_on = cells.day("lgsco_closed_on", not_before=received_on)
    if reference is None or received_on is None:
        return None
    return OmbudsmanRecord(
        reference, received_on, decision, decision_on, compliance_due_on, complied_on,
        response_due_on, responded_on, remedy, closed_on,
    )  # fmt: skip


def _actions(cells: Cells) -> tuple[ActionRecord, ...]:
    actions = []
    kinds = {kind.value: kind for kind in ActionKind}
    for line in cells.lines("actions"):
        parts = _parts(line, 4)
        kind = ActionKind.ACTION
        if len(parts) == 4 and parts[2].lower() in kinds:
            kind = kinds[parts[2].lower()]
            parts = [parts[0], parts[1], parts[3]]
        else:
            parts = _parts(line, 3)
        if len(parts) != 3 or not parts[2]:
            cells.problem("actions", f"'{line}' is not 'due date | completed date or - | what'")
            continue
        due_on = cells.parse_day(parts[0], "actions", future=True)
        completed_on = None if parts[1] == NO_FINDING else cells.parse_day(parts[1], "actions")
        if due_on is not None:
            actions.append(ActionRecord(due_on, completed_on, parts[2], kind))
    return tuple(actions)


def _lessons(cells: Cells, recorded_by_default: date | None) -> tuple[LessonRecord, ...]:
    lessons = []
    for line in cells.lines("lessons"):
        parts = _parts(line, 2)
        day = as_date(parts[0]) if len(parts) == 2 else None
        if day is not None and day > cells.today:
            cells.problem("lessons", f"{day.isoformat()} is in the future")
        text = parts[1] if day is not None else line
        recorded_on = day or recorded_by_default
        if recorded_on is not None and text:
            lessons.append(LessonRecord(recorded_on, text))
    return tuple(lessons)
