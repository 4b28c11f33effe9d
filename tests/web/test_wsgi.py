"""The production entry point: gunicorn with several workers serves the app from config."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from complaints.db import Database, upgrade

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
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2",
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
