"""The case pages: logging feedback, the case list, the case page, workflow steps, triage,
points, findings, remedies and actions; bad input gets a clear message and changes nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import pytest

from complaints.clock import SettableClock
from complaints.config import Settings
from complaints.context import Context
from complaints.db import Database
from complaints.services import listing
from complaints.services.accounts import set_password
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback, show_case
from tests.support import audit_count, council_with, version_of, web_app
from tests.web.conftest import PASSWORD, Web, date_fields
from workflows import WORKFLOWS

GOOD_FEEDBACK = {
    "feedback_type": "complaint",
    "procedure": "corporate",
    "complainant_name": "Sam Jones",
    "summary": "The bins were not collected",
    "contact_method": "email",
    "made_by": "complainant",
    "team": "Customer Service",
    **date_fields("received", date(2026, 11, 20)),
}


def test_an_officer_logs_a_complaint_with_its_triage(
    staff: Context, web: Callable[[str], Web]
) -> None:
    client = web("off")
    response = client.post("/cases/new", {**GOOD_FEEDBACK, "categories": "Communication"})
    assert response.status_code == 302
    reference = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/cases/{reference}").text
    assert "logged" in page and "The bins were not collected" in page
    assert "Customer Service" in page and "Communication" in page
    assert show_case(staff, reference, by="admin").state == "received"


def test_bad_feedback_is_refused_with_each_problem_and_nothing_is_logged(
    staff: Context, web: Callable[[str], Web]
) -> None:
    client = web("off")
    before = audit_count(staff)
    cases = {
        "Select the type of feedback": {**GOOD_FEEDBACK, "feedback_type": ""},
        "Enter the name of the person it is from": {**GOOD_FEEDBACK, "complainant_name": " "},
        "must be a real date": {**GOOD_FEEDBACK, "received-day": "31", "received-month": "2"},
        "must be today or in the past": {
            **GOOD_FEEDBACK,
            **date_fields("received", date(2027, 1, 4)),
        },
        "must be 200 characters or fewer": {**GOOD_FEEDBACK, "complainant_name": "x" * 201},
        "must be 10,000 characters or fewer": {**GOOD_FEEDBACK, "summary": "x" * 10_001},
        "Select how it arrived from the list": {**GOOD_FEEDBACK, "contact_method": "pigeon"},
        "Select the team from the list": {**GOOD_FEEDBACK, "team": "Nowhere"},
    }
    for message, data in cases.items():
        response = client.post("/cases/new", data)
        assert response.status_code == 400, message
        assert "There is a problem" in response.text and message in response.text, message
    assert audit_count(staff) == before


def test_a_refusal_from_the_service_is_shown_as_the_error_summary(
    staff: Context, web: Callable[[str], Web]
) -> None:
    client = web("off")
    late = {
        **GOOD_FEEDBACK,
        "procedure": "statutory_children",
        **date_fields("matter", date(2024, 1, 5)),
    }
    response = client.post("/cases/new", late)
    assert response.status_code == 400
    assert "record why it is accepted late" in response.text


def test_html_typed_into_a_form_is_shown_as_text(web: Callable[[str], Web]) -> None:
    client = web("off")
    script = "<script>alert('x')</script>"
    response = client.post("/cases/new", {**GOOD_FEEDBACK, "summary": script})
    page = client.get(response.headers["Location"]).text
    assert script not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_the_case_page_shows_the_steps_the_person_may_take_now(
    web: Callable[[str], Web], case_ref: str
) -> None:
    page = web("off").get(f"/cases/{case_ref}").text
    assert f"/cases/{case_ref}/steps/acknowledge" in page
    assert f"/cases/{case_ref}/steps/approve" not in page
    assert "Stage 1 response" in page and "Monday 30 November 2026" in page  # 10 WD
    assert "Complaint CF" in page  # the timeline


def test_a_step_fires_from_its_form(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    client = web("off")
    version = show_case(staff, case_ref, by="admin").version
    response = client.post(f"/cases/{case_ref}/steps/acknowledge", {"version": str(version)})
    assert response.status_code == 302
    assert show_case(staff, case_ref, by="admin").state == "stage1_investigating"
    response = client.post(
        f"/cases/{case_ref}/steps/allocate",
        {"officer": "qa", "version": str(show_case(staff, case_ref, by="admin").version)},
    )
    assert response.status_code == 302
    assert "Quinn Practitioner" in client.get(f"/cases/{case_ref}").text


def test_a_step_with_bad_values_or_a_stale_version_changes_nothing(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    fire_trigger(
        staff, case_ref, "acknowledge", by="off", expected_version=version_of(staff, case_ref)
    )
    client = web("mgr")
    version = str(show_case(staff, case_ref, by="admin").version)
    before = audit_count(staff)
    extend = f"/cases/{case_ref}/steps/extend"
    wrong = client.post(
        extend,
        {
            "working_days": "ten",
            "reason": "Complex",
            "complainant_agreed": "yes",
            "version": version,
        },
    )
    assert wrong.status_code == 400 and "must be a whole number" in wrong.text
    missing = client.post(extend, {"working_days": "5", "version": version})
    assert missing.status_code == 400 and "Enter reason" in missing.text
    future = client.post(
        extend,
        {
            "working_days": "5",
            "reason": "Complex",
            "complainant_agreed": "yes",
            "version": version,
            **date_fields("on", date(2026, 12, 1)),
        },
    )
    assert future.status_code == 400 and "must be today or in the past" in future.text
    stale = client.post(
        extend,
        {
            "working_days": "5",
            "reason": "Complex",
            "complainant_agreed": "yes",
            "version": str(int(version) - 1),
        },
    )
    assert stale.status_code == 400 and "reload it and try again" in stale.text
    too_long = client.post(
        extend,
        {
            "working_days": "50",
            "reason": "Complex",
            "complainant_agreed": "yes",
            "version": version,
        },
    )
    assert too_long.status_code == 400
    assert audit_count(staff) == before
    done = client.post(
        extend,
        {"working_days": "5", "reason": "Complex", "complainant_agreed": "yes", "version": version},
    )
    assert done.status_code == 302


def test_points_findings_remedies_and_actions_from_their_forms(
    staff: Context, clock: SettableClock, web: Callable[[str], Web], case_ref: str
) -> None:
    fire_trigger(
        staff, case_ref, "acknowledge", by="off", expected_version=version_of(staff, case_ref)
    )
    client = web("off")
    assert (
        client.post(f"/cases/{case_ref}/points/new", {"description": "No visit in May"}).status_code
        == 302
    )
    assert (
        client.post(f"/cases/{case_ref}/points/1/finding", {"outcome": "maybe"}).status_code == 400
    )
    assert (
        client.post(f"/cases/{case_ref}/points/1/finding", {"outcome": "upheld"}).status_code == 302
    )
    bad_money = client.post(
        f"/cases/{case_ref}/remedies/new", {"kind": "financial", "amount": "lots"}
    )
    assert bad_money.status_code == 400 and "must be in pounds" in bad_money.text
    assert (
        client.post(
            f"/cases/{case_ref}/remedies/new", {"kind": "financial", "amount": "150"}
        ).status_code
        == 302
    )
    past = client.post(
        f"/cases/{case_ref}/actions/new",
        {
            "description": "Train staff",
            "kind": "action",
            "owner": "off2",
            **date_fields("due", date(2026, 11, 2)),
        },
    )
    assert past.status_code == 400 and "already passed" in past.text
    added = client.post(
        f"/cases/{case_ref}/actions/new",
        {
            "description": "Train staff",
            "kind": "action",
            "owner": "off2",
            **date_fields("due", date(2026, 12, 18)),
        },
    )
    assert added.status_code == 302
    page = client.get(f"/cases/{case_ref}").text
    assert "No visit in May" in page and "Stage 1: Upheld" in page and "£150.00" in page
    assert "Train staff" in page
    with staff.database.engine.connect() as connection:  # closed: no lock left behind
        action_id = connection.exec_driver_sql("SELECT id FROM case_action").scalar()
    assert (
        client.post(f"/cases/{case_ref}/actions/{action_id}/complete", {"evidence": ""}).status_code
        == 400
    )
    assert (
        client.post(
            f"/cases/{case_ref}/actions/{action_id}/complete", {"evidence": "Trained"}
        ).status_code
        == 302
    )


def test_triage_and_reallocation_from_their_forms(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    client = web("off")
    version = str(show_case(staff, case_ref, by="admin").version)
    unknown = client.post(f"/cases/{case_ref}/triage", {"team": "Atlantis", "version": version})
    assert unknown.status_code == 400
    done = client.post(
        f"/cases/{case_ref}/triage",
        {"team": "Highways", "categories": "Policy", "version": version},
    )
    assert done.status_code == 302
    version = str(show_case(staff, case_ref, by="admin").version)
    no_reason = client.post(
        f"/cases/{case_ref}/reallocate",
        {"feedback_type": "complaint", "procedure": "corporate", "version": version},
    )
    assert no_reason.status_code == 400
    moved = client.post(
        f"/cases/{case_ref}/reallocate",
        {
            "feedback_type": "complaint",
            "procedure": "corporate",
            "reason": "Not social care",
            "version": version,
        },
    )
    assert moved.status_code == 302
    assert show_case(staff, case_ref, by="admin").procedure == "corporate"


def test_a_procedure_the_council_adds_is_offered_when_logging_and_reallocating(
    database: Database, clock: SettableClock, shipped_settings: Settings
) -> None:
    housing = dataclasses.replace(
        WORKFLOWS["corporate"],
        name="housing",
        title="Housing (two stages)",
        short_label="Housing",
        public_subject="",
        takes_email=False,
    )
    timescales = {
        step: dataclasses.asdict(timescale)
        for step, timescale in shipped_settings.timescales["corporate"].items()
    }
    council = council_with(
        database, clock, {**WORKFLOWS, "housing": housing}, {"housing": timescales}
    )
    set_password(council, "off", PASSWORD, by="admin")
    officer = Web(web_app(council).test_client())
    officer.sign_in("off")
    reference = log_feedback(
        council,
        NewFeedback(
            procedure="corporate",
            feedback_type="complaint",
            received_on=clock.today(),
            summary="Damp in the flat",
            complainant_name="Ava Smith",
        ),
        by="off",
    ).reference

    logging = officer.get("/cases/new").text
    assert 'value="housing"' in logging and "Housing (two stages)" in logging
    reallocation = officer.get(f"/cases/{reference}/reallocate").text
    assert 'value="housing"' in reallocation and ">Housing</label>" in reallocation


def test_the_case_list_filters_searches_and_pages(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    client = web("admin")
    assert case_ref in client.get("/cases").text
    assert case_ref in client.get("/cases?q=smith").text
    assert case_ref in client.get(f"/cases?q={case_ref.lower()}").text
    assert "No cases match" in client.get("/cases?q=nobody-by-that-name").text
    assert case_ref in client.get("/cases?state=received&procedure=statutory_children").text
    assert case_ref in client.get("/cases?overdue=yes").text  # acknowledgement was due 18 Nov
    bad = client.get("/cases?state=<b>nonsense</b>")
    assert bad.status_code == 400 and "Select a state from the list" in bad.text
    assert "<b>nonsense</b>" not in bad.text
    assert client.get("/cases?page=999").status_code == 200


def test_a_list_longer_than_the_count_limit_says_more_than(
    staff: Context, web: Callable[[str], Web], case_ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "COUNT_LIMIT", 0)
    page = web("admin").get("/cases").text
    assert "More than 0 cases" in page and "Narrow the list" in page
