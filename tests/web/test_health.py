"""GET /health: healthy when the database answers with the current schema; 503 when not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from flask import Flask

from complaints.config import DatabaseSettings
from complaints.context import Context
from complaints.db import Database, downgrade, head_revision, upgrade
from web import create_app

CONFIG = {"TESTING": True, "SECRET_KEY": "x", "START_SCHEDULER": False}


def test_a_healthy_product_says_so_without_signing_in(app: Flask) -> None:
    response = app.test_client().get("/health")
    assert response.status_code == 200
    body = response.json or {}
    assert (body["status"], body["database"], body["schema"]) == ("ok", "ok", head_revision())


def test_an_old_schema_is_unhealthy(staff: Context, tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path}/old.db")
    upgrade(database, "0005")
    settings = dataclasses.replace(staff.settings, database=DatabaseSettings(database.url))
    app = create_app(Context(settings, staff.clock, database), CONFIG)
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert (response.json or {})["schema"] == "0005"
    downgrade(database, "base")


def test_an_unreachable_database_is_unhealthy(staff: Context) -> None:
    missing = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    settings = dataclasses.replace(staff.settings, database=DatabaseSettings(missing))
    app = create_app(Context(settings, staff.clock, Database(missing)), CONFIG)
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert (response.json or {})["database"].startswith("unreachable")
