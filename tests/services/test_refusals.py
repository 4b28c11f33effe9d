"""Bad input and forbidden changes: a clear message, and nothing written (case, deadlines and
audit trail exactly as they were)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import ConflictError, DomainError, NotFoundError
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback, show_case
from complaints.services.points import add_complaint_point, add_remedy
from tests.support import LogCase, audit_count, version_of

RECEIVED = date(2026, 11, 2)


@pytest.fixture
def reference(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    reference = log_case("statutory_children", RECEIVED).reference
    clock.set(date(2026, 11, 6))
    # The QA practitioner investigates a point, so sees the case: refusals are their role's.
    add_complaint_point(
        council,
        reference,
        "Visits were missed",
        by="off",
        officer="qa",
        expected_version=version_of(council, reference),
    )
    return reference


@pytest.mark.parametrize(
    ("trigger", "by", "kwargs", "message"),
    [
        ("fly", "off", {}, "'fly' is not a step"),
        ("approve", "mgr", {}, "cannot be done while the case is 'received'"),
        ("acknowledge", "qa", {}, "only a admin or manager or officer can do 'acknowledge'"),
        ("withdraw", "off", {}, "'withdraw' needs reason"),
        ("acknowledge", "off", {"values": {"colour": "blue"}}, "does not record colour"),
        ("acknowledge", "off", {"on": date(2026, 10, 30)}, "before the case was received"),
        ("acknowledge", "off", {"on": date(2026, 11, 9)}, "is in the future"),
        ("acknowledge", "ghost", {}, "no user called 'ghost'"),
        ("request_stage2", "off", {"values": {"reason": "bored"}}, "'bored' is not one of"),
    ],
)
def test_a_refused_trigger_changes_nothing(
    council: Context, reference: str, trigger: str, by: str, kwargs: dict[str, Any], message: str
) -> None:
    before, audits = show_case(council, reference, by="admin"), audit_count(council)
    with pytest.raises(DomainError, match=message):
        fire_trigger(council, reference, trigger, by=by, expected_version=before.version, **kwargs)
    assert show_case(council, reference, by="admin") == before
    assert audit_count(council) == audits


def test_an_unknown_reference_is_named(council: Context) -> None:
    with pytest.raises(NotFoundError, match="no case with reference 'CF-1999-000001'"):
        fire_trigger(
            council,
            "CF-1999-000001",
            "acknowledge",
            by="off",
            expected_version=version_of(council, "CF-1999-000001"),
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"procedure": "housing"}, "'housing' is not a procedure"),
        ({"feedback_type": "moan"}, "'moan' is not a type of feedback"),
        ({"feedback_type": "compliment"}, "a compliment follows the feedback procedure"),
        ({"received_on": date(2026, 11, 7)}, "is in the future"),
        ({"summary": "   "}, "summary must not be empty"),
        ({"contact_method": "pigeon"}, "'pigeon' is not a contact method"),
        ({"team": "Nowhere"}, "no team called 'Nowhere'"),
        ({"matter_date": date(2025, 6, 1)}, "after the time limit"),
    ],
)
def test_bad_feedback_is_refused_and_nothing_logged(
    council: Context, clock: SettableClock, changes: dict[str, Any], message: str
) -> None:
    clock.set(date(2026, 11, 6))
    details: dict[str, Any] = {
        "procedure": "corporate",
        "feedback_type": "complaint",
        "received_on": RECEIVED,
        "summary": "Missed bins",
        "complainant_name": "Ava Smith",
    } | changes
    audits = audit_count(council)
    with pytest.raises(DomainError, match=message):
        log_feedback(council, NewFeedback(**details), by="off")
    assert audit_count(council) == audits


def test_a_late_complaint_is_accepted_with_a_reason(council: Context, clock: SettableClock) -> None:
    clock.set(date(2026, 11, 6))
    feedback = NewFeedback(
        procedure="corporate",
        feedback_type="complaint",
        received_on=RECEIVED,
        summary="Missed bins",
        complainant_name="Ava Smith",
        matter_date=date(2025, 6, 1),
        late_reason="the complainant was in hospital",
    )
    assert log_feedback(council, feedback, by="off").state == "received"


@pytest.mark.parametrize(
    ("kind", "amount", "message"),
    [
        ("financial", "-50", "more than £0"),
        ("financial", None, "needs an amount"),
        ("financial", "12.345", "pounds and pence"),
        ("apology", "10", "only a financial remedy has an amount"),
        ("hug", None, "'hug' is not a remedy"),
    ],
)
def test_a_bad_remedy_is_refused(
    council: Context, reference: str, kind: str, amount: str | None, message: str
) -> None:
    audits = audit_count(council)
    with pytest.raises(DomainError, match=message):
        add_remedy(
            council,
            reference,
            kind,
            by="off",
            amount=amount,
            expected_version=version_of(council, reference),
        )
    assert audit_count(council) == audits


def test_a_stale_version_is_refused_with_who_changed_the_case(
    council: Context, reference: str
) -> None:
    seen = show_case(council, reference, by="admin").version
    fire_trigger(council, reference, "acknowledge", by="off", expected_version=seen)
    with pytest.raises(ConflictError, match=r"was changed by Olive Officer at \d\d:\d\d .*reload"):
        add_complaint_point(council, reference, "Late point", by="off2", expected_version=seen)


def test_two_people_changing_one_case_at_once_lose_nothing(
    council: Context, reference: str
) -> None:
    seen = show_case(council, reference, by="admin").version
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def act(trigger: str, by: str, values: dict[str, str]) -> None:
        barrier.wait()
        try:
            fire_trigger(council, reference, trigger, by=by, values=values, expected_version=seen)
            outcomes.append("accepted")
        except ConflictError:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=act, args=("acknowledge", "off", {})),
        threading.Thread(target=act, args=("withdraw", "off2", {"reason": "duplicate"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "conflict"]
    final = show_case(council, reference, by="admin")
    assert final.version == seen + 1
    assert final.state in ("stage1_investigating", "withdrawn")
