"""The migrations build exactly the schema the models declare, from empty, on both databases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from complaints.db import Database, current_revision, downgrade, head_revision, upgrade
from complaints.models import metadata

SERVER_DATABASE_URL = os.environ.get("COMPLAINTS_DATABASE_URL", "")
HOT_PATH_INDEXES = {
    "deadline": {
        "ix_deadline_status_due_on",
        "ix_deadline_owner_status_due_on",
        "ix_deadline_case_id",
        "ix_deadline_stopped_on",
    },
    "feedback_case": {
        "ix_feedback_case_state_team",
        "ix_feedback_case_state_officer",
        "ix_feedback_case_procedure_state",
        "ix_feedback_case_received_visible",
        "ix_feedback_case_visibility",
    },
    "case_action": {"ix_case_action_status_due_on"},
}


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[Database]:
    """A database with no tables at all: a SQLite file, or a new database on the server."""
    if not SERVER_DATABASE_URL:
        database = Database(f"sqlite:///{tmp_path / 'empty.db'}")
        yield database
        database.dispose()
        return
    url = make_url(SERVER_DATABASE_URL)
    name = f"{url.database}_migrations"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    database = Database(url.set(database=name).render_as_string(hide_password=False))
    yield database
    database.dispose()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def schema_differences(database: Database) -> list[object]:
    with database.engine.connect() as connection:
        dialect = connection.dialect.name

        def declared_for_this_database(item: object, *_: object) -> bool:
            # An index the models declare for PostgreSQL alone (`ddl_if`) is not made on SQLite.
            condition = getattr(item, "_ddl_if", None)
            return condition is None or condition.dialect in (None, dialect)

        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": declared_for_this_database},
        )
        return list(compare_metadata(context, metadata))


def table_names(database: Database) -> set[str]:
    return set(sa.inspect(database.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_builds_every_table_of_the_models(empty_database: Database) -> None:
    assert current_revision(empty_database) is None
    upgrade(empty_database)
    assert current_revision(empty_database) == head_revision()
    assert table_names(empty_database) == set(metadata.tables)


# Alembic cannot read an expression index back from SQLite; the index is PostgreSQL's alone.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migrated_schema_matches_the_models_exactly(empty_database: Database) -> None:
    upgrade(empty_database)
    assert schema_differences(empty_database) == []


def test_upgrade_twice_changes_nothing(empty_database: Database) -> None:
    upgrade(empty_database)
    upgrade(empty_database)
    assert current_revision(empty_database) == head_revision()


def test_downgrade_to_base_removes_every_table_and_upgrade_rebuilds(
    empty_database: Database,
) -> None:
    upgrade(empty_database)
    downgrade(empty_database, "base")
    assert table_names(empty_database) == set()
    upgrade(empty_database)
    assert table_names(empty_database) == set(metadata.tables)


def test_dashboard_and_scheduler_queries_have_their_indexes(empty_database: Database) -> None:
    upgrade(empty_database)
    inspector = sa.inspect(empty_database.engine)
    for table, wanted in HOT_PATH_INDEXES.items():
        present = {index["name"] for index in inspector.get_indexes(table)}
        assert wanted <= present, f"{table} lacks {wanted - present}"
