"""Helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import sys
import tomllib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType, ModuleType

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.config import DEFAULT_CONFIG_PATH, DatabaseSettings, Settings, parse_settings
from complaints.context import Context
from complaints.db import Database
from complaints.letters.kinds import RESPONSES
from complaints.models import AuditEvent, FeedbackCase
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback, show_case
from complaints.services.followup import add_action
from complaints.services.letters import (
    approve_letter,
    draft_letter,
    revise_letter,
    send_letter,
    show_letter,
    submit_letter,
)
from complaints.services.people import add_user, seed_reference_data
from complaints.services.points import add_complaint_point, add_remedy, record_finding
from complaints.services.views import CaseView
from workflows.definition import Workflow
from workflows.engine import WorkflowEngine

LogCase = Callable[..., CaseView]


def version_of(ctx: Context, reference: str) -> int:
    """The version of the case now: what a person opening it would be shown, and so what their
    change says it was made against (1, the first, for a reference no case has: such a change
    is refused for the missing case, as is one no database can even look up: PostgreSQL refuses
    a NUL in text)."""
    if "\x00" in reference:
        return 1
    with ctx.database.reader() as session:
        version = session.exec(
            select(FeedbackCase.version).where(FeedbackCase.reference == reference)
        ).first()
        return version or 1


def audit_count(ctx: Context) -> int:
    with ctx.database.reader() as session:
        return session.exec(select(sa.func.count()).select_from(AuditEvent)).one()


_RESPONSES = (
    "('stage1_response', 'stage2_investigation', 'adjudication', 'stage2_response',"
    " 'panel_response', 'response')"
)
# What the statutory reports count, read straight from the tables.
FIGURES = {
    "cases by procedure, type, state and stage": (
        "SELECT procedure, feedback_type, state, stage, count(*) FROM feedback_case"
        " GROUP BY procedure, feedback_type, state, stage"
    ),
    "cases by team and day received": (
        "SELECT t.name, c.received_on, count(*) FROM feedback_case c"
        " LEFT JOIN team t ON t.id = c.team_id GROUP BY t.name, c.received_on"
    ),
    "findings by stage": (
        "SELECT stage, outcome, count(*) FROM point_outcome GROUP BY stage, outcome"
    ),
    "remedies by stage": "SELECT stage, kind, count(*) FROM remedy GROUP BY stage, kind",
    "each stage's response deadline in force": (
        "SELECT d.name, d.stage, d.counted_from_on, d.due_on, d.stopped_on, d.status"
        f" FROM deadline d WHERE d.status IN ('stopped', 'running') AND d.name IN {_RESPONSES}"
        " AND NOT EXISTS (SELECT 1 FROM deadline later WHERE later.case_id = d.case_id"
        f" AND later.stage = d.stage AND later.name IN {_RESPONSES}"
        " AND later.status <> 'superseded' AND later.id > d.id)"
    ),
    "escalations": "SELECT to_stage, reason, count(*) FROM escalation GROUP BY to_stage, reason",
    "stage costs": "SELECT stage, sum(amount) FROM stage_cost GROUP BY stage",
    "ombudsman": "SELECT decision, count(*) FROM lgsco_record GROUP BY decision",
    "lessons": "SELECT count(*) FROM lesson_learned",
}


def figures(ctx: Context) -> dict[str, Counter[tuple[str, ...]]]:
    """The figures of `FIGURES`, each as a multiset of rows, to compare two databases by."""
    with ctx.database.engine.connect() as connection:
        return {
            name: Counter(tuple(_text(v) for v in row) for row in connection.execute(sa.text(sql)))
            for name, sql in FIGURES.items()
        }


def _text(value: object) -> str:
    """A value as text the same on every database (PostgreSQL sums money as 20390.00, SQLite
    as 20390)."""
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return f"{value:.2f}"
    return str(value)


def web_app(ctx: Context, **config: object) -> Flask:
    """The web app on `ctx` as the tests run it (plain HTTP), with `config`'s settings over
    those."""
    from web import create_app

    settings = {"TESTING": True, "SECRET_KEY": "test-secret", "SESSION_COOKIE_SECURE": False}
    return create_app(ctx, settings | config)


def with_timescale(settings: Settings, procedure: str, step: str, **changes: int) -> Settings:
    """`settings` with the timescale of `procedure`'s `step` changed (`length=12`, say)."""
    steps = dict(settings.timescales[procedure])
    steps[step] = dataclasses.replace(steps[step], **changes)
    timescales = {**settings.timescales, procedure: MappingProxyType(steps)}
    return dataclasses.replace(settings, timescales=MappingProxyType(timescales))


