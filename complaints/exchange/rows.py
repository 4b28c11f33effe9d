"""The exchange file's columns, and turning one row into a `CaseRecord` and back.

A row is a mapping of column name to cell (text from CSV; text, numbers or dates from XLSX).
Parsing checks every cell and reports every problem of the row at once, each naming its column,
so a council fixing a spreadsheet of old cases sees all that is wrong in one pass. Whether the
team, officer and categories exist is the importer's check, as it needs the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from complaints.errors import DomainError
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
from complaints.services.values import parse_money
from workflows.definition import Workflow

E = TypeVar("E", bound=StrEnum)
Cell = str | int | float | date | datetime | None

NO_FINDING = "-"
MAX_EXTENSION_DAYS = 260
ACTION_SEPARATOR = " | "
STAGES = (1, 2, 3)
CASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "the case's reference, unique; required"),
    ("feedback_type", "complaint, compliment, comment or question; required"),
    ("procedure", "statutory_children, corporate, adult_social_care, feedback or redirection"),
    ("state", "a state of the procedure's workflow (`complaints workflow show`); required"),
    ("stage", "0 to 3; default: the stage of the state, or the last stage given for a closed case"),
    ("received_on", "Day 0, the day it was received; required"),
    ("closed_on", "required when the state is closed or withdrawn, empty otherwise"),
    ("contact_method", "one of config.toml's contact methods; default email"),
    ("made_by", "complainant, child, advocate or representative; default complainant"),
    ("complainant_name", "default 'Not recorded'"),
    ("complainant_email", "how to reach them"),
    ("complainant_phone", "how to reach them"),
    ("complainant_address", "their postal address"),
    ("is_child", "yes or no; default no"),
    ("summary", "what the feedback is about; required"),
    ("team", "the service area's team name, as set up in the product"),
    ("officer", "the username of the officer who has the case"),
    ("categories", "category names, one per line or separated by semicolons"),
    ("in_time", "yes or no: made within the time limit; empty if not known"),
    ("late_reason", "why a late complaint was accepted"),
    ("acknowledged_on", "the day the complaint was acknowledged"),
    ("points", "the complaint points, one per line"),
)
STAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("requested_on", "stages 2 and 3: the day the complainant asked for this stage"),
    ("reason", f"stages 2 and 3: why, one of {', '.join(EscalationReason)}; default other"),
    ("started_on", "Day 0 of the stage's response deadline; default received_on or requested_on"),
    ("due_on", "the response's due date; default computed from config.toml's timescale"),
    ("responded_on", "the day the stage's response was sent"),
    (
        "outcomes",
        f"a finding per point, one per line in point order ({', '.join(Outcome)}); "
        f"{NO_FINDING} for none",
    ),
    ("findings_on", "the day the findings were recorded; default responded_on"),
    ("remedies", f"any of {', '.join(RemedyKind)}, one per line or separated by semicolons"),
    ("financial_remedy", "the amount of a financial remedy in pounds"),
    ("remedies_on", "the day the remedies were recorded; default findings_on"),
    (
        "costs",
        "stages 2 and 3: what investigating it cost, one per line: kind | pounds | date "
        f"(kinds: {', '.join(CostKind)})",
    ),
    (
        "extensions",
        "extensions agreed, one per line: working days | complainant agreed yes or no | why",
    ),
)
ADJUDICATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("adjudication_started_on", "statutory stage 2: the day the investigation's report came in"),
    ("adjudication_due_on", "statutory stage 2: the adjudication's due date; default computed"),
    ("adjudicated_on", "statutory stage 2: the day the adjudication letter was sent"),
)
OMBUDSMAN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("lgsco_reference", "the Ombudsman's reference; required with any other lgsco_ column"),
    ("lgsco_received_on", "the day the Ombudsman's enquiry arrived"),
    ("lgsco_decision", f"the Ombudsman's decision, one of {', '.join(LgscoDecision)}"),
    ("lgsco_decision_on", "the day of the decision"),
    ("lgsco_compliance_due_on", "when the agreed remedy must be done by"),
    ("lgsco_complied_on", "when it was done"),
    ("lgsco_response_due_on", "when the council's reply to the enquiry was due"),
    ("lgsco_responded_on", "when the council replied"),
    ("lgsco_remedy", "the remedy the Ombudsman asked for"),
    ("lgsco_closed_on", "when the Ombudsman closed the enquiry"),
)
FOLLOW_UP_COLUMNS: tuple[tuple[str, str], ...] = (
    (
        "actions",
        "one per line: due date | completed date or - | action or recommendation | what "
        "(the kind may be left out: an action)",
    ),
    ("lessons", "lessons learned, one per line: date recorded | lesson (the date may be left out)"),
)


def stage_column(stage: int, name: str) -> str:
    return f"stage{stage}_{name}"


def all_columns() -> tuple[tuple[str, str], ...]:
    """Every column of the exchange file, in the order the exporter writes them."""
    stage_columns = tuple(
        (stage_column(stage, name), meaning)
        for stage in STAGES
        for name, meaning in (*STAGE_COLUMNS, *(ADJUDICATION_COLUMNS if stage == 2 else ()))
        if stage > 1 or name not in ("requested_on", "reason", "costs")
    )
    return CASE_COLUMNS + stage_columns + OMBUDSMAN_COLUMNS + FOLLOW_UP_COLUMNS


COLUMN_NAMES = tuple(name for name, _ in all_columns())
REQUIRED_COLUMNS = ("reference", "feedback_type", "procedure", "state", "received_on", "summary")


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
    cells = _Cells(row, rules.today)
    record = _parse_cells(cells, rules)
    if cells.problems or record is None:
        raise BadRowError(cells.problems or ["the row could not be read"])
    return record


def _parse_cells(cells: _Cells, rules: RowRules) -> CaseRecord | None:
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
    email = cells.text("complainant_email", limit=254)
    phone = cells.text("complainant_phone", limit=40)
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
    cells: _Cells, workflow: Workflow | None, state: str | None, received_on: date | None
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
    cells: _Cells, workflow: Workflow | None, state: str | None, stages: tuple[StageRecord, ...]
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
    cells: _Cells, rules: RowRules, procedure: Procedure, received_on: date, point_count: int
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
    cells: _Cells,
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


def _costs(cells: _Cells, column: str, received_on: date) -> tuple[CostRecord, ...]:
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
    cells: _Cells, rules: RowRules, procedure: Procedure, stage: int, investigated_from: date
) -> DeadlineDates | None:
    names = [stage_column(stage, name) for name, _ in ADJUDICATION_COLUMNS]
    if not any(cells.has(name) for name in names):
        return None
    if (procedure, stage) != (Procedure.STATUTORY_CHILDREN, 2):
        cells.problem(names[0], "only the statutory procedure's stage 2 has an adjudication")
        return None
    started_on = cells.day(names[0], required=True, not_before=investigated_from)
    if started_on is None:
        return None
    due_on = cells.day(names[1], not_before=started_on, future=True)
    return DeadlineDates(
        started_on,
        due_on or rules.due_on(procedure, ADJUDICATION, started_on),
        cells.day(names[2], not_before=started_on),
    )


def _extensions(cells: _Cells, column: str) -> tuple[ExtensionRecord, ...]:
    found = []
    for line in cells.lines(column):
        parts = [part.strip() for part in line.split(ACTION_SEPARATOR.strip(), 2)]
        agreed = parts[1].lower() if len(parts) == 3 else ""
        if len(parts) != 3 or not parts[0].isdigit() or agreed not in ("yes", "no") or not parts[2]:
            cells.problem(column, f"'{line}' is not 'working days | yes or no | why'")
            continue
        if not 1 <= int(parts[0]) <= MAX_EXTENSION_DAYS:
            cells.problem(column, f"{parts[0]} working days is not from 1 to {MAX_EXTENSION_DAYS}")
            continue
        found.append(ExtensionRecord(int(parts[0]), agreed == "yes", parts[2]))
    return tuple(found)


def _remedy_order(kind: RemedyKind) -> int:
    return list(RemedyKind).index(kind)


def _outcomes(cells: _Cells, column: str, point_count: int) -> tuple[Outcome | None, ...]:
    lines = cells.lines(column, keep_blank=True)
    if not lines:
        return ()
    if len(lines) != point_count:
        cells.problem(column, f"{len(lines)} findings for {point_count} points; give one per point")
    outcomes: list[Outcome | None] = []
    for line in lines:
        outcomes.append(None if line == NO_FINDING else cells.parse(Outcome, line, column))
    return tuple(outcomes)


def _ombudsman(cells: _Cells) -> OmbudsmanRecord | None:
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


def _actions(cells: _Cells) -> tuple[ActionRecord, ...]:
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


def _lessons(cells: _Cells, recorded_by_default: date | None) -> tuple[LessonRecord, ...]:
    lessons = []
    for line in cells.lines("lessons"):
        parts = _parts(line, 2)
        day = _as_date(parts[0]) if len(parts) == 2 else None
        if day is not None and day > cells.today:
            cells.problem("lessons", f"{day.isoformat()} is in the future")
        text = parts[1] if day is not None else line
        recorded_on = day or recorded_by_default
        if recorded_on is not None and text:
            lessons.append(LessonRecord(recorded_on, text))
    return tuple(lessons)


class _Cells:
    """Reads a row's cells by column, noting each problem instead of stopping at the first."""

    def __init__(self, row: Mapping[str, Cell], today: date) -> None:
        self.row = row
        self.today = today
        self.problems: list[str] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(f"{column}: {message}")

    def has(self, column: str) -> bool:
        return self.raw(column) != ""

    def raw(self, column: str) -> str:
        value = self.row.get(column)
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def text(self, column: str, *, required: bool = False, limit: int) -> str | None:
        value = self.raw(column)
        if not value:
            if required:
                self.problem(column, "is required")
            return None
        if len(value) > limit:
            self.problem(column, f"is longer than {limit} characters")
        return value

    def lines(self, column: str, *, keep_blank: bool = False) -> tuple[str, ...]:
        lines = [line.strip() for line in self.raw(column).splitlines()]
        return tuple(line for line in lines if line or keep_blank)

    def choices_text(self, column: str) -> tuple[str, ...]:
        items = (item.strip() for line in self.lines(column) for item in line.split(";"))
        return tuple(dict.fromkeys(item for item in items if item))

    def choices(self, enum: type[E], column: str) -> tuple[E, ...]:
        parsed = (self.parse(enum, item, column) for item in self.choices_text(column))
        return tuple(item for item in parsed if item is not None)

    def choice(self, enum: type[E], column: str, *, required: bool = False) -> E | None:
        value = self.raw(column)
        if not value:
            if required:
                self.problem(column, "is required")
            return None
        return self.parse(enum, value, column)

    def parse(self, enum: type[E], value: str, column: str) -> E | None:
        try:
            return enum(value.strip().lower().replace(" ", "_"))
        except ValueError:
            self.problem(column, f"'{value}' is not one of {', '.join(m.value for m in enum)}")
            return None

    def day(
        self,
        column: str,
        *,
        required: bool = False,
        not_before: date | None = None,
        future: bool = False,
    ) -> date | None:
        value = self.raw(column)
        if not value:
            if required:
                self.problem(column, "is required")
            return None
        day = self.parse_day(value, column, future=future)
        if day is not None and not_before is not None and day < not_before:
            self.problem(column, f"{day.isoformat()} is before {not_before.isoformat()}")
        return day

    def parse_day(self, value: str, column: str, *, future: bool = False) -> date | None:
        day = _as_date(value)
        if day is None:
            self.problem(column, f"'{value}' is not a date; write YYYY-MM-DD or DD/MM/YYYY")
        elif day > self.today and not future:
            self.problem(column, f"{day.isoformat()} is in the future")
        return day

    def flag(self, column: str) -> bool | None:
        value = self.raw(column).lower()
        if not value:
            return None
        if value in ("yes", "y", "true", "1"):
            return True
        if value in ("no", "n", "false", "0"):
            return False
        self.problem(column, f"'{value}' is not yes or no")
        return None

    def whole_number(self, column: str, lowest: int, highest: int) -> int | None:
        value = self.raw(column)
        if not value:
            return None
        if not value.isdigit() or not lowest <= int(value) <= highest:
            self.problem(column, f"'{value}' is not a whole number from {lowest} to {highest}")
            return None
        return int(value)

    def money(self, column: str) -> Decimal | None:
        value = self.raw(column)
        return self.parse_money(value, column) if value else None

    def parse_money(self, value: str, column: str) -> Decimal | None:
        try:
            return parse_money(value, column)
        except DomainError as error:
            self.problem(column, str(error))
            return None


