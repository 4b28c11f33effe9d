"""Load: 50 members of staff at once on loopback, for a bounded time, doing what a complaints
team does (their queue, the case list, case pages, adding complaint points to cases with the
version they read, drafting letters), against gunicorn with 4 workers, as docs/production.md's
set-up serves it: on SQLite (cases written straight into the file, as bench_web does)
or on PostgreSQL (a new database holding a bulk-loaded demo council, dropped after). Users share
a few busy cases, so some of their edits collide.

Checked afterwards, in the database: every accepted change (a redirect after the form) has its
row and its audit event; every refused one was refused as a stale version (someone else changed
the case first) or by a rule of the product (a point on a compliment), the user told on the form,
and left nothing behind; no request failed (no 5xx, no
connection error). Reports p50/p95 per kind of request, the accepted and refused writes, and
the writes lost (must be none).

Run: python benchmarks/load_test.py [--cases 20000] [--users 50] [--seconds 60] [--think 0.3]
     [--database sqlite|postgresql]
Exits non-zero if any request failed or any write was lost.
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import requests
from bench_web import (
    TOKEN,
    USERS,
    build,
    free_port,
    percentile,
    running,
    sign_in,
    start_server,
    wait_for,
)
from pg_council import demo_council, gunicorn_on

VERSION = re.compile(r'name="version" value="(\d+)"')
REFERENCE = re.compile(r"/cases/(CF-\d{4}-\d{6})")
TEMPLATE = re.compile(r'<option value="([a-z0-9_/]+)"')
LETTER = "acknowledgement"  # needs nothing the bulk-loaded cases lack
STALE = "reload it and try again"
# The first problem of a form's error summary: a refusal the user is shown (a point on a
# compliment, a letter the case's state does not allow), not a failure.
REFUSAL = re.compile(r'govuk-error-summary__list">\s*<li>(?:<a href="[^"]*">)?([^<]{1,120})')
BUSY_CASES = 12  # each user's edits go to the newest cases they can see: shared with others
POINT_TEXT = "Point from user"  # how this run's points begin (a demo council has points of its own)


@dataclass
class Tally:
    """One user's requests: times by kind, failures, and the writes accepted and refused."""

    times: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    points: Counter[str] = field(default_factory=Counter)  # accepted, by case
    letters: Counter[str] = field(default_factory=Counter)
    stale: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # by a rule of the product, by message

    def timed(self, kind: str, started: float) -> None:
        self.times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)


def user(base: str, number: int, think: float, stop_at: float) -> Tally:
    tally = Tally()
    session = sign_in(base, USERS[number % len(USERS)])
    form_token = TOKEN.search(session.get(f"{base}/my-work", timeout=30).text)
    assert form_token is not None
    csrf = form_token.group(1)
    rng = random.Random(number)
    busy = REFERENCE.findall(session.get(f"{base}/cases", timeout=30).text)[:BUSY_CASES]
    while time.monotonic() < stop_at:
        _get(session, tally, "queue", f"{base}/my-work")
        _get(session, tally, "case list", f"{base}/cases?page={rng.randint(1, 40)}")
        reference = rng.choice(busy)
        page = _get(session, tally, "case page", f"{base}/cases/{reference}")
        time.sleep(think * rng.uniform(0.5, 1.5))
        if page is None:
            continue
        if rng.random() < 0.7:
            _add_point(session, tally, base, reference, csrf, number, think * rng.random())
        else:
            _draft_letter(session, tally, base, reference, csrf)
        time.sleep(think * rng.uniform(0.5, 1.5))
    return tally


def _get(session: requests.Session, tally: Tally, kind: str, url: str) -> str | None:
    started = time.perf_counter()
    try:
        response = session.get(url, timeout=30)
    except requests.RequestException as error:
        tally.failures.append(f"GET {url}: {error}")
        return None
    tally.timed(kind, started)
    if response.status_code != 200:
        tally.failures.append(f"GET {url}: {response.status_code}")
        return None
    return response.text


def _add_point(
    session: requests.Session,
    tally: Tally,
    base: str,
    reference: str,
    csrf: str,
    number: int,
    typing: float,
) -> None:
    """Open the form (it carries the case's version), type for a moment, send it."""
    form = _get(session, tally, "point form", f"{base}/cases/{reference}/points/new")
    version = VERSION.search(form or "")
    time.sleep(typing)
    if version is None:
        tally.failures.append(f"no version on the page of {reference}")
        return
    data = {
        "csrf_token": csrf,
        "version": version.group(1),
        "description": f"{POINT_TEXT} {number} at {time.time():.6f}",
    }
    url = f"{base}/cases/{reference}/points/new"
    _write(session, tally, "add a point", url, data, tally.points, reference)


def _draft_letter(
    session: requests.Session, tally: Tally, base: str, reference: str, csrf: str
) -> None:
    choices = _get(session, tally, "letter page", f"{base}/cases/{reference}/letters/new")
    version = VERSION.search(choices or "")
    if LETTER not in TEMPLATE.findall(choices or "") or version is None:
        return
    # The page carries the case's version, as every form that changes a case does.
    data = {"csrf_token": csrf, "template": LETTER, "version": version.group(1)}
    url = f"{base}/cases/{reference}/letters/new"
    _write(session, tally, "draft a letter", url, data, tally.letters, reference)


