"""Finding cases: the case list with its filters (state, procedure, team, officer, overdue), a
search by reference or complainant's name, and pages of results. Only the cases the person
looking may see are listed (`complaints.services.access`). Read-only, one SQL query for the page
and one for the count.

The count stops at COUNT_LIMIT: past that the list says "more than 10,000", as a search engine
does, and offers that many cases' pages. Counting every case of a council of a million would
read them all on each page, for a figure nobody pages through; narrowing the list brings the
count back under the limit, and with it the exact figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from complaints.context import Context
from complaints.models import Deadline, FeedbackCase, Team, User, table_of
from complaints.permissions import Permission, may
from complaints.services.access import reach_for, visible_cases
from complaints.services.timers import OPEN

PER_PAGE = 25
COUNT_LIMIT = 10_000
MAX_SEARCH_LENGTH = 200
_CASE = table_of(FeedbackCase)
_DEADLINE = table_of(Deadline)
_TEAM = table_of(Team)
_USER = table_of(User)
_OPEN = [status.value for status in OPEN]


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to; empty values mean any."""

    state: str = ""
    procedure: str = ""
    team_id: int | None = None
    officer_id: int | None = None
    overdue: bool = False
    search: str = ""
    page: int = 1


@dataclass(frozen=True)
class CaseRow:
    reference: str
    procedure: str
    feedback_type: str
    state: str
    stage: int
    received_on: date
    complainant_name: str
    team: str | None
    officer: str | None
    next_due_on: date | None
    overdue: bool


@dataclass(frozen=True)
class CaseList:
    rows: tuple[CaseRow, ...]
    total: int  # at most COUNT_LIMIT: see `more_than_total`
    page: int
    pages: int
    per_page: int
    more_than_total: bool = False  # more cases match than were counted
    can_log_feedback: bool = False  # whether the viewer may log new feedback


def list_cases(
    ctx: Context, viewer: User, filters: CaseFilters, per_page: int = PER_PAGE
) -> CaseList:
    """One page of the cases `viewer` may see that match `filters`, newest received first."""
    today = ctx.clock.today()
    next_due = (
        sa.select(sa.func.min(_DEADLINE.c.due_on))
        .where(_DEADLINE.c.case_id == _CASE.c.id, _DEADLINE.c.status.in_(_OPEN))
        .scalar_subquery()
    )
    with ctx.database.reader() as session:
        where = [
            visible_cases(reach_for(session, ctx.settings, viewer)),
            *_conditions(filters, today),
        ]
        connection = session.connection()
        counted = connection.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(_CASE.c.id).where(*where).limit(COUNT_LIMIT + 1).subquery()
            )
        ).scalar_one()
        total = min(counted, COUNT_LIMIT)
        pages = max(1, -(-total // per_page))
        page = min(max(1, filters.page), pages)
        ids = (
            sa.select(_CASE.c.id)
            .where(*where)
            .order_by(_CASE.c.received_on.desc(), _CASE.c.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
            .subquery()
        )
        rows = connection.execute(
            sa.select(
                _CASE.c.reference,
                _CASE.c.procedure,
                _CASE.c.feedback_type,
                _CASE.c.state,
                _CASE.c.stage,
                _CASE.c.received_on,
                _CASE.c.complainant_name,
                _TEAM.c.name.label("team"),
                _USER.c.full_name.label("officer"),
                next_due.label("next_due_on"),
            )
            .select_from(_CASE)
            .join(ids, ids.c.id == _CASE.c.id)
            .outerjoin(_TEAM, _TEAM.c.id == _CASE.c.team_id)
            .outerjoin(_USER, _USER.c.id == _CASE.c.officer_id)
            .order_by(_CASE.c.received_on.desc(), _CASE.c.id.desc())
        ).all()
    return CaseList(
        rows=tuple(
            CaseRow(
                reference=row.reference,
                procedure=row.procedure,
                feedback_type=row.feedback_type,
                state=row.state,
                stage=row.stage,
                received_on=row.received_on,
                complainant_name=row.complainant_name,
                team=row.team,
                officer=row.officer,
                next_due_on=row.next_due_on,
                overdue=row.next_due_on is not None and row.next_due_on < today,
            )
            for row in rows
        ),
        total=total,
        page=page,
        pages=pages,
        per_page=per_page,
        more_than_total=counted > COUNT_LIMIT,
        can_log_feedback=may(viewer, Permission.LOG_FEEDBACK),
    )


def _conditions(filters: CaseFilters, today: date) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.state:
        conditions.append(_CASE.c.state == filters.state)
    if filters.procedure:
        conditions.append(_CASE.c.procedure == filters.procedure)
    if filters.team_id is not None:
        conditions.append(_CASE.c.team_id == filters.team_id)
    if filters.officer_id is not None:
        conditions.append(_CASE.c.officer_id == filters.officer_id)
    if filters.overdue:
        overdue_steps = sa.select(_DEADLINE.c.case_id).where(
            _DEADLINE.c.status.in_(_OPEN), _DEADLINE.c.due_on < today
        )
        conditions.append(_CASE.c.id.in_(_found_first(overdue_steps, "overdue_cases")))
    words = filters.search.strip()[:MAX_SEARCH_LENGTH]
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matching = sa.select(_CASE.c.id).where(
            sa.or_(
                _CASE.c.reference.like(escaped.upper() + "%", escape="\\"),
                sa.func.lower(_CASE.c.complainant_name).like(
                    "%" + escaped.lower() + "%", escape="\\"
                ),
            )
        )
        conditions.append(_CASE.c.id.in_(_found_first(matching, "matching_cases")))
    return conditions


def _found_first(case_ids: sa.Select[tuple[int]], name: str) -> sa.Select[tuple[int]]:
    """The cases `case_ids` finds, found first from its own indexes (the overdue steps', the
    search's) and only then put in order. Without the fence (MATERIALIZED) PostgreSQL would
    read the whole case list newest first, testing each case, hoping to meet a page of
    matches soon; with a few hundred matches among a million cases it reads them all."""
    found = case_ids.cte(name).prefix_with("MATERIALIZED", dialect="postgresql")
    return sa.select(found.c[0])
