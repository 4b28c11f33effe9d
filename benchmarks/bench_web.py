"""The web front end under load: 100,000 cases in SQLite, served on 127.0.0.1 by gunicorn with 4
workers (docs/production.md's set-up; `--workers 1` serves with waitress in one process, as
`make run` does), and 20 simulated members of staff (a thread pool) each signing in and then
opening, in turn, their work queue, the manager's dashboard, a page of the case list and a case
page. Reports p50 and p95 for each page, leaving out each user's first round (everyone signing in
at once and every cache cold). Target: p95 under 150 ms for each.

The load is bounded in count and time: each user makes ROUNDS rounds of the four pages (or
stops at the time limit) with a short pause between pages, as a person reading a page would. The
cases span five years; those received in the last eight weeks are open, with their response
deadline running (many overdue), the rest closed with their deadline stopped.

Run: python benchmarks/bench_web.py [--cases 100000] [--users 20] [--rounds 15] [--think 0.5]
     [--workers 4]
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from complaints.clock import SettableClock
from complaints.config import DatabaseSettings, load_settings
from complaints.context import Context
from complaints.db import Database, upgrade
from complaints.demo.staff import DEMO_PASSWORD, ensure_demo_staff
from complaints.services.people import seed_reference_data

TODAY = date(2026, 11, 23)
TARGET_MS = 150.0
TIME_LIMIT_SECONDS = 300
# 100,000 cases over five years, as a large council's history: those of the last eight weeks
# are open (about 3,000, a busy complaints service's caseload), the rest closed.
HISTORY_DAYS = 5 * 365
OPEN_DAYS = 56
PAGES = ("queue", "dashboard", "case list", "case page")
WARM_UP_ROUNDS = 1  # each user's first round (everyone signing in at once, cold caches)
STATES = (
    ("statutory_children", "stage1_investigating", 1),
    ("corporate", "stage1_investigating", 1),
    ("corporate", "stage2_investigating", 2),
    ("adult_social_care", "investigating", 1),
    ("corporate", "closed", 1),
)
USERS = ("cmanager", "cfmanager", "ascmanager", "admin")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def context(path: Path) -> Context:
    settings = load_settings(environ={})
    settings = dataclasses.replace(
        settings,
        database=DatabaseSettings(url=f"sqlite:///{path}"),
        scheduler=dataclasses.replace(settings.scheduler, embedded=False),
    )
    return Context(settings, SettableClock(TODAY), Database(settings.database.url))


def build(path: Path, cases: int) -> None:
    """The demo council's staff and teams, then `cases` cases with their deadlines, in bulk."""
    ctx = context(path)
    upgrade(ctx.database)
    seed_reference_data(ctx)
    staff = ensure_demo_staff(ctx)
    ctx.database.dispose()
    people = [(u.id, u.team_id) for u in staff if u.role.value != "admin"]
    rng = random.Random(2026)
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).isoformat()
    connection = sqlite3.connect(path)
    team_ids = [row[0] for row in connection.execute("SELECT id FROM team")]

    def case_rows():  # type: ignore[no-untyped-def]
        for n in range(1, cases + 1):
            officer, team = rng.choice(people)
            received = TODAY - timedelta(days=rng.randint(0, HISTORY_DAYS))
            # Cases received in the last OPEN_DAYS are still being worked on; older ones closed.
            procedure, state, stage = (
                rng.choice(STATES[:-1]) if (TODAY - received).days <= OPEN_DAYS else STATES[-1]
            )
            yield (
                n,
                f"CF-{received.year}-{n:06d}",
                procedure,
                state,
                stage,
                received.isoformat(),
                f"Person {rng.randint(1, 50_000)} Surname{rng.randint(1, 5000)}",
                team or rng.choice(team_ids),
                officer,
                now,
                now,
            )

    connection.executemany(
        "INSERT INTO feedback_case (id, reference, feedback_type, procedure, state, stage,"
        " received_on, contact_method, made_by, complainant_name, is_child, consent_recorded,"
        " summary, team_id, officer_id, version, created_at, updated_at) VALUES (?, ?, 'complaint',"
        " ?, ?, ?, ?, 'email', 'complainant', ?, 0, 0, 'Bulk-loaded case', ?, ?, 1, ?, ?)",
        case_rows(),
    )
    connection.execute(
        "INSERT INTO deadline (case_id, name, stage, started_on, original_due_on, due_on,"
        " paused_working_days, status, owner_id, created_at)"
        " SELECT id, CASE stage WHEN 2 THEN 'stage2_response' ELSE 'stage1_response' END, stage,"
        " received_on, date(received_on, '+14 days'), date(received_on, '+14 days'), 0,"
        " CASE state WHEN 'closed' THEN 'stopped' ELSE 'running' END, officer_id, created_at"
        " FROM feedback_case"
    )
    connection.execute(
        "UPDATE deadline SET stopped_on = date(due_on, '-2 days') WHERE status = 'stopped'"
    )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def serve(path: Path, port: int) -> None:
    """The app under waitress, as `python -m web.serve` runs it (the child process)."""
    import logging

    from waitress import serve as waitress_serve

    from web import create_app
    from web.serve import THREADS

    app = create_app(
        context(path),
        {"SECRET_KEY": "bench", "SESSION_COOKIE_SECURE": False, "LOGIN_RATE_LIMIT": "1000/minute"},
    )
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # its backlog notes, per request
    waitress_serve(app, host="127.0.0.1", port=port, threads=THREADS, _quiet=True)


