"""A procedure added in a test, with no change to the product's code: the corporate procedure
with a third stage (a request window after the stage 2 response, then a stage 3 response),
declared here with its timescales in this test's settings. Its deadlines start and stop with
the right due dates, the sweep raises an alert when one is overdue, the dashboard counts it and
offers its response for extension, and report timeliness counts its stage 3 response."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
from sqlmodel import select

from complaints.alerts.sweep import sweep
from complaints.calendar import WorkingCalendar
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.dashboard import manager_dashboard
from complaints.db import Database
from complaints.deadlines import timescale_words
from complaints.models import Alert, AlertKind, Deadline, User
from complaints.reports import Period, build_report
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback
from complaints.services.letters import preview_letter
from complaints.services.people import find_user
from complaints.services.points import add_complaint_point, record_finding
from complaints.services.views import CaseView
from tests.support import council_with, send_response, sign_off_draft, version_of
from workflows import WORKFLOWS
from workflows.common import DETAILS, ESCALATION_REASON, EXTENSION_FIELDS, OFFICE, SIGN_OFF
from workflows.definition import Deadline as DeadlineSpec
from workflows.definition import DeadlineRole, Effect, Transition, Workflow

STAGE3 = ("stage3_received", "stage3_responded")
ENGLAND = WorkingCalendar.for_england()


def _three_stage_corporate() -> Workflow:
    corporate = WORKFLOWS["corporate"]
    # The stage 2 response now opens a window to ask for stage 3.
    transitions = tuple(
        dataclasses.replace(t, starts=("stage3_request_window",))
        if t.trigger == "send_response" and t.source == ("stage2_approved",)
        else t
        for t in corporate.transitions
    )
    stage3 = (
        Transition(
            "request_stage3",
            ("stage2_responded",),
            "stage3_received",
            OFFICE,
            "The complainant asks for stage 3 (within {stage3_request_window}).",
            fields=(ESCALATION_REASON, DETAILS),
            stops=("stage3_request_window",),
            starts=("stage3_response",),
            stage=3,
            effects=(Effect.ESCALATE,),
        ),
        Transition(
            "extend",
            ("stage3_received",),
            None,
            SIGN_OFF,
            "Extend the stage 3 response: at most {stage3_response.most} in all.",
            fields=EXTENSION_FIELDS,
            extends="stage3_response",
            effects=(Effect.EXTEND,),
        ),
        Transition(
            "answer_stage3",
            ("stage3_received",),
            "stage3_responded",
            OFFICE,
            "Send the stage 3 response.",
            stops=("stage3_response",),
        ),
        Transition(
            "close",
            ("stage3_responded",),
            "closed",
            OFFICE,
            "Close the case.",
            effects=(Effect.STOP_ALL,),
        ),
    )
    return dataclasses.replace(
        corporate,
        states=corporate.states + STAGE3,
        transitions=transitions + stage3,
        stages={**corporate.stages, **dict.fromkeys(STAGE3, 3)},
        deadlines=(
            *corporate.deadlines,
            DeadlineSpec("stage3_request_window", DeadlineRole.REQUEST_WINDOW, stage=2),
            DeadlineSpec("stage3_response", DeadlineRole.RESPONSE, stage=3, extendable=True),
        ),
    )


@pytest.fixture
def three_stages(database: Database, clock: SettableClock) -> Context:
    """A council whose corporate procedure has three stages: the workflow above, and settings
    with its two new timescales (a 20 working day window, a 15 working day response)."""
    stage3 = {
        "stage3_request_window": {"length": 20, "unit": "working_days", "max_extension": 0},
        "stage3_response": {"length": 15, "unit": "working_days", "max_extension": 5},
    }
    workflows = {**WORKFLOWS, "corporate": _three_stage_corporate()}
    return council_with(database, clock, workflows, {"corporate": stage3})


def _fire(ctx: Context, reference: str, trigger: str, by: str, **values: str) -> CaseView:
    """Take `trigger` on the case as it is now."""
    version = version_of(ctx, reference)
    return fire_trigger(ctx, reference, trigger, by=by, values=values, expected_version=version)


def _answer_stage(ctx: Context, clock: SettableClock, reference: str, on: date) -> None:
    clock.set(on)
    version = version_of(ctx, reference)
    record_finding(ctx, reference, 1, "not_upheld", by="off", expected_version=version)
    sign_off_draft(ctx, reference, by="off")
    send_response(ctx, reference)


def _open(ctx: Context, reference: str, name: str) -> Deadline:
    with ctx.database.reader() as session:
        return session.exec(
            select(Deadline).where(Deadline.name == name, Deadline.status == "running")
        ).one()


def _at_stage_2(ctx: Context, clock: SettableClock) -> str:
    """A corporate complaint received on Monday 2 November 2026, answered at stage 1 on the 9th
    (its one point not upheld), taken to stage 2 and acknowledged there on the 10th."""
    clock.set(date(2026, 11, 2))
    reference = log_feedback(
        ctx,
        NewFeedback(
            procedure="corporate",
            feedback_type="complaint",
            received_on=date(2026, 11, 2),
            summary="Bins not collected",
            complainant_name="Ava Smith",
        ),
        by="off",
    ).reference
    _fire(ctx, reference, "acknowledge", "off")
    version = version_of(ctx, reference)
    add_complaint_point(ctx, reference, "Bins not collected", by="off", expected_version=version)
    _answer_stage(ctx, clock, reference, date(2026, 11, 9))
    clock.set(date(2026, 11, 10))
    _fire(ctx, reference, "request_stage2", "off", reason="dissatisfied_with_response")
    _fire(ctx, reference, "acknowledge", "off")
    return reference


def test_a_third_corporate_stage_declared_in_a_fixture_works_end_to_end(
    three_stages: Context, clock: SettableClock
) -> None:
    ctx = three_stages
    reference = _at_stage_2(ctx, clock)
    _answer_stage(ctx, clock, reference, date(2026, 11, 16))

    # The stage 2 response opened the window: 20 working days from Monday 16 November.
    window = _open(ctx, reference, "stage3_request_window")
    assert (window.stage, window.due_on) == (2, ENGLAND.add_working_days(date(2026, 11, 16), 20))

    clock.set(date(2026, 11, 18))
    view = _fire(ctx, reference, "request_stage3", "off", reason="dissatisfied_with_response")
    assert (view.state, view.stage) == ("stage3_received", 3)
    closed_window = next(d for d in view.deadlines if d.name == "stage3_request_window")
    assert (closed_window.status, closed_window.stopped_on) == ("stopped", date(2026, 11, 18))
    response = _open(ctx, reference, "stage3_response")
    due = ENGLAND.add_working_days(date(2026, 11, 18), 15)
    assert (response.stage, response.due_on) == (3, due)

    # The dashboard offers the stage 3 response for extension when it is due soon...
    clock.set(ENGLAND.add_working_days(due, -1))
    manager = _manager(ctx)
    offered = manager_dashboard(ctx, manager).extensions_to_agree
    assert [(item.reference, item.step) for item in offered] == [(reference, "stage3_response")]

    # ...and counts it, and the sweep raises an alert, once it is overdue.
    late = ENGLAND.add_working_days(due, 2)
    clock.set(late)
    dashboard = manager_dashboard(ctx, manager)
    assert [(item.step, item.due_on) for item in dashboard.overdue] == [("stage3_response", due)]
    assert dashboard.overdue_total == 1
    sweep(ctx)
    with ctx.database.reader() as session:
        kinds = set(session.exec(select(Alert.kind).where(Alert.deadline_id == response.id)).all())
    assert AlertKind.OVERDUE in kinds

    # An extension moves it on, within the most the settings allow.
    extended = _fire(ctx, reference, "extend", "mgr", working_days="5", reason="complex")
    moved = next(d for d in extended.deadlines if d.name == "stage3_response")
    assert moved.due_on == ENGLAND.add_working_days(due, 5)

    answered_on = ENGLAND.add_working_days(late, 1)
    clock.set(answered_on)
    _fire(ctx, reference, "answer_stage3", "off")

    # Report timeliness counts the stage 3 response, within its extended due date.
    report = build_report(ctx, Period.financial_year(2026), by="mgr")
    rows = {row[0]: row for row in report.table("timeliness_by_stage").rows}
    assert rows["Stage 3"][1:3] == (1, 1)
    assert rows["Stage 2"][1] == 1


def test_the_added_steps_quote_the_fixture_settings(three_stages: Context) -> None:
    workflow = three_stages.engine.workflow("corporate")
    words = timescale_words(three_stages.settings, "corporate")
    (extend,) = (t for t in workflow.transitions_for("extend") if t.extends == "stage3_response")
    assert extend.describe(words) == "Extend the stage 3 response: at most 20 working days in all."


def test_the_stage_2_response_offers_the_third_stage_and_the_day_to_ask_by(
    three_stages: Context, clock: SettableClock
) -> None:
    reference = _at_stage_2(three_stages, clock)
    clock.set(date(2026, 11, 16))
    version = version_of(three_stages, reference)
    record_finding(three_stages, reference, 1, "upheld", by="off", expected_version=version)
    html = preview_letter(three_stages, reference, "stage2_response", by="admin").html
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # The window to ask for stage 3: 20 working days from the response, sent today.
    ask_by = ENGLAND.add_working_days(date(2026, 11, 16), 20)
    assert "You can ask for your complaint to be reviewed at stage 3 of our procedure." in text
    assert f"Please ask us by {ask_by:%A} {ask_by.day} {ask_by:%B %Y}" in text
    assert "final stage" not in text and "Ombudsman" not in text


def _manager(ctx: Context) -> User:
    with ctx.database.reader() as session:
        manager = find_user(session, "mgr")
        session.expunge(manager)
    return manager
