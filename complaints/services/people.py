"""Use cases for staff and reference data: teams, users, categories.

This is how a council sets up a fresh install: `init-db` seeds the teams and categories listed in
config.toml, and the first administrator is created with `complaints user add`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, bindparam, or_
from sqlmodel import Session, func, select

from complaints.context import Context
from complaints.errors import AccessDeniedError, DomainError, NotFoundError
from complaints.models import Category, Role, Team, User
from complaints.passwords import hash_password
from complaints.services.audit import record_event

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,59}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_NAME_LENGTH = 120


def add_team(ctx: Context, name: str, *, actor: User | None = None) -> Team:
    """Create a team (service area); the name must be new, ignoring case."""
    name = _clean_name(name, "team")
    with ctx.database.unit_of_work() as session:
        if _team_named(session, name) is not None:
            raise DomainError(f"a team called '{name}' already exists")
        team = Team(name=name, created_at=ctx.clock.now())
        add_named(ctx, session, team, "team", actor)
        return team


def add_user(
    ctx: Context,
    username: str,
    *,
    role: str,
    full_name: str | None = None,
    team: str | None = None,
    email: str | None = None,
    password: str | None = None,
    password_hash: str | None = None,
    actor: User | None = None,
) -> User:
    """Create a staff account with its role, team and (optionally) a password, given in clear
    (checked against the policy, then hashed) or already hashed (demo data, imports)."""
    username = _check_username(username)
    role_value = _check_role(role)
    email = _check_email(email)
    if password is not None:
        password_hash = hash_password(password, username)
    with ctx.database.unit_of_work() as session:
        if session.exec(select(User).where(User.username == username)).first() is not None:
            raise DomainError(f"a user called '{username}' already exists")
        team_row = require_team(session, team) if team else None
        user = User(
            username=username,
            full_name=_clean_name(full_name or username, "full name"),
            email=email,
            role=role_value,
            team_id=team_row.id if team_row else None,
            password_hash=password_hash,
            created_at=ctx.clock.now(),
        )
        session.add(user)
        session.flush()
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="user_added",
            summary=f"User '{username}' added as {role_value.value}",
            after={"user_id": user.id, "username": username, "role": role_value, "team": team},
        )
        return user


def seed_reference_data(ctx: Context) -> tuple[int, int]:
    """Add the teams and categories listed in config.toml that are not in the database yet.

    Returns how many teams and categories were added; running it again adds nothing.
    """
    lists = ctx.settings.lists
    with ctx.database.unit_of_work() as session:
        new_teams = _missing(session, Team, lists.service_areas)
        new_categories = _missing(session, Category, lists.categories)
        now = ctx.clock.now()
        session.add_all(Team(name=name, created_at=now) for name in new_teams)
        session.add_all(Category(name=name) for name in new_categories)
        if new_teams or new_categories:
            record_event(
                session,
                at=now,
                action="reference_data_seeded",
                summary=(
                    f"{len(new_teams)} teams and {len(new_categories)} categories added "
                    "from config.toml"
                ),
                after={"teams": new_teams, "categories": new_categories},
            )
        return len(new_teams), len(new_categories)


_USER_BY_NAME = select(User).where(User.username == bindparam("username"))


def require_role(actor: User, roles: Iterable[str], doing: str, hint: str = "") -> None:
    """Refuse `actor` unless their role is one of `roles`: "a qa practitioner cannot ..."."""
    if actor.role.value not in set(roles):
        role = actor.role.value.replace("_", " ")
        article = "an" if role[0] in "aeiou" else "a"
        raise AccessDeniedError(f"{article} {role} cannot {doing}{hint}")


def find_user(session: Session, username: str) -> User:
    """The user with this username, or a NotFoundError saying so."""
    user = session.exec(_USER_BY_NAME, params={"username": username.strip().lower()}).first()
    if user is None:
        raise NotFoundError(f"there is no user called '{username}'")
    return user


def acting_user(session: Session, username: str) -> User:
    """The person doing something: an account that exists and is active."""
    user = find_user(session, username)
    if not user.active:
        raise AccessDeniedError(f"the account '{user.username}' is deactivated")
    return user


def _missing(
    session: Session, model: type[Team] | type[Category], names: Iterable[str]
) -> list[str]:
    existing = {name.casefold() for name in session.exec(select(model.name)).all()}
    return [name for name in names if name.casefold() not in existing]


def _team_named(session: Session, name: str) -> Team | None:
    query = select(Team).where(_same_name(Team.name, name))
    return session.exec(query).first()


def category_named(session: Session, name: str) -> Category | None:
    """The category called `name`, ignoring case."""
    query = select(Category).where(_same_name(Category.name, name))
    return session.exec(query).first()


def _same_name(column: Any, name: str) -> ColumnElement[bool]:
    """`column` holds `name`, ignoring case. SQLite's lower() changes only A to Z, so the name
    as written is matched too: a duplicate is then refused here, not by the unique index."""
    return or_(column == name, func.lower(column) == name.lower())


def add_named(
    ctx: Context, session: Session, row: Team | Category, kind: str, actor: User | None
) -> None:
    """Save a new team or category and write its audit event ("team_added", say)."""
    session.add(row)
    session.flush()
    record_event(
        session,
        at=ctx.clock.now(),
        actor=actor,
        action=f"{kind}_added",
        summary=f"{kind.capitalize()} '{row.name}' added",
        after={f"{kind}_id": row.id, "name": row.name},
    )


def require_team(session: Session, name: str) -> Team:
    """The team called `name` (ignoring case), or a NotFoundError saying so."""
    team = _team_named(session, name.strip())
    if team is None:
        raise NotFoundError(f"there is no team called '{name}'; add it first with 'team add'")
    return team


def _clean_name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise DomainError(f"the {what} must not be empty")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise DomainError(f"the {what} must be at most {MAX_NAME_LENGTH} characters long")
    return cleaned


def _check_username(username: str) -> str:
    cleaned = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(cleaned):
        raise DomainError(
            f"'{username}' is not a valid username: use 2 to 60 lower-case letters, digits, "
            "dots, hyphens or underscores, starting with a letter or digit"
        )
    return cleaned


def _check_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        known = ", ".join(member.value for member in Role)
        raise DomainError(f"'{role}' is not a role; choose one of {known}") from None


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    cleaned = email.strip()
    if not EMAIL_PATTERN.fullmatch(cleaned) or len(cleaned) > 254:
        raise DomainError(f"'{email}' is not a valid e-mail address")
    return cleaned
