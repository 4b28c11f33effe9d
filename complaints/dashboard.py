"""What the front page shows each person: their work for today (what is overdue, due today,
due soon, and what waits for them), and a manager's dashboard (overdue and due-soon counts and
lists by team and officer, timeliness this month, the QA sign-off queue, extensions to agree,
overdue actions), and the alerts the scheduler raised for them.

Read-only, aggregated in SQL, and limited to the cases the person may see
(`complaints.services.access`). No web framework here: the web and the CLI both read these.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from complaints.alerts.queries import AlertItem, list_alerts
from complaints.context import Context
from complaints.deadlines import step_label
from complaints.models import (
    Action,
    ActionStatus,
    Alert,
    Deadline,
    DeadlineStatus,
    Extension,
    FeedbackCase,
    Letter,
    LetterStatus,
    Team,
    User,
    table_of,
)
from complaints.permissions import Permission, may
from complaints.queue import QueueItem, count_open_steps, work_queue
from complaints.services.access import Reach, reach_for, visible_cases
from complaints.timeliness import RESPONSE_DEADLINES

LIST_LIMIT = 50
# The dashboard's lists of steps (overdue, due soon, extensions to agree) show the most urgent;
# its counts cover every one, and the case list has them all.
DASHBOARD_ROWS = 25
ALERT_DAYS = 7
ALERTS_SHOWN = 100
# The response deadlines a manager may extend (the workflows' `extends`).
EXTENDABLE = ("stage1_response", "stage2_investigation", "stage2_response", "response")

_CASE = table_of(FeedbackCase)
_DEADLINE = table_of(Deadline)
_USER = table_of(User)
_TEAM = table_of(Team)
_LETTER = table_of(Letter)
_ACTION = table_of(Action)
_ALERT = table_of(Alert)
_EXTENSION = table_of(Extension)
_RUNNING = DeadlineStatus.RUNNING.value


@dataclass(frozen=True)
class LetterWaiting:
    id: int
    reference: str
    template: str
    status: str
    author: str | None
    updated_at: datetime
    qa_comments: str | None


@dataclass(frozen=True)
class QueueSection:
    """One part of a person's queue (overdue, due today...): how many steps it holds, and the
    most urgent of them to show (all of them when asked for)."""

    items: tuple[QueueItem, ...]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass(frozen=True)
class MyWork:
    today: date
    overdue: QueueSection
    due_today: QueueSection
    due_soon: QueueSection
    later: QueueSection
    letters_to_check: tuple[LetterWaiting, ...]
    letters_returned: tuple[LetterWaiting, ...]
    letters_to_send: tuple[LetterWaiting, ...]

    @property
    def nothing_to_do(self) -> bool:
        return not any(
            (
                self.overdue,
                self.due_today,
                self.due_soon,
                self.later,
                self.letters_to_check,
                self.letters_returned,
                self.letters_to_send,
            )
        )

    @property
    def shortened(self) -> bool:
        """Whether some steps are left out of the page (a long queue shows the first few)."""
        return any(s.hidden for s in (self.overdue, self.due_today, self.due_soon, self.later))


@dataclass(frozen=True)
class Count:
    name: str
    overdue: int
    due_soon: int


@dataclass(frozen=True)
class DeadlineItem:
    reference: str
    step: str
    owner: str | None
    team: str | None
    due_on: date
    working_days: int  # left (positive) or late (negative)

    @property
    def step_label(self) -> str:
        return step_label(self.step)


@dataclass(frozen=True)
class CaseAtQa:
    reference: str
    state: str
    officer: str | None
    qa_due_on: date | None


@dataclass(frozen=True)
class ActionItem:
    reference: str
    description: str
    owner: str | None
    due_on: date


@dataclass(frozen=True)
class Timeliness:
    answered: int
    within: int

    @property
    def exceeding(self) -> int:
        return self.answered - self.within

    @property
    def percent_within(self) -> int | None:
        return round(100 * self.within / self.answered) if self.answered else None


@dataclass(frozen=True)
class Dashboard:
    today: date
    due_soon_until: date
    overdue_total: int
    due_soon_total: int
    by_team: tuple[Count, ...]
    by_officer: tuple[Count, ...]
    overdue: tuple[DeadlineItem, ...]
    due_soon: tuple[DeadlineItem, ...]
    timeliness: Timeliness
    letters_to_check: tuple[LetterWaiting, ...]
    cases_at_qa: tuple[CaseAtQa, ...]
    extensions_to_agree: tuple[DeadlineItem, ...]
    overdue_actions: tuple[ActionItem, ...]


@dataclass(frozen=True)
class AlertSummary:
    overdue: int
    due_today: int
    due_soon: int

    @property
    def total(self) -> int:
        return self.overdue + self.due_today + self.due_soon


def work_for(ctx: Context, user: User, limit: int | None = LIST_LIMIT) -> MyWork:
    """`user`'s open steps, soonest first, and the letters waiting for them. Each part of the
    queue shows at most `limit` steps (all of them when `limit` is None) and counts them all."""
    today = ctx.clock.today()
    until = ctx.calendar.add_working_days(today, ctx.settings.alerts.due_soon_working_days)
    due_on = _DEADLINE.c.due_on
    bands = {
        "overdue": due_on < today,
        "due_today": due_on == today,
        "due_soon": sa.and_(due_on > today, due_on <= until),
        "later": due_on > until,
    }
    with ctx.database.reader() as session:
        reach = reach_for(session, ctx.settings, user)
        totals = count_open_steps(session, user, bands)

        def section(band: str) -> QueueSection:
            items = (
                work_queue(session, ctx.calendar, today, user, bands[band], limit=limit)
                if totals[band]
                else []
            )
            return QueueSection(items=tuple(items), total=totals[band])

        sections = {band: section(band) for band in bands}
        to_check = (
            _letters(
                session,
                reach,
                _LETTER.c.status == LetterStatus.SUBMITTED.value,
                # Four eyes: nobody is asked to sign off what they wrote or put forward.
                _LETTER.c.author_id != user.id,
                sa.func.coalesce(_LETTER.c.submitted_by_id, 0) != user.id,
            )
            if may(user, Permission.SIGN_OFF)
            else ()
        )
        returned = _letters(
            session,
            reach,
            _LETTER.c.status == LetterStatus.RETURNED.value,
            _LETTER.c.author_id == user.id,
        )
        to_send = _letters(
            session,
            reach,
            _LETTER.c.status == LetterStatus.APPROVED.value,
            sa.or_(_LETTER.c.author_id == user.id, _CASE.c.officer_id == user.id),
        )
    return MyWork(
        today=today,
        overdue=sections["overdue"],
        due_today=sections["due_today"],
        due_soon=sections["due_soon"],
        later=sections["later"],
        letters_to_check=to_check,
        letters_returned=returned,
        letters_to_send=to_send,
    )


def manager_dashboard(ctx: Context, viewer: User) -> Dashboard:
    """The figures and lists a manager watches, over the cases they may see."""
    today = ctx.clock.today()
    until = ctx.calendar.add_working_days(today, ctx.settings.alerts.due_soon_working_days)
    overdue_flag = sa.case((_DEADLINE.c.due_on < today, 1), else_=0)
    soon_flag = sa.case((_DEADLINE.c.due_on >= today, 1), else_=0)
    with ctx.database.reader() as session:
        reach = reach_for(session, ctx.settings, viewer)
        visible = visible_cases(reach)
        pressing = sa.and_(_DEADLINE.c.status == _RUNNING, _DEADLINE.c.due_on <= until, visible)
        connection = session.connection()
        by_team, by_officer = _counts(
            connection.execute(
                sa.select(
                    sa.func.coalesce(_TEAM.c.name, "No team yet").label("team"),
                    sa.func.coalesce(_USER.c.full_name, "Nobody (the complainant's window)").label(
                        "officer"
                    ),
                    sa.func.sum(overdue_flag).label("overdue"),
                    sa.func.sum(soon_flag).label("due_soon"),
                )
                .select_from(_DEADLINE)
                .join(_CASE, _CASE.c.id == _DEADLINE.c.case_id)
                .outerjoin(_TEAM, _TEAM.c.id == _CASE.c.team_id)
                .outerjoin(_USER, _USER.c.id == _DEADLINE.c.owner_id)
                .where(pressing)
                .group_by(_TEAM.c.name, _USER.c.full_name)
            ).all()
        )
        overdue = _deadline_items(ctx, connection, today, pressing, _DEADLINE.c.due_on < today)
        due_soon = _deadline_items(ctx, connection, today, pressing, _DEADLINE.c.due_on >= today)
        no_extension = (
            ~sa.select(_EXTENSION.c.id).where(_EXTENSION.c.deadline_id == _DEADLINE.c.id).exists()
        )
        extensions = _deadline_items(
            ctx,
            connection,
            today,
            pressing,
            _DEADLINE.c.name.in_(EXTENDABLE),
            _DEADLINE.c.due_on >= today,
            no_extension,
        )
        dashboard = Dashboard(
            today=today,
            due_soon_until=until,
            overdue_total=sum(count.overdue for count in by_team),
            due_soon_total=sum(count.due_soon for count in by_team),
            by_team=by_team,
            by_officer=by_officer,
            overdue=overdue,
            due_soon=due_soon,
            timeliness=_cached_timeliness(ctx, connection, reach, today, visible),
            letters_to_check=_letters(
                session, reach, _LETTER.c.status == LetterStatus.SUBMITTED.value
            ),
            cases_at_qa=_cases_at_qa(ctx, connection, visible),
            extensions_to_agree=extensions,
            overdue_actions=_overdue_actions(connection, today, visible),
        )
    return dashboard


def alert_summary(ctx: Context, user: User) -> AlertSummary:
    """How many alerts the scheduler raised in the last week about `user`'s steps and actions."""
    since = ctx.clock.now() - timedelta(days=ALERT_DAYS)
    owned_deadlines = sa.select(_DEADLINE.c.id).where(_DEADLINE.c.owner_id == user.id)
    owned_actions = sa.select(_ACTION.c.id).where(_ACTION.c.owner_id == user.id)
    query = (
        sa.select(_ALERT.c.kind, sa.func.count())
        .where(
            _ALERT.c.created_at >= since,
            sa.or_(
                _ALERT.c.deadline_id.in_(owned_deadlines), _ALERT.c.action_id.in_(owned_actions)
            ),
        )
        .group_by(_ALERT.c.kind)
    )
    with ctx.database.reader() as session:
        rows = session.connection().execute(query).all()
    counts: dict[str, int] = {str(kind): int(count) for kind, count in rows}
    return AlertSummary(
        overdue=counts.get("overdue", 0) + counts.get("escalated", 0),
        due_today=counts.get("due_today", 0),
        due_soon=counts.get("due_soon", 0),
    )


