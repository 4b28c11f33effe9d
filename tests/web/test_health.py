"""GET /health: ok when the database answers with the current schema and the deadline sweep has
succeeded lately; degraded (503) when the sweep has not succeeded for twice its interval;
unhealthy (503) when the database does not answer or has another schema. Which host and process
run the scheduler is shown to a signed-in administrator only."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask

from complaints.alerts.scheduled import holder_name, run_cycle
from complaints.clock import SettableClock
from complaints.config import DatabaseSettings
from complaints.context import Context
from complaints.db import Database, downgrade, head_revision, upgrade
from tests.support import web_app
from tests.web.conftest import Web

PUBLIC_CHECKS = {"status", "database", "schema", "schema_expected", "sweep"}


class Outbox:
    def send(self, message: EmailMessage) -> None:
        """Nothing to send in these tests."""


@pytest.fixture
def swept(staff: Context) -> Context:
    """The council after one scheduler cycle, by this process."""
    assert run_cycle(staff, Outbox(), holder_name()).ran
    return staff


def test_a_healthy_product_says_so_without_signing_in(app: Flask, swept: Context) -> None:
    response = app.test_client().get("/health")
    assert response.status_code == 200
    body = response.json or {}
    assert (body["status"], body["database"], body["schema"]) == ("ok", "ok", head_revision())
    assert body["sweep"] == "ok"


def test_the_public_is_not_told_which_host_and_process_run_the_scheduler(
    app: Flask, swept: Context, web: Callable[[str], Web]
) -> None:
    public = app.test_client().get("/health")
    officer = web("off").get("/health")
    for response in (public, officer):
        assert holder_name() not in response.text
        assert set(response.json or {}) == {
            "status",
            "database",
            "schema",
            "schema_expected",
            "sweep",
        }


def test_an_administrator_sees_the_scheduler_and_each_jobs_last_run(
    swept: Context, web: Callable[[str], Web], clock: SettableClock
) -> None:
    body = web("admin").get("/health").json or {}
    scheduler = body["scheduler"]
    assert scheduler["holder"] == holder_name()
    sweep = scheduler["jobs"]["sweep"]
    assert sweep["last_succeeded_at"] == clock.now().isoformat()
    assert (sweep["last_failed_at"], sweep["last_failure"]) == (None, None)


def test_a_sweep_that_has_not_succeeded_for_twice_its_interval_is_degraded(
    app: Flask, swept: Context, clock: SettableClock
) -> None:
    interval = swept.settings.scheduler.interval_minutes
    clock.advance(timedelta(minutes=2 * interval))
    assert app.test_client().get("/health").status_code == 200
    clock.advance(timedelta(seconds=1))

    response = app.test_client().get("/health")

    assert response.status_code == 503
    body = response.json or {}
    assert (body["status"], body["database"]) == ("degraded", "ok")
    assert f"more than {2 * interval} minutes ago" in body["sweep"]


def test_a_product_whose_sweep_never_ran_is_degraded(app: Flask) -> None:
    response = app.test_client().get("/health")
    assert response.status_code == 503
    body = response.json or {}
    assert body["status"] == "degraded"
    assert body["sweep"].startswith("the deadline sweep has never succeeded")


def test_an_old_schema_is_unhealthy(staff: Context, tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path}/old.db")
    upgrade(database, "0005")
    settings = dataclasses.replace(staff.settings, database=DatabaseSettings(database.url))
    app = web_app(Context(settings, staff.clock, database))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert ((response.json or {})["status"], (response.json or {})["schema"]) == (
        "unhealthy",
        "0005",
    )
    downgrade(database, "base")


def test_an_unreachable_database_is_unhealthy(staff: Context) -> None:
    missing = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    settings = dataclasses.replace(staff.settings, database=DatabaseSettings(missing))
    app = web_app(Context(settings, staff.clock, Database(missing)))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert (response.json or {})["database"].startswith("unreachable")