def _as_date(value: str) -> date | None:
    for parse in (date.fromisoformat, _uk_date):
        try:
            return parse(value[:10] if "-" in value else value)
        except ValueError:
            continue
    return None


def _uk_date(value: str) -> date:
    day, month, year = value.split("/")
    return date(int(year), int(month), int(day))


def format_row(record: CaseRecord) -> dict[str, str]:
    """The row that `parse_row` reads back as `record`."""
    row = {
        "reference": record.reference,
        "feedback_type": record.feedback_type.value,
        "procedure": record.procedure.value,
        "state": record.state,
        "stage": str(record.stage),
        "received_on": record.received_on.isoformat(),
        "closed_on": _day(record.closed_on),
        "contact_method": record.contact_method,
        "made_by": record.made_by.value,
        "complainant_name": record.complainant_name,
        "complainant_email": record.complainant_email or "",
        "complainant_phone": record.complainant_phone or "",
        "complainant_address": record.complainant_address or "",
        "is_child": "yes" if record.is_child else "no",
        "summary": record.summary,
        "team": record.team or "",
        "officer": record.officer or "",
        "categories": "\n".join(record.categories),
        "in_time": "" if record.in_time is None else "yes" if record.in_time else "no",
        "late_reason": record.late_reason or "",
        "acknowledged_on": _day(record.acknowledged_on),
        "points": "\n".join(record.points),
        **{name: "" for name in COLUMN_NAMES if name.startswith(("stage1", "stage2", "stage3"))},
        **_ombudsman_cells(record.ombudsman),
        "actions": "\n".join(_action_line(action) for action in record.actions),
        "lessons": "\n".join(
            ACTION_SEPARATOR.join((lesson.recorded_on.isoformat(), lesson.text))
            for lesson in record.lessons
        ),
    }
    for stage in record.stages:
        row.update(_stage_cells(stage))
    return {name: row[name] for name in COLUMN_NAMES}


