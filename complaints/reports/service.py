"""Building the statutory complaints report: every table of docs/reports.md for a period.

`build_report` runs each table's query in one read-only transaction, so the tables agree with one
another however busy the database is, and returns a `Report` the renderers turn into HTML, PDF,
CSV or XLSX. A period with no data gives every table with zeros and a note, never an error.
"""

from __future__ import annotations

import sqlalchemy as sa

from complaints.context import Context
from complaints.errors import NotFoundError
from complaints.models import Category, Team, User, table_of
from complaints.permissions import Permission, require
from complaints.reports.model import Report, Table
from complaints.reports.periods import Period, ReportFilters
from complaints.reports.queries import TABLES, Scope
from complaints.services.access import Reach, reach_of, visible_cases
from complaints.services.people import acting_user

TEAM = table_of(Team)
REPORT_WORK_MEM = "128MB"
CATEGORY = table_of(Category)


def report_scope(
    connection: sa.Connection,
    ctx: Context,
    period: Period,
    filters: ReportFilters,
    reach: Reach,
) -> Scope:
    """What the queries need, with the filter's service area found (refused when unknown), for a
    reader with `reach`: every table counts every case; only the cases within their reach show
    their details."""
    teams = {row.id: row.name for row in connection.execute(sa.select(TEAM.c.id, TEAM.c.name))}
    team_id: int | None = None
    if filters.team is not None:
        matches = [tid for tid, name in teams.items() if name.casefold() == filters.team.casefold()]
        if not matches:
            known = ", ".join(sorted(teams.values())) or "(none yet)"
            raise NotFoundError(f"there is no service area '{filters.team}'; the areas are {known}")
        team_id = matches[0]
    categories = {
        row.id: row.name for row in connection.execute(sa.select(CATEGORY.c.id, CATEGORY.c.name))
    }
    return Scope(
        period=period,
        filters=filters,
        calendar=ctx.calendar,
        as_of=ctx.clock.today(),
        team_id=team_id,
        team_names=dict(sorted(teams.items(), key=lambda item: item[1])),
        category_names=dict(sorted(categories.items(), key=lambda item: item[1])),
        detail_visible=visible_cases(reach),
        detail_limited=not reach.council_wide,
    )


def _tune_for_reports(connection: sa.Connection) -> None:
    """Settings for this transaction only, on PostgreSQL: room for the report's hash tables and
    sorts in memory rather than on disk, and parallel workers for the scans of a whole table
    that most of the report's queries are, which the planner's defaults (tuned for short
    queries) hold back. (JIT compilation is off for every connection: `complaints.db`.)"""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
        connection.exec_driver_sql("SET LOCAL parallel_setup_cost = 10")
        connection.exec_driver_sql("SET LOCAL parallel_tuple_cost = 0.001")


def report_title(period: Period) -> str:
    if period.kind == "year":
        return f"Complaints and compliments annual report {period.label}"
    if period.kind == "quarter":
        return f"Complaints and compliments quarterly report, {period.label}"
    return f"Complaints and compliments report, {period.label}"


def build_report(
    ctx: Context,
    period: Period,
    filters: ReportFilters | None = None,
    *,
    by: str | User,
    suppress_small: bool = False,
) -> Report:
    """The statutory report for `period`, narrowed by `filters`, for `by` (a manager or an
    administrator); with `suppress_small`, counts under 5 are shown as "<5" for publication.
    Its tables count every case in the council; the lessons learned list only the cases `by`
    may see (docs/access.md)."""
    filters = filters or ReportFilters()
    with ctx.database.reader() as session:
        reader = acting_user(session, by) if isinstance(by, str) else by
        require(reader, Permission.SEE_REPORTS)
        reach = reach_of(session, ctx.settings, reader)
        connection = session.connection()
        _tune_for_reports(connection)
        scope = report_scope(connection, ctx, period, filters, reach)
        tables = tuple(query.run(connection, scope) for query in TABLES)
    notes = [f"Covers {period.description}."]
    if filters.description:
        notes.append(f"Narrowed to {filters.description}.")
    if _nothing_received(tables):
        notes.append(
            "No complaints, compliments or comments were received in this period; the tables "
            "show zeros."
        )
    report = Report(
        title=report_title(period),
        council=ctx.settings.council.name,
        period=period,
        filters=filters,
        tables=tables,
        generated_at=ctx.clock.now(),
        notes=tuple(notes),
    )
    return report.with_suppression() if suppress_small else report


def _nothing_received(tables: tuple[Table, ...]) -> bool:
    by_type = next(table for table in tables if table.key == "feedback_by_type")
    return all(row[-1] == 0 for row in by_type.rows)