def _write(
    session: requests.Session,
    tally: Tally,
    kind: str,
    url: str,
    data: dict[str, str],
    accepted: Counter[str],
    reference: str,
) -> None:
    """Send a form; count it in `accepted` (by case) if accepted, as stale if refused so."""
    started = time.perf_counter()
    try:
        response = session.post(url, data=data, timeout=30, allow_redirects=False)
    except requests.RequestException as error:
        tally.failures.append(f"POST {url}: {error}")
        return
    tally.timed(kind, started)
    if response.status_code == 302:
        accepted[reference] += 1
    elif response.status_code == 400 and STALE in response.text:
        tally.stale += 1
    elif response.status_code == 400 and (rule := REFUSAL.search(response.text)):
        tally.refused[rule.group(1).strip()] += 1
    else:
        tally.failures.append(f"{kind} on {reference}: {response.status_code}")


@dataclass(frozen=True)
class Served:
    """The app being loaded: its address, and a DB-API connection to read what it stored."""

    base: str
    connect: Any  # () -> a DB-API connection to the app's database
    placeholder: str  # the driver's parameter marker


@contextmanager
def served(database: str, cases: int, workers: int) -> Iterator[Served]:
    """The app under gunicorn on a council of `cases` cases, in a database of its own."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    if database == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "load.db"
            build(path, cases)
            with running(start_server(path, port, workers)):
                yield Served(base, lambda: sqlite3.connect(path), "?")
        return
    with (
        demo_council("load", cases) as url,
        tempfile.TemporaryDirectory() as folder,
        running(gunicorn_on(url, Path(folder), port, workers)),
    ):
        yield Served(base, lambda: psycopg.connect(url.replace("+psycopg", "")), "%s")


def stored_writes(app: Served) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str]]:
    """This run's points and letters in the database by case, and their audit events by case."""
    connection = app.connect()
    try:

        def by_case(sql: str, *parameters: str) -> Counter[str]:
            cursor = connection.cursor()
            cursor.execute(sql.replace("?", app.placeholder), parameters)
            return Counter(dict(cursor.fetchall()))

        case = "JOIN feedback_case c ON c.id = t.case_id"
        events = (
            "SELECT c.reference, count(*) FROM audit_event t JOIN feedback_case c"
            " ON c.id = t.case_id WHERE t.action = ? GROUP BY c.reference"
        )
        return (
            by_case(
                f"SELECT c.reference, count(*) FROM complaint_point t {case}"
                " WHERE t.description LIKE ? GROUP BY c.reference",
                POINT_TEXT + "%",
            ),
            by_case(f"SELECT c.reference, count(*) FROM letter t {case} GROUP BY c.reference"),
            by_case(events, "add_complaint_point"),
            by_case(events, "draft_letter"),
        )
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.3, help="seconds between actions")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    arguments = parser.parse_args()
    with served(arguments.database, arguments.cases, arguments.workers) as app:
        wait_for(app.base)
        stop_at = time.monotonic() + arguments.seconds
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=arguments.users) as pool:
            tallies = list(
                pool.map(
                    lambda n: user(app.base, n, arguments.think, stop_at), range(arguments.users)
                )
            )
        elapsed = time.perf_counter() - started
        points, letters, point_events, letter_events = stored_writes(app)
    lost = report(arguments, tallies, elapsed, points, letters, point_events, letter_events)
    failures = [failure for tally in tallies for failure in tally.failures]
    sys.exit(1 if failures or lost else 0)


def report(
    arguments: argparse.Namespace,
    tallies: list[Tally],
    elapsed: float,
    points: Counter[str],
    letters: Counter[str],
    point_events: Counter[str],
    letter_events: Counter[str],
) -> int:
    """Print the figures; the number of writes lost (accepted but not stored or not audited)."""
    kinds = sorted({kind for tally in tallies for kind in tally.times})
    total = sum(len(v) for tally in tallies for v in tally.times.values())
    failures = [failure for tally in tallies for failure in tally.failures]
    accepted_points = sum((tally.points for tally in tallies), Counter[str]())
    accepted_letters = sum((tally.letters for tally in tallies), Counter[str]())
    stale = sum(tally.stale for tally in tallies)
    refused = sum((tally.refused for tally in tallies), Counter[str]())
    # What is stored is this run's: its points by their wording; the loads write no letters.
    lost = sum(
        max(0, count - stored)
        for accepted, stored_rows in ((accepted_points, points), (accepted_letters, letters))
        for reference, count in accepted.items()
        for stored in [stored_rows.get(reference, 0)]
    )
    lost += sum(
        abs(accepted.get(ref, 0) - events.get(ref, 0))
        for accepted, events in ((accepted_points, point_events), (accepted_letters, letter_events))
        for ref in set(accepted) | set(events)
    )
    print(
        f"{arguments.users} users for {elapsed:.0f} s on {arguments.cases:,} cases "
        f"({'PostgreSQL' if arguments.database == 'postgresql' else 'SQLite'}, "
        f"gunicorn {arguments.workers} workers): {total:,} requests, {total / elapsed:.1f} a second"
    )
    print(f"{'request':<16} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind in kinds:
        values = [v for tally in tallies for v in tally.times.get(kind, [])]
        print(
            f"{kind:<16} {len(values):>7} {statistics.median(values):>8.1f} "
            f"{percentile(values, 0.95):>8.1f} {max(values):>8.1f}"
        )
    print(
        f"writes accepted: {sum(accepted_points.values())} points, "
        f"{sum(accepted_letters.values())} letters; refused as stale (user told): {stale}"
    )
    print(f"refused by a rule (user told): {sum(refused.values())}")
    for message, count in refused.most_common(5):
        print(f"  {count:>5}  {message}")
    print(f"errors: {len(failures)}; writes lost: {lost}")
    for failure in failures[:10]:
        print(f"  {failure}")
    return lost


if __name__ == "__main__":
    main()
