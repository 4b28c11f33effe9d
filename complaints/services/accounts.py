"""Looking after staff accounts: reading a signed-in person, and an administrator's changes to
an account (role, team, password, active), teams and categories. Each change is one transaction
with one audit event, or a refusal that changes nothing. Setting a password or switching an
account off ends every sign-in session of that person in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from complaints import passwords
from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.models import Category, SessionEnd, Team, User
from complaints.permissions import Permission, may, require
from complaints.services.audit import record_event
from complaints.services.people import (
    _check_email,
    _check_role,
    _clean_name,
    add_named,
    category_named,
    find_user,
    require_team,
)
from complaints.services.sign_in import forget_wrong_passwords
from complaints.services.sign_in_sessions import end_sessions_of


@dataclass(frozen=True)
class StaffMember:
    """A member of staff as the pages show them."""

    id: int
    username: str
    full_name: str
    email: str | None
    role: str
    team: str | None
    team_id: int | None
    active: bool
    has_password: bool
    can_investigate: bool
    """Whether their role lets them be allocated a case or a complaint point to investigate."""
    can_agree_extensions: bool
    """Whether their role lets them agree an extension, or a restart of the clock."""


@dataclass(frozen=True)
class ListEntry:
    """A team or a category with whether it is offered for new work."""

    id: int
    name: str
    active: bool


def active_user(ctx: Context, user_id: int) -> User | None:
    """The signed-in person by their id, if their account is still active."""
    with ctx.database.reader() as session:
        user = session.get(User, user_id)
    return user if user is not None and user.active else None


def team_name(ctx: Context, team_id: int | None) -> str | None:
    if team_id is None:
        return None
    with ctx.database.reader() as session:
        team = session.get(Team, team_id)
    return team.name if team else None


def list_staff(ctx: Context) -> list[StaffMember]:
    """Every account, by name."""
    with ctx.database.reader() as session:
        rows = session.exec(
            select(User, Team.name)
            .outerjoin(Team, col(Team.id) == User.team_id)
            .order_by(col(User.full_name), col(User.username))
        ).all()
    return [_member(user, team) for user, team in rows]


def list_teams(ctx: Context) -> list[ListEntry]:
    with ctx.database.reader() as session:
        teams = session.exec(select(Team).order_by(col(Team.name))).all()
    return [ListEntry(_id(t.id), t.name, t.active) for t in teams]


def list_categories(ctx: Context) -> list[ListEntry]:
    with ctx.database.reader() as session:
        categories = session.exec(select(Category).order_by(col(Category.name))).all()
    return [ListEntry(_id(c.id), c.name, c.active) for c in categories]


def staff_member(ctx: Context, username: str) -> StaffMember:
    with ctx.database.reader() as session:
        user = find_user(session, username)
        team = session.get(Team, user.team_id) if user.team_id else None
    return _member(user, team.name if team else None)


def change_account(
    ctx: Context,
    username: str,
    *,
    by: str,
    role: str,
    team: str | None,
    full_name: str,
    email: str | None,
    active: bool,
) -> StaffMember:
    """An administrator changes someone's role, team, name, e-mail or whether they may sign in.
    Nobody can take away their own administration or switch themselves off."""
    with ctx.database.unit_of_work() as session:
        actor = _administrator(session, by)
        user = find_user(session, username)
        new_role = _check_role(role)
        if user.id == actor.id and (not may(new_role, Permission.MANAGE_ACCOUNTS) or not active):
            raise DomainError(
                "you cannot remove your own administrator role or switch yourself off"
            )
        before = _account_values(session, user)
        user.role = new_role
        user.team_id = require_team(session, team).id if team else None
        user.full_name = _clean_name(full_name, "full name")
        user.email = _check_email(email)
        user.active = active
        session.add(user)
        session.flush()
        after = _account_values(session, user)
        if not active:
            after["sessions_ended"] = end_sessions_of(
                session, user, at=ctx.clock.now(), why=SessionEnd.ACCOUNT_SWITCHED_OFF
            )
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="user_changed",
            summary=f"Account '{user.username}' changed",
            before=before,
            after=after,
        )
        team_row = session.get(Team, user.team_id) if user.team_id else None
        return _member(user, team_row.name if team_row else None)


def set_password(ctx: Context, username: str, password: str, *, by: str) -> None:
    """An administrator sets someone's password (checked against the policy, stored hashed).
    Every session of that person ends with the old password, and the wrong passwords tried
    for their username are forgotten (no wait left)."""
    password_hash = passwords.hash_password(password, username)
    with ctx.database.unit_of_work() as session:
        actor = _administrator(session, by)
        user = find_user(session, username)
        user.password_hash = password_hash
        session.add(user)
        ended = end_sessions_of(session, user, at=ctx.clock.now(), why=SessionEnd.PASSWORD_SET)
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="password_set",
            summary=f"Password of '{user.username}' set",
            after={"username": user.username, "sessions_ended": ended},
        )
    forget_wrong_passwords(ctx, user.username)


def add_category(ctx: Context, name: str, *, by: str) -> ListEntry:
    """An administrator adds a subject category; the name must be new, ignoring case."""
    cleaned = _clean_name(name, "category")
    with ctx.database.unit_of_work() as session:
        actor = _administrator(session, by)
        if category_named(session, cleaned) is not None:
            raise DomainError(f"a category called '{cleaned}' already exists")
        category = Category(name=cleaned)
        add_named(ctx, session, category, "category", actor)
        return ListEntry(_id(category.id), cleaned, True)


def set_list_entry_active(
    ctx: Context, kind: str, entry_id: int, *, active: bool, by: str
) -> ListEntry:
    """Offer a team or category for new work again, or stop offering it (history keeps it)."""
    with ctx.database.unit_of_work() as session:
        actor = _administrator(session, by)
        entry: Team | Category | None = (
            session.get(Team, entry_id) if kind == "team" else session.get(Category, entry_id)
        )
        if entry is None:
            raise NotFoundError(f"there is no {kind} {entry_id}")
        entry.active = active
        session.add(entry)
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action=f"{kind}_{'activated' if active else 'deactivated'}",
            summary=f"{kind.capitalize()} '{entry.name}' {'offered' if active else 'withdrawn'}",
            after={f"{kind}_id": entry_id, "active": active},
        )
        return ListEntry(entry_id, entry.name, active)


def _administrator(session: Session, username: str) -> User:
    actor = find_user(session, username)
    require(actor, Permission.MANAGE_ACCOUNTS)
    return actor


def _account_values(session: Session, user: User) -> dict[str, object]:
    return {
        "role": user.role.value,
        "team_id": user.team_id,
        "full_name": user.full_name,
        "email": user.email,
        "active": user.active,
    }


def _member(user: User, team: str | None) -> StaffMember:
    return StaffMember(
        id=_id(user.id),
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        role=user.role.value,
        team=team,
        team_id=user.team_id,
        active=user.active,
        has_password=bool(user.password_hash),
        can_investigate=may(user, Permission.INVESTIGATE),
        can_agree_extensions=may(user, Permission.EXTEND),
    )


def _id(value: int | None) -> int:
    assert value is not None
    return value