def alerts_for(ctx: Context, user: User, limit: int = ALERTS_SHOWN) -> list[AlertItem]:
    """The alerts about `user`'s steps and actions, newest first."""
    with ctx.database.reader() as session:
        return list_alerts(session, owner=user, limit=limit)


def _counts(
    rows: Sequence[sa.Row[str, str, Any, Any]],
) -> tuple[tuple[Count, ...], tuple[Count, ...]]:
    """The overdue and due-soon steps by team and by officer, from one pass grouped by both."""
    by_team: dict[str, list[int]] = {}
    by_officer: dict[str, list[int]] = {}
    for row in rows:
        for totals, name in ((by_team, row.team), (by_officer, row.officer)):
            counted = totals.setdefault(name, [0, 0])
            counted[0] += int(row.overdue or 0)
            counted[1] += int(row.due_soon or 0)

    def ranked(totals: dict[str, list[int]]) -> tuple[Count, ...]:
        counts = [Count(name, overdue, soon) for name, (overdue, soon) in totals.items()]
        return tuple(
            sorted(counts, key=lambda count: (-count.overdue, -count.due_soon, count.name))
        )

    return ranked(by_team), ranked(by_officer)


def _deadline_items(
    ctx: Context,
    connection: sa.Connection,
    today: date,
    *conditions: sa.ColumnElement[bool],
) -> tuple[DeadlineItem, ...]:
    rows = connection.execute(
        sa.select(
            _CASE.c.reference,
            _DEADLINE.c.name,
            _USER.c.full_name,
            _TEAM.c.name.label("team"),
            _DEADLINE.c.due_on,
        )
        .select_from(_DEADLINE)
        .join(_CASE, _CASE.c.id == _DEADLINE.c.case_id)
        .outerjoin(_USER, _USER.c.id == _DEADLINE.c.owner_id)
        .outerjoin(_TEAM, _TEAM.c.id == _CASE.c.team_id)
        .where(*conditions)
        .order_by(_DEADLINE.c.due_on, _CASE.c.reference)
        .limit(DASHBOARD_ROWS)
    ).all()
    return tuple(
        DeadlineItem(
            reference=row.reference,
            step=row.name,
            owner=row.full_name,
            team=row.team,
            due_on=row.due_on,
            working_days=ctx.calendar.working_days_between(today, row.due_on),
        )
        for row in rows
    )


