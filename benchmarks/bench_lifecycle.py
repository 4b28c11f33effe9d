"""Full statutory stage 1 lifecycles through the service layer on SQLite: time and SQL statements
for each step.

Each lifecycle is: log, acknowledge, allocate, add a complaint point, record its finding,
submit_draft, approve, send_response, close: one transaction per step, each with its audit event.
A response step is taken only with its letter; here a manager records the response as sent with
a copy (one transaction, like the others), so the figure is the workflow's, not WeasyPrint's.
The script reports what each step costs (the median over the lifecycles, and the statements it
sends, BEGIN and COMMIT included) and has no target: a step through the ORM, with its audit event
and its lock, is measured, not held to a bare driver (benchmarks/README.md).

Run: python benchmarks/bench_lifecycle.py [--lifecycles N]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from complaints.clock import SettableClock
from complaints.config import DatabaseSettings, load_settings
from complaints.context import Context
from complaints.db import Database, upgrade
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback
from complaints.services.letters import record_sent_outside
from complaints.services.people import add_user, seed_reference_data
from complaints.services.points import add_complaint_point, record_finding

DAY = date(2026, 11, 23)
COPY = b"%PDF-1.4\n% the response, as posted\n%%EOF\n"
# A step takes the case's reference and the version it changes (the one the step before left,
# as a person's page would carry), and returns the case as it left it.
Step = Callable[[Context, str, int], Any]


def _log(ctx: Context, _: str, __: int) -> Any:
    feedback = NewFeedback(
        procedure="statutory_children",
        feedback_type="complaint",
        received_on=DAY,
        summary="Missed visits",
        complainant_name="Ava Smith",
    )
    return log_feedback(ctx, feedback, by="off")


STEPS: tuple[tuple[str, Step], ...] = (
    (
        "acknowledge",
        lambda ctx, ref, v: fire_trigger(ctx, ref, "acknowledge", by="off", expected_version=v),
    ),
    (
        "allocate",
        lambda ctx, ref, v: fire_trigger(
            ctx, ref, "allocate", by="off", values={"officer": "qa"}, expected_version=v
        ),
    ),
    (
        "add a point",
        lambda ctx, ref, v: add_complaint_point(
            ctx, ref, "Visits were missed", by="qa", expected_version=v
        ),
    ),
    (
        "record finding",
        lambda ctx, ref, v: record_finding(ctx, ref, 1, "upheld", by="qa", expected_version=v),
    ),
    (
        "submit_draft",
        lambda ctx, ref, v: fire_trigger(ctx, ref, "submit_draft", by="qa", expected_version=v),
    ),
    (
        "approve",
        lambda ctx, ref, v: fire_trigger(ctx, ref, "approve", by="mgr", expected_version=v),
    ),
    (
        "send_response",
        lambda ctx, ref, v: record_sent_outside(
            ctx,
            ref,
            "send_response",
            by="mgr",
            reason="Posted by hand",
            copy=COPY,
            expected_version=v,
        ),
    ),
    ("close", lambda ctx, ref, v: fire_trigger(ctx, ref, "close", by="off", expected_version=v)),
)


@dataclasses.dataclass
class StepFigures:
    seconds: list[float] = dataclasses.field(default_factory=list)
    statements: list[int] = dataclasses.field(default_factory=list)


def lifecycles(ctx: Context, count: int) -> dict[str, StepFigures]:
    """Run `count` lifecycles, timing each step and counting the statements it sends."""
    figures = {name: StepFigures() for name in ("log", *(name for name, _ in STEPS))}
    sent = [0]

    def count_statement(*_: object) -> None:
        sent[0] += 1

    def measured(name: str, step: Step, reference: str, version: int) -> Any:
        sent[0] = 0
        started = time.perf_counter()
        result = step(ctx, reference, version)
        figures[name].seconds.append(time.perf_counter() - started)
        figures[name].statements.append(sent[0])
        return result

    sa.event.listen(ctx.database.engine, "before_cursor_execute", count_statement)
    try:
        for _ in range(count):
            case = measured("log", _log, "", 0)
            for name, step in STEPS:
                case = measured(name, step, case.reference, case.version)
    finally:
        sa.event.remove(ctx.database.engine, "before_cursor_execute", count_statement)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=200)
    count = parser.parse_args().lifecycles
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "service.db"
        upgrade(Database(f"sqlite:///{path}"))
        settings = dataclasses.replace(
            load_settings(environ={}), database=DatabaseSettings(f"sqlite:///{path}")
        )
        ctx = Context(settings, SettableClock(DAY))
        seed_reference_data(ctx)
        for username, role in (("off", "officer"), ("qa", "qa_practitioner"), ("mgr", "manager")):
            add_user(ctx, username, role=role)
        lifecycles(ctx, 5)  # warm up: imports, statement caches, the calendar table
        figures = lifecycles(ctx, count)
    print(f"{count} statutory stage 1 lifecycles (9 steps, one transaction each) on SQLite")
    print(f"  {'step':<16} {'median ms':>10} {'SQL statements':>15}")
    for name, step in figures.items():
        statements = statistics.median(step.statements)
        print(f"  {name:<16} {statistics.median(step.seconds) * 1000:10.2f} {statements:15.0f}")
    seconds = sum(sum(step.seconds) for step in figures.values()) / count
    statements = sum(sum(step.statements) for step in figures.values()) / count
    print(
        f"  {'whole lifecycle':<16} {seconds * 1000:10.2f} {statements:15.0f}"
        f"   (mean; {1 / seconds:.1f} lifecycles a second)"
    )


if __name__ == "__main__":
    main()
