"""The authorisation matrix: every route of the staff web front end, for each role, on a case of
the person's own team and on one of another team. Allowed requests are never refused with 403;
every other one is, and nothing changes. The table below is the specification: a route added to
the app without a line here fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.accounts import set_password
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback
from complaints.services.followup import add_action
from complaints.services.letters import draft_letter
from complaints.services.people import add_user
from complaints.services.points import add_complaint_point
from tests.support import audit_count
from tests.web.conftest import PASSWORD, Web

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
    Route("admin.add_entry", "/admin/lists/teams", ONLY_ADMIN, False, "POST"),
    Route("admin.toggle_entry", "/admin/lists/teams/1/withdraw", ONLY_ADMIN, False, "POST"),
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


@dataclass(frozen=True)
class Case:
    ref: str
    letter: int
    action: int
    lgsco: str


@pytest.fixture
def case(staff: Context, clock: SettableClock) -> Case:
    """A corporate complaint of Customer Service at stage 1, allocated to 'qa', with a point, an
    action, a draft letter and an Ombudsman enquiry; and the people of the matrix."""
    add_user(staff, "hwoff", role="officer", full_name="Hal Highways", team="Highways")
    add_user(staff, "qa2", role="qa_practitioner", full_name="Quentin Other")
    add_user(staff, "csmgr", role="manager", full_name="Cass Manager", team="Customer Service")
    add_user(staff, "hwmgr", role="manager", full_name="Hugh Manager", team="Highways")
    for username in ("hwoff", "qa2", "csmgr", "hwmgr"):
        set_password(staff, username, PASSWORD, by="admin")
    clock.set(date(2026, 11, 16))
    reference = log_feedback(
        staff,
        NewFeedback(
            procedure="corporate",
            feedback_type="complaint",
            received_on=date(2026, 11, 16),
            summary="The bins were missed",
            complainant_name="Ava Smith",
            complainant_email="ava@example.org",
            team="Customer Service",
        ),
        by="off",
    ).reference
    fire_trigger(staff, reference, "acknowledge", by="off")
    fire_trigger(staff, reference, "allocate", by="off", values={"officer": "qa"})
    add_complaint_point(staff, reference, "Bins missed twice", by="qa")
    add_action(staff, reference, "Check the round", by="off", owner="off", due_on=date(2026, 12, 1))
    letter = draft_letter(staff, reference, "acknowledgement", by="off")
    fire_trigger(
        staff,
        reference,
        "escalate_to_lgsco",
        by="off",
        values={"ombudsman_reference": "LG-26-001"},
    )
    return Case(ref=reference, letter=letter.id, action=1, lgsco="LG-26-001")


def _path(route: Route, case: Case) -> str:
    return route.path.format(ref=case.ref, letter=case.letter, action=case.action, lgsco=case.lgsco)


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
