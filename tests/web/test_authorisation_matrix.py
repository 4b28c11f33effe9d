"""The authorisation matrix: every route of the staff web front end, for each role, on a case of
the person's own team and on one of another team. Allowed requests are never refused with 403;
every other one is, and nothing changes. The table below is the specification: a route added to
the app without a line here fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from complaints.context import Context
from tests.support import audit_count
from tests.web.conftest import Case, Web

OFFICER, QA, MANAGER, ADMIN = "officer", "qa_practitioner", "manager", "admin"
EVERYONE = frozenset({OFFICER, QA, MANAGER, ADMIN})
OFFICE = frozenset({OFFICER, MANAGER, ADMIN})
SIGN_OFF = frozenset({MANAGER, ADMIN})
ONLY_ADMIN = frozenset({ADMIN})
# Who each person is, and whether the matrix's case is one of their own team's (or allocated).
PEOPLE = {
    "off": (OFFICER, True),  # Customer Service, the case's team
    "hwoff": (OFFICER, False),  # Highways
    "qa": (QA, True),  # the case is allocated to them
    "qa2": (QA, False),  # not allocated
    "csmgr": (MANAGER, True),  # manages Customer Service
    "hwmgr": (MANAGER, False),  # manages Highways
    "admin": (ADMIN, True),
}
# Routes outside the staff matrix: signing in, public pages, the token API, assets, health.
OUTSIDE = {"static", "govuk_assets", "auth.login", "auth.logout", "health.health"}
OUTSIDE_BLUEPRINTS = ("api.", "public.")


@dataclass(frozen=True)
class Route:
    endpoint: str
    path: str  # {ref}, {letter}, {action}, {lgsco} filled in from the case
    roles: frozenset[str]
    of_a_case: bool
    method: str = "GET"


MATRIX = (
    Route("dashboard.home", "/", EVERYONE, False),
    Route("dashboard.my_work", "/my-work", EVERYONE, False),
    Route("dashboard.manager", "/dashboard", SIGN_OFF, False),
    Route("dashboard.alerts", "/alerts", EVERYONE, False),
    Route("cases.index", "/cases", EVERYONE, False),
    Route("cases.new", "/cases/new", OFFICE, False),
    Route("cases.new", "/cases/new", OFFICE, False, "POST"),
    Route("cases.show", "/cases/{ref}", EVERYONE, True),
    Route("cases.step", "/cases/{ref}/steps/escalate_to_lgsco", OFFICE, True),
    Route("cases.step", "/cases/{ref}/steps/escalate_to_lgsco", OFFICE, True, "POST"),
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
    Route("letters.new", "/cases/{ref}/letters/new", EVERYONE, True),
    Route("letters.new", "/cases/{ref}/letters/new", EVERYONE, True, "POST"),
    Route("letters.preview", "/cases/{ref}/letters/preview/acknowledgement", EVERYONE, True),
    Route("letters.show", "/cases/{ref}/letters/{letter}", EVERYONE, True),
    Route("letters.document", "/cases/{ref}/letters/{letter}/document", EVERYONE, True),
    Route("letters.move", "/cases/{ref}/letters/{letter}/submit", EVERYONE, True, "POST"),
    Route("workflows.index", "/workflows", EVERYONE, False),
    Route("workflows.show", "/workflows/corporate", EVERYONE, False),
    Route("reports.index", "/reports", SIGN_OFF, False),
    Route("reports.download", "/reports/download/csv", SIGN_OFF, False),
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


def _allowed(route: Route, username: str) -> bool:
    role, own = PEOPLE[username]
    return role in route.roles and (own or not route.of_a_case)


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
    refused = {route: 403 for route in MATRIX if not _allowed(route, username)}
    events = audit_count(staff)
    outcomes: dict[Route, int] = {}
    for route in MATRIX:
        if route.method == "GET":
            outcomes[route] = person.get(_path(route, case)).status_code
        elif route in refused:  # an empty form: refused before anything is read
            outcomes[route] = person.post(_path(route, case)).status_code
    assert {route: code for route, code in outcomes.items() if code == 403} == refused
    assert audit_count(staff) == events  # nothing changed, allowed or not


def test_signed_out_every_route_leads_to_the_sign_in_page(app: Flask, case: Case) -> None:
    client = app.test_client()
    for route in MATRIX:
        if route.method == "GET":
            response = client.get(_path(route, case))
            assert response.status_code == 302, route
            assert response.headers["Location"].startswith("/sign-in"), route
