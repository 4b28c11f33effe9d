"""Who may see a case, decided by the services for every caller: every service that reads or
changes one case refuses a person outside its reach exactly as it refuses a reference that does
not exist, and changes nothing; the services over many cases leave such a case out. The tables
below are the specification: a public service added without a line here fails
`test_every_service_is_in_the_matrix`.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date
from types import ModuleType

import pytest

import complaints.services
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import CaseNotFoundError
from complaints.models import Role
from complaints.services.access import Reach
from complaints.services.case_file import case_file, letter_document
from complaints.services.cases import fire_trigger, show_case
from complaints.services.followup import (
    add_action,
    complete_action,
    open_actions,
    record_cost,
    record_lesson,
)
from complaints.services.letter_fit import fitting_letters
from complaints.services.letters import (
    approve_letter,
    discard_letter,
    draft_letter,
    letter_pdf,
    list_letters,
    preview_letter,
    preview_letter_pdf,
    preview_revision,
    record_sent_outside,
    return_letter,
    revise_letter,
    send_letter,
    show_letter,
    submit_letter,
)
from complaints.services.lgsco import (
    close_lgsco_enquiry,
    lgsco_records,
    record_lgsco_compliance,
    record_lgsco_decision,
    record_lgsco_response,
)
from complaints.services.online import OnlineFeedback, submit_online
from complaints.services.people import add_user, find_user
from complaints.services.points import add_complaint_point, add_remedy, record_finding
from complaints.services.triage import reallocate, triage_case
from tests.support import audit_count, matrix_case, version_of

MISSING = "CF-2026-999999"
ENQUIRY = "LG-26-001"
# Where the services live, and the public functions among them that take a case's reference.
MODULES = (
    "complaints.dashboard",
    "complaints.reports.service",
    "complaints.queue",
    "complaints.exchange.exporting",
    "complaints.alerts.queries",
)
# A call of a service on one case, as a person: given the context, the reference and who.
OneCase = Callable[[Context, str, str], object]

# Each service of one case, and the person it is tried as: someone whose role could do it on a
# case of their own team (a Highways officer or manager), so only the case's reach refuses them.
ONE_CASE: dict[str, tuple[str, OneCase]] = {
    "case_file": ("hwoff", lambda c, r, by: case_file(c, r, _user(c, by))),
    "letter_document": ("hwoff", lambda c, r, by: letter_document(c, r, 1, _user(c, by))),
    "show_case": ("hwoff", lambda c, r, by: show_case(c, r, by=by)),
    "fire_trigger": (
        "hwoff",
        lambda c, r, by: fire_trigger(
            c, r, "acknowledge", by=by, expected_version=version_of(c, r)
        ),
    ),
    "changing_case": ("hwoff", lambda c, r, by: show_case(c, r, by=by)),
    "add_action": (
        "hwoff",
        lambda c, r, by: add_action(
            c,
            r,
            "Ring back",
            by=by,
            owner=by,
            due_on=date(2026, 12, 1),
            expected_version=version_of(c, r),
        ),
    ),
    "complete_action": (
        "hwoff",
        lambda c, r, by: complete_action(
            c, r, 1, by=by, evidence="ok", expected_version=version_of(c, r)
        ),
    ),
    "open_actions": ("hwoff", lambda c, r, by: open_actions(c, r, by=by)),
    "record_cost": (
        "hwmgr",
        lambda c, r, by: record_cost(
            c,
            r,
            "independent_person",
            "100",
            by=by,
            incurred_on=date(2026, 11, 20),
            expected_version=version_of(c, r),
        ),
    ),
    "record_lesson": (
        "hwmgr",
        lambda c, r, by: record_lesson(c, r, "Call back", by=by, expected_version=version_of(c, r)),
    ),
    "draft_letter": (
        "hwoff",
        lambda c, r, by: draft_letter(
            c, r, "acknowledgement", by=by, expected_version=version_of(c, r)
        ),
    ),
    "preview_letter": ("hwoff", lambda c, r, by: preview_letter(c, r, "acknowledgement", by=by)),
    "preview_letter_pdf": (
        "hwoff",
        lambda c, r, by: preview_letter_pdf(c, r, "acknowledgement", by=by),
    ),
    "list_letters": ("hwoff", lambda c, r, by: list_letters(c, r, by=by)),
    "fitting_letters": ("hwoff", lambda c, r, by: fitting_letters(c, r, by=by)),
    "letter_pdf": ("hwoff", lambda c, r, by: letter_pdf(c, r, 1, by=by)),
    "submit_letter": (
        "hwoff",
        lambda c, r, by: submit_letter(c, r, 1, by=by, expected_version=version_of(c, r)),
    ),
    "approve_letter": (
        "hwmgr",
        lambda c, r, by: approve_letter(c, r, 1, by=by, expected_version=version_of(c, r)),
    ),
    "return_letter": (
        "hwmgr",
        lambda c, r, by: return_letter(
            c, r, 1, by=by, comments="No", expected_version=version_of(c, r)
        ),
    ),
    "send_letter": (
        "hwoff",
        lambda c, r, by: send_letter(c, r, 1, by=by, expected_version=version_of(c, r)),
    ),
    "revise_letter": (
        "hwoff",
        lambda c, r, by: revise_letter(c, r, 1, {"opening": "Hello"}, by=by, expected_revision=1),
    ),
    "discard_letter": (
        "hwoff",
        lambda c, r, by: discard_letter(
            c, r, 1, by=by, reason="Not needed", expected_version=version_of(c, r)
        ),
    ),
    "show_letter": ("hwoff", lambda c, r, by: show_letter(c, r, 1, by=by)),
    "preview_revision": ("hwoff", lambda c, r, by: preview_revision(c, r, 1, {}, by=by)),
    "record_sent_outside": (
        "hwmgr",
        lambda c, r, by: record_sent_outside(
            c,
            r,
            "send_response",
            by=by,
            reason="By hand",
            copy=b"%PDF-1.4 copy",
            expected_version=version_of(c, r),
        ),
    ),
    "lgsco_records": ("hwoff", lambda c, r, by: lgsco_records(c, r, by=by)),
    "record_lgsco_response": (
        "hwoff",
        lambda c, r, by: record_lgsco_response(
            c, r, ENQUIRY, by=by, expected_version=version_of(c, r)
        ),
    ),
    "record_lgsco_decision": (
        "hwoff",
        lambda c, r, by: record_lgsco_decision(
            c, r, ENQUIRY, "not_upheld", by=by, expected_version=version_of(c, r)
        ),
    ),
    "record_lgsco_compliance": (
        "hwoff",
        lambda c, r, by: record_lgsco_compliance(
            c, r, ENQUIRY, by=by, evidence="Paid", expected_version=version_of(c, r)
        ),
    ),
    "close_lgsco_enquiry": (
        "hwoff",
        lambda c, r, by: close_lgsco_enquiry(
            c, r, ENQUIRY, by=by, expected_version=version_of(c, r)
        ),
    ),
    "add_complaint_point": (
        "hwoff",
        lambda c, r, by: add_complaint_point(
            c, r, "More", by=by, expected_version=version_of(c, r)
        ),
    ),
    "add_remedy": (
        "hwoff",
        lambda c, r, by: add_remedy(c, r, "apology", by=by, expected_version=version_of(c, r)),
    ),
    "record_finding": (
        "hwoff",
        lambda c, r, by: record_finding(
            c, r, 1, "upheld", by=by, expected_version=version_of(c, r)
        ),
    ),
    "reallocate": (
        "hwoff",
        lambda c, r, by: reallocate(
            c,
            r,
            by=by,
            reason="Wrong",
            procedure="adult_social_care",
            expected_version=version_of(c, r),
        ),
    ),
    "triage_case": (
        "hwoff",
        lambda c, r, by: triage_case(
            c, r, by=by, team="Highways", expected_version=version_of(c, r)
        ),
    ),
}
# Public services that take no case reference: they read many cases (each checked below, or in
# the web and API matrices), act on the staff and lists, or run inside a change already under
# way on a case found within reach (they take the session and the case).
MANY_CASES = {
    "list_cases",
    "manager_dashboard",
    "work_for",
    "alert_summary",
    "alerts_for",
    "cases_changed_since",
    "build_report",
    "report_scope",
    "report_title",
    "work_queue",
    "queue_for",  # checked in tests/cli/test_cli.py
    "alerts_seen_by",
    "count_open_steps",
    "export_rows",  # every case, for an administrator only: tests/exchange/test_export.py
    "export_json",
    "recent_messages",
    "confirm_reply",  # an e-mail onto the case it quotes: both found within reach
    "subject_access",
    "run_retention",
}
NOT_ABOUT_A_CASE = {
    "log_feedback",
    "submit_online",
    "fetch_mail",
    "take_in_message",
    "resume_expired_holds",
    "apply_calendar_change",
    "recomputed_due_on",
    "in_time",
}


def _user(ctx: Context, username: str) -> object:
    with ctx.database.reader() as session:
        return find_user(session, username)


def _public_services() -> dict[str, list[str]]:
    """Every public function of the service modules: its name and parameters."""
    package = complaints.services
    modules: list[ModuleType] = [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]
    modules += [importlib.import_module(name) for name in MODULES]
    return {
        name: list(inspect.signature(function).parameters)
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }


def test_every_service_is_in_the_matrix() -> None:
    services = _public_services()
    of_one_case = {name for name, params in services.items() if "reference" in params}
    of_one_case -= {"find_case", "note_refusal"}  # the rule itself
    assert of_one_case == set(ONE_CASE)
    unlisted = {
        name
        for name, params in services.items()
        if "reference" not in params
        and "session" not in params  # runs inside a change on a case already found within reach
        and ("by" in params or "viewer" in params or "user" in params or "owner" in params)
        and name not in MANY_CASES | NOT_ABOUT_A_CASE
    }
    # Staff, lists, tokens and templates: services about no case.
    assert unlisted <= {
        "add_category",
        "change_account",
        "set_list_entry_active",
        "set_password",
        "add_token",
        "revoke_token",
        "revert_template",
        "set_template",
        "import_cases",
        "start_session",
    }, unlisted


@pytest.fixture
def case_of_customer_service(council: Context, clock: SettableClock) -> str:
    """The authorisation matrix's case of Customer Service, with a point, an action (1), a
    letter (1) and an Ombudsman enquiry; a Highways officer and manager may not see it."""
    return matrix_case(council, clock).ref


@pytest.fixture
def staff(council: Context) -> Context:
    return council


@pytest.mark.parametrize("service", sorted(ONE_CASE))
def test_a_case_out_of_reach_is_refused_exactly_like_one_that_does_not_exist(
    staff: Context, case_of_customer_service: str, service: str
) -> None:
    reference = case_of_customer_service
    who, call = ONE_CASE[service]
    before, events = show_case(staff, reference, by="admin"), audit_count(staff)
    with pytest.raises(CaseNotFoundError) as hidden:
        call(staff, reference, who)
    with pytest.raises(CaseNotFoundError) as missing:
        call(staff, MISSING, who)
    assert str(hidden.value).replace(reference, "REF") == str(missing.value).replace(MISSING, "REF")
    assert show_case(staff, reference, by="admin") == before
    assert audit_count(staff) == events


def test_feedback_from_the_public_form_is_seen_by_the_complaints_office_only(
    staff: Context,
) -> None:
    """A child's complaint made online has no team until it is triaged: the complaints office
    sees it; an officer of another team (Waste and Recycling) does not."""
    add_user(staff, "waste", role="officer", full_name="Wes Waste", team="Waste and Recycling")
    reference = submit_online(
        staff,
        OnlineFeedback(
            feedback_type="complaint",
            subject="children",
            what_happened="My son's social worker has not visited for two months",
            outcome_wanted="Regular visits",
            name="Sam Parent",
            email="",
            phone="01234 567890",
            address="",
            on_behalf_of_child=True,
            child_name="Leo",
            consent=True,
            accessibility="",
        ),
    )
    assert show_case(staff, reference, by="off").reference == reference  # the complaints office
    with pytest.raises(CaseNotFoundError):
        show_case(staff, reference, by="waste")


def test_people_who_see_the_same_cases_share_a_scope_and_no_one_else_does() -> None:
    """The dashboard keeps its timeliness figure per scope: one person's must never be shown
    to someone who sees other cases."""
    admin = Reach(user_id=1, role=Role.ADMIN, team_id=None, council_wide=True)
    office = Reach(user_id=2, role=Role.OFFICER, team_id=3, council_wide=True)
    manager, manager2 = (Reach(n, Role.MANAGER, 4, council_wide=False) for n in (5, 6))
    officer, officer2 = (Reach(n, Role.OFFICER, 4, council_wide=False) for n in (7, 8))
    qa = Reach(user_id=9, role=Role.QA_PRACTITIONER, team_id=4, council_wide=False)
    assert admin.scope == office.scope
    assert manager.scope == manager2.scope
    scopes = [admin.scope, manager.scope, officer.scope, officer2.scope, qa.scope]
    assert len(set(scopes)) == len(scopes)
