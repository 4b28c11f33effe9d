"""Who may see which cases: the one rule every reading and every change of a case applies, for
every caller (the web, the API, the command line, the scheduler).

- An administrator sees every case.
- The complaints office sees every case: officers and managers of the service area config.toml
  names in `[council] complaints_office`, and staff with no team. They triage what arrives, so
  they must see it before it has a team.
- A manager of another team sees the cases of that team and those its members are the officer of.
- An officer of another team sees the cases of their team and those they work on.
- A QA practitioner sees the cases they work on: those they are the officer of, own a step or an
  action of, or investigate a complaint point of.
Nobody outside the complaints office sees a case that has not been triaged to a team, unless they
work on it. A case someone may not see is answered exactly like a case that does not exist.
See docs/access.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from complaints.config import Settings
from complaints.models import (
    Action,
    ComplaintPoint,
    Deadline,
    FeedbackCase,
    Role,
    Team,
    User,
    table_of,
)
from complaints.services.people import acting_user

log = logging.getLogger("complaints.access")
_CASE = table_of(FeedbackCase)
_DEADLINE = table_of(Deadline)
_POINT = table_of(ComplaintPoint)
_USER = table_of(User)
_ACTION = table_of(Action)
_OFFICE_ROLES = (Role.OFFICER, Role.MANAGER)


@dataclass(frozen=True)
class Reach:
    """What one person may see: who they are, their role and team, and whether their work is
    council-wide (an administrator, or the complaints office)."""

    user_id: int
    role: Role
    team_id: int | None
    council_wide: bool

    @property
    def scope(self) -> str:
        """A name for the cases this reach sees, shared by everyone who sees the same ones (all
        of them; a manager's team) and personal where what the person works on counts."""
        if self.council_wide:
            return "all"
        if self.role is Role.MANAGER and self.team_id is not None:
            return f"team:{self.team_id}"
        return f"person:{self.user_id}:{self.team_id}"


# The product itself (the scheduler, intake, retention) acting on any case.
EVERY_CASE = Reach(user_id=0, role=Role.ADMIN, team_id=None, council_wide=True)


def reach_of(session: Session, settings: Settings, person: User) -> Reach:
    """`person`'s reach, with their team as the database has it now."""
    assert person.id is not None
    return Reach(
        user_id=person.id,
        role=person.role,
        team_id=person.team_id,
        council_wide=person.role is Role.ADMIN or _in_office(session, settings, person),
    )


def reach_for(session: Session, settings: Settings, person: str | User) -> Reach:
    """The reach of the person acting: a username (an active account is looked up) or the
    signed-in account the web already holds."""
    account = acting_user(session, person) if isinstance(person, str) else person
    return reach_of(session, settings, account)


def _in_office(session: Session, settings: Settings, person: User) -> bool:
    if person.role not in _OFFICE_ROLES:
        return False
    if person.team_id is None:
        return True
    office = settings.council.complaints_office.casefold()
    team = session.get(Team, person.team_id)
    return bool(office) and team is not None and team.name.casefold() == office


def visible_cases(reach: Reach) -> ColumnElement[bool]:
    """A condition on `feedback_case` true for the cases within `reach`."""
    if reach.council_wide:
        return sa.true()
    if reach.role is Role.QA_PRACTITIONER or reach.team_id is None:
        return _works_on(reach.user_id)
    of_team = _CASE.c.team_id == reach.team_id
    if reach.role is Role.MANAGER:
        # The team's cases and those its members (the manager among them) are officer of: two
        # indexed conditions, so the dashboard's counts over every open step stay quick.
        member = _USER.alias("team_member")
        team_members = sa.select(member.c.id).where(member.c.team_id == reach.team_id)
        return sa.or_(of_team, _CASE.c.officer_id.in_(team_members))
    return sa.or_(of_team, _works_on(reach.user_id))


def _works_on(user_id: int) -> ColumnElement[bool]:
    # Aliases, correlated to the case only: the query this condition joins may itself read the
    # deadline table (the dashboard does), which must not be mistaken for this one.
    step, point = _DEADLINE.alias("owned_step"), _POINT.alias("investigated_point")
    action = _ACTION.alias("owned_action")
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
    owns_action = (
        sa.select(action.c.id)
        .where(action.c.case_id == _CASE.c.id, action.c.owner_id == user_id)
        .correlate(_CASE)
        .exists()
    )
    return sa.or_(_CASE.c.officer_id == user_id, owns_step, investigates, owns_action)


def note_refusal(session: Session, reach: Reach, reference: str) -> None:
    """Log (for the council's own monitoring, never for the person asking: at INFO, which a
    command line without logging set up does not print) that someone asked for a case that
    exists but is outside their reach."""
    exists = session.execute(sa.select(_CASE.c.id).where(_CASE.c.reference == reference)).first()
    if exists is not None:
        log.info("case %s is outside the reach of user %s", reference, reach.user_id)