def council_with(
    database: Database,
    clock: SettableClock,
    workflows: Mapping[str, Workflow],
    timescales: Mapping[str, Mapping[str, object]],
) -> Context:
    """A council whose procedures are `workflows` (its engine built from them) and whose
    settings are the shipped config.toml's with each procedure's `[timescales]` of `timescales`
    added (a procedure the file lacks has only those), with the staff 'off' (an officer of
    Customer Service), 'mgr' and 'admin'."""
    with DEFAULT_CONFIG_PATH.open("rb") as handle:
        data = tomllib.load(handle)
    for procedure, steps in timescales.items():
        data["timescales"][procedure] = data["timescales"].get(procedure, {}) | dict(steps)
    settings = parse_settings(data, source=DEFAULT_CONFIG_PATH, environ={}, workflows=workflows)
    settings = dataclasses.replace(settings, database=DatabaseSettings(url=database.url))
    ctx = Context(settings, clock, database, engine=WorkflowEngine(workflows))
    seed_reference_data(ctx)
    add_user(ctx, "off", role="officer", full_name="Olive Officer", team="Customer Service")
    add_user(ctx, "mgr", role="manager", full_name="Mina Manager")
    add_user(ctx, "admin", role="admin", full_name="Ada Admin")
    return ctx


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_benchmark(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script benchmarks/`name`.py as a module, imported as running it would: with its
    folder on the path (the scripts import one another) and itself in sys.modules (its
    dataclasses look themselves up there); both undone after the test."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def send_response(
    ctx: Context,
    reference: str,
    *,
    writer: str = "off",
    approver: str = "mgr",
    sender: str = "mgr",
) -> CaseView:
    """Send the response the case is due, the one way the product allows: its letter drafted
    and put forward by `writer`, approved by `approver` (a second person) and sent by `sender`,
    which takes the workflow step it belongs to (`send_response`, `adjudicate`...)."""
    case = show_case(ctx, reference, by="admin")
    workflow = ctx.engine.workflow(case.procedure)
    (template,) = {
        t.letter for t in workflow.transitions if t.letter in RESPONSES and case.state in t.source
    }
    assert template is not None
    letter = draft_letter(
        ctx, reference, template, by=writer, expected_version=version_of(ctx, reference)
    )
    write_what_was_found(ctx, reference, letter.id, by=writer)
    submit_letter(ctx, reference, letter.id, by=writer, expected_version=version_of(ctx, reference))
    approve_letter(
        ctx, reference, letter.id, by=approver, expected_version=version_of(ctx, reference)
    )
    return send_letter(
        ctx, reference, letter.id, by=sender, expected_version=version_of(ctx, reference)
    )


FOUND_WORDS = "We read the case records and spoke to the staff involved."


def write_what_was_found(ctx: Context, reference: str, letter_id: int, *, by: str) -> None:
    """Write "what we found" on each point of the letter that was not prefilled from the
    finding's notes (a finding recorded without notes), as its author must before putting the
    letter forward; nothing is saved when every point already says it."""
    detail = show_letter(ctx, reference, letter_id, by=by)
    points = (detail.content or {}).get("points", [])
    if all(point["found"].strip() for point in points):
        return
    written = dict(detail.content or {})
    written["points"] = [point | {"found": point["found"] or FOUND_WORDS} for point in points]
    revise_letter(
        ctx, reference, letter_id, written, by=by, expected_revision=detail.letter.revision
    )


Step = tuple[str, Mapping[str, str]]
ACKNOWLEDGE: Step = ("acknowledge", {})
ASK_FOR_STAGE_2: Step = ("request_stage2", {"reason": "dissatisfied_with_response"})
# The steps that take a complaint just logged to the investigation of a stage's response (where
# its points are answered), by procedure and stage.
TO_INVESTIGATION: dict[tuple[str, int], tuple[Step, ...]] = {
    ("statutory_children", 1): (ACKNOWLEDGE,),
    ("corporate", 1): (ACKNOWLEDGE,),
    ("adult_social_care", 1): (ACKNOWLEDGE,),
    ("corporate", 2): (ACKNOWLEDGE, ASK_FOR_STAGE_2, ACKNOWLEDGE),
    ("statutory_children", 2): (
        ACKNOWLEDGE,
        ASK_FOR_STAGE_2,
        ("agree_statement", {}),
        ("receive_report", {}),
    ),
}
VISITS_MISSED = {"Visits were missed": "upheld"}