# The month's timeliness reads every response sent this month (the stopped_on index finds them,
# but a busy month holds tens of thousands), so each scope's figure is kept for a few minutes:
# "this month" so far need not be to the second.
TIMELINESS_SECONDS = 300
_timeliness_cache: dict[tuple[str, str, date], tuple[float, Timeliness]] = {}
_timeliness_lock = threading.Lock()


def _cached_timeliness(
    ctx: Context,
    connection: sa.Connection,
    reach: Reach,
    today: date,
    visible: sa.ColumnElement[bool],
) -> Timeliness:
    key = (ctx.database.url, reach.scope, today)
    now = time.monotonic()
    with _timeliness_lock:
        cached = _timeliness_cache.get(key)
    if cached is not None and now - cached[0] < TIMELINESS_SECONDS:
        return cached[1]
    figure = _timeliness(connection, today, visible)
    with _timeliness_lock:
        _timeliness_cache[key] = (now, figure)
    return figure


def _timeliness(
    connection: sa.Connection, today: date, visible: sa.ColumnElement[bool]
) -> Timeliness:
    """Responses sent since the first of this month, and how many within their due date."""
    within = sa.case((_DEADLINE.c.stopped_on <= _DEADLINE.c.due_on, 1), else_=0)
    row = connection.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(within), 0))
        .select_from(_DEADLINE)
        .join(_CASE, _CASE.c.id == _DEADLINE.c.case_id)
        .where(
            _DEADLINE.c.status == DeadlineStatus.STOPPED.value,
            _DEADLINE.c.name.in_(sorted(RESPONSE_DEADLINES)),
            _DEADLINE.c.stopped_on >= today.replace(day=1),
            _DEADLINE.c.stopped_on <= today,
            visible,
        )
    ).one()
    return Timeliness(answered=int(row[0]), within=int(row[1]))


