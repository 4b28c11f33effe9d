"""A database that cannot take a change (read-only, its disk full) gives a clear error that says
nothing was changed, on the command line, in the services and on the web, and the case is exactly
as it was; once the database is writable again the same change goes through."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.db import DatabaseError
from complaints.services.accounts import set_password
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback, show_case
from tests.support import LogCase, audit_count, version_of, web_app


@contextmanager
def on_every_connection(ctx: Context, statement: Callable[[sa.Engine], str]) -> Iterator[None]:
    """New connections run `statement` first (the pool is emptied before and after)."""
    engine = ctx.database.engine
    sql = statement(engine)

    def run(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(sql)
        cursor.close()
        dbapi_connection.commit()  # PostgreSQL's SET is undone if its transaction is rolled back

    engine.dispose()
    sa.event.listen(engine, "connect", run)
    try:
        yield
    finally:
        sa.event.remove(engine, "connect", run)
        engine.dispose()


def read_only(engine: sa.Engine) -> str:
    if engine.dialect.name == "sqlite":
        return "PRAGMA query_only = 1"
    return "SET default_transaction_read_only = on"


def full_disk(engine: sa.Engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("a full disk is simulated on SQLite only (PRAGMA max_page_count)")
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    return f"PRAGMA max_page_count = {pages}"


@pytest.fixture
def received(council: Context, log_case: LogCase, clock: SettableClock) -> str:
    reference = log_case("corporate", date(2026, 11, 16)).reference
    clock.set(date(2026, 11, 17))
    return reference


def test_a_read_only_database_refuses_a_step_clearly_and_changes_nothing(
    council: Context, received: str
) -> None:
    before, events = show_case(council, received, by="admin"), audit_count(council)
    with on_every_connection(council, read_only):
        with pytest.raises(DatabaseError, match=r"read-only .* nothing was changed"):
            fire_trigger(
                council,
                received,
                "acknowledge",
                by="off",
                expected_version=version_of(council, received),
            )
        assert show_case(council, received, by="admin") == before  # reading still works
    assert (show_case(council, received, by="admin"), audit_count(council)) == (before, events)
    assert (
        fire_trigger(
            council,
            received,
            "acknowledge",
            by="off",
            expected_version=version_of(council, received),
        ).state
        != before.state
    )


def test_a_full_disk_refuses_new_feedback_clearly_and_keeps_the_database_whole(
    council: Context, received: str
) -> None:
    events = audit_count(council)
    feedback = NewFeedback(
        procedure="corporate",
        feedback_type="complaint",
        received_on=date(2026, 11, 17),
        summary="A long account of what happened. " * 150,
        complainant_name="Bea Jones",
    )
    with (
        on_every_connection(council, full_disk),
        pytest.raises(DatabaseError, match=r"run out of space .* nothing was changed"),
    ):
        for _ in range(50):  # until the pages the database already has are used up
            log_feedback(council, feedback, by="off")
    logged = audit_count(council) - events
    with council.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        cases = connection.exec_driver_sql("SELECT count(*) FROM feedback_case").scalar_one()
    assert cases == 1 + logged  # every case logged before the disk filled, and no part of one
    assert log_feedback(council, feedback, by="off").reference


def test_the_web_says_the_change_was_not_saved(council: Context, received: str) -> None:
    set_password(council, "off", "a-long-test-password", by="admin")
    app = web_app(council, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.post("/sign-in", data={"username": "off", "password": "a-long-test-password"})
    version = show_case(council, received, by="admin").version
    with on_every_connection(council, read_only):
        response = client.post(
            f"/cases/{received}/steps/acknowledge", data={"version": str(version)}
        )
    assert response.status_code in (400, 503)
    assert "read-only just now" in response.text and "nothing was changed" in response.text
    assert show_case(council, received, by="admin").version == version
