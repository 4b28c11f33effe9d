"""Signing in and looking after staff accounts: checking a password, reading a signed-in
person, and an administrator's changes to an account (role, team, password, active), teams and
categories. Each change is one transaction with one audit event, or a refusal that changes
nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlmodel import Session, col, select

from complaints import passwords
from complaints.context import Context
from complaints.errors import AccountLockedError, DomainError, NotFoundError
from complaints.models import Category, Role, Team, User
from complaints.services.audit import record_event
from complaints.services.people import (
    _check_email,
    _check_role,
    _clean_name,
    add_named,
    category_named,
    find_user,
    require_role,
    require_team,
)

ADMIN_ROLES = {Role.ADMIN.value}
# Wrong passwords in a row that lock an account, and for how long: enough for a person who
# mistypes, far too few for anyone guessing (the sign-in page is also rate-limited per address).
LOCKOUT_AFTER = 5
LOCKOUT_TIME = timedelta(minutes=15)


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


@dataclass(frozen=True)
class ListEntry:
    """A team or a category with whether it is offered for new work."""

    id: int
    name: str
    active: bool


def authenticate(ctx: Context, username: str, password: str) -> User | None:
    """The active user whose password this is, or None (the same time either way).

    LOCKOUT_AFTER wrong passwords in a row lock the account for LOCKOUT_TIME: until then every
    sign-in is refused with AccountLockedError, the right password too. The right password
    clears the count; an administrator setting a new password unlocks the account."""
    cleaned = username.strip().lower()
    with ctx.database.reader() as session:
        user = session.exec(select(User).where(User.username == cleaned)).first()
    if user is None or not user.active or not user.password_hash:
        passwords.verify_password(_unknown_user_hash(), password)
        return None
    now = ctx.clock.now()
    if user.locked_until is not None and user.locked_until > now:
        raise AccountLockedError(_locked_message(user.locked_until, now))
    if passwords.verify_password(user.password_hash, password):
        if user.failed_sign_ins or user.locked_until is not None:
            _clear_failures(ctx, user)
        return user
    _count_failure(ctx, user, now)
    return None


def _count_failure(ctx: Context, user: User, now: datetime) -> None:
    with ctx.database.unit_of_work() as session:
        # One atomic UPDATE: wrong passwords sent at the same moment are all counted.
        failures = session.execute(
            sa.update(User)
            .where(col(User.id) == user.id)
            .values(failed_sign_ins=col(User.failed_sign_ins) + 1)
            .returning(col(User.failed_sign_ins))
        ).scalar_one()
        if failures < LOCKOUT_AFTER:
            return
        locked_until = now + LOCKOUT_TIME
        session.execute(
            sa.update(User)
            .where(col(User.id) == user.id)
            .values(failed_sign_ins=0, locked_until=locked_until)
        )
        record_event(
            session,
            at=now,
            action="account_locked",
            summary=f"Account '{user.username}' locked after {failures} wrong passwords",
            after={"username": user.username, "locked_until": locked_until.isoformat()},
        )
    raise AccountLockedError(_locked_message(locked_until, now))


def _clear_failures(ctx: Context, user: User) -> None:
    with ctx.database.unit_of_work() as session:
        session.execute(
            sa.update(User)
            .where(col(User.id) == user.id)
            .values(failed_sign_ins=0, locked_until=None)
        )


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return (
        f"this account is locked after {LOCKOUT_AFTER} wrong passwords in a row; try again in "
        f"{minutes} minutes, or ask an administrator to set a new password"
    )


@cache
def _unknown_user_hash() -> str:
    """Verified when the username is unknown, so a wrong username takes as long as a wrong
    password: nobody learns which usernames exist from the time a refusal takes."""
    return passwords.hash_password("not-the-password-of-anyone")


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
        if user.id == actor.id and (new_role is not Role.ADMIN or not active):
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
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="user_changed",
            summary=f"Account '{user.username}' changed",
            before=before,
            after=_account_values(session, user),
        )
        team_row = session.get(Team, user.team_id) if user.team_id else None
        return _member(user, team_row.name if team_row else None)


def set_password(ctx: Context, username: str, password: str, *, by: str) -> None:
    """An administrator sets someone's password (checked against the policy, stored hashed)."""
    password_hash = passwords.hash_password(password, username)
    with ctx.database.unit_of_work() as session:
        actor = _administrator(session, by)
        user = find_user(session, username)
        user.password_hash = password_hash
        user.failed_sign_ins = 0
        user.locked_until = None  # a new password from an administrator unlocks the account
        session.add(user)
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="password_set",
            summary=f"Password of '{user.username}' set",
            after={"username": user.username},
        )


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
    require_role(actor, ADMIN_ROLES, "look after accounts, teams or categories")
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
    )


def _id(value: int | None) -> int:
    assert value is not None
    return value
