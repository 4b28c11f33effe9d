"""Triage after logging, and reallocation to another type or procedure with history kept."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.models import AuditEvent, FeedbackCase
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback, show_case
from complaints.services.points import add_complaint_point
from complaints.services.triage import reallocate, triage_case
from tests.support import LogCase, audit_count, version_of


def stored(ctx: Context, reference: str) -> FeedbackCase:
    with ctx.database.reader() as session:
        return session.exec(select(FeedbackCase).where(FeedbackCase.reference == reference)).one()


def test_categories_can_be_given_when_logging(council: Context, clock: SettableClock) -> None:
    clock.set(date(2026, 11, 6))
    feedback = NewFeedback(
        procedure="corporate",
        feedback_type="complaint",
        received_on=date(2026, 11, 2),
        summary="Rude adviser",
        complainant_name="Ava Smith",
        categories=("staff conduct", "Communication"),
    )
    reference = log_feedback(council, feedback, by="off").reference
    triaged = triage_case(
        council,
        reference,
        by="off",
        team="Highways",
        categories=["Delay"],
        expected_version=version_of(council, reference),
    )
    assert triaged.version == 2
    with council.database.reader() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "triage")).one()
    assert event.before is not None and event.after is not None
    assert event.before["categories"] == ["Communication", "Staff conduct"]
    assert event.after["categories"] == ["Delay"]


def test_unknown_categories_are_refused(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    audits = audit_count(council)
    with pytest.raises(DomainError, match="unknown categories: Weather"):
        triage_case(
            council,
            reference,
            by="off",
            categories=["Delay", "Weather"],
            expected_version=version_of(council, reference),
        )
    assert audit_count(council) == audits


def test_a_late_matter_found_at_triage_needs_a_reason(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    with pytest.raises(DomainError, match="after the time limit"):
        triage_case(
            council,
            reference,
            by="off",
            matter_date=date(2025, 9, 1),
            expected_version=version_of(council, reference),
        )
    triage_case(
        council,
        reference,
        by="off",
        matter_date=date(2025, 9, 1),
        late_reason="in care at the time",
        expected_version=version_of(council, reference),
    )
    assert stored(council, reference).in_time is False


def test_reallocating_a_corporate_complaint_to_the_statutory_procedure(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    fire_trigger(
        council,
        reference,
        "acknowledge",
        by="off",
        on=date(2026, 11, 2),
        expected_version=version_of(council, reference),
    )
    clock.set(date(2026, 11, 4))
    view = reallocate(
        council,
        reference,
        by="off",
        procedure="statutory_children",
        reason="about a child in need",
        expected_version=version_of(council, reference),
    )
    assert (view.procedure, view.state, view.stage) == ("statutory_children", "received", 1)
    statuses = [(d.name, d.status) for d in view.deadlines]
    assert statuses == [
        ("acknowledgement", "stopped"),
        ("stage1_response", "superseded"),
        ("acknowledgement", "running"),
        ("stage1_response", "running"),
    ]
    # The statutory timers count from receipt, Monday 2 November: 2 and 10 working days.
    running = {d.name: d.due_on for d in view.deadlines if d.status == "running"}
    assert running == {"acknowledgement": date(2026, 11, 4), "stage1_response": date(2026, 11, 16)}


def test_a_question_logged_as_a_complaint_is_re_typed(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    view = reallocate(
        council,
        reference,
        by="off",
        feedback_type="question",
        procedure="redirection",
        reason="a question",
        expected_version=version_of(council, reference),
    )
    assert (view.feedback_type, view.procedure, view.state) == (
        "question",
        "redirection",
        "received",
    )
    assert {d.status for d in view.deadlines} == {"superseded"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"procedure": "corporate"}, "must change the type of feedback or the procedure"),
        ({"feedback_type": "compliment"}, "a compliment follows the feedback procedure"),
        ({"procedure": "housing"}, "'housing' is not a procedure"),
        (
            {"procedure": "adult_social_care", "reason": "  "},
            "reason for reallocating must not be empty",
        ),
    ],
)
def test_bad_reallocations_are_refused_and_change_nothing(
    council: Context, clock: SettableClock, log_case: LogCase, kwargs: dict[str, str], message: str
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    before, audits = show_case(council, reference, by="admin"), audit_count(council)
    with pytest.raises(DomainError, match=message):
        reallocate(
            council,
            reference,
            by="off",
            expected_version=version_of(council, reference),
            **({"reason": "wrong procedure"} | kwargs),
        )
    assert show_case(council, reference, by="admin") == before
    assert audit_count(council) == audits


def test_a_qa_practitioner_cannot_reallocate(
    council: Context, clock: SettableClock, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    add_complaint_point(
        council,
        reference,
        "Bins missed",
        by="off",
        officer="qa",
        expected_version=version_of(council, reference),
    )
    with pytest.raises(DomainError, match="qa practitioner cannot triage"):
        reallocate(
            council,
            reference,
            by="qa",
            procedure="adult_social_care",
            reason="care",
            expected_version=version_of(council, reference),
        )
