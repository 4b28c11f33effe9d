"""What the read models tell the pages a person may do (the can_... flags), each asked of the
permissions table, and the people the services refuse to name for work their role does not do."""

from __future__ import annotations

import pytest

from complaints.context import Context
from complaints.errors import DomainError
from complaints.services.accounts import list_staff
from complaints.services.case_file import CaseFile, case_file
from complaints.services.cases import fire_trigger
from complaints.services.letters import draft_letter, submit_letter
from complaints.services.listing import CaseFilters, list_cases
from complaints.services.people import find_user
from complaints.services.points import add_complaint_point
from tests.support import audit_count, version_of

EVERYONE = ("off", "qa", "mgr", "admin")


def file_for(ctx: Context, reference: str, username: str) -> CaseFile:
    with ctx.database.reader() as session:
        viewer = find_user(session, username)
    return case_file(ctx, reference, viewer)


def test_the_case_file_says_who_may_triage_an_open_case_and_record_a_response_sent_outside(
    council: Context, found: str
) -> None:
    files = {username: file_for(council, found, username) for username in EVERYONE}
    assert {name for name, file in files.items() if file.can_triage} == {"off", "mgr", "admin"}
    assert {name for name, file in files.items() if file.can_record_sent_outside} == {
        "mgr",
        "admin",
    }
    fire_trigger(
        council,
        found,
        "withdraw",
        by="off",
        values={"reason": "Resolved"},
        expected_version=version_of(council, found),
    )
    assert not any(file_for(council, found, name).can_triage for name in EVERYONE)


def test_the_case_file_lists_the_letters_each_person_may_sign_off(
    council: Context, found: str
) -> None:
    by_qa = draft_letter(
        council, found, "stage1_response", by="qa", expected_version=version_of(council, found)
    )
    submit_letter(council, found, by_qa.id, by="qa", expected_version=version_of(council, found))
    put_forward_by_mgr = draft_letter(
        council, found, "stage1_response", by="qa", expected_version=version_of(council, found)
    )
    submit_letter(
        council, found, put_forward_by_mgr.id, by="mgr", expected_version=version_of(council, found)
    )
    not_forward = draft_letter(
        council, found, "stage1_response", by="qa", expected_version=version_of(council, found)
    )
    signable = {name: file_for(council, found, name).letters_to_sign_off for name in EVERYONE}
    assert signable == {
        "off": frozenset(),
        "qa": frozenset(),
        "mgr": frozenset({by_qa.id}),  # four eyes: not the one they put forward
        "admin": frozenset({by_qa.id, put_forward_by_mgr.id}),
    }
    assert not_forward.id not in signable["admin"]


def test_the_case_list_says_who_may_log_feedback(council: Context) -> None:
    def may_log(username: str) -> bool:
        with council.database.reader() as session:
            viewer = find_user(session, username)
        return list_cases(council, viewer, CaseFilters()).can_log_feedback

    assert {name for name in EVERYONE if may_log(name)} == {"off", "mgr", "admin"}


def test_the_staff_list_says_who_may_investigate_and_who_may_agree_an_extension(
    council: Context,
) -> None:
    staff = {member.username: member for member in list_staff(council)}
    assert {name for name in EVERYONE if staff[name].can_investigate} == {"off", "qa", "mgr"}
    assert {name for name in EVERYONE if staff[name].can_agree_extensions} == {"mgr", "admin"}


def test_an_administrator_is_not_allocated_a_case_to_investigate(
    council: Context, found: str
) -> None:
    events = audit_count(council)
    with pytest.raises(DomainError, match=r"^admin is an admin and cannot investigate$"):
        fire_trigger(
            council,
            found,
            "allocate",
            by="off",
            values={"officer": "admin"},
            expected_version=version_of(council, found),
        )
    assert audit_count(council) == events
    assert fire_trigger(
        council,
        found,
        "allocate",
        by="off",
        values={"officer": "mgr"},
        expected_version=version_of(council, found),
    )


def test_an_administrator_is_not_named_to_investigate_a_complaint_point(
    council: Context, found: str
) -> None:
    events = audit_count(council)
    with pytest.raises(DomainError, match=r"^admin is an admin and cannot investigate$"):
        add_complaint_point(
            council,
            found,
            "Another matter",
            by="off",
            officer="admin",
            expected_version=version_of(council, found),
        )
    assert audit_count(council) == events
