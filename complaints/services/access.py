"""Who may see which cases: the rule every list, page and change of the web applies.

An administrator sees every case. A manager with a team sees the cases of that team and those
its members are the officer of; a manager with no team manages complaints council-wide and sees
every case.
A QA practitioner sees the cases allocated to them: those they are the officer of, own a step
of, or investigate a complaint point of. An officer sees the cases of their team, those they
work on, and cases not yet triaged to a team (so the complaints office can pick them up); an
officer with no team works for the whole complaints office and sees every case.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from complaints.context import Context
from complaints.errors import AccessDeniedError, NotFoundError
from complaints.models import ComplaintPoint, Deadline, FeedbackCase, Role, User, table_of

_CASE = table_of(FeedbackCase)
_DEADLINE = table_of(Deadline)
_POINT = table_of(ComplaintPoint)
_USER = table_of(User)


def visible_cases(viewer: User) -> ColumnElement[bool]:
    """A condition on `feedback_case` true for the cases `viewer` may see."""
    if viewer.role is Role.ADMIN:
        return sa.true()
    if viewer.role is Role.QA_PRACTITIONER:
        return _works_on(viewer.id)
    if viewer.team_id is None:
        return sa.true()
    of_team = _CASE.c.team_id == viewer.team_id
    if viewer.role is Role.MANAGER:
        # The team's cases and those its members (the manager among them) are officer of: two
        # indexed conditions, so the dashboard's counts over every open step stay quick.
        member = _USER.alias("team_member")
        team_members = sa.select(member.c.id).where(member.c.team_id == viewer.team_id)
        return sa.or_(of_team, _CASE.c.officer_id.in_(team_members))
    return sa.or_(of_team, _CASE.c.team_id.is_(None), _works_on(viewer.id))


def _works_on(user_id: int | None) -> ColumnElement[bool]:
    # Aliases, correlated to the case only: the query this condition joins may itself read the
    # deadline table (the dashboard does), which must not be mistaken for this one.
    step, point = _DEADLINE.alias("owned_step"), _POINT.alias("investigated_point")
    owns_step = (
        sa.select(step.c.id)
        .where(step.c.case_id == _CASE.c.id, step.c.owner_id == user_id)
        .correlate(_CASE)
        .exists()
    )
    investigates = (
        sa.select(point.c.id)
        .where(point.c.case_id == _CASE.c.id, point.c.officer_id == user_id)
        .correlate(_CASE)
        .exists()
    )
    return sa.or_(_CASE.c.officer_id == user_id, owns_step, investigates)


def require_case_access(connection: sa.Connection, viewer: User, reference: str) -> None:
    """Refuse a person who may not see the case (AccessDeniedError), or a case that does not exist
    (NotFoundError)."""
    wanted = reference.strip().upper()
    query = sa.select(visible_cases(viewer).label("visible")).where(_CASE.c.reference == wanted)
    row = connection.execute(query).first()
    if row is None:
        raise NotFoundError(f"there is no case with reference '{wanted}'")
    if not row.visible:
        raise AccessDeniedError(f"{viewer.username} may not see case {wanted}")


def check_case_access(ctx: Context, viewer: User, reference: str) -> None:
    """`require_case_access` in a reading session of its own (before a change is attempted)."""
    with ctx.database.reader() as session:
        require_case_access(session.connection(), viewer, reference)
