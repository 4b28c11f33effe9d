"""The Ombudsman track: an enquiry opened on a case (closed or still open), the council's
response, the decision with any agreed remedy, compliance with it, and closure; and every
refusal, each of which leaves the case, its enquiries and the audit trail as they were."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.models import AuditEvent, LgscoRecord
from complaints.services.cases import fire_trigger, show_case
from complaints.services.lgsco import (
    close_lgsco_enquiry,
    complied_on_time,
    lgsco_records,
    record_lgsco_compliance,
    record_lgsco_decision,
    record_lgsco_response,
)
from complaints.services.points import add_complaint_point
from tests.support import LogCase, audit_count, ready_for_response, send_response, version_of

REF = "25 012 345"
REMEDY = "Apologise and pay £300 for the distress caused"


def step(ctx: Context, clock: SettableClock, reference: str, day: date, trigger: str) -> None:
    clock.set(day)
    if trigger == "send_response":  # its signed-off letter is sent
        send_response(ctx, reference, sender="off")
        return
    fire_trigger(
        ctx,
        reference,
        trigger,
        by="off" if trigger != "approve" else "mgr",
        expected_version=version_of(ctx, reference),
    )


@pytest.fixture
def closed_case(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    """A corporate complaint answered at stage 1 and closed on Tuesday 10 November 2026, then
    taken to the Ombudsman on Monday 16 November, the council to respond by 14 December."""
    reference = log_case("corporate", date(2026, 11, 2)).reference
    clock.set(date(2026, 11, 3))
    ready_for_response(
        council, reference, points={"Bins missed for a month": "not_upheld"}, investigator="off"
    )
    step(council, clock, reference, date(2026, 11, 5), "submit_draft")
    step(council, clock, reference, date(2026, 11, 6), "approve")
    step(council, clock, reference, date(2026, 11, 9), "send_response")
    step(council, clock, reference, date(2026, 11, 10), "close")
    clock.set(date(2026, 11, 16))
    fire_trigger(
        council,
        reference,
        "escalate_to_lgsco",
        by="off",
        values={"ombudsman_reference": REF, "response_due_on": "2026-12-14"},
        expected_version=version_of(council, reference),
    )
    return reference


@pytest.fixture
def open_case(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    """A corporate complaint still at stage 1 whose complainant went straight to the Ombudsman
    on Monday 16 November 2026."""
    reference = log_case("corporate", date(2026, 11, 2)).reference
    clock.set(date(2026, 11, 16))
    fire_trigger(
        council,
        reference,
        "escalate_to_lgsco",
        by="off",
        values={"ombudsman_reference": REF},
        expected_version=version_of(council, reference),
    )
    return reference


def actions(ctx: Context) -> list[str]:
    with ctx.database.reader() as session:
        query = select(AuditEvent.action).order_by(col(AuditEvent.id))
        return list(session.exec(query).all())


def records(ctx: Context, reference: str) -> list[dict[str, Any]]:
    return [record.model_dump() for record in lgsco_records(ctx, reference, by="admin")]


@contextmanager
def refused(
    ctx: Context, reference: str, match: str, error: type[DomainError] = DomainError
) -> Iterator[None]:
    """The call inside is refused with `match`, and the case version, the audit trail and the
    Ombudsman records are as they were."""
    audits, version = audit_count(ctx), show_case(ctx, reference, by="admin").version
    stored = records(ctx, reference)
    with pytest.raises(error, match=match):
        yield
    assert audit_count(ctx) == audits
    assert show_case(ctx, reference, by="admin").version == version
    assert records(ctx, reference) == stored


def test_the_whole_track_on_a_closed_case_ends_with_compliance_on_time(
    council: Context, clock: SettableClock, closed_case: str
) -> None:
    (record,) = lgsco_records(council, closed_case, by="admin")
    assert (record.enquiry_received_on, record.response_due_on) == (
        date(2026, 11, 16),
        date(2026, 12, 14),
    )
    version, audits = show_case(council, closed_case, by="admin").version, audit_count(council)

    clock.set(date(2026, 12, 10))
    view = record_lgsco_response(
        council, closed_case, REF, by="off", expected_version=version_of(council, closed_case)
    )
    assert view.version == version + 1 and view.state == "closed"
    clock.set(date(2027, 1, 15))
    view = record_lgsco_decision(
        council,
        closed_case,
        REF,
        "upheld_fault_and_injustice",
        by="mgr",
        remedy_agreed=REMEDY,
        compliance_due_on=date(2027, 2, 15),
        expected_version=version_of(council, closed_case),
    )
    assert view.version == version + 2
    (record,) = lgsco_records(council, closed_case, by="admin")
    assert complied_on_time(record) is None
    clock.set(date(2027, 2, 12))
    record_lgsco_compliance(
        council,
        closed_case,
        REF,
        by="off",
        evidence="Apology letter sent and payment made on 10 February",
        complied_on=date(2027, 2, 10),
        expected_version=version_of(council, closed_case),
    )
    view = close_lgsco_enquiry(
        council, closed_case, REF, by="admin", expected_version=version_of(council, closed_case)
    )
    assert view.version == version + 4 and view.state == "closed"

    (record,) = lgsco_records(council, closed_case, by="admin")
    assert record.responded_on == date(2026, 12, 10)
    assert (record.decision, record.decision_on) == (
        "upheld_fault_and_injustice",
        date(2027, 1, 15),
    )
    assert (record.remedy_agreed, record.compliance_due_on) == (REMEDY, date(2027, 2, 15))
    assert (record.complied_on, record.closed_on) == (date(2027, 2, 10), date(2027, 2, 12))
    assert record.compliance_evidence == "Apology letter sent and payment made on 10 February"
    assert complied_on_time(record) is True
    assert audit_count(council) == audits + 4
    assert actions(council)[-4:] == [
        "record_lgsco_response",
        "record_lgsco_decision",
        "record_lgsco_compliance",
        "close_lgsco_enquiry",
    ]


def test_compliance_after_the_due_date_is_not_on_time(
    council: Context, clock: SettableClock, open_case: str
) -> None:
    clock.set(date(2026, 12, 1))
    record_lgsco_decision(
        council,
        open_case,
        REF,
        "upheld_fault_no_injustice",
        by="off",
        remedy_agreed="Review how collections are rescheduled",
        compliance_due_on=date(2027, 1, 29),
        expected_version=version_of(council, open_case),
    )
    clock.set(date(2027, 2, 3))
    record_lgsco_compliance(
        council,
        open_case,
        REF,
        by="off",
        evidence="New procedure issued",
        expected_version=version_of(council, open_case),
    )
    view = close_lgsco_enquiry(
        council, open_case, REF, by="off", expected_version=version_of(council, open_case)
    )
    # The Ombudsman's track runs alongside the case, which stays where it was.
    assert view.state == "received"
    (record,) = lgsco_records(council, open_case, by="admin")
    assert (record.complied_on, record.closed_on) == (date(2027, 2, 3), date(2027, 2, 3))
    assert complied_on_time(record) is False


def test_an_upheld_decision_may_have_no_remedy_and_closes_after_the_decision(
    council: Context, clock: SettableClock, open_case: str
) -> None:
    clock.set(date(2026, 12, 1))
    record_lgsco_decision(
        council,
        open_case,
        REF,
        "upheld_fault_no_injustice",
        by="off",
        expected_version=version_of(council, open_case),
    )
    close_lgsco_enquiry(
        council, open_case, REF, by="off", expected_version=version_of(council, open_case)
    )
    (record,) = lgsco_records(council, open_case, by="admin")
    assert (record.remedy_agreed, record.closed_on) == (None, date(2026, 12, 1))
    assert complied_on_time(record) is None


def test_a_decision_not_upheld_closes_straight_after_with_dates_given(
    council: Context, clock: SettableClock, closed_case: str
) -> None:
    clock.set(date(2026, 12, 18))
    record_lgsco_response(
        council,
        closed_case,
        REF,
        by="off",
        responded_on=date(2026, 12, 11),
        expected_version=version_of(council, closed_case),
    )
    record_lgsco_decision(
        council,
        closed_case,
        REF,
        "not_upheld",
        by="mgr",
        decided_on=date(2026, 12, 16),
        expected_version=version_of(council, closed_case),
    )
    close_lgsco_enquiry(
        council,
        closed_case,
        REF,
        by="mgr",
        closed_on=date(2026, 12, 17),
        expected_version=version_of(council, closed_case),
    )
    (record,) = lgsco_records(council, closed_case, by="admin")
    assert (record.responded_on, record.decision_on, record.closed_on) == (
        date(2026, 12, 11),
        date(2026, 12, 16),
        date(2026, 12, 17),
    )
    assert complied_on_time(record) is None


def test_a_case_may_have_several_enquiries_told_apart_by_reference(
    council: Context, clock: SettableClock, closed_case: str
) -> None:
    clock.set(date(2026, 11, 30))
    fire_trigger(
        council,
        closed_case,
        "escalate_to_lgsco",
        by="off",
        values={"ombudsman_reference": "25 099 001"},
        expected_version=version_of(council, closed_case),
    )
    record_lgsco_decision(
        council,
        closed_case,
        "25 099 001",
        "not_investigated",
        by="off",
        expected_version=version_of(council, closed_case),
    )
    first, second = lgsco_records(council, closed_case, by="admin")
    assert (first.ombudsman_reference, first.decision) == (REF, None)
    assert (second.ombudsman_reference, second.decision) == ("25 099 001", "not_investigated")


def test_an_ombudsman_reference_wider_than_its_column_is_refused(
    council: Context, closed_case: str
) -> None:
    # PostgreSQL refused to store it, and the step failed with a 500 (SQLite stored it).
    width = LgscoRecord.__table__.c.ombudsman_reference.type.length
    assert {
        spec.max_length
        for workflow in council.engine.workflows.values()
        for transition in workflow.transitions_for("escalate_to_lgsco")
        for spec in transition.fields
        if spec.name == "ombudsman_reference"
    } == {width}
    values = {"ombudsman_reference": "9" * (width + 1)}
    with refused(council, closed_case, f"ombudsman_reference must be at most {width} characters"):
        fire_trigger(
            council,
            closed_case,
            "escalate_to_lgsco",
            by="off",
            values=values,
            expected_version=version_of(council, closed_case),
        )
    values = {"ombudsman_reference": "9" * width}
    fire_trigger(
        council,
        closed_case,
        "escalate_to_lgsco",
        by="off",
        values=values,
        expected_version=version_of(council, closed_case),
    )
    assert lgsco_records(council, closed_case, by="admin")[-1].ombudsman_reference == "9" * width


def test_an_unknown_ombudsman_reference_is_not_found(council: Context, open_case: str) -> None:
    calls: list[Callable[[], object]] = [
        lambda: record_lgsco_response(
            council,
            open_case,
            "99 999 999",
            by="off",
            expected_version=version_of(council, open_case),
        ),
        lambda: record_lgsco_decision(
            council,
            open_case,
            "99 999 999",
            "not_upheld",
            by="off",
            expected_version=version_of(council, open_case),
        ),
        lambda: record_lgsco_compliance(
            council,
            open_case,
            "99 999 999",
            by="off",
            evidence="x",
            expected_version=version_of(council, open_case),
        ),
        lambda: close_lgsco_enquiry(
            council,
            open_case,
            "99 999 999",
            by="off",
            expected_version=version_of(council, open_case),
        ),
    ]
    for call in calls:
        message = f"case {open_case} has no Ombudsman enquiry '99 999 999'"
        with refused(council, open_case, message, NotFoundError):
            call()


def test_a_decision_outside_the_ombudsman_vocabulary_is_refused(
    council: Context, open_case: str
) -> None:
    with refused(council, open_case, "'partly_upheld' is not a decision of the Ombudsman"):
        record_lgsco_decision(
            council,
            open_case,
            REF,
            "partly_upheld",
            by="off",
            expected_version=version_of(council, open_case),
        )


@pytest.mark.parametrize(
    "decision", ["not_upheld", "not_investigated", "closed_after_initial_enquiries"]
)
def test_a_remedy_on_a_decision_not_upheld_is_refused(
    council: Context, open_case: str, decision: str
) -> None:
    with refused(council, open_case, "a remedy follows an upheld decision only"):
        record_lgsco_decision(
            council,
            open_case,
            REF,
            decision,
            by="off",
            remedy_agreed=REMEDY,
            compliance_due_on=date(2027, 1, 29),
            expected_version=version_of(council, open_case),
        )


def test_a_remedy_and_its_compliance_date_go_together(council: Context, open_case: str) -> None:
    upheld = "upheld_fault_and_injustice"
    with refused(council, open_case, "needs the date by which the council must comply"):
        record_lgsco_decision(
            council,
            open_case,
            REF,
            upheld,
            by="off",
            remedy_agreed=REMEDY,
            expected_version=version_of(council, open_case),
        )
    with refused(council, open_case, "needs the remedy the council agreed"):
        record_lgsco_decision(
            council,
            open_case,
            REF,
            upheld,
            by="off",
            compliance_due_on=date(2027, 1, 29),
            expected_version=version_of(council, open_case),
        )
    with refused(council, open_case, "the remedy must not be empty"):
        record_lgsco_decision(
            council,
            open_case,
            REF,
            upheld,
            by="off",
            remedy_agreed="  ",
            compliance_due_on=date(2027, 1, 29),
            expected_version=version_of(council, open_case),
        )
    with refused(council, open_case, "2026-11-13 is before the decision \\(2026-11-16\\)"):
        record_lgsco_decision(
            council,
            open_case,
            REF,
            upheld,
            by="off",
            remedy_agreed=REMEDY,
            compliance_due_on=date(2026, 11, 13),
            expected_version=version_of(council, open_case),
        )


def test_compliance_without_an_agreed_remedy_is_refused(
    council: Context, clock: SettableClock, open_case: str
) -> None:
    with refused(council, open_case, f"enquiry '{REF}' has no agreed remedy to comply with"):
        record_lgsco_compliance(
            council,
            open_case,
            REF,
            by="off",
            evidence="Letter sent",
            expected_version=version_of(council, open_case),
        )
    clock.set(date(2026, 12, 1))
    record_lgsco_decision(
        council,
        open_case,
        REF,
        "upheld_fault_no_injustice",
        by="off",
        expected_version=version_of(council, open_case),
    )
    with refused(council, open_case, "has no agreed remedy to comply with"):
        record_lgsco_compliance(
            council,
            open_case,
            REF,
            by="off",
            evidence="Letter sent",
            expected_version=version_of(council, open_case),
        )


def test_compliance_needs_evidence(council: Context, clock: SettableClock, open_case: str) -> None:
    clock.set(date(2026, 12, 1))
    record_lgsco_decision(
        council,
        open_case,
        REF,
        "upheld_fault_and_injustice",
        by="off",
        remedy_agreed=REMEDY,
        compliance_due_on=date(2027, 1, 29),
        expected_version=version_of(council, open_case),
    )
    with refused(council, open_case, "the evidence of compliance must not be empty"):
        record_lgsco_compliance(
            council,
            open_case,
            REF,
            by="off",
            evidence=" ",
            expected_version=version_of(council, open_case),
        )
    with refused(council, open_case, "at most 5000 characters"):
        record_lgsco_compliance(
            council,
            open_case,
            REF,
            by="off",
            evidence="x" * 5001,
            expected_version=version_of(council, open_case),
        )
    with refused(council, open_case, "is before the Ombudsman's decision \\(2026-12-01\\)"):
        record_lgsco_compliance(
            council,
            open_case,
            REF,
            by="off",
            evidence="Paid",
            complied_on=date(2026, 11, 30),
            expected_version=version_of(council, open_case),
        )


def test_closing_before_the_decision_or_before_compliance_is_refused(
    council: Context, clock: SettableClock, open_case: str
) -> None:
    with refused(council, open_case, "cannot be closed before the Ombudsman's decision"):
        close_lgsco_enquiry(
            council, open_case, REF, by="off", expected_version=version_of(council, open_case)
        )
    clock.set(date(2026, 12, 1))
    record_lgsco_decision(
        council,
        open_case,
        REF,
        "upheld_fault_and_injustice",
        by="off",
        remedy_agreed=REMEDY,
        compliance_due_on=date(2027, 1, 29),
        expected_version=version_of(council, open_case),
    )
    with refused(council, open_case, "cannot be closed before compliance with the agreed remedy"):
        close_lgsco_enquiry(
            council, open_case, REF, by="off", expected_version=version_of(council, open_case)
        )


def test_nothing_is_recorded_twice(council: Context, clock: SettableClock, open_case: str) -> None:
    clock.set(date(2026, 11, 20))
    record_lgsco_response(
        council, open_case, REF, by="off", expected_version=version_of(council, open_case)
    )
    with refused(council, open_case, "already recorded as sent on 2026-11-20"):
        record_lgsco_response(
            council, open_case, REF, by="off", expected_version=version_of(council, open_case)
        )
    clock.set(date(2026, 12, 1))
    record_lgsco_decision(
        council,
        open_case,
        REF,
        "upheld_fault_and_injustice",
        by="off",
        remedy_agreed=REMEDY,
        compliance_due_on=date(2027, 1, 29),
        expected_version=version_of(council, open_case),
    )
    with refused(
        council, open_case, "already recorded \\(upheld fault and injustice, 2026-12-01\\)"
    ):
        record_lgsco_decision(
            council,
            open_case,
            REF,
            "not_upheld",
            by="off",
            expected_version=version_of(council, open_case),
        )
    clock.set(date(2027, 1, 4))
    record_lgsco_compliance(
        council,
        open_case,
        REF,
        by="off",
        evidence="Paid",
        expected_version=version_of(council, open_case),
    )
    with refused(council, open_case, "compliance .* was already recorded on 2027-01-04"):
        record_lgsco_compliance(
            council,
            open_case,
            REF,
            by="off",
            evidence="Paid again",
            expected_version=version_of(council, open_case),
        )
    close_lgsco_enquiry(
        council, open_case, REF, by="off", expected_version=version_of(council, open_case)
    )
    with refused(council, open_case, f"enquiry '{REF}' was already closed on 2027-01-04"):
        close_lgsco_enquiry(
            council, open_case, REF, by="off", expected_version=version_of(council, open_case)
        )


def test_dates_in_the_future_or_before_the_enquiry_are_refused(
    council: Context, clock: SettableClock, open_case: str
) -> None:
    clock.set(date(2026, 11, 20))
    with refused(council, open_case, "2026-11-23 is in the future; today is 2026-11-20"):
        record_lgsco_response(
            council,
            open_case,
            REF,
            by="off",
            responded_on=date(2026, 11, 23),
            expected_version=version_of(council, open_case),
        )
    with refused(council, open_case, "is before the enquiry arrived \\(2026-11-16\\)"):
        record_lgsco_response(
            council,
            open_case,
            REF,
            by="off",
            responded_on=date(2026, 11, 13),
            expected_version=version_of(council, open_case),
        )
    with refused(council, open_case, "2026-12-01 is in the future"):
        record_lgsco_decision(
            council,
            open_case,
            REF,
            "not_upheld",
            by="off",
            decided_on=date(2026, 12, 1),
            expected_version=version_of(council, open_case),
        )
    record_lgsco_decision(
        council,
        open_case,
        REF,
        "not_upheld",
        by="off",
        expected_version=version_of(council, open_case),
    )
    with refused(council, open_case, "2026-11-19 is before the enquiry's last recorded step"):
        close_lgsco_enquiry(
            council,
            open_case,
            REF,
            by="off",
            closed_on=date(2026, 11, 19),
            expected_version=version_of(council, open_case),
        )


def test_a_qa_practitioner_cannot_deal_with_the_ombudsman(council: Context, open_case: str) -> None:
    # Investigating a point, they may see the case; the Ombudsman is the complaints office's.
    add_complaint_point(
        council,
        open_case,
        "Bins missed",
        by="off",
        officer="qa",
        expected_version=version_of(council, open_case),
    )
    with refused(council, open_case, "a qa practitioner cannot record the council's response"):
        record_lgsco_response(
            council, open_case, REF, by="qa", expected_version=version_of(council, open_case)
        )
    with refused(council, open_case, "a qa practitioner cannot record the Ombudsman's decision"):
        record_lgsco_decision(
            council,
            open_case,
            REF,
            "not_upheld",
            by="qa",
            expected_version=version_of(council, open_case),
        )
    with refused(council, open_case, "a qa practitioner cannot close an Ombudsman enquiry"):
        close_lgsco_enquiry(
            council, open_case, REF, by="qa", expected_version=version_of(council, open_case)
        )