def ready_for_response(
    ctx: Context,
    reference: str,
    *,
    stage: int = 1,
    allocate_to: str | None = None,
    points: Mapping[str, str | None] = VISITS_MISSED,
    investigator: str = "qa",
    remedies: Sequence[str] = (),
    notes: str | None = None,
    signed_off: bool = False,
) -> CaseView:
    """Take a complaint just logged to where its stage `stage` response letter can be drafted,
    all on the clock's day: the officer 'off' takes the steps to the stage's investigation
    (`TO_INVESTIGATION`), allocates the case to `allocate_to` if given, and adds each of
    `points` (description -> finding) for `investigator`, who records its finding (none for
    None) with `notes` (what was found) and each of `remedies`; with `signed_off`, the draft is
    then put forward and signed off on the workflow (`sign_off_draft`), so the response letter
    may be sent."""
    procedure = show_case(ctx, reference, by="admin").procedure
    for trigger, values in TO_INVESTIGATION[(procedure, stage)]:
        view = fire(ctx, reference, trigger, by="off", **values)
    if allocate_to is not None:
        view = fire(ctx, reference, "allocate", by="off", officer=allocate_to)
    for number, (description, outcome) in enumerate(points.items(), start=1):
        view = add_complaint_point(
            ctx,
            reference,
            description,
            by="off",
            officer=investigator,
            expected_version=version_of(ctx, reference),
        )
        if outcome is not None:
            view = record_finding(
                ctx,
                reference,
                number,
                outcome,
                by=investigator,
                notes=notes,
                expected_version=version_of(ctx, reference),
            )
    for kind in remedies:
        view = add_remedy(
            ctx, reference, kind, by=investigator, expected_version=version_of(ctx, reference)
        )
    return sign_off_draft(ctx, reference, by=investigator) if signed_off else view


def sign_off_draft(ctx: Context, reference: str, *, by: str = "qa") -> CaseView:
    """The case's draft response put forward by `by` and approved by the manager 'mgr', on the
    workflow (`submit_draft`, `approve`)."""
    fire(ctx, reference, "submit_draft", by=by)
    return fire(ctx, reference, "approve", by="mgr")


def fire(ctx: Context, reference: str, trigger: str, *, by: str, **values: str) -> CaseView:
    """Take the workflow step `trigger` on the case as it is now, recording `values`."""
    return fire_trigger(
        ctx, reference, trigger, by=by, values=values, expected_version=version_of(ctx, reference)
    )


REDIS_URL_ENV_VAR = "COMPLAINTS_TEST_REDIS_URL"


def redis_url() -> str:
    """The Redis server the tests may use ($COMPLAINTS_TEST_REDIS_URL, or the one on this
    machine). Skips the test when none answers, unless that variable is set (as CI sets it):
    then a Redis server must answer."""
    import redis

    url = os.environ.get(REDIS_URL_ENV_VAR, "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if REDIS_URL_ENV_VAR in os.environ:
            raise
        pytest.skip(f"no Redis server answers at {url}: {error}")
    return url


@dataclass(frozen=True)
class Case:
    """The case of the `case` fixture: what the staff routes' paths name it and its parts by."""

    ref: str
    letter: int
    action: int
    lgsco: str
    sent: int

    def fill(self, path: str) -> str:
        """`path` with its placeholders {ref}, {letter}, {action}, {lgsco} and {sent} (a sent
        letter) filled in."""
        return path.format(
            ref=self.ref, letter=self.letter, action=self.action, lgsco=self.lgsco, sent=self.sent
        )


def matrix_case(staff: Context, clock: SettableClock) -> Case:
    """A corporate complaint of Customer Service at stage 1, allocated to 'qa', with a point,
    an action (1), a draft letter, an Ombudsman enquiry and the letter about it sent; and the
    people of the authorisation matrices: officers and managers of Customer Service (the
    complaints office) and of Highways, and a second QA practitioner."""
    add_user(staff, "hwoff", role="officer", full_name="Hal Highways", team="Highways")
    add_user(staff, "qa2", role="qa_practitioner", full_name="Quentin Other")
    add_user(staff, "csmgr", role="manager", full_name="Cass Manager", team="Customer Service")
    add_user(staff, "hwmgr", role="manager", full_name="Hugh Manager", team="Highways")
    clock.set(date(2026, 11, 16))
    reference = log_feedback(
        staff,
        NewFeedback(
            procedure="corporate",
            feedback_type="complaint",
            received_on=date(2026, 11, 16),
            summary="The bins were missed",
            complainant_name="Ava Smith",
            complainant_email="ava@example.org",
            team="Customer Service",
        ),
        by="off",
    ).reference
    # Drafted while it fits (the case not yet acknowledged), and left a draft.
    letter = draft_letter(
        staff, reference, "acknowledgement", by="off", expected_version=version_of(staff, reference)
    )
    ready_for_response(staff, reference, allocate_to="qa", points={"Bins missed twice": None})
    add_action(
        staff,
        reference,
        "Check the round",
        by="off",
        owner="off",
        due_on=date(2026, 12, 1),
        expected_version=version_of(staff, reference),
    )
    fire(staff, reference, "escalate_to_lgsco", by="off", ombudsman_reference="LG-26-001")
    signposting = draft_letter(
        staff,
        reference,
        "lgsco_signposting",
        by="off",
        expected_version=version_of(staff, reference),
    )
    send_letter(
        staff, reference, signposting.id, by="off", expected_version=version_of(staff, reference)
    )
    return Case(ref=reference, letter=letter.id, action=1, lgsco="LG-26-001", sent=signposting.id)