def _cases_at_qa(
    ctx: Context, connection: sa.Connection, visible: sa.ColumnElement[bool]
) -> tuple[CaseAtQa, ...]:
    qa_states = sorted(
        {
            state
            for workflow in ctx.engine.workflows.values()
            for state in workflow.states
            if state == "qa" or state.endswith("_qa")
        }
    )
    signoff = sa.select(sa.func.min(_DEADLINE.c.due_on)).where(
        _DEADLINE.c.case_id == _CASE.c.id,
        _DEADLINE.c.name == "qa_signoff",
        _DEADLINE.c.status == _RUNNING,
    )
    rows = connection.execute(
        sa.select(
            _CASE.c.reference,
            _CASE.c.state,
            _USER.c.full_name,
            signoff.scalar_subquery().label("qa_due_on"),
        )
        .select_from(_CASE)
        .outerjoin(_USER, _USER.c.id == _CASE.c.officer_id)
        .where(_CASE.c.state.in_(qa_states), visible)
        .order_by(sa.text("qa_due_on"), _CASE.c.reference)
        .limit(LIST_LIMIT)
    ).all()
    return tuple(CaseAtQa(r.reference, r.state, r.full_name, r.qa_due_on) for r in rows)


def _overdue_actions(
    connection: sa.Connection, today: date, visible: sa.ColumnElement[bool]
) -> tuple[ActionItem, ...]:
    rows = connection.execute(
        sa.select(_CASE.c.reference, _ACTION.c.description, _USER.c.full_name, _ACTION.c.due_on)
        .select_from(_ACTION)
        .join(_CASE, _CASE.c.id == _ACTION.c.case_id)
        .outerjoin(_USER, _USER.c.id == _ACTION.c.owner_id)
        .where(_ACTION.c.status == ActionStatus.OPEN.value, _ACTION.c.due_on < today, visible)
        .order_by(_ACTION.c.due_on, _CASE.c.reference)
        .limit(LIST_LIMIT)
    ).all()
    return tuple(ActionItem(r.reference, r.description, r.full_name, r.due_on) for r in rows)


def _letters(
    session: Session, reach: Reach, *conditions: sa.ColumnElement[bool]
) -> tuple[LetterWaiting, ...]:
    author = _USER.alias("author")
    rows = (
        session.connection()
        .execute(
            sa.select(
                _LETTER.c.id,
                _CASE.c.reference,
                _LETTER.c.template,
                _LETTER.c.status,
                author.c.full_name,
                _LETTER.c.updated_at,
                _LETTER.c.qa_comments,
            )
            .select_from(_LETTER)
            .join(_CASE, _CASE.c.id == _LETTER.c.case_id)
            .outerjoin(author, author.c.id == _LETTER.c.author_id)
            .where(visible_cases(reach), *conditions)
            .order_by(_LETTER.c.updated_at, _LETTER.c.id)
            .limit(LIST_LIMIT)
        )
        .all()
    )
    return tuple(
        LetterWaiting(
            id=row.id,
            reference=row.reference,
            template=row.template,
            status=row.status,
            author=row.full_name,
            updated_at=row.updated_at,
            qa_comments=row.qa_comments,
        )
        for row in rows
    )