def _stage_cells(stage: StageRecord) -> dict[str, str]:
    cells = {
        "started_on": stage.started_on.isoformat(),
        "due_on": stage.due_on.isoformat(),
        "responded_on": _day(stage.responded_on),
        "outcomes": "\n".join(outcome or NO_FINDING for outcome in stage.outcomes),
        "remedies": "\n".join(stage.remedies),
        "financial_remedy": _money(stage.financial_remedy),
        "findings_on": _day(stage.findings_on),
        "remedies_on": _day(stage.remedies_on),
        "extensions": "\n".join(
            ACTION_SEPARATOR.join(
                (str(e.working_days), "yes" if e.complainant_agreed else "no", e.reason)
            )
            for e in stage.extensions
        ),
    }
    if stage.adjudication is not None:
        cells["adjudication_started_on"] = stage.adjudication.started_on.isoformat()
        cells["adjudication_due_on"] = stage.adjudication.due_on.isoformat()
        cells["adjudicated_on"] = _day(stage.adjudication.met_on)
    if stage.stage > 1:
        cells["requested_on"] = _day(stage.requested_on)
        cells["reason"] = stage.reason.value if stage.reason else ""
        cells["costs"] = "\n".join(
            ACTION_SEPARATOR.join(
                (cost.kind.value, _money(cost.amount), cost.incurred_on.isoformat())
            )
            for cost in stage.costs
        )
    return {stage_column(stage.stage, name): value for name, value in cells.items()}


def _ombudsman_cells(record: OmbudsmanRecord | None) -> dict[str, str]:
    if record is None:
        return {name: "" for name, _ in OMBUDSMAN_COLUMNS}
    return {
        "lgsco_reference": record.reference,
        "lgsco_received_on": record.received_on.isoformat(),
        "lgsco_decision": record.decision.value if record.decision else "",
        "lgsco_decision_on": _day(record.decision_on),
        "lgsco_compliance_due_on": _day(record.compliance_due_on),
        "lgsco_complied_on": _day(record.complied_on),
        "lgsco_response_due_on": _day(record.response_due_on),
        "lgsco_responded_on": _day(record.responded_on),
        "lgsco_remedy": record.remedy_agreed or "",
        "lgsco_closed_on": _day(record.closed_on),
    }


def _action_line(action: ActionRecord) -> str:
    completed = _day(action.completed_on) or NO_FINDING
    parts = (action.due_on.isoformat(), completed, action.kind.value, action.description)
    return ACTION_SEPARATOR.join(parts)


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"
