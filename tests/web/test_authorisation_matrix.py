"""The authorisation matrix: every route of the staff web front end and of the JSON API, for
each role, on a case the person may see and on one they may not. A route the person's role does
not allow is refused with 403; a case outside their reach answers 404, exactly like a case that
does not exist; everything else is allowed; refused requests change nothing. The tables below
are the specification: a route added to the app without a line here fails
`test_every_route_is_in_the_matrix` (web) or `test_every_api_route_is_in_the_matrix` (API).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from complaints.context import Context
from complaints.services.integrations import SCOPES, add_token
from tests.support import audit_count, version_of
from tests.web.conftest import Case, Web

OFFICER, QA, MANAGER, ADMIN = "officer", "qa_practitioner", "manager", "admin"
EVERYONE = frozenset({OFFICER, QA, MANAGER, ADMIN})
OFFICE = frozenset({OFFICER, MANAGER, ADMIN})
SIGN_OFF = frozenset({MANAGER, ADMIN})
ONLY_ADMIN = frozenset({ADMIN})
# Who each person is, and whether they may see the matrix's case.
PEOPLE = {
    "off": (OFFICER, True),  # Customer Service: the complaints office (config.toml)
    "hwoff": (OFFICER, False),  # Highways
    "qa": (QA, True),  # the case is allocated to them
    "qa2": (QA, False),  # not allocated
    "csmgr": (MANAGER, True),  # manages Customer Service
    "hwmgr": (MANAGER, False),  # manages Highways
    "admin": (ADMIN, True),
}
REFUSED, NOT_FOUND = 403, 404
# Routes outside the staff matrix: signing in, public pages, assets, health (the API has its
# own matrix below).
OUTSIDE = {"static", "govuk_assets", "auth.login", "auth.logout", "health.health"}
OUTSIDE_BLUEPRINTS = ("api.", "public.")


@dataclass(frozen=True)
class Route:
    endpoint: str
    path: str  # {ref}, {letter}, {action}, {lgsco} filled in from the case
    roles: frozenset[str]
    of_a_case: bool
    method: str = "GET"
    # False where the role is a matter of the case (which steps a role may take on it now), so
    # a case out of reach is not found before the role is looked at.
    role_first: bool = True


MATRIX = (
    Route("dashboard.home", "/", EVERYONE, False),
    Route("dashboard.my_work", "/my-work", EVERYONE, False),
    Route("dashboard.manager", "/dashboard", SIGN_OFF, False),
    Route("dashboard.alerts", "/alerts", EVERYONE, False),
    Route("cases.index", "/cases", EVERYONE, False),
    Route("cases.new", "/cases/new", OFFICE, False),
    Route("cases.new", "/cases/new", OFFICE, False, "POST"),
    Route("cases.show", "/cases/{ref}", EVERYONE, True),
    Route("cases.step", "/cases/{ref}/steps/escalate_to_lgsco", OFFICE, True, role_first=False),
    Route(
        "cases.step",
        "/cases/{ref}/steps/escalate_to_lgsco",
        OFFICE,
        True,
        "POST",
        role_first=False,
    ),
    Route("cases.triage", "/cases/{ref}/triage", OFFICE, True),
    Route("cases.triage", "/cases/{ref}/triage", OFFICE, True, "POST"),
    Route("cases.reallocate_case", "/cases/{ref}/reallocate", OFFICE, True),
    Route("cases.reallocate_case", "/cases/{ref}/reallocate", OFFICE, True, "POST"),
    Route("cases.new_point", "/cases/{ref}/points/new", EVERYONE, True),
    Route("cases.new_point", "/cases/{ref}/points/new", EVERYONE, True, "POST"),
    Route("cases.finding", "/cases/{ref}/points/1/finding", EVERYONE, True),
    Route("cases.finding", "/cases/{ref}/points/1/finding", EVERYONE, True, "POST"),
    Route("cases.new_remedy", "/cases/{ref}/remedies/new", EVERYONE, True),
    Route("cases.new_remedy", "/cases/{ref}/remedies/new", EVERYONE, True, "POST"),
    Route("cases.new_action", "/cases/{ref}/actions/new", EVERYONE, True),
    Route("cases.new_action", "/cases/{ref}/actions/new", EVERYONE, True, "POST"),
    Route("cases.finish_action", "/cases/{ref}/actions/{action}/complete", EVERYONE, True),
    Route("cases.finish_action", "/cases/{ref}/actions/{action}/complete", EVERYONE, True, "POST"),
    Route("casework.new_cost", "/cases/{ref}/costs/new", EVERYONE, True),
    Route("casework.new_cost", "/cases/{ref}/costs/new", EVERYONE, True, "POST"),
    Route("casework.new_lesson", "/cases/{ref}/lessons/new", EVERYONE, True),
    Route("casework.new_lesson", "/cases/{ref}/lessons/new", EVERYONE, True, "POST"),
    Route("casework.lgsco_step", "/cases/{ref}/lgsco/{lgsco}/response", OFFICE, True),
    Route("casework.lgsco_step", "/cases/{ref}/lgsco/{lgsco}/response", OFFICE, True, "POST"),
    Route(
        "cases.sent_outside",
        "/cases/{ref}/steps/send_response/sent-outside",
        SIGN_OFF,
        True,
        "POST",
    ),
    Route("letters.new", "/cases/{ref}/letters/new", EVERYONE, True),
    Route("letters.new", "/cases/{ref}/letters/new", EVERYONE, True, "POST"),
    Route("letters.preview", "/cases/{ref}/letters/preview/stage1_response", EVERYONE, True),
    Route("letters.show", "/cases/{ref}/letters/{letter}", EVERYONE, True),
    Route("letters.document", "/cases/{ref}/letters/{letter}/document", EVERYONE, True),
    Route("letters.pdf", "/cases/{ref}/letters/{sent}/pdf", EVERYONE, True),
    Route("letters.move", "/cases/{ref}/letters/{letter}/submit", EVERYONE, True, "POST"),
    Route("workflows.index", "/workflows", EVERYONE, False),
    Route("workflows.show", "/workflows/corporate", EVERYONE, False),
    Route("reports.index", "/reports", SIGN_OFF, False),
    Route("reports.download", "/reports/download/csv?kind=annual&year=2026", SIGN_OFF, False),
    Route("admin.index", "/admin", ONLY_ADMIN, False),
    Route("admin.users", "/admin/users", ONLY_ADMIN, False),
    Route("admin.new_user", "/admin/users/new", ONLY_ADMIN, False),
    Route("admin.new_user", "/admin/users/new", ONLY_ADMIN, False, "POST"),
    Route("admin.edit_user", "/admin/users/off2", ONLY_ADMIN, False),
    Route("admin.edit_user", "/admin/users/off2", ONLY_ADMIN, False, "POST"),
    Route("admin.password", "/admin/users/off2/password", ONLY_ADMIN, False, "POST"),
    Route("admin.lists", "/admin/lists", ONLY_ADMIN, False),
    Route("admin.add_entry", "/admin/lists/team", ONLY_ADMIN, False, "POST"),
    Route("admin.toggle_entry", "/admin/lists/team/1/withdraw", ONLY_ADMIN, False, "POST"),
    Route("admin.letter_templates", "/admin/templates", ONLY_ADMIN, False),
    Route("admin.letter_template", "/admin/templates/acknowledgement", ONLY_ADMIN, False),
    Route("admin.letter_template", "/admin/templates/acknowledgement", ONLY_ADMIN, False, "POST"),
    Route(
        "admin.revert_letter_template",
        "/admin/templates/acknowledgement/revert",
        ONLY_ADMIN,
        False,
        "POST",
    ),
)


def _path(route: Route, case: Case) -> str:
    return case.fill(route.path)


def _expected(route: Route, username: str) -> int | None:
    """403 for a role the route does not allow, 404 for a case the person may not see, None
    when the request is allowed."""
    role, sees_the_case = PEOPLE[username]
    hidden = route.of_a_case and not sees_the_case
    if hidden and not route.role_first:
        return NOT_FOUND
    if role not in route.roles:
        return REFUSED
    return NOT_FOUND if hidden else None


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in OUTSIDE and not rule.endpoint.startswith(OUTSIDE_BLUEPRINTS)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert routes == {(route.endpoint, route.method) for route in MATRIX}


@pytest.mark.parametrize("username", sorted(PEOPLE))
def test_each_person_reaches_exactly_the_routes_the_matrix_allows(
    staff: Context, app: Flask, case: Case, username: str
) -> None:
    person = Web(app.test_client())
    assert person.sign_in(username).status_code == 302
    expected = {route: _expected(route, username) for route in MATRIX}
    events = audit_count(staff)
    outcomes: dict[Route, int] = {}
    for route in MATRIX:
        if route.method == "GET":
            outcomes[route] = person.get(_path(route, case)).status_code
        elif expected[route] is not None:  # an empty form: refused before anything is read
            outcomes[route] = person.post(_path(route, case)).status_code
    for route, code in outcomes.items():
        if expected[route] is None:
            assert code < 400, (route, code)
        else:
            assert code == expected[route], (route, code)
    assert audit_count(staff) == events  # nothing changed, allowed or not


def test_a_case_out_of_reach_looks_exactly_like_a_case_that_does_not_exist(
    app: Flask, case: Case
) -> None:
    person = Web(app.test_client())
    person.sign_in("hwoff")
    hidden = person.get(f"/cases/{case.ref}")
    missing = person.get("/cases/CF-2026-999999")
    assert (hidden.status_code, hidden.text.replace(case.ref, "REF")) == (
        missing.status_code,
        missing.text.replace("CF-2026-999999", "REF"),
    )


def test_signed_out_every_route_leads_to_the_sign_in_page(app: Flask, case: Case) -> None:
    client = app.test_client()
    for route in MATRIX:
        if route.method == "GET":
            response = client.get(_path(route, case))
            assert response.status_code == 302, route
            assert response.headers["Location"].startswith("/sign-in"), route


# -- the JSON API: tokens act as a person and get exactly that person's reach ------------------

API_OUTSIDE = {"api.openapi"}  # the public description of the API


@dataclass(frozen=True)
class ApiCall:
    endpoint: str
    method: str
    path: str
    body: dict[str, object] | None
    roles: frozenset[str]
    of_a_case: bool


# Stands for the case's version as the call is made (a change says which version it changes).
NOW = object()
API_MATRIX = (
    ApiCall(
        "api.create_feedback",
        "POST",
        "/api/v1/feedback",
        {
            "procedure": "corporate",
            "feedback_type": "complaint",
            "summary": "The road is broken",
            "complainant_name": "Api Caller",
        },
        OFFICE,
        False,
    ),
    ApiCall("api.case_status", "GET", "/api/v1/cases/{ref}", None, EVERYONE, True),
    ApiCall(
        "api.changed_cases",
        "GET",
        "/api/v1/cases?changed_since=2000-01-01T00:00:00Z",
        None,
        EVERYONE,
        False,
    ),
    # A step every role may not take: the role is checked once the case is found.
    ApiCall(
        "api.fire",
        "POST",
        "/api/v1/cases/{ref}/triggers/hold",
        {"values": {"reason": "Awaiting the complainant's consent"}, "expected_version": NOW},
        OFFICE,
        True,
    ),
)


def test_every_api_route_is_in_the_matrix(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint not in API_OUTSIDE
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert routes == {(call.endpoint, call.method) for call in API_MATRIX}


@pytest.mark.parametrize("username", sorted(PEOPLE))
def test_a_token_reaches_exactly_what_its_person_may(
    staff: Context, app: Flask, case: Case, username: str
) -> None:
    token = add_token(staff, f"as-{username}", SCOPES, acts_as=username, by="admin")
    client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    role, sees_the_case = PEOPLE[username]
    for call in API_MATRIX:
        events = audit_count(staff)
        path = case.fill(call.path)
        body = call.body and {
            name: version_of(staff, case.ref) if value is NOW else value
            for name, value in call.body.items()
        }
        response = (
            client.get(path, headers=headers)
            if call.method == "GET"
            else client.post(path, json=body, headers=headers)
        )
        if call.of_a_case and not sees_the_case:
            assert response.status_code == NOT_FOUND, (call.endpoint, response.json)
            assert (response.json or {})[
                "detail"
            ] == f"there is no case with reference '{case.ref}'"
        elif role not in call.roles:
            assert response.status_code == REFUSED, (call.endpoint, response.json)
        else:
            assert response.status_code in (200, 201), (call.endpoint, response.json)
            continue
        assert audit_count(staff) == events, call.endpoint
    listed = client.get(
        "/api/v1/cases?changed_since=2000-01-01T00:00:00Z&limit=500", headers=headers
    ).json
    references = {item["reference"] for item in (listed or {})["cases"]}
    assert (case.ref in references) is sees_the_case
