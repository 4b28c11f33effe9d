"""The case file's stage 2/3 costs, lessons learned and the steps each Ombudsman enquiry may take
next: in order, with a total, for the roles that deal with them, and read in one query each
however many there are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.case_file import CaseFile, CostLine, LessonLine, case_file
from complaints.services.cases import fire_trigger
from complaints.services.followup import record_cost, record_lesson
from complaints.services.lgsco import (
    close_lgsco_enquiry,
    record_lgsco_compliance,
    record_lgsco_decision,
    record_lgsco_response,
)
from complaints.services.people import find_user
from tests.support import LogCase, version_of

REF = "25 012 345"


@pytest.fixture
def reference(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    """A statutory complaint received on 2 November 2026, at stage 2 from 6 November."""
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    clock.set(date(2026, 11, 6))
    fire_trigger(
        council,
        reference,
        "request_stage2",
        by="off",
        values={"reason": "no_response"},
        expected_version=version_of(council, reference),
    )
    return reference


def file_for(ctx: Context, reference: str, username: str) -> CaseFile:
    with ctx.database.reader() as session:
        viewer = find_user(session, username)
    return case_file(ctx, reference, viewer)


def test_costs_are_listed_by_date_with_their_total(council: Context, reference: str) -> None:
    assert file_for(council, reference, "off").costs == ()
    assert file_for(council, reference, "off").costs_total == Decimal(0)
    record_cost(
        council,
        reference,
        "panel",
        "200",
        by="off",
        incurred_on=date(2026, 11, 6),
        expected_version=version_of(council, reference),
    )
    record_cost(
        council,
        reference,
        "independent_person",
        "£1,250.50",
        by="mgr",
        incurred_on=date(2026, 11, 3),
        description="Invoice 118",
        expected_version=version_of(council, reference),
    )
    file = file_for(council, reference, "off")
    assert file.costs == (
        CostLine(2, "independent_person", Decimal("1250.50"), date(2026, 11, 3), "Invoice 118"),
        CostLine(2, "panel", Decimal("200.00"), date(2026, 11, 6), None),
    )
    assert file.costs_total == Decimal("1450.50")


def test_lessons_are_listed_in_order_with_who_recorded_them(
    council: Context, clock: SettableClock, reference: str
) -> None:
    assert file_for(council, reference, "off").lessons == ()
    record_lesson(
        council,
        reference,
        "Share plans with families",
        by="mgr",
        expected_version=version_of(council, reference),
    )
    clock.set(date(2026, 11, 9))
    record_lesson(
        council,
        reference,
        "Minute every visit",
        by="off",
        expected_version=version_of(council, reference),
    )
    assert file_for(council, reference, "admin").lessons == (
        LessonLine("Share plans with families", date(2026, 11, 6), "Mina Manager"),
        LessonLine("Minute every visit", date(2026, 11, 9), "Olive Officer"),
    )


def test_each_enquiry_offers_the_steps_it_may_take_next(
    council: Context, clock: SettableClock, reference: str
) -> None:
    fire_trigger(
        council,
        reference,
        "escalate_to_lgsco",
        by="off",
        values={"ombudsman_reference": REF},
        expected_version=version_of(council, reference),
    )

    def steps() -> tuple[str, ...]:
        return file_for(council, reference, "off").lgsco_steps[REF]

    assert steps() == ("response", "decision")
    record_lgsco_response(
        council, reference, REF, by="off", expected_version=version_of(council, reference)
    )
    assert steps() == ("decision",)
    record_lgsco_decision(
        council,
        reference,
        REF,
        "upheld_fault_no_injustice",
        by="off",
        remedy_agreed="Apologise",
        compliance_due_on=date(2026, 12, 18),
        expected_version=version_of(council, reference),
    )
    assert steps() == ("compliance",)
    record_lgsco_compliance(
        council,
        reference,
        REF,
        by="off",
        evidence="Letter of apology",
        expected_version=version_of(council, reference),
    )
    assert steps() == ("close",)
    close_lgsco_enquiry(
        council, reference, REF, by="off", expected_version=version_of(council, reference)
    )
    assert steps() == ()


def test_an_enquiry_decided_without_a_remedy_may_be_closed_before_any_response(
    council: Context, reference: str
) -> None:
    fire_trigger(
        council,
        reference,
        "escalate_to_lgsco",
        by="off",
        values={"ombudsman_reference": REF},
        expected_version=version_of(council, reference),
    )
    record_lgsco_decision(
        council,
        reference,
        REF,
        "not_investigated",
        by="mgr",
        expected_version=version_of(council, reference),
    )
    assert file_for(council, reference, "mgr").lgsco_steps == {REF: ("response", "close")}


def test_roles_that_do_not_deal_with_the_ombudsman_are_offered_no_steps(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )
    fire_trigger(
        council,
        reference,
        "allocate",
        by="off",
        values={"officer": "qa"},
        expected_version=version_of(council, reference),
    )
    fire_trigger(
        council,
        reference,
        "escalate_to_lgsco",
        by="off",
        values={"ombudsman_reference": REF},
        expected_version=version_of(council, reference),
    )
    file = file_for(council, reference, "qa")
    assert [record.ombudsman_reference for record in file.lgsco] == [REF]
    assert file.lgsco_steps == {}
    assert set(file_for(council, reference, "admin").lgsco_steps) == {REF}


def test_costs_and_lessons_are_read_in_the_same_queries_however_many_there_are(
    council: Context, clock: SettableClock, reference: str
) -> None:
    record_cost(
        council,
        reference,
        "panel",
        "10",
        by="off",
        incurred_on=date(2026, 11, 6),
        expected_version=version_of(council, reference),
    )
    record_lesson(
        council, reference, "One", by="off", expected_version=version_of(council, reference)
    )
    with counting(council) as few:
        file_for(council, reference, "off")
    for number in range(5):
        record_cost(
            council,
            reference,
            "other",
            "1",
            by="mgr",
            incurred_on=date(2026, 11, 5),
            expected_version=version_of(council, reference),
        )
        record_lesson(
            council,
            reference,
            f"Lesson {number}",
            by="mgr",
            expected_version=version_of(council, reference),
        )
    with counting(council) as many:
        file = file_for(council, reference, "off")
    assert (len(file.costs), len(file.lessons)) == (6, 6)
    assert len(many) == len(few)


@contextmanager
def counting(ctx: Context) -> Iterator[list[str]]:
    """The SQL statements run while the block runs."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    sa.event.listen(ctx.database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(ctx.database.engine, "before_cursor_execute", count)
