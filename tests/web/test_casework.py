"""Following a case through from its page: stage 2/3 costs, lessons learned, and the steps of an
Ombudsman enquiry. Each form works for the roles allowed, is refused (403) to the others and
without its security token, and bad input or a refusal of the service shows the error summary
(400) and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from sqlmodel import col, select

from complaints.context import Context
from complaints.models import AuditEvent
from complaints.services.cases import fire_trigger
from tests.support import audit_count, version_of
from tests.web.conftest import Web, date_fields

OMBUDSMAN_REF = "25 012 345"
ENQUIRY = "/lgsco/25%20012%20345"
SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
TOMORROW = date(2026, 11, 24)  # the clock stands at Monday 23 November 2026
COST = {
    "kind": "independent_person",
    "amount": "1,250.50",
    **date_fields("incurred_on", date(2026, 11, 20)),
}
UPHELD = {
    "decision": "upheld_fault_and_injustice",
    "remedy_agreed": "Apologise and pay £300",
    **date_fields("compliance_due_on", date(2027, 1, 15)),
}
NO_DATE = {"-day": "", "-month": "", "-year": ""}
# Each problem: the message shown, the form (below the case's address) and what is sent.
Problems = dict[str, tuple[str, dict[str, str]]]


def audit_actions(ctx: Context) -> list[str]:
    with ctx.database.reader() as session:
        return list(session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all())


def blank(name: str) -> dict[str, str]:
    """A date left empty."""
    return {f"{name}{part}": value for part, value in NO_DATE.items()}


def recorded(client: Web, reference: str, path: str, data: dict[str, str], anchor: str) -> str:
    """The case page, after its form at `path` is shown and sent with `data`, going back to the
    case page at `anchor`."""
    assert client.get(f"/cases/{reference}{path}").status_code == 200
    response = client.post(f"/cases/{reference}{path}", data)
    assert response.status_code == 302, response.text
    assert response.headers["Location"] == f"/cases/{reference}#{anchor}"
    return client.get(f"/cases/{reference}").text


def each_refused(ctx: Context, client: Web, reference: str, problems: Problems) -> None:
    """Each form sent is shown again (400) with the error summary naming its problem, and
    nothing is recorded."""
    before = audit_count(ctx)
    for message, (path, data) in problems.items():
        response = client.post(f"/cases/{reference}{path}", data)
        assert response.status_code == 400, (message, response.status_code)
        assert "There is a problem" in response.text, message
        assert message in response.text, message
    assert audit_count(ctx) == before


@pytest.fixture
def allocated(staff: Context, case_ref: str) -> str:
    """The case acknowledged and allocated to the QA practitioner 'qa' (at stage 1)."""
    fire_trigger(
        staff, case_ref, "acknowledge", by="off", expected_version=version_of(staff, case_ref)
    )
    fire_trigger(
        staff,
        case_ref,
        "allocate",
        by="off",
        values={"officer": "qa"},
        expected_version=version_of(staff, case_ref),
    )
    return case_ref


@pytest.fixture
def stage2(staff: Context, allocated: str) -> str:
    """The allocated case at stage 2, the complainant having asked for it."""
    fire_trigger(
        staff,
        allocated,
        "request_stage2",
        by="off",
        values={"reason": "no_response"},
        expected_version=version_of(staff, allocated),
    )
    return allocated


@pytest.fixture
def enquiry(staff: Context, allocated: str) -> str:
    """The allocated case with Ombudsman enquiry 25 012 345, the response due on 14 December."""
    values = {"ombudsman_reference": OMBUDSMAN_REF, "response_due_on": "2026-12-14"}
    fire_trigger(
        staff,
        allocated,
        "escalate_to_lgsco",
        by="off",
        values=values,
        expected_version=version_of(staff, allocated),
    )
    return allocated


# -- costs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["off", "qa", "mgr", "admin"])
def test_each_role_that_sees_the_case_records_a_stage_2_cost_shown_with_the_total(
    staff: Context, web: Callable[[str], Web], stage2: str, username: str
) -> None:
    client = web(username)
    recorded(client, stage2, "/costs/new", COST, "costs")
    second = {
        "kind": "panel",
        "amount": "200",
        "description": "Room hire",
        **date_fields("incurred_on", date(2026, 11, 23)),
    }
    page = recorded(client, stage2, "/costs/new", second, "costs")
    assert "Cost recorded." in page
    assert "Independent person" in page and "£1,250.50" in page and "20 Nov 2026" in page
    assert "Room hire" in page and "£200.00" in page and "£1,450.50" in page  # the total
    assert "Stage 2 cost: independent person £1250.50" in page  # the timeline
    assert audit_actions(staff)[-2:] == ["record_cost", "record_cost"]


def test_the_cost_form_is_offered_at_stage_2_only(
    web: Callable[[str], Web], allocated: str, staff: Context
) -> None:
    client = web("off")
    assert f"/cases/{allocated}/costs/new" not in client.get(f"/cases/{allocated}").text
    fire_trigger(
        staff,
        allocated,
        "request_stage2",
        by="off",
        values={"reason": "no_response"},
        expected_version=version_of(staff, allocated),
    )
    assert f"/cases/{allocated}/costs/new" in client.get(f"/cases/{allocated}").text


def test_a_cost_at_stage_1_is_refused_by_the_service_with_the_error_summary(
    staff: Context, web: Callable[[str], Web], allocated: str
) -> None:
    message = "Costs are recorded for stage 2 and 3 investigations only"
    each_refused(staff, web("off"), allocated, {message: ("/costs/new", COST)})


def test_bad_costs_are_refused_with_a_clear_message_and_nothing_is_recorded(
    staff: Context, web: Callable[[str], Web], stage2: str
) -> None:
    problems = {
        "Select the kind of cost": {**COST, "kind": ""},
        "Select the kind of cost from the list": {**COST, "kind": "bribe"},
        "Enter the amount": {**COST, "amount": " "},
        "The amount must be in pounds, not &#39;lots&#39;": {**COST, "amount": "lots"},
        "The amount must be more than £0": {**COST, "amount": "0"},
        "The amount must be more than £0 in pounds and pence": {**COST, "amount": "1.234"},
        "The amount must be 20 characters or fewer": {**COST, "amount": "1" * 21},
        "Enter the date of the cost": {**COST, **blank("incurred_on")},
        "The date of the cost must be a real date": {**COST, "incurred_on-month": "13"},
        "The date of the cost must be today or in the past": {
            **COST,
            **date_fields("incurred_on", TOMORROW),
        },
        "The description must be 5,000 characters or fewer": {**COST, "description": "x" * 5_001},
    }
    client = web("off")
    each_refused(staff, client, stage2, {m: ("/costs/new", data) for m, data in problems.items()})
    assert "No costs recorded." in client.get(f"/cases/{stage2}").text


def test_a_cost_s_description_is_shown_as_text(web: Callable[[str], Web], stage2: str) -> None:
    page = recorded(web("off"), stage2, "/costs/new", {**COST, "description": SCRIPT}, "costs")
    assert SCRIPT not in page and ESCAPED in page


# -- lessons learned ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["off", "qa", "mgr", "admin"])
def test_each_role_that_sees_the_case_records_a_lesson_learned(
    staff: Context, web: Callable[[str], Web], allocated: str, username: str
) -> None:
    lesson = {"text": "Share visit plans with families\nbefore the meeting"}
    page = recorded(web(username), allocated, "/lessons/new", lesson, "lessons")
    assert "Lesson recorded." in page
    assert "Share visit plans with families<br>before the meeting" in page
    assert "Lesson learned recorded" in page  # the timeline
    assert audit_actions(staff)[-1] == "record_lesson"


def test_bad_lessons_are_refused_and_nothing_is_recorded(
    staff: Context, web: Callable[[str], Web], allocated: str
) -> None:
    client = web("off")
    problems: Problems = {
        "Enter the lesson learned": ("/lessons/new", {"text": "  "}),
        "The lesson learned must be 5,000 characters or fewer": (
            "/lessons/new",
            {"text": "x" * 5_001},
        ),
    }
    each_refused(staff, client, allocated, problems)
    assert "No lessons recorded." in client.get(f"/cases/{allocated}").text


def test_a_lesson_is_shown_as_text(web: Callable[[str], Web], allocated: str) -> None:
    page = recorded(web("off"), allocated, "/lessons/new", {"text": SCRIPT}, "lessons")
    assert SCRIPT not in page and ESCAPED in page


# -- who may, and the security token -----------------------------------------------------------


def test_a_qa_practitioner_not_allocated_the_case_is_refused_costs_and_lessons(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    client = web("qa")
    before = audit_count(staff)
    for path in ("/costs/new", "/lessons/new"):
        assert client.get(f"/cases/{case_ref}{path}").status_code == 404
        response = client.post(f"/cases/{case_ref}{path}", {**COST, "text": "A lesson"})
        assert response.status_code == 404 and "Page not found" in response.text
    assert audit_count(staff) == before


@pytest.mark.parametrize("step", ["response", "decision", "compliance", "close"])
def test_a_qa_practitioner_is_refused_every_ombudsman_step(
    staff: Context, web: Callable[[str], Web], enquiry: str, step: str
) -> None:
    client = web("qa")  # allocated the case: they see it, but do not deal with the Ombudsman
    before = audit_count(staff)
    assert client.get(f"/cases/{enquiry}{ENQUIRY}/{step}").status_code == 403
    response = client.post(f"/cases/{enquiry}{ENQUIRY}/{step}", {**UPHELD, "evidence": "Paid"})
    assert response.status_code == 403
    assert audit_count(staff) == before
    page = client.get(f"/cases/{enquiry}").text
    assert OMBUDSMAN_REF in page and f"{ENQUIRY}/" not in page  # no buttons for them


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/costs/new", COST),
        ("/lessons/new", {"text": "A lesson"}),
        (f"{ENQUIRY}/response", {}),
        (f"{ENQUIRY}/decision", UPHELD),
        (f"{ENQUIRY}/compliance", {"evidence": "Paid"}),
        (f"{ENQUIRY}/close", {}),
    ],
)
def test_a_form_without_its_security_token_is_refused_and_changes_nothing(
    staff: Context, web: Callable[[str], Web], enquiry: str, path: str, data: dict[str, str]
) -> None:
    fire_trigger(
        staff,
        enquiry,
        "request_stage2",
        by="off",
        values={"reason": "no_response"},
        expected_version=version_of(staff, enquiry),
    )
    client = web("off")
    before = audit_count(staff)
    response = client.client.post(f"/cases/{enquiry}{path}", data=data)
    assert response.status_code == 400
    assert "security token" in response.text
    assert audit_count(staff) == before


def test_the_new_pages_ask_a_signed_out_person_to_sign_in(app: Flask, enquiry: str) -> None:
    client = app.test_client()
    for path in ("/costs/new", "/lessons/new", f"{ENQUIRY}/response", f"{ENQUIRY}/close"):
        response = client.get(f"/cases/{enquiry}{path}")
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/sign-in"), path


# -- the Ombudsman enquiry ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ["off", "mgr", "admin"])
def test_an_enquiry_is_followed_from_response_to_closure_by_the_complaints_office(
    staff: Context, web: Callable[[str], Web], enquiry: str, username: str
) -> None:
    client = web(username)
    base = f"/cases/{enquiry}{ENQUIRY}"
    page = client.get(f"/cases/{enquiry}").text
    assert f"{base}/response" in page and f"{base}/decision" in page
    assert f"{base}/compliance" not in page and f"{base}/close" not in page

    sent = date_fields("responded_on", date(2026, 11, 23))
    page = recorded(client, enquiry, f"{ENQUIRY}/response", sent, "lgsco")
    assert "Response to Ombudsman enquiry 25 012 345 recorded." in page
    assert "Sent Monday 23 November 2026" in page and f"{base}/response" not in page

    page = recorded(client, enquiry, f"{ENQUIRY}/decision", UPHELD, "lgsco")
    assert "Upheld fault and injustice (Monday 23 November 2026)" in page
    assert "remedy: Apologise and pay £300, due Friday 15 January 2027" in page
    assert f"{base}/compliance" in page and f"{base}/close" not in page

    evidence = {"evidence": "Apology sent; £300 paid"}
    page = recorded(client, enquiry, f"{ENQUIRY}/compliance", evidence, "lgsco")
    assert "complied Monday 23 November 2026" in page and "Apology sent; £300 paid" in page
    assert f"{base}/compliance" not in page and f"{base}/close" in page

    page = recorded(client, enquiry, f"{ENQUIRY}/close", {}, "lgsco")
    assert "Ombudsman enquiry 25 012 345 closed." in page and "closed Monday 23 November" in page
    assert f"{base}/" not in page  # nothing left to record
    assert audit_actions(staff)[-4:] == [
        "record_lgsco_response",
        "record_lgsco_decision",
        "record_lgsco_compliance",
        "close_lgsco_enquiry",
    ]


def test_a_decision_without_a_remedy_leads_straight_to_closing(
    web: Callable[[str], Web], enquiry: str
) -> None:
    decided = {"decision": "not_upheld", **date_fields("decided_on", date(2026, 11, 23))}
    page = recorded(web("off"), enquiry, f"{ENQUIRY}/decision", decided, "lgsco")
    assert "Not upheld (Monday 23 November 2026)" in page
    assert f"{ENQUIRY}/compliance" not in page and f"{ENQUIRY}/close" in page


def test_the_service_s_refusals_on_an_enquiry_show_as_the_error_summary(
    staff: Context, web: Callable[[str], Web], enquiry: str
) -> None:
    client = web("off")
    refusals: Problems = {
        "Ombudsman enquiry &#39;25 012 345&#39; has no agreed remedy to comply with": (
            f"{ENQUIRY}/compliance",
            {"evidence": "Paid"},
        ),
        "cannot be closed before the Ombudsman&#39;s decision": (f"{ENQUIRY}/close", {}),
        "A decision of not upheld has no remedy to agree": (
            f"{ENQUIRY}/decision",
            {**UPHELD, "decision": "not_upheld"},
        ),
        "An agreed remedy needs the date by which the council must comply": (
            f"{ENQUIRY}/decision",
            {**UPHELD, **blank("compliance_due_on")},
        ),
        "is before the enquiry arrived (2026-11-23)": (
            f"{ENQUIRY}/response",
            date_fields("responded_on", date(2026, 11, 13)),
        ),
    }
    each_refused(staff, client, enquiry, refusals)
    recorded(client, enquiry, f"{ENQUIRY}/response", {}, "lgsco")
    twice = "was already recorded as sent on 2026-11-23"
    each_refused(staff, client, enquiry, {twice: (f"{ENQUIRY}/response", {})})


def test_bad_input_on_an_enquiry_is_refused_and_changes_nothing(
    staff: Context, web: Callable[[str], Web], enquiry: str
) -> None:
    client = web("off")
    decision, compliance = f"{ENQUIRY}/decision", f"{ENQUIRY}/compliance"
    problems: Problems = {
        "The day it was sent must be today or in the past": (
            f"{ENQUIRY}/response",
            date_fields("responded_on", TOMORROW),
        ),
        "The day it was sent must be a real date": (
            f"{ENQUIRY}/response",
            {**date_fields("responded_on", TOMORROW), "responded_on-day": "32"},
        ),
        "Select the Ombudsman&#39;s decision": (decision, {**UPHELD, "decision": ""}),
        "Select the Ombudsman&#39;s decision from the list": (
            decision,
            {**UPHELD, "decision": "guilty"},
        ),
        "The day of the decision must be today or in the past": (
            decision,
            {**UPHELD, **date_fields("decided_on", TOMORROW)},
        ),
        "The remedy agreed must be 5,000 characters or fewer": (
            decision,
            {**UPHELD, "remedy_agreed": "x" * 5_001},
        ),
        "The compliance due date must be a real date": (
            decision,
            {**UPHELD, "compliance_due_on-year": "27"},
        ),
        "Enter the evidence of compliance": (compliance, {"evidence": ""}),
        "The evidence of compliance must be 5,000 characters or fewer": (
            compliance,
            {"evidence": "x" * 5_001},
        ),
        "The day it closed must be today or in the past": (
            f"{ENQUIRY}/close",
            date_fields("closed_on", TOMORROW),
        ),
    }
    each_refused(staff, client, enquiry, problems)
    assert "Not decided" in client.get(f"/cases/{enquiry}").text


def test_an_ombudsman_reference_wider_than_its_column_is_refused_against_the_field(
    staff: Context, web: Callable[[str], Web], allocated: str
) -> None:
    # PostgreSQL refused to store it, and the step failed with a 500 (SQLite stored it).
    problems: Problems = {
        "Ombudsman&#39;s reference must be 40 characters or fewer": (
            "/steps/escalate_to_lgsco",
            {"ombudsman_reference": "25 012 345 " * 4},
        )
    }
    each_refused(staff, web("off"), allocated, problems)


def test_text_recorded_on_an_enquiry_is_shown_as_text(
    web: Callable[[str], Web], enquiry: str
) -> None:
    client = web("off")
    recorded(client, enquiry, f"{ENQUIRY}/decision", {**UPHELD, "remedy_agreed": SCRIPT}, "lgsco")
    page = recorded(client, enquiry, f"{ENQUIRY}/compliance", {"evidence": SCRIPT + "!"}, "lgsco")
    assert SCRIPT not in page and ESCAPED in page and ESCAPED + "!" in page


def test_an_unknown_enquiry_is_not_found(web: Callable[[str], Web], enquiry: str) -> None:
    client = web("off")
    assert client.get(f"/cases/{enquiry}/lgsco/99%20999%20999/response").status_code == 404
    assert client.post(f"/cases/{enquiry}/lgsco/99%20999%20999/close", {}).status_code == 404


def test_an_ombudsman_reference_with_a_slash_has_its_own_pages(
    staff: Context, web: Callable[[str], Web], allocated: str
) -> None:
    values = {"ombudsman_reference": "25/012"}
    fire_trigger(
        staff,
        allocated,
        "escalate_to_lgsco",
        by="off",
        values=values,
        expected_version=version_of(staff, allocated),
    )
    client = web("mgr")
    assert f"/cases/{allocated}/lgsco/25/012/response" in client.get(f"/cases/{allocated}").text
    page = recorded(client, allocated, "/lgsco/25/012/response", {}, "lgsco")
    assert "Response to Ombudsman enquiry 25/012 recorded." in page
