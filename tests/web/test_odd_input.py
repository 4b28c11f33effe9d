"""Numbers, dates and amounts at the edges, through the staff pages: numerals other than 0 to 9
('²', '٣'), dates the working-day calendar cannot count (year 1, year 9999), an amount of 1e999,
a version that is not a number, an id no table can hold. Each is refused with the error summary
naming the problem (400), or is a page that does not exist (404); never a 500, and nothing is
written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.cases import fire_trigger
from tests.support import audit_count, version_of
from tests.web.conftest import Web, date_fields
from tests.web.test_hostile_input import NEW_COMPLAINT

RANGE = "must be between 1 January 1900 and 31 December 2199"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=²", "The page number must be a whole number"),
        ("page=٣", "The page number must be a whole number"),
        ("page=0", "The page number must be 1 or more"),
        ("team=²", "Select a team from the list"),
        ("officer=٣", "Select an officer from the list"),
    ],
)
def test_the_case_list_refuses_numbers_not_written_0_to_9(
    staff: Context, web: Callable[[str], Web], case_ref: str, query: str, message: str
) -> None:
    response = web("admin").get(f"/cases?{query}")
    assert response.status_code == 400
    assert "There is a problem" in response.text and message in response.text
    assert case_ref in response.text  # the list, unfiltered, under the error summary


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=annual&year=²", "The year the financial year starts in must be a whole number"),
        ("kind=annual&year=٢٠٢٥", "The year the financial year starts in must be a whole number"),
        (
            "kind=range&from-day=²&from-month=4&from-year=2025&to-day=1&to-month=3&to-year=2026",
            "The first day must be a real date",
        ),
        (
            "kind=range&from-day=1&from-month=1&from-year=0001&to-day=1&to-month=3&to-year=2026",
            f"The first day {RANGE}",
        ),
    ],
)
def test_the_reports_page_refuses_odd_years_and_dates(
    staff: Context, web: Callable[[str], Web], query: str, message: str
) -> None:
    response = web("mgr").get(f"/reports?{query}")
    assert response.status_code == 400
    assert message in response.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"received-day": "²"}, "The date it was received must be a real date"),
        ({"received-month": "١"}, "The date it was received must be a real date"),
        ({"received-year": "0001"}, f"The date it was received {RANGE}"),
        (
            {"matter-day": "1", "matter-month": "1", "matter-year": "0001"},
            f"The date of the matter {RANGE}",
        ),
    ],
)
def test_new_feedback_refuses_dates_the_calendar_cannot_count(
    staff: Context,
    clock: SettableClock,
    web: Callable[[str], Web],
    change: dict[str, str],
    message: str,
) -> None:
    clock.set(date(2026, 11, 23))
    events = audit_count(staff)
    response = web("off").post("/cases/new", NEW_COMPLAINT | change)
    assert response.status_code == 400
    assert message in response.text
    assert audit_count(staff) == events


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("/points/new", {"description": "Bins", "version": "²"}, "did not say which version"),
        # Every change says which version of the case it was made against, letters included.
        ("/points/new", {"description": "Bins", "version": ""}, "did not say which version"),
        ("/letters/new", {"template": "lgsco_signposting", "version": ""}, "did not say which"),
        ("/lessons/new", {"text": "Check the rota", "version": ""}, "did not say which version"),
        ("/remedies/new", {"kind": "financial", "amount": "1e999"}, "must be in pounds"),
        ("/remedies/new", {"kind": "financial", "amount": "٣٠"}, "must be in pounds"),
        (
            "/actions/new",
            {
                "description": "Check the round",
                "kind": "action",
                "owner": "off",
                **date_fields("due", date(9999, 12, 31)),
            },
            f"The due date {RANGE}",
        ),
        ("/steps/extend", {"working_days": "²", "reason": "More time"}, "must be a whole number"),
    ],
)
def test_case_forms_refuse_odd_numbers_amounts_and_dates(
    staff: Context,
    web: Callable[[str], Web],
    case_ref: str,
    path: str,
    data: dict[str, str],
    message: str,
) -> None:
    fire_trigger(
        staff, case_ref, "acknowledge", by="off", expected_version=version_of(staff, case_ref)
    )
    add_point = web("admin").post(f"/cases/{case_ref}/points/new", {"description": "Visits"})
    assert add_point.status_code == 302
    events = audit_count(staff)
    response = web("admin").post(f"/cases/{case_ref}{path}", data)
    assert response.status_code == 400
    assert message in response.text
    assert audit_count(staff) == events


TOO_BIG = "9" * 20


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/cases/{{ref}}/letters/{TOO_BIG}/document"),
        ("POST", f"/cases/{{ref}}/letters/{TOO_BIG}/submit"),
        ("POST", f"/admin/lists/team/{TOO_BIG}/withdraw"),
        ("GET", f"/cases/{{ref}}/points/{'9' * 5000}/finding"),
        # A NUL: PostgreSQL refuses it even in a query's parameters.
        ("GET", "/cases/%00"),
        ("POST", "/cases/CF%00/lessons/new"),
        ("POST", "/admin/users/%00/password"),
        ("GET", "/admin/templates/%00"),
    ],
)
def test_an_id_no_table_can_hold_or_a_nul_is_a_page_that_does_not_exist(
    staff: Context, web: Callable[[str], Web], case_ref: str, method: str, path: str
) -> None:
    admin = web("admin")
    url = path.format(ref=case_ref)
    response = admin.get(url) if method == "GET" else admin.post(url)
    assert response.status_code == 404
