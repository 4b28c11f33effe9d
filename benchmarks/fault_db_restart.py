"""PostgreSQL restarted under load: gunicorn (4 workers) on a demo council in a new PostgreSQL
database, 10 members of staff opening pages and adding complaint points for SECONDS seconds, and
the database server restarted (`pg_ctlcluster ... restart`) a third of the way through.

While the server is down, requests may fail: each must be a clear 503 page ("the database is not
answering ... nothing was changed"), never a 500 or a broken connection. Once it is back the app
must carry on by itself: no failure at all after a short grace period, and every complaint point
whose form was accepted (a redirect) is in the database with its audit event.

Run (as root, on a machine whose PostgreSQL may be restarted):
    python benchmarks/fault_db_restart.py [--seconds 40] [--users 10]
Exits non-zero if anything was lost or the app did not recover.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests
from bench_web import free_port, running, wait_for
from pg_council import PG_ADMIN, demo_council, gunicorn_on

from complaints.demo.staff import DEMO_PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
REFERENCE = re.compile(r"/cases/(CF-\d{4}-\d{6})")
GRACE_SECONDS = 3.0
MARK = "Restart-test point"
SUMMARY = re.compile(r'govuk-error-summary__list">\s*<li>(?:<a href="[^"]*">)?([^<]{0,80})')
HEADING = re.compile(r'<h1 class="govuk-heading-l">([^<]{0,80})')
USERS = ("admin", "cmanager", "cfmanager", "ascmanager")


def restart_postgresql() -> tuple[float, float]:
    """Restart the local cluster; when it went down and when it answered again."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    down = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )
    while True:
        try:
            psycopg.connect(PG_ADMIN, connect_timeout=1).close()
            return down, time.monotonic()
        except psycopg.OperationalError:
            time.sleep(0.1)


def user(base: str, number: int, stop_at: float, outcomes: list[tuple[float, str]]) -> Counter[str]:
    """Pages and complaint points until `stop_at`; each request's (moment, outcome) noted."""
    accepted: Counter[str] = Counter()
    session = requests.Session()
    while True:  # signing in may meet the restart too
        try:
            token = TOKEN.search(session.get(f"{base}/sign-in", timeout=10).text)
            assert token is not None
            session.post(
                f"{base}/sign-in",
                data={"csrf_token": token.group(1), "username": USERS[number % len(USERS)],
                      "password": DEMO_PASSWORD},
                timeout=10,
            )  # fmt: skip
            break
        except (requests.RequestException, AssertionError):
            time.sleep(0.2)
    rng = random.Random(number)
    references: list[str] = []
    while time.monotonic() < stop_at:
        page = _request(session.get, f"{base}/cases", outcomes)
        references = REFERENCE.findall(page or "")[:20] or references
        if not references:
            continue
        reference = rng.choice(references)
        form = _request(session.get, f"{base}/cases/{reference}/points/new", outcomes)
        version, token = VERSION.search(form or ""), TOKEN.search(form or "")
        if version is None or token is None:
            continue
        data = {"csrf_token": token.group(1), "version": version.group(1),
                "description": f"{MARK} {number}-{time.monotonic():.6f}"}  # fmt: skip
        response = _request(
            session.post, f"{base}/cases/{reference}/points/new", outcomes, data=data
        )
        if response == "redirect":
            accepted[reference] += 1
        time.sleep(rng.uniform(0.05, 0.2))
    return accepted


def _request(
    call: object, url: str, outcomes: list[tuple[float, str]], **kwargs: object
) -> str | None:
    try:
        response = call(url, timeout=15, allow_redirects=False, **kwargs)  # type: ignore[operator]
    except requests.RequestException as error:
        outcomes.append((time.monotonic(), f"connection: {error.__class__.__name__}"))
        return None
    status = response.status_code
    if (
        status == 503
        and "not answering" in response.text
        and "nothing was changed" in response.text
    ):
        outcomes.append((time.monotonic(), "503 database not answering"))
        return None
    # A refusal on the form (a stale version, a point on a compliment) is the app answering.
    if status in (200, 302) or (status == 400 and SUMMARY.search(response.text)):
        outcomes.append((time.monotonic(), "ok"))
        return "redirect" if status == 302 else response.text
    problem = SUMMARY.search(response.text) or HEADING.search(response.text)
    outcomes.append(
        (time.monotonic(), f"HTTP {status}" + (f" {problem.group(1)}" if problem else ""))
    )
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--cases", type=int, default=5_000)
    arguments = parser.parse_args()
    with demo_council("restart", arguments.cases) as url:
        result = run(url, arguments)
    sys.exit(0 if result else 1)


def run(url: str, arguments: argparse.Namespace) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with running(gunicorn_on(url, Path(folder), port, workers=4)):
            wait_for(base)
            outcomes: list[tuple[float, str]] = []
            stop_at = time.monotonic() + arguments.seconds
            window: list[tuple[float, float]] = []
            restarter = threading.Timer(
                arguments.seconds / 3, lambda: window.append(restart_postgresql())
            )
            restarter.start()
            with ThreadPoolExecutor(max_workers=arguments.users) as pool:
                tallies = list(
                    pool.map(lambda n: user(base, n, stop_at, outcomes), range(arguments.users))
                )
            restarter.join()
    accepted = sum(tallies, Counter[str]())
    return report(url, outcomes, window[0], accepted)


def report(
    url: str, outcomes: list[tuple[float, str]], window: tuple[float, float], accepted: Counter[str]
) -> bool:
    down, up = window
    before = Counter(kind for at, kind in outcomes if at < down)
    during = Counter(kind for at, kind in outcomes if down <= at < up + GRACE_SECONDS)
    after = Counter(kind for at, kind in outcomes if at >= up + GRACE_SECONDS)
    stored, audited = _stored_points(url)
    lost = sum(max(0, count - stored.get(ref, 0)) for ref, count in accepted.items())
    unaudited = sum(abs(stored.get(ref, 0) - audited.get(ref, 0)) for ref in stored)
    print(f"PostgreSQL down for {up - down:.1f} s (restart), {GRACE_SECONDS:.0f} s grace after")
    for label, counts in (("before", before), ("during", during), ("after", after)):
        print(f"  {label:<7} " + ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())))
    print(f"complaint points accepted: {sum(accepted.values())}; lost: {lost}; "
          f"stored without their audit event: {unaudited}")  # fmt: skip
    unclear = [kind for kind in during if kind not in ("ok", "503 database not answering")]
    failed_after = [kind for kind in after if kind != "ok"]
    failed_before = [kind for kind in before if kind != "ok"]
    print(f"unclear failures while down: {unclear or 'none'}; "
          f"failures after recovery: {failed_after or 'none'}")  # fmt: skip
    return not (lost or unaudited or unclear or failed_after or failed_before)


def _stored_points(url: str) -> tuple[Counter[str], Counter[str]]:
    """This run's complaint points by case, and their audit events by case."""
    by_case = " JOIN feedback_case c ON c.id = t.case_id WHERE {} LIKE %s GROUP BY c.reference"
    points = "SELECT c.reference, count(*) FROM complaint_point t" + by_case.format("t.description")
    events = "SELECT c.reference, count(*) FROM audit_event t" + by_case.format(
        "t.action = 'add_complaint_point' AND t.after->>'description'"
    )
    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        return tuple(  # type: ignore[return-value]
            Counter(dict(connection.execute(query, (MARK + "%",)).fetchall()))
            for query in (points, events)
        )


if __name__ == "__main__":
    main()