def start_server(path: Path, port: int, workers: int) -> Any:
    """Waitress in a child process (one worker), or gunicorn with `workers` processes."""
    if workers <= 1:
        process = multiprocessing.get_context("spawn").Process(target=serve, args=(path, port))
        process.start()
        return process
    entry = path.parent / "bench_app.py"
    entry.write_text(
        "from pathlib import Path\n"
        "from bench_web import context\n"
        "from web import create_app\n"
        f"app = create_app(context(Path({str(path)!r})), {{'SECRET_KEY': 'bench', "
        "'SESSION_COOKIE_SECURE': False, 'LOGIN_RATE_LIMIT': '1000/minute'})\n"
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--pythonpath", f"{entry.parent},{Path(__file__).parent}", "--log-level", "warning",
         "bench_app:app"],
    )  # fmt: skip


@contextmanager
def running(server: Any) -> Iterator[None]:
    """The server process `start_server` (or another) started, until the block ends; then told
    to stop and waited for."""
    try:
        yield
    finally:
        server.terminate()
        if isinstance(server, subprocess.Popen):
            server.wait(timeout=10)
        else:  # waitress in a child process (multiprocessing)
            server.join(timeout=10)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def user(
    base: str, number: int, rounds: int, think: float, cases: int, stop_at: float
) -> dict[str, list[float]]:
    """One member of staff: sign in, then rounds of the four pages; the time of each page."""
    session = sign_in(base, USERS[number % len(USERS)])
    rng = random.Random(number)
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    for round_number in range(rounds + WARM_UP_ROUNDS):
        if time.monotonic() > stop_at:
            break
        reference = session.get(f"{base}/cases?page={rng.randint(1, 50)}", timeout=30)
        found = re.findall(r"/cases/(CF-\d{4}-\d{6})", reference.text)
        paths = {
            "queue": "/my-work",
            "dashboard": "/dashboard",
            "case list": f"/cases?page={rng.randint(1, 200)}",
            "case page": f"/cases/{rng.choice(found)}" if found else "/cases",
        }
        for name in PAGES:
            started = time.perf_counter()
            response = session.get(base + paths[name], timeout=30)
            if round_number >= WARM_UP_ROUNDS:  # the first round fills caches; not counted
                times[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            time.sleep(think * rng.uniform(0.5, 1.5))
    return times


def sign_in(base: str, username: str) -> requests.Session:
    """A session signed in as `username` (a demo member of staff)."""
    session = requests.Session()
    page = session.get(f"{base}/sign-in", timeout=30)
    token = TOKEN.search(page.text)
    assert token is not None
    signed_in = session.post(
        f"{base}/sign-in",
        data={"csrf_token": token.group(1), "username": username, "password": DEMO_PASSWORD},
        timeout=30,
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:300]
    return session


def wait_for(base: str) -> None:
    """Until the server at `base` answers (at most 30 seconds)."""
    for _ in range(150):
        try:
            requests.get(f"{base}/health", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--think", type=float, default=0.5, help="seconds between pages")
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="1: waitress in one process, as `make run`; more: gunicorn with that many workers, "
        "as docs/production.md sets it up (default 4)",
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        started = time.perf_counter()
        build(path, arguments.cases)
        print(f"{arguments.cases:,} cases loaded in {time.perf_counter() - started:.1f} s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with running(start_server(path, port, arguments.workers)):
            wait_for(base)
            stop_at = time.monotonic() + TIME_LIMIT_SECONDS
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=arguments.users) as pool:
                results = list(
                    pool.map(
                        lambda n: user(
                            base, n, arguments.rounds, arguments.think, arguments.cases, stop_at
                        ),
                        range(arguments.users),
                    )
                )
            elapsed = time.perf_counter() - started
    total = sum(len(times) for result in results for times in result.values())
    server = (
        "waitress, one process"
        if arguments.workers <= 1
        else (f"gunicorn, {arguments.workers} workers")
    )
    print(f"served by {server}; each user's first round (a warm-up) is not counted")
    print(
        f"{arguments.users} users, {total:,} page loads in {elapsed:.1f} s "
        f"({total / elapsed:.1f} pages a second; {arguments.think} s pause between pages)"
    )
    print(
        f"{'page':<12} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95 < {TARGET_MS:.0f} ms"
    )
    for name in PAGES:
        values = [v for result in results for v in result[name]]
        p95 = percentile(values, 0.95)
        verdict = "met" if p95 < TARGET_MS else "NOT met"
        p50 = statistics.median(values)
        print(f"{name:<12} {p50:>8.1f} {p95:>8.1f} {max(values):>8.1f}  {verdict}")


if __name__ == "__main__":
    main()
