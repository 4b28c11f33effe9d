"""Closing the loop: actions tracked to completion, lessons learned, stage 2/3 costs."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.models import Action, LessonLearned, StageCost
from complaints.services.cases import fire_trigger
from complaints.services.followup import (
    add_action,
    complete_action,
    open_actions,
    record_cost,
    record_lesson,
)
from tests.support import LogCase, audit_count, version_of


@pytest.fixture
def reference(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    clock.set(date(2026, 11, 6))
    return reference


def test_an_action_is_tracked_to_completion_with_evidence(council: Context, reference: str) -> None:
    view = add_action(
        council,
        reference,
        "Remind social workers to share minutes",
        by="mgr",
        owner="qa",
        due_on=date(2026, 12, 18),
        expected_version=version_of(council, reference),
    )
    assert view.version == 2
    (action,) = open_actions(council, reference, by="admin")
    assert (action.description, action.due_on) == (
        "Remind social workers to share minutes",
        date(2026, 12, 18),
    )
    assert action.id is not None
    complete_action(
        council,
        reference,
        action.id,
        by="qa",
        evidence="Team briefing, 12 November",
        expected_version=version_of(council, reference),
    )
    assert open_actions(council, reference, by="admin") == []
    with council.database.reader() as session:
        done = session.exec(select(Action)).one()
    assert (done.status.value, done.completed_on) == ("completed", date(2026, 11, 6))
    with pytest.raises(DomainError, match="already completed"):
        complete_action(
            council,
            reference,
            action.id,
            by="qa",
            evidence="again",
            expected_version=version_of(council, reference),
        )


def test_bad_actions_are_refused(council: Context, reference: str) -> None:
    audits = audit_count(council)
    with pytest.raises(DomainError, match="has already passed"):
        add_action(
            council,
            reference,
            "Late",
            by="mgr",
            owner="qa",
            due_on=date(2026, 11, 5),
            expected_version=version_of(council, reference),
        )
    with pytest.raises(DomainError, match="'chore' is not a kind of action"):
        add_action(
            council,
            reference,
            "X",
            by="mgr",
            owner="qa",
            due_on=date(2026, 12, 1),
            kind="chore",
            expected_version=version_of(council, reference),
        )
    with pytest.raises(NotFoundError, match="no action 99"):
        complete_action(
            council,
            reference,
            99,
            by="off",
            evidence="done",
            expected_version=version_of(council, reference),
        )
    assert audit_count(council) == audits


def test_a_lesson_learned_is_recorded(council: Context, reference: str) -> None:
    record_lesson(
        council,
        reference,
        "Share plans with families before meetings",
        by="mgr",
        expected_version=version_of(council, reference),
    )
    with council.database.reader() as session:
        assert session.exec(select(LessonLearned.text)).all() == [
            "Share plans with families before meetings"
        ]


def test_costs_are_recorded_at_stage_2_only(
    council: Context, clock: SettableClock, reference: str
) -> None:
    with pytest.raises(DomainError, match="stage 2 and 3 investigations only"):
        record_cost(
            council,
            reference,
            "independent_person",
            "450",
            by="off",
            incurred_on=date(2026, 11, 6),
            expected_version=version_of(council, reference),
        )
    fire_trigger(
        council,
        reference,
        "request_stage2",
        by="off",
        values={"reason": "no_response"},
        expected_version=version_of(council, reference),
    )
    record_cost(
        council,
        reference,
        "independent_person",
        "£1,250.50",
        by="off",
        incurred_on=date(2026, 11, 6),
        expected_version=version_of(council, reference),
    )
    with pytest.raises(DomainError, match="more than £0"):
        record_cost(
            council,
            reference,
            "panel",
            "-3",
            by="off",
            incurred_on=date(2026, 11, 6),
            expected_version=version_of(council, reference),
        )
    with council.database.reader() as session:
        cost = session.exec(select(StageCost)).one()
    assert (cost.stage, str(cost.amount)) == (2, "1250.50")
