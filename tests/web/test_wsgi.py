"""The production layout: gunicorn with several workers serves the app from config, and the
scheduler runs as a process of its own (`complaints scheduler`)."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from complaints.context import Context
from complaints.db import Database, upgrade
from web import serve

ROOT = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_gunicorn_with_two_workers_serves_the_app(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'live.db'}"
    upgrade(Database(database_url))
    port = free_port()
    environment = os.environ | {
        "COMPLAINTS_DATABASE_URL": database_url,
        "COMPLAINTS_SECRET_KEY": "test-secret",
    }
    bin_folder = Path(sys.executable).parent
    scheduler = subprocess.run(
        [str(bin_folder / "complaints"), "scheduler", "--once"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert scheduler.returncode == 0, scheduler.stderr
    server = subprocess.Popen(
        [str(bin_folder / "gunicorn"), "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "web.wsgi:app"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        status, body = 0, b""
        for _ in range(100):
            try:
                status, body = get(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200, body
        assert b'"status":"ok"' in body.replace(b" ", b"")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def test_make_runs_server_is_the_one_that_embeds_a_scheduler(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    monkeypatch.setattr(sys, "argv", ["web.serve"])
    monkeypatch.setattr(serve, "configure_logging", lambda style: None)
    monkeypatch.setattr(serve.Context, "load", lambda *_: ctx)
    monkeypatch.setattr(serve, "demo_logins", lambda _: [])
    monkeypatch.setattr(serve, "start_embedded_scheduler", lambda _: started.append("scheduler"))
    monkeypatch.setattr(serve, "serve", lambda app, **_: started.append("web"))

    serve.main()

    assert started == ["scheduler", "web"]


@pytest.mark.parametrize(
    ("configured", "linked"),
    [
        ("http://127.0.0.1:5000/cases/{reference}", "http://127.0.0.1:5055/cases/{reference}"),
        ("http://localhost/cases/{reference}", "http://127.0.0.1:5055/cases/{reference}"),
        (
            "https://complaints.example.gov.uk/cases/{reference}",
            "https://complaints.example.gov.uk/cases/{reference}",
        ),
    ],
)
def test_alert_links_follow_the_served_address_only_on_this_machine(
    ctx: Context, configured: str, linked: str
) -> None:
    settings = dataclasses.replace(
        ctx.settings, alerts=dataclasses.replace(ctx.settings.alerts, case_link=configured)
    )
    linking = serve.linking_to(settings, "http://127.0.0.1:5055")
    assert linking.alerts.case_link == linked
