"""The demo council: staff of every role, several hundred consistent cases, some overdue."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from complaints.context import Context
from complaints.db import Database, upgrade
from complaints.demo import load_demo_data
from complaints.errors import DomainError
from complaints.models import (
    AuditEvent,
    ComplaintPoint,
    Deadline,
    DeadlineStatus,
    FeedbackCase,
    PointOutcome,
    Procedure,
    Role,
    User,
)

# The states docs/workflows.md declares for each procedure.
DECLARED_STATES = {
    Procedure.STATUTORY_CHILDREN: {
        "received",
        "stage1_investigating",
        "stage1_qa",
        "stage1_approved",
        "stage1_responded",
        "stage2_statement",
        "stage2_investigating",
        "stage2_adjudication",
        "stage2_responded",
        "stage3_panel_pending",
        "stage3_panel_held",
        "stage3_response",
        "closed",
        "withdrawn",
    },
    Procedure.CORPORATE: {
        "received",
        "stage1_investigating",
        "stage1_qa",
        "stage1_approved",
        "stage1_responded",
        "stage2_received",
        "stage2_investigating",
        "stage2_qa",
        "stage2_approved",
        "stage2_responded",
        "closed",
        "withdrawn",
    },
    Procedure.ADULT_SOCIAL_CARE: {
        "received",
        "investigating",
        "qa",
        "approved",
        "responded",
        "closed",
        "withdrawn",
    },
    Procedure.FEEDBACK: {"received", "closed", "withdrawn"},
    Procedure.REDIRECTION: {"received", "redirected", "withdrawn"},
}
CASES = 300
SEED = 7


@pytest.fixture
def demo(ctx: Context) -> Context:
    load_demo_data(ctx, cases=CASES, seed=SEED)
    return ctx


def loaded_cases(ctx: Context) -> list[tuple[str, str, int]]:
    with ctx.database.reader() as session:
        rows = session.exec(
            select(FeedbackCase.reference, FeedbackCase.state, FeedbackCase.stage).order_by(
                FeedbackCase.reference
            )
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_the_demo_has_staff_of_every_role(demo: Context) -> None:
    with demo.database.reader() as session:
        roles = {user.role for user in session.exec(select(User)).all()}
    assert roles == set(Role)


def test_every_demo_case_is_in_a_state_its_procedure_declares(demo: Context) -> None:
    with demo.database.reader() as session:
        cases = session.exec(select(FeedbackCase)).all()
    assert len(cases) == CASES
    for case in cases:
        assert case.state in DECLARED_STATES[case.procedure], (case.reference, case.state)
    assert len({case.procedure for case in cases}) == len(Procedure)
    assert len({case.state for case in cases}) >= 10


def test_demo_references_are_unique_and_numbered_by_year_received(demo: Context) -> None:
    with demo.database.reader() as session:
        cases = session.exec(select(FeedbackCase)).all()
    assert len({case.reference for case in cases}) == CASES
    for case in cases:
        match = re.fullmatch(r"CF-(\d{4})-(\d{6})", case.reference)
        assert match and int(match.group(1)) == case.received_on.year


def test_the_demo_has_overdue_work_and_every_running_deadline_is_on_a_working_day(
    demo: Context,
) -> None:
    today = demo.clock.today()
    with demo.database.reader() as session:
        running = session.exec(
            select(Deadline).where(Deadline.status == DeadlineStatus.RUNNING)
        ).all()
    assert any(deadline.due_on < today for deadline in running)
    assert any(deadline.due_on >= today for deadline in running)
    assert all(demo.calendar.is_working_day(deadline.due_on) for deadline in running)


def test_stopped_deadlines_stop_on_or_after_they_start(demo: Context) -> None:
    with demo.database.reader() as session:
        stopped = session.exec(select(Deadline).where(Deadline.stopped_on.is_not(None))).all()  # type: ignore[union-attr]
    assert stopped
    assert all(deadline.stopped_on >= deadline.started_on for deadline in stopped)  # type: ignore[operator]


def test_responded_complaints_have_a_finding_on_every_point(demo: Context) -> None:
    with demo.database.reader() as session:
        responded = session.exec(
            select(FeedbackCase).where(FeedbackCase.state == "stage1_responded")
        ).all()
        assert responded
        for case in responded:
            points = session.exec(
                select(ComplaintPoint).where(ComplaintPoint.case_id == case.id)
            ).all()
            found = session.exec(
                select(PointOutcome.point_id).where(
                    PointOutcome.point_id.in_([point.id for point in points]),  # type: ignore[union-attr]
                    PointOutcome.stage == 1,
                )
            ).all()
            assert len(found) == len(points) > 0


def test_each_demo_case_has_an_audit_event(demo: Context) -> None:
    with demo.database.reader() as session:
        events = Counter(session.exec(select(AuditEvent.action)).all())
    assert events["demo_case_loaded"] == CASES


def test_the_same_seed_gives_the_same_council(demo: Context, tmp_path: Path) -> None:
    other = Database(f"sqlite:///{tmp_path / 'again.db'}")
    upgrade(other)
    again = Context(demo.settings, demo.clock, other)
    load_demo_data(again, cases=CASES, seed=SEED)
    assert loaded_cases(again) == loaded_cases(demo)
    other.dispose()


def test_demo_data_is_refused_when_cases_exist(demo: Context) -> None:
    with pytest.raises(DomainError, match=f"already holds {CASES} cases"):
        load_demo_data(demo, cases=10)
    with demo.database.reader() as session:
        assert session.exec(select(sa.func.count()).select_from(FeedbackCase)).one() == CASES
