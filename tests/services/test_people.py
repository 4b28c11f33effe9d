"""Setting up a council: teams, staff accounts and reference data, each change audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.models import AuditEvent, Category, Role, Team, User
from complaints.passwords import verify_password
from complaints.services.people import add_team, add_user, find_user, seed_reference_data


def audit_count(ctx: Context) -> int:
    with ctx.database.reader() as session:
        return session.exec(select(sa.func.count()).select_from(AuditEvent)).one()


def test_adding_a_team_records_who_and_when(ctx: Context) -> None:
    team = add_team(ctx, "  Highways   and Transport ")
    assert team.name == "Highways and Transport"
    with ctx.database.reader() as session:
        event = session.exec(select(AuditEvent)).one()
    assert event.action == "team_added"
    assert event.occurred_at == ctx.clock.now()
    assert event.after == {"team_id": team.id, "name": "Highways and Transport"}


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("Highways", "HIGHWAYS"),
        ("Ëast", "Ëast"),
        ("Ëast", "ëAST"),
        ("Straße", "STRASSE"),
        ("ÀÉÎ/wÃ»", "ÀÉÎ/wÃ»"),
    ],
)
def test_a_team_name_already_taken_in_any_case_is_refused_and_nothing_written(
    ctx: Context, first: str, again: str
) -> None:
    """Letters beyond ASCII too: SQLite's lower() leaves them as they are, so the same name
    once reached the database's unique index (a 500 on the administrator's page)."""
    add_team(ctx, first)
    before = audit_count(ctx)
    with pytest.raises(DomainError, match="already exists"):
        add_team(ctx, again)
    assert audit_count(ctx) == before
    with ctx.database.reader() as session:
        assert len(session.exec(select(Team)).all()) == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_a_blank_or_overlong_team_name_is_refused(ctx: Context, name: str) -> None:
    with pytest.raises(DomainError, match="team"):
        add_team(ctx, name)
    assert audit_count(ctx) == 0


def test_a_user_gets_a_role_a_team_and_an_argon2_password(ctx: Context) -> None:
    add_team(ctx, "Children and Families")
    user = add_user(
        ctx,
        "QA.Jones",
        role="qa_practitioner",
        full_name="Rebecca Jones",
        team="children and families",
        email="rebecca.jones@example.gov.uk",
        password="kettle herons umbrella",
    )
    assert (user.username, user.role) == ("qa.jones", Role.QA_PRACTITIONER)
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "kettle herons umbrella")
    assert not verify_password(user.password_hash, "kettle herons umbrellas")
    with ctx.database.reader() as session:
        assert find_user(session, "qa.jones").team_id is not None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "superuser"}, "not a role"),
        ({"username": "no spaces allowed"}, "not a valid username"),
        ({"email": "not-an-address"}, "is not an e-mail address"),
        ({"team": "Nowhere"}, "no team called 'Nowhere'"),
        ({"password": "short"}, "at least 12 characters"),
    ],
)
def test_bad_user_details_are_refused_and_nothing_written(
    ctx: Context, changes: dict[str, str], message: str
) -> None:
    details = {"username": "officer.evans", "role": "officer", "password": "a long enough phrase"}
    details.update(changes)
    with pytest.raises(DomainError, match=message):
        add_user(ctx, details.pop("username"), **details)  # type: ignore[arg-type]
    with ctx.database.reader() as session:
        assert session.exec(select(User)).all() == []
    assert audit_count(ctx) == 0


def test_a_username_can_be_taken_only_once(ctx: Context) -> None:
    add_user(ctx, "admin", role="admin")
    with pytest.raises(DomainError, match="already exists"):
        add_user(ctx, "ADMIN", role="manager")


def test_finding_an_unknown_user_says_so(ctx: Context) -> None:
    with (
        ctx.database.reader() as session,
        pytest.raises(NotFoundError, match="no user called 'ghost'"),
    ):
        find_user(session, "ghost")


def test_seeding_adds_the_configured_teams_and_categories_once(ctx: Context) -> None:
    lists = ctx.settings.lists
    assert seed_reference_data(ctx) == (len(lists.service_areas), len(lists.categories))
    assert seed_reference_data(ctx) == (0, 0)
    with ctx.database.reader() as session:
        assert set(session.exec(select(Team.name)).all()) == set(lists.service_areas)
        assert set(session.exec(select(Category.name)).all()) == set(lists.categories)
    assert audit_count(ctx) == 1
