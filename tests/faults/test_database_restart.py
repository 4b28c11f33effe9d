"""The database restarting under the app (PostgreSQL): every connection the app holds is cut, as
a restart or a fail-over does. The next page and the next change work without anyone doing
anything: the pool tests each connection before use and opens a new one."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.accounts import set_password
from complaints.services.cases import show_case
from tests.support import LogCase, web_app

CUT_EVERY_OTHER_CONNECTION = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def test_after_the_database_drops_every_connection_the_app_carries_on(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    if council.database.dialect != "postgresql":
        pytest.skip("a database server restart is a PostgreSQL matter")
    import psycopg

    reference = log_case("corporate", date(2026, 11, 16)).reference
    clock.set(date(2026, 11, 17))
    set_password(council, "off", "a-long-test-password", by="admin")
    app = web_app(council, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.post("/sign-in", data={"username": "off", "password": "a-long-test-password"})
    assert client.get(f"/cases/{reference}").status_code == 200

    url = council.database.url.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url, autocommit=True) as admin:
        cut = admin.execute(CUT_EVERY_OTHER_CONNECTION).fetchone()
    assert cut is not None and cut[0] >= 1  # the app's pooled connections were among them

    assert client.get(f"/cases/{reference}").status_code == 200
    version = show_case(council, reference, by="admin").version
    step = client.post(f"/cases/{reference}/steps/acknowledge", data={"version": str(version)})
    assert step.status_code == 302
    assert show_case(council, reference, by="admin").version == version + 1
