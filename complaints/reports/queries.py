"""One named query per table of the statutory report (docs/reports.md).

Each `TableQuery` pairs the SQL statement that aggregates a table (GROUP BY, with FILTER for the
counts side by side) with the function that lays its few result rows out as the table; no case is
ever loaded into Python. The same statements run on SQLite and PostgreSQL.

The rules the report counts by:

* A **complaint** is a case of type complaint in one of the three complaint procedures; a
  question, or anything redirected outside the process, is never a complaint. Cases are counted
  by the day they were received, under their type and service area now (a reallocated case
  counts as what it became).
* A stage's **outcome** is derived from its complaint points' findings as
  `complaints.outcomes.stage_outcome` derives it (all upheld: upheld; none: not upheld; mixed:
  partially upheld; points withdrawn or not investigated left out, so a complaint withdrawn
  before any finding is excluded). It is counted in the period its last finding was recorded.
* A stage's **timeliness** is that of its response deadline as `complaints.timeliness` measures
  it: the last-stopped response deadline of the stage, within when answered on or before the due
  date in force (after extensions and holds, as stored), banded by working days from Day 0 to the
  answer. Counted in the period it was answered. Working days are counted with the council's
  calendar over the distinct (Day 0, answer) pairs the query returns, never per case.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import sqlalchemy as sa

from complaints.calendar import WorkingCalendar
from complaints.models import (
    Action,
    ActionStatus,
    CaseCategory,
    ComplaintPoint,
    Deadline,
    DeadlineStatus,
    Escalation,
    Extension,
    FeedbackCase,
    FeedbackType,
    LessonLearned,
    LgscoRecord,
    Outcome,
    PointOutcome,
    Procedure,
    Remedy,
    StageCost,
    table_of,
)
from complaints.outcomes import COUNTED
from complaints.reports import labels
from complaints.reports.model import (
    Cell,
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    Table,
    as_int,
    total_row,
    with_percentages,
)
from complaints.reports.periods import COMPLAINT_PROCEDURES, PROCEDURE_LABELS, Period, ReportFilters
from complaints.timeliness import FROM_11_TO_20_LIMIT, WITHIN_10_LIMIT, answer_deadlines
from workflows import WORKFLOWS
from workflows.definition import DeadlineRole, Workflow

CASE = table_of(FeedbackCase)
CASE_CATEGORY = table_of(CaseCategory)
POINT = table_of(ComplaintPoint)
FINDING = table_of(PointOutcome)
REMEDY = table_of(Remedy)
DEADLINE = table_of(Deadline)
EXTENSION = table_of(Extension)
ESCALATION = table_of(Escalation)
LGSCO = table_of(LgscoRecord)
COST = table_of(StageCost)
ACTION = table_of(Action)
LESSON = table_of(LessonLearned)

AnySelect = sa.Select[*tuple[Any, ...]]
CompoundSelect = sa.CompoundSelect[*tuple[Any, ...]]
Statement = AnySelect | CompoundSelect
Rows = Sequence[Sequence[Any]]  # result rows (sqlalchemy Row is a Sequence)

STAGES = (1, 2, 3)
# The procedures whose cases are matters outside the complaints process.
REDIRECTING = [name for name, workflow in WORKFLOWS.items() if workflow.redirects]
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """What every query needs: the period, the filters (the team resolved to its id), the
    calendar for working days, the day the report is made (for "overdue"), and the names of the
    teams and categories (small lists, read once per report)."""

    period: Period
    filters: ReportFilters
    calendar: WorkingCalendar
    as_of: date
    team_id: int | None
    team_names: dict[int, str]
    category_names: dict[int, str]
    # The cases whose details (references, lessons' words) the reader may see; the statistical
    # tables count every case. See docs/access.md.
    detail_visible: sa.ColumnElement[bool] = dataclasses.field(default_factory=sa.true)
    detail_limited: bool = False
    # The procedures' declarations, which say which deadlines answer the complainant.
    workflows: Mapping[str, Workflow] = dataclasses.field(default_factory=lambda: WORKFLOWS)

    @property
    def answer_names(self) -> list[str]:
        """The deadlines whose stop answers the complainant at a stage (timeliness)."""
        return sorted(answer_deadlines(self.workflows.values()))

    def names_at_stage(self, stage: int, *roles: DeadlineRole) -> list[str]:
        """The deadlines of `stage` with one of `roles`, in any procedure."""
        return sorted(
            {name for wf in self.workflows.values() for name in wf.with_role(*roles, stage=stage)}
        )

    @property
    def procedures(self) -> tuple[Procedure, ...]:
        """The complaint procedures the report covers (the filter's, or all three)."""
        chosen = self.filters.procedures
        return tuple(p for p in COMPLAINT_PROCEDURES if not chosen or p in chosen)

    @property
    def filtered(self) -> bool:
        return bool(self.filters.procedures) or self.team_id is not None


@dataclass(frozen=True)
class TableQuery:
    """A table of the report: its main statement and how its result rows become the table."""

    key: str
    title: str
    statement: Callable[[Scope], Statement]
    build: Callable[[Scope, Rows], Table]

    def run(self, connection: sa.Connection, scope: Scope) -> Table:
        rows = connection.execute(self.statement(scope)).all()
        return self.build(scope, rows)


# -- shared pieces ------------------------------------------------------------------------------


def day_month_year(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def in_period(column: sa.ColumnElement[date], period: Period) -> sa.ColumnElement[bool]:
    return column.between(period.start, period.end)


def case_filters(scope: Scope) -> list[sa.ColumnElement[bool]]:
    """The conditions the filters put on a case."""
    conditions: list[sa.ColumnElement[bool]] = []
    if scope.filters.procedures:
        conditions.append(CASE.c.procedure.in_([p.value for p in scope.filters.procedures]))
    if scope.team_id is not None:
        conditions.append(CASE.c.team_id == scope.team_id)
    return conditions


def feedback_kind() -> sa.ColumnElement[str]:
    """What a case counts as (see `labels.FEEDBACK_KINDS`)."""
    return sa.case(
        (
            sa.or_(
                CASE.c.procedure.in_(REDIRECTING),
                CASE.c.feedback_type == FeedbackType.QUESTION.value,
            ),
            "redirected",
        ),
        else_=CASE.c.feedback_type,
    )


def is_complaint() -> sa.ColumnElement[bool]:
    return sa.and_(
        CASE.c.feedback_type == FeedbackType.COMPLAINT.value,
        CASE.c.procedure.in_([p.value for p in COMPLAINT_PROCEDURES]),
    )


def is_compliment() -> sa.ColumnElement[bool]:
    return sa.and_(
        CASE.c.feedback_type == FeedbackType.COMPLIMENT.value,
        CASE.c.procedure.not_in(REDIRECTING),
    )


def received_in(scope: Scope, kind: Callable[[], sa.ColumnElement[bool]]) -> list[Any]:
    return [kind(), in_period(CASE.c.received_on, scope.period), *case_filters(scope)]


def scoped_to_cases(
    statement: AnySelect, case_id: sa.ColumnElement[int], scope: Scope
) -> AnySelect:
    """`statement` over rows belonging to cases, joined to the case only when a filter needs
    it (the rows these tables count exist only on complaints)."""
    if not scope.filtered:
        return statement
    return statement.join(CASE, CASE.c.id == case_id).where(*case_filters(scope))


def count_where(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.count().filter(condition)


def pence(amount: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    """A money column as whole pence, so sums are exact on SQLite (which keeps no decimals)."""
    return sa.func.sum(sa.cast(sa.func.round(amount * 100), sa.Integer))


def pounds(total_pence: int | None) -> Decimal:
    return (Decimal(int(total_pence or 0)) / 100).quantize(Decimal("0.01"))


def procedure_columns(scope: Scope) -> list[Column]:
    return [Column(PROCEDURE_LABELS[p]) for p in scope.procedures]


def table(
    query_key: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    totals: str | None = "Total",
    notes: Sequence[str] = (),
    chart: Chart | None = None,
    empty_note: str | None = None,
) -> Table:
    """A table laid out from counts: percentages worked out, a totals row, a note when empty."""
    completed = with_percentages(columns, rows)
    built = Table(
        key=query_key,
        title=TITLES[query_key],
        columns=tuple(columns),
        rows=completed,
        totals=total_row(totals, completed, columns) if totals is not None else None,
        notes=tuple(notes),
        chart=chart,
    )
    if built.is_empty:
        note = empty_note or "Nothing was recorded in this period: every figure is zero."
        return dataclasses.replace(built, notes=(*built.notes, note))
    return built


def counts_by(rows: Rows, *keys: int) -> dict[tuple[Any, ...], int]:
    """{(key columns...): count} from result rows whose last column is a count."""
    found: dict[tuple[Any, ...], int] = defaultdict(int)
    for row in rows:
        found[tuple(row[k] for k in keys)] += int(row[-1] or 0)
    return found


# -- feedback by type, this year and the two before ---------------------------------------------


def _three_periods(scope: Scope) -> list[Period]:
    return [scope.period.years_earlier(2), scope.period.years_earlier(1), scope.period]


def feedback_by_type_statement(scope: Scope) -> AnySelect:
    periods = _three_periods(scope)
    kind = feedback_kind().label("kind")
    return (
        sa.select(
            kind,
            *(
                count_where(in_period(CASE.c.received_on, p)).label(f"period_{i}")
                for i, p in enumerate(periods)
            ),
        )
        .where(sa.or_(*(in_period(CASE.c.received_on, p) for p in periods)), *case_filters(scope))
        .group_by(kind)
    )


def feedback_by_type_build(scope: Scope, rows: Rows) -> Table:
    periods = _three_periods(scope)
    found = {row[0]: row[1:] for row in rows}
    columns = [Column("Type", ColumnKind.LABEL), *(Column(p.label) for p in periods)]
    body = [
        (label, *(int(n) for n in found.get(kind, (0, 0, 0))))
        for kind, label in labels.FEEDBACK_KINDS
    ]
    return table(
        "feedback_by_type",
        columns,
        body,
        chart=Chart(ChartKind.BAR, 0, (1, 2, 3), "Cases received"),
        notes=(
            "Cases received in each period, by their type now (a reallocated case counts as "
            "what it became). Questions are answered, not counted as complaints.",
        ),
    )


# -- complaints by month ------------------------------------------------------------------------


def by_month_statement(scope: Scope) -> AnySelect:
    year = sa.extract("year", CASE.c.received_on).label("year")
    month = sa.extract("month", CASE.c.received_on).label("month")
    return (
        sa.select(year, month, CASE.c.procedure, sa.func.count())
        .where(*received_in(scope, is_complaint))
        .group_by(year, month, CASE.c.procedure)
    )


def by_month_build(scope: Scope, rows: Rows) -> Table:
    found = counts_by(rows, 0, 1, 2)
    procedures = scope.procedures
    columns = [
        Column("Month", ColumnKind.LABEL),
        *procedure_columns(scope),
        Column("Complaints"),
        Column("% of the period's complaints", ColumnKind.PERCENT, of=len(procedures) + 1),
    ]
    body = []
    for year, month in scope.period.months:
        counts = [found.get((year, month, p.value), 0) for p in procedures]
        body.append((f"{MONTH_NAMES[month - 1]} {year}", *counts, sum(counts), None))
    return table(
        "complaints_by_month",
        columns,
        body,
        chart=Chart(ChartKind.LINE, 0, (len(procedures) + 1,), "Complaints received"),
        notes=("Complaints by the month they were received.",),
    )


# -- by service area and by category (complaints and compliments) -------------------------------


def _by_team_statement(scope: Scope, kind: Callable[[], sa.ColumnElement[bool]]) -> AnySelect:
    return (
        sa.select(CASE.c.team_id, sa.func.count())
        .where(*received_in(scope, kind))
        .group_by(CASE.c.team_id)
    )


def _by_team_build(scope: Scope, rows: Rows, key: str, noun: str) -> Table:
    found = {row[0]: int(row[1]) for row in rows}
    teams = (
        {scope.team_id: scope.team_names[scope.team_id]}
        if scope.team_id is not None
        else dict(scope.team_names)
    )
    body: list[tuple[Cell, ...]] = [
        (name, found.get(team_id, 0), None) for team_id, name in teams.items()
    ]
    if found.get(None):
        body.append((labels.NO_SERVICE_AREA, found[None], None))
    body.sort(key=lambda row: (-as_int(row[1]), str(row[0])))
    columns = [
        Column("Service area", ColumnKind.LABEL),
        Column(noun.capitalize()),
        Column(f"% of {noun}", ColumnKind.PERCENT, of=1),
    ]
    return table(
        key,
        columns,
        body,
        chart=Chart(ChartKind.BAR, 0, (1,), noun.capitalize(), horizontal=True),
        notes=(
            f"{noun.capitalize()} received in the period, by the service area of the case, "
            "highest first.",
        ),
    )


def _by_category_statement(scope: Scope, kind: Callable[[], sa.ColumnElement[bool]]) -> AnySelect:
    return (
        sa.select(CASE_CATEGORY.c.category_id, sa.func.count())
        .select_from(CASE.outerjoin(CASE_CATEGORY, CASE_CATEGORY.c.case_id == CASE.c.id))
        .where(*received_in(scope, kind))
        .group_by(CASE_CATEGORY.c.category_id)
    )


def _by_category_build(scope: Scope, rows: Rows, key: str, noun: str) -> Table:
    found = {row[0]: int(row[1]) for row in rows}
    body: list[tuple[Cell, ...]] = [
        (name, found.get(category_id, 0), None)
        for category_id, name in scope.category_names.items()
    ]
    body.sort(key=lambda row: (-as_int(row[1]), str(row[0])))
    body.append((labels.NOT_CATEGORISED, found.get(None, 0), None))
    columns = [
        Column("Category", ColumnKind.LABEL),
        Column(noun.capitalize()),
        Column("% of categorisations", ColumnKind.PERCENT, of=1),
    ]
    return table(
        key,
        columns,
        body,
        totals="Total categorisations",
        chart=Chart(ChartKind.BAR, 0, (1,), noun.capitalize(), horizontal=True),
        notes=(
            f"{noun.capitalize()} received in the period, by subject category. A case may "
            "be filed under several categories, so the total can exceed the number of cases.",
        ),
    )


# -- stages --------------------------------------------------------------------------------------


def by_stage_statement(scope: Scope) -> CompoundSelect:
    stage1 = (
        sa.select(sa.literal(1).label("stage"), CASE.c.procedure, sa.func.count())
        .where(*received_in(scope, is_complaint))
        .group_by(CASE.c.procedure)
    )
    later = (
        sa.select(
            ESCALATION.c.to_stage,
            CASE.c.procedure,
            sa.func.count(sa.distinct(ESCALATION.c.case_id)),
        )
        .join(CASE, CASE.c.id == ESCALATION.c.case_id)
        .where(in_period(ESCALATION.c.requested_on, scope.period), *case_filters(scope))
        .group_by(ESCALATION.c.to_stage, CASE.c.procedure)
    )
    return sa.union_all(stage1, later)


def by_stage_build(scope: Scope, rows: Rows) -> Table:
    found = counts_by(rows, 0, 1)
    names = {
        1: "Stage 1: complaints received",
        2: "Stage 2: escalations requested",
        3: "Stage 3: review panels requested",
    }
    columns = [Column("Stage", ColumnKind.LABEL), *procedure_columns(scope), Column("Total")]
    body = []
    for stage in STAGES:
        counts = [found.get((stage, p.value), 0) for p in scope.procedures]
        body.append((names[stage], *counts, sum(counts)))
    return table(
        "complaints_by_stage",
        columns,
        body,
        totals=None,
        chart=Chart(ChartKind.BAR, 0, (len(scope.procedures) + 1,), "Complaints"),
        notes=(
            "Stage 1 counts complaints received in the period; stages 2 and 3 count the "
            "complaints whose escalation was requested in the period. Stage 3 (a review "
            "panel) exists for children's social care only; adult social care has one stage.",
        ),
    )


# -- outcomes per stage by service area ---------------------------------------------------------


def outcomes_statement(scope: Scope) -> AnySelect:
    counted = [o.value for o in COUNTED]
    # Every stage of a complaint counted once, in the period its last finding was recorded: one
    # pass over the findings with their cases, keeping the stages whose latest finding falls in
    # the period (the cases are joined first, so the planner hashes them rather than looking
    # each up again after the grouping).
    stage_findings = (
        sa.select(
            CASE.c.team_id,
            FINDING.c.stage,
            count_where(FINDING.c.outcome.in_(counted)).label("counted"),
            count_where(FINDING.c.outcome == Outcome.UPHELD.value).label("upheld"),
            count_where(FINDING.c.outcome == Outcome.NOT_UPHELD.value).label("not_upheld"),
        )
        .select_from(
            FINDING.join(POINT, POINT.c.id == FINDING.c.point_id).join(
                CASE, CASE.c.id == POINT.c.case_id
            )
        )
        .where(is_complaint(), *case_filters(scope))
        .group_by(POINT.c.case_id, CASE.c.team_id, FINDING.c.stage)
        .having(in_period(sa.func.max(FINDING.c.recorded_on), scope.period))
        .subquery("stage_findings")
    )
    s = stage_findings.c
    return (
        sa.select(
            s.stage,
            s.team_id,
            count_where(s.upheld == s.counted).label("upheld"),
            count_where(sa.and_(s.upheld < s.counted, s.not_upheld < s.counted)).label("partly"),
            count_where(s.not_upheld == s.counted).label("not_upheld"),
        )
        .where(s.counted > 0)
        .group_by(s.stage, s.team_id)
    )


def outcomes_build(scope: Scope, rows: Rows) -> Table:
    columns = [
        Column("Stage", ColumnKind.LABEL),
        Column("Service area", ColumnKind.LABEL),
        Column("Upheld"),
        Column("% upheld", ColumnKind.PERCENT, of=2, whole=8),
        Column("Partially upheld"),
        Column("% partially upheld", ColumnKind.PERCENT, of=4, whole=8),
        Column("Not upheld"),
        Column("% not upheld", ColumnKind.PERCENT, of=6, whole=8),
        Column("Complaints"),
    ]
    by_stage: dict[int, list[tuple[str, int, int, int]]] = defaultdict(list)
    for stage, team_id, upheld, partly, not_upheld in rows:
        name = scope.team_names.get(team_id, labels.NO_SERVICE_AREA)
        by_stage[int(stage)].append((name, int(upheld), int(partly), int(not_upheld)))
    body: list[tuple[Cell, ...]] = []
    for stage in STAGES:
        areas = sorted(by_stage.get(stage, []), key=lambda area: area[0])
        totals = [sum(a[1] for a in areas), sum(a[2] for a in areas), sum(a[3] for a in areas)]
        body.append((f"Stage {stage}", labels.ALL_SERVICE_AREAS, totals[0], None, totals[1], None,
                     totals[2], None, sum(totals)))  # fmt: skip
        for name, upheld, partly, not_upheld in areas:
            body.append((f"Stage {stage}", name, upheld, None, partly, None, not_upheld, None,
                         upheld + partly + not_upheld))  # fmt: skip
    return table(
        "outcomes_by_stage",
        columns,
        body,
        totals=None,
        chart=Chart(
            ChartKind.STACKED, 0, (2, 4, 6), "Complaints", only_rows=(1, labels.ALL_SERVICE_AREAS)
        ),
        notes=(
            "Complaints whose stage was concluded in the period (its last finding recorded), "
            "by the outcome derived from the findings on their complaint points: all upheld "
            "is upheld, none upheld is not upheld, anything between is partially upheld. "
            "Withdrawn complaints and points withdrawn or not investigated are excluded. "
            "Percentages are of the row's complaints.",
        ),
    )


# -- remedies by stage --------------------------------------------------------------------------


def remedies_statement(scope: Scope) -> CompoundSelect:
    def per(stage: sa.ColumnElement[int]) -> AnySelect:
        statement = sa.select(
            REMEDY.c.kind,
            stage.label("stage"),
            sa.func.count(sa.distinct(REMEDY.c.case_id)),
            pence(REMEDY.c.amount),
        ).where(in_period(REMEDY.c.recorded_on, scope.period))
        return scoped_to_cases(statement, REMEDY.c.case_id, scope)

    by_stage = per(REMEDY.c.stage).group_by(REMEDY.c.kind, REMEDY.c.stage)
    any_stage = per(sa.literal(0)).group_by(REMEDY.c.kind)
    return sa.union_all(by_stage, any_stage)


def remedies_build(scope: Scope, rows: Rows) -> Table:
    found = {(row[0], int(row[1])): int(row[2]) for row in rows}
    financial_pence = sum(int(row[3] or 0) for row in rows if int(row[1]) == 0)
    columns = [
        Column("Remedy", ColumnKind.LABEL),
        *(Column(f"Stage {stage}") for stage in STAGES),
        Column("Complaints (any stage)"),
    ]
    body = [
        (label, *(found.get((kind.value, stage), 0) for stage in (*STAGES, 0)))
        for kind, label in labels.REMEDIES.items()
    ]
    return table(
        "remedies_by_stage",
        columns,
        body,
        totals=None,
        chart=Chart(ChartKind.BAR, 0, (1, 2, 3), "Complaints", horizontal=True),
        notes=(
            "Complaints given each remedy, by the stage it was recorded at in the period. "
            "More than one remedy can be given for a complaint, and at more than one stage, "
            "so the columns are not added up.",
            f"Financial remedies recorded in the period: £{pounds(financial_pence):,}.",
        ),
    )


# -- timeliness per stage -----------------------------------------------------------------------


def _answered_responses(scope: Scope) -> AnySelect:
    """The response deadlines answered in the period that are their stage's last answer."""
    later = DEADLINE.alias("later")
    stopped = DeadlineStatus.STOPPED.value
    superseded_by_later = (
        sa.select(sa.literal(1))
        .where(
            later.c.case_id == DEADLINE.c.case_id,
            later.c.stage == DEADLINE.c.stage,
            later.c.name.in_(scope.answer_names),
            later.c.status == stopped,
            sa.or_(
                later.c.stopped_on > DEADLINE.c.stopped_on,
                sa.and_(later.c.stopped_on == DEADLINE.c.stopped_on, later.c.id > DEADLINE.c.id),
            ),
        )
        .exists()
    )
    statement = sa.select(DEADLINE).where(
        DEADLINE.c.name.in_(scope.answer_names),
        DEADLINE.c.status == stopped,
        in_period(DEADLINE.c.stopped_on, scope.period),
        ~superseded_by_later,
    )
    return scoped_to_cases(statement, DEADLINE.c.case_id, scope)


def timeliness_statement(scope: Scope) -> AnySelect:
    answered = _answered_responses(scope).subquery("answered")
    day_zero = sa.func.coalesce(answered.c.counted_from_on, answered.c.started_on, type_=sa.Date)
    within = sa.case((answered.c.stopped_on <= answered.c.due_on, 1), else_=0)
    return sa.select(
        answered.c.stage,
        day_zero.label("day_zero"),
        answered.c.stopped_on,
        within.label("within"),
        sa.func.count(),
    ).group_by(answered.c.stage, day_zero, answered.c.stopped_on, within)


def timeliness_build(scope: Scope, rows: Rows) -> Table:
    stages = np.array([int(row[0]) for row in rows], dtype=np.int64)
    day_zero = np.array([row[1] for row in rows], dtype="datetime64[D]")
    answered = np.array([row[2] for row in rows], dtype="datetime64[D]")
    within = np.array([int(row[3]) for row in rows], dtype=np.int64)
    counts = np.array([int(row[4]) for row in rows], dtype=np.int64)
    taken = scope.calendar.working_days_between_array(day_zero, answered)
    columns = [
        Column("Stage", ColumnKind.LABEL),
        Column("Responses"),
        Column("Within timescale"),
        Column("% within", ColumnKind.PERCENT, of=2, whole=1),
        Column("Exceeding timescale"),
        Column("% exceeding", ColumnKind.PERCENT, of=4, whole=1),
        Column(f"Within {WITHIN_10_LIMIT} working days"),
        Column(f"{WITHIN_10_LIMIT + 1} to {FROM_11_TO_20_LIMIT} working days"),
        Column(f"Over {FROM_11_TO_20_LIMIT} working days"),
        Column("Average working days", ColumnKind.NUMBER),
    ]
    body: list[tuple[Cell, ...]] = []
    for stage in STAGES:
        mine = stages == stage
        n = int(counts[mine].sum())
        in_time = int(counts[mine & (within == 1)].sum())
        days = taken[mine]
        weights = counts[mine]
        bands = (
            int(weights[days <= WITHIN_10_LIMIT].sum()),
            int(weights[(days > WITHIN_10_LIMIT) & (days <= FROM_11_TO_20_LIMIT)].sum()),
            int(weights[days > FROM_11_TO_20_LIMIT].sum()),
        )
        average = round(float((days * weights).sum()) / n, 1) if n else None
        body.append((f"Stage {stage}", n, in_time, None, n - in_time, None, *bands, average))
    return table(
        "timeliness_by_stage",
        columns,
        body,
        chart=Chart(ChartKind.STACKED, 0, (2, 4), "Responses"),
        notes=(
            "Responses sent in the period. Within timescale: sent on or before the due date in "
            "force, after any agreed extension and time on hold. The bands count working days "
            "from Day 0 (receipt, or the event the stage's clock starts from) to the response. "
            "Where a stage has several response steps (the stage 2 investigation and the "
            "adjudication), the last one answered is the stage's response.",
        ),
    )


# -- extensions ---------------------------------------------------------------------------------


def extensions_statement(scope: Scope) -> AnySelect:
    statement = (
        sa.select(
            DEADLINE.c.stage,
            sa.func.count(sa.distinct(DEADLINE.c.id)).label("extended"),
            sa.func.count(sa.distinct(DEADLINE.c.id))
            .filter(DEADLINE.c.stopped_on <= DEADLINE.c.due_on)
            .label("within"),
            sa.func.count(EXTENSION.c.id).label("extensions"),
            count_where(EXTENSION.c.complainant_agreed).label("agreed"),
            sa.func.coalesce(sa.func.sum(EXTENSION.c.working_days), 0).label("days"),
        )
        .select_from(EXTENSION.join(DEADLINE, DEADLINE.c.id == EXTENSION.c.deadline_id))
        .where(
            DEADLINE.c.name.in_(scope.answer_names),
            DEADLINE.c.status == DeadlineStatus.STOPPED.value,
            in_period(DEADLINE.c.stopped_on, scope.period),
        )
        .group_by(DEADLINE.c.stage)
    )
    return scoped_to_cases(statement, DEADLINE.c.case_id, scope)


def extensions_build(scope: Scope, rows: Rows) -> Table:
    found = {int(row[0]): [int(v or 0) for v in row[1:]] for row in rows}
    columns = [
        Column("Stage", ColumnKind.LABEL),
        Column("Responses extended"),
        Column("Answered within the extended date"),
        Column("% within", ColumnKind.PERCENT, of=2, whole=1),
        Column("Extensions agreed"),
        Column("With the complainant's agreement"),
        Column("Working days added", ColumnKind.NUMBER),
    ]
    body = []
    for stage in STAGES:
        extended, within, extensions, agreed, days = found.get(stage, [0, 0, 0, 0, 0])
        body.append((f"Stage {stage}", extended, within, None, extensions, agreed, days))
    return table(
        "extensions",
        columns,
        body,
        chart=Chart(ChartKind.BAR, 0, (1, 2), "Responses"),
        notes=(
            "Responses sent in the period whose time limit had been extended, and the "
            "extensions agreed on them.",
        ),
    )


# -- escalation reasons -------------------------------------------------------------------------


def escalations_statement(scope: Scope) -> AnySelect:
    statement = (
        sa.select(ESCALATION.c.reason, ESCALATION.c.to_stage, sa.func.count())
        .where(in_period(ESCALATION.c.requested_on, scope.period))
        .group_by(ESCALATION.c.reason, ESCALATION.c.to_stage)
    )
    return scoped_to_cases(statement, ESCALATION.c.case_id, scope)


def escalations_build(scope: Scope, rows: Rows) -> Table:
    found = counts_by(rows, 0, 1)
    columns = [
        Column("Reason", ColumnKind.LABEL),
        Column("To stage 2"),
        Column("To stage 3"),
        Column("Total"),
        Column("% of escalations", ColumnKind.PERCENT, of=3),
    ]
    body = []
    for reason, label in labels.ESCALATION_REASONS.items():
        to2, to3 = found.get((reason.value, 2), 0), found.get((reason.value, 3), 0)
        body.append((label, to2, to3, to2 + to3, None))
    return table(
        "escalation_reasons",
        columns,
        body,
        chart=Chart(ChartKind.BAR, 0, (1, 2), "Escalations", horizontal=True),
        notes=(
            "Escalations requested in the period, by the reason the complainant gave. A "
            "complainant may escalate at any point of stage 1, including for no response.",
        ),
    )


# -- stage 2 cases open at the end of the period, by step ---------------------------------------

STAGE2_STEPS = (
    ("statement", "Statement of complaint or acknowledgement pending"),
    ("investigating", "Investigation under way"),
    ("adjudication", "Report sent for adjudication"),
    ("responded", "Response sent, case not yet closed"),
)


def stage2_open_statement(scope: Scope) -> AnySelect:
    end = scope.period.end
    escalated = (
        sa.select(ESCALATION.c.case_id)
        .where(ESCALATION.c.to_stage == 2, ESCALATION.c.requested_on <= end)
        .group_by(ESCALATION.c.case_id)
        .cte("escalated")
    )
    to_stage3 = (
        sa.select(sa.literal(1))
        .where(
            ESCALATION.c.case_id == CASE.c.id,
            ESCALATION.c.to_stage == 3,
            ESCALATION.c.requested_on <= end,
        )
        .exists()
    )
    started = sa.and_(DEADLINE.c.started_on <= end)
    answered_by_end = sa.and_(
        DEADLINE.c.status == DeadlineStatus.STOPPED.value, DEADLINE.c.stopped_on <= end
    )
    running_at_end = sa.or_(DEADLINE.c.stopped_on.is_(None), DEADLINE.c.stopped_on > end)

    def flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.max(sa.case((condition, 1), else_=0))

    adjudications = scope.names_at_stage(2, DeadlineRole.ADJUDICATION)
    # A stage's last answer: its adjudication where it has one, else its response.
    last_answers = sorted(
        {
            name
            for wf in scope.workflows.values()
            for name in (
                wf.with_role(DeadlineRole.ADJUDICATION, stage=2)
                or wf.with_role(DeadlineRole.RESPONSE, stage=2)
            )
        }
    )
    steps = (
        sa.select(
            DEADLINE.c.case_id,
            flag(sa.and_(DEADLINE.c.name.in_(last_answers), answered_by_end)).label("responded"),
            flag(DEADLINE.c.name.in_(adjudications)).label("adjudication"),
            flag(DEADLINE.c.name.in_(scope.names_at_stage(2, DeadlineRole.RESPONSE))).label(
                "investigating"
            ),
            flag(sa.and_(running_at_end, DEADLINE.c.due_on < end)).label("overdue"),
        )
        .join(escalated, escalated.c.case_id == DEADLINE.c.case_id)
        .where(
            DEADLINE.c.stage == 2,
            started,
            DEADLINE.c.status != DeadlineStatus.SUPERSEDED.value,
        )
        .group_by(DEADLINE.c.case_id)
        .cte("steps")
    )
    step = sa.case(
        (steps.c.responded == 1, "responded"),
        (steps.c.adjudication == 1, "adjudication"),
        (steps.c.investigating == 1, "investigating"),
        else_="statement",
    ).label("step")
    return (
        sa.select(
            CASE.c.procedure,
            step,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(steps.c.overdue), 0),
        )
        .select_from(
            escalated.join(CASE, CASE.c.id == escalated.c.case_id).outerjoin(
                steps, steps.c.case_id == escalated.c.case_id
            )
        )
        .where(
            sa.or_(CASE.c.closed_on.is_(None), CASE.c.closed_on > end),
            ~to_stage3,
            *case_filters(scope),
        )
        .group_by(CASE.c.procedure, step)
    )


def stage2_open_build(scope: Scope, rows: Rows) -> Table:
    found = {(row[0], row[1]): int(row[2]) for row in rows}
    overdue: dict[str, int] = defaultdict(int)
    for row in rows:
        overdue[row[1]] += int(row[3] or 0)
    procedures = [p for p in scope.procedures if 2 in scope.workflows[p.value].stages.values()]
    columns = [
        Column("Step", ColumnKind.LABEL),
        *(Column(PROCEDURE_LABELS[p]) for p in procedures),
        Column("Open at stage 2"),
        Column("Of which overdue"),
    ]
    body = []
    for key, label in STAGE2_STEPS:
        counts = [found.get((p.value, key), 0) for p in procedures]
        body.append((label, *counts, sum(counts), overdue.get(key, 0)))
    return table(
        "stage2_open_by_step",
        columns,
        body,
        chart=Chart(ChartKind.BAR, 0, (len(procedures) + 1,), "Complaints", horizontal=True),
        notes=(
            f"Complaints open at stage 2 on {day_month_year(scope.period.end)} (escalated, not yet "
            "closed, withdrawn or taken to a review panel), by the step they had reached. "
            "Overdue: the step's time limit had passed on that day.",
        ),
    )


# -- the Ombudsman ------------------------------------------------------------------------------


def lgsco_statement(scope: Scope) -> AnySelect:
    p = scope.period
    r = LGSCO.c
    remedy_due = sa.and_(r.remedy_agreed.is_not(None), in_period(r.compliance_due_on, p))
    statement = sa.select(
        count_where(in_period(r.enquiry_received_on, p)).label("received"),
        count_where(
            sa.and_(
                r.enquiry_received_on <= p.end, sa.or_(r.closed_on.is_(None), r.closed_on > p.end)
            )
        ).label("open_at_end"),
        *(
            count_where(sa.and_(r.decision == decision.value, in_period(r.decision_on, p))).label(
                decision.value
            )
            for decision in labels.LGSCO_DECISIONS
        ),
        count_where(remedy_due).label("remedies_due"),
        count_where(sa.and_(remedy_due, r.complied_on <= r.compliance_due_on)).label("on_time"),
        count_where(sa.and_(remedy_due, r.complied_on > r.compliance_due_on)).label("late"),
        count_where(sa.and_(remedy_due, r.complied_on.is_(None))).label("not_yet"),
    ).where(r.enquiry_received_on <= p.end)
    return scoped_to_cases(statement, r.case_id, scope)


def lgsco_build(scope: Scope, rows: Rows) -> Table:
    values = [int(v or 0) for v in rows[0]] if rows else []
    names = [
        "Enquiries received",
        "Enquiries open at the end of the period",
        *labels.LGSCO_DECISIONS.values(),
        "Remedies due to be carried out in the period",
        "Remedies carried out on time",
        "Remedies carried out late",
        "Remedies not yet carried out",
    ]
    values = values or [0] * len(names)
    columns = [Column("Ombudsman (LGSCO)", ColumnKind.LABEL), Column("Complaints")]
    return table(
        "lgsco",
        columns,
        list(zip(names, values, strict=True)),
        totals=None,
        chart=Chart(ChartKind.BAR, 0, (1,), "Complaints", horizontal=True),
        notes=(
            "Enquiries from the Local Government and Social Care Ombudsman received in the "
            "period, decisions made in it, and the agreed remedies whose compliance date fell "
            "in it (on time: carried out by that date).",
        ),
    )


# -- stage 2 and 3 spend ------------------------------------------------------------------------


def costs_statement(scope: Scope) -> AnySelect:
    statement = (
        sa.select(COST.c.kind, COST.c.stage, pence(COST.c.amount))
        .where(in_period(COST.c.incurred_on, scope.period))
        .group_by(COST.c.kind, COST.c.stage)
    )
    return scoped_to_cases(statement, COST.c.case_id, scope)


def costs_build(scope: Scope, rows: Rows) -> Table:
    found = {(row[0], int(row[1])): pounds(row[2]) for row in rows}
    zero = pounds(0)
    columns = [
        Column("Cost", ColumnKind.LABEL),
        Column("Stage 2 (£)", ColumnKind.MONEY),
        Column("Stage 3 (£)", ColumnKind.MONEY),
        Column("Total (£)", ColumnKind.MONEY),
    ]
    body = []
    for kind, label in labels.COSTS.items():
        two, three = found.get((kind.value, 2), zero), found.get((kind.value, 3), zero)
        body.append((label, two, three, two + three))
    return table(
        "stage_costs",
        columns,
        body,
        chart=Chart(ChartKind.STACKED, 0, (1, 2), "Spend (£)"),
        notes=(
            "What stage 2 investigations and stage 3 review panels cost in the period, from "
            "the invoices recorded (investigating officer, independent person, panel).",
        ),
    )


# -- actions and recommendations ----------------------------------------------------------------


def actions_statement(scope: Scope) -> AnySelect:
    a = ACTION.c
    completed = a.status == ActionStatus.COMPLETED.value
    still_open = a.status == ActionStatus.OPEN.value
    statement = (
        sa.select(
            a.kind,
            sa.func.count(),
            count_where(sa.and_(completed, a.completed_on <= a.due_on)),
            count_where(sa.and_(completed, a.completed_on > a.due_on)),
            count_where(sa.and_(still_open, a.due_on < scope.as_of)),
            count_where(sa.and_(still_open, a.due_on >= scope.as_of)),
            count_where(a.status == ActionStatus.CANCELLED.value),
        )
        .where(in_period(a.due_on, scope.period))
        .group_by(a.kind)
    )
    return scoped_to_cases(statement, a.case_id, scope)


def actions_build(scope: Scope, rows: Rows) -> Table:
    found = {row[0]: [int(v or 0) for v in row[1:]] for row in rows}
    columns = [
        Column("Kind", ColumnKind.LABEL),
        Column("Due in the period"),
        Column("Completed on time"),
        Column("% on time", ColumnKind.PERCENT, of=2, whole=1),
        Column("Completed late"),
        Column("Overdue"),
        Column("Open, not yet due"),
        Column("Cancelled"),
    ]
    body = []
    for kind, label in labels.ACTIONS.items():
        due, on_time, late, overdue, not_due, cancelled = found.get(kind.value, [0] * 6)
        body.append((label, due, on_time, None, late, overdue, not_due, cancelled))
    return table(
        "actions",
        columns,
        body,
        chart=Chart(ChartKind.STACKED, 0, (2, 4, 5, 6), "Actions and recommendations"),
        notes=(
            f"Actions and recommendations arising from complaints, due in the period, as they "
            f"stood on {day_month_year(scope.as_of)} (overdue: still open after their due date).",
        ),
    )


# -- lessons learned ----------------------------------------------------------------------------


def lessons_statement(scope: Scope) -> AnySelect:
    statement = (
        sa.select(LESSON.c.recorded_on, CASE.c.reference, CASE.c.team_id, LESSON.c.text)
        .join(CASE, CASE.c.id == LESSON.c.case_id)
        .where(
            in_period(LESSON.c.recorded_on, scope.period),
            scope.detail_visible,
            *case_filters(scope),
        )
        .order_by(LESSON.c.recorded_on, LESSON.c.id)
    )
    return statement


def lessons_build(scope: Scope, rows: Rows) -> Table:
    columns = [
        Column("Recorded", ColumnKind.DATE),
        Column("Case", ColumnKind.TEXT),
        Column("Service area", ColumnKind.TEXT),
        Column("Lesson learned", ColumnKind.TEXT),
    ]
    body = [
        (row[0], row[1], scope.team_names.get(row[2], labels.NO_SERVICE_AREA), row[3])
        for row in rows
    ]
    return table(
        "lessons_learned",
        columns,
        body,
        totals=None,
        notes=(
            "Lessons learned recorded in the period, for the learning bulletin.",
            *(
                (
                    "Only the lessons of cases you may see are listed; the other tables count "
                    "every case.",
                )
                if scope.detail_limited
                else ()
            ),
        ),
        empty_note=(
            "No lessons learned of cases you may see were recorded in this period."
            if scope.detail_limited
            else "No lessons learned were recorded in this period."
        ),
    )


# -- the tables, in the order the report prints them --------------------------------------------

TITLES = {
    "feedback_by_type": "Feedback received by type, this period and the two before",
    "complaints_by_month": "Complaints received by month",
    "complaints_by_service_area": "Complaints by service area",
    "complaints_by_category": "Complaints by category",
    "complaints_by_stage": "Complaints at stages 1, 2 and 3",
    "outcomes_by_stage": "Outcomes by stage and service area (excluding withdrawn)",
    "remedies_by_stage": "Remedies by stage",
    "timeliness_by_stage": "Timeliness of responses by stage",
    "extensions": "Extensions of time",
    "escalation_reasons": "Reasons for escalation",
    "stage2_open_by_step": "Complaints open at stage 2 at the end of the period, by step",
    "lgsco": "Local Government and Social Care Ombudsman: enquiries, decisions, remedies",
    "stage_costs": "Spend on stage 2 and stage 3",
    "compliments_by_service_area": "Compliments by service area",
    "compliments_by_category": "Compliments by category",
    "actions": "Actions and recommendations: completed and overdue",
    "lessons_learned": "Lessons learned",
}

TABLES: tuple[TableQuery, ...] = (
    TableQuery("feedback_by_type", TITLES["feedback_by_type"], feedback_by_type_statement,
               feedback_by_type_build),
    TableQuery("complaints_by_month", TITLES["complaints_by_month"], by_month_statement,
               by_month_build),
    TableQuery("complaints_by_service_area", TITLES["complaints_by_service_area"],
               lambda scope: _by_team_statement(scope, is_complaint),
               lambda scope, rows: _by_team_build(scope, rows, "complaints_by_service_area",
                                                  "complaints")),
    TableQuery("complaints_by_category", TITLES["complaints_by_category"],
               lambda scope: _by_category_statement(scope, is_complaint),
               lambda scope, rows: _by_category_build(scope, rows, "complaints_by_category",
                                                      "complaints")),
    TableQuery("complaints_by_stage", TITLES["complaints_by_stage"], by_stage_statement,
               by_stage_build),
    TableQuery("outcomes_by_stage", TITLES["outcomes_by_stage"], outcomes_statement,
               outcomes_build),
    TableQuery("remedies_by_stage", TITLES["remedies_by_stage"], remedies_statement,
               remedies_build),
    TableQuery("timeliness_by_stage", TITLES["timeliness_by_stage"], timeliness_statement,
               timeliness_build),
    TableQuery("extensions", TITLES["extensions"], extensions_statement, extensions_build),
    TableQuery("escalation_reasons", TITLES["escalation_reasons"], escalations_statement,
               escalations_build),
    TableQuery("stage2_open_by_step", TITLES["stage2_open_by_step"], stage2_open_statement,
               stage2_open_build),
    TableQuery("lgsco", TITLES["lgsco"], lgsco_statement, lgsco_build),
    TableQuery("stage_costs", TITLES["stage_costs"], costs_statement, costs_build),
    TableQuery("compliments_by_service_area", TITLES["compliments_by_service_area"],
               lambda scope: _by_team_statement(scope, is_compliment),
               lambda scope, rows: _by_team_build(scope, rows, "compliments_by_service_area",
                                                  "compliments")),
    TableQuery("compliments_by_category", TITLES["compliments_by_category"],
               lambda scope: _by_category_statement(scope, is_compliment),
               lambda scope, rows: _by_category_build(scope, rows, "compliments_by_category",
                                                      "compliments")),
    TableQuery("actions", TITLES["actions"], actions_statement, actions_build),
    TableQuery("lessons_learned", TITLES["lessons_learned"], lessons_statement, lessons_build),
)  # fmt: skip
