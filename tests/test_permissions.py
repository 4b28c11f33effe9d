"""The permissions table: every permission for every role answers as docs/access.md says, a
refusal says who may, the workflows' role groups are read from the table, and the rules that
look at people (four eyes, a different handler at stage 2) refuse exactly the same person."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.errors import AccessDeniedError, DomainError
from complaints.models import Role, User
from complaints.permissions import (
    GRANTS,
    Permission,
    different_handler,
    may,
    require,
    require_named,
    roles_that_may,
    second_pair_of_eyes,
)
from workflows import WORKFLOWS, common

ACCESS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "access.md"
COLUMNS = {
    "complaints officer": Role.OFFICER,
    "QA practitioner": Role.QA_PRACTITIONER,
    "manager": Role.MANAGER,
    "administrator": Role.ADMIN,
}
ANSWERS = {"yes": True, "no": False}


def documented_table() -> dict[str, dict[Role, bool]]:
    """The table under "Who may do what" in docs/access.md: for each row's words, each role's
    yes or no."""
    section = ACCESS_PAGE.read_text(encoding="utf-8").split("## Who may do what", 1)[1]
    lines = [line for line in section.split("\n## ", 1)[0].splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    roles = [COLUMNS[name] for name in header[1:]]
    table = {}
    for line in lines[2:]:
        what, *answers = (cell.strip() for cell in line.strip("|").split("|"))
        table[what] = {role: ANSWERS[answer] for role, answer in zip(roles, answers, strict=True)}
    return table


def person(role: Role, user_id: int = 1) -> User:
    return User(id=user_id, username=f"person{user_id}", full_name="A Person", role=role)


def test_the_documented_table_has_every_permission_once_and_nothing_else() -> None:
    assert sorted(documented_table()) == sorted(grant.doing for grant in GRANTS.values())
    assert set(GRANTS) == set(Permission)


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("role", list(Role))
def test_each_permission_for_each_role_answers_as_the_docs_say(
    permission: Permission, role: Role
) -> None:
    documented = documented_table()[GRANTS[permission].doing][role]
    assert may(role, permission) is documented
    assert may(role.value, permission) is documented
    assert may(person(role), permission) is documented
    assert (role.value in roles_that_may(permission)) is documented


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("role", list(Role))
def test_require_refuses_exactly_the_roles_the_table_leaves_out_saying_who_may(
    permission: Permission, role: Role
) -> None:
    if may(role, permission):
        require(person(role), permission)
        return
    with pytest.raises(AccessDeniedError) as refused:
        require(person(role), permission)
    message = str(refused.value)
    assert message.startswith(f"{'an' if role.value[0] in 'aeiou' else 'a'} ")
    assert f"cannot {GRANTS[permission].doing}; " in message
    for allowed in GRANTS[permission].roles:
        assert allowed.replace("_", " ") in message.split("; ", 1)[1]


def test_a_refusal_names_what_was_tried_and_everyone_who_may() -> None:
    with pytest.raises(AccessDeniedError) as refused:
        require(person(Role.QA_PRACTITIONER), Permission.TRIAGE)
    assert str(refused.value) == (
        "a qa practitioner cannot triage or reallocate cases; an officer, a manager or an admin can"
    )
    with pytest.raises(AccessDeniedError, match=r"^an officer cannot approve letters; a manager"):
        require(person(Role.OFFICER), Permission.SIGN_OFF, "approve letters")


def test_a_person_named_for_work_their_role_does_not_do_is_refused_by_name() -> None:
    require_named(person(Role.QA_PRACTITIONER), Permission.INVESTIGATE)
    with pytest.raises(DomainError, match=r"^person1 is an admin and cannot investigate$"):
        require_named(person(Role.ADMIN), Permission.INVESTIGATE, "investigate")


def test_the_workflows_role_groups_are_read_from_the_table() -> None:
    assert roles_that_may(Permission.TAKE_STEPS) == common.OFFICE
    assert roles_that_may(Permission.WORK_A_CASE) == common.CASEWORK
    assert roles_that_may(Permission.SIGN_OFF) == common.SIGN_OFF
    groups = {common.OFFICE, common.CASEWORK, common.SIGN_OFF}
    for workflow in WORKFLOWS.values():
        for transition in workflow.transitions:
            assert transition.roles in groups, (workflow.name, transition.trigger)


def test_the_extension_steps_take_the_roles_the_table_gives_extending() -> None:
    """The workflows' extension steps use the sign-off group; if the table ever gives
    extending to other roles, they must get a group of their own."""
    extensions = [
        transition
        for workflow in WORKFLOWS.values()
        for transition in workflow.transitions
        if transition.trigger == "extend"
    ]
    assert extensions
    assert {transition.roles for transition in extensions} == {roles_that_may(Permission.EXTEND)}


PEOPLE = st.one_of(st.none(), st.integers(min_value=1, max_value=6))


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (second_pair_of_eyes, "cannot also sign it off"),
        (different_handler, "cannot also handle it at stage 2"),
    ],
)
@given(person_id=PEOPLE, earlier=st.lists(PEOPLE, max_size=3))
def test_a_rule_about_people_refuses_exactly_the_people_already_involved(
    rule: Callable[[int | None, list[int | None]], str | None],
    words: str,
    person_id: int | None,
    earlier: list[int | None],
) -> None:
    """Four eyes refuses whoever wrote or put forward a response; a different handler refuses
    whoever handled stage 1."""
    refusal = rule(person_id, earlier)
    assert (refusal is not None) == (person_id is not None and person_id in earlier)
    assert refusal is None or words in refusal


def test_four_eyes_names_people_by_username_as_well_as_by_id() -> None:
    assert second_pair_of_eyes("cmanager", ("officer.patel", "cmanager")) is not None
    assert second_pair_of_eyes("cmanager", ("officer.patel", None)) is None


def test_the_table_names_only_roles_there_are_and_an_unknown_one_may_do_nothing() -> None:
    assert {role for grant in GRANTS.values() for role in grant.roles} <= set(Role)
    assert not any(may("superuser", permission) for permission in Permission)


# --- the web asks the table; it never compares role names itself ---

ROOT = Path(__file__).resolve().parents[1]
ROLE_NAME = r"""['"](?:officer|qa_practitioner|manager|admin)['"]"""
# A role compared (role == 'admin', role is ...), looked up in a set of roles (user.role in
# ROLES, in roles, in ('manager', 'admin')), a role's name compared with something, or a role
# named in code other than the words shown for it.
ROLE_RULE = re.compile(
    r"""\brole(?:\.value)?\s*(?:==|!=|\bis\b)"""
    r"""|\brole(?:\.value)?\s+(?:not\s+)?in\s+(?:[([{]|[A-Z_]{2,}\b|\w*roles\b)"""
    rf"""|(?:==|!=|\bin\b)\s*[([{{]?\s*{ROLE_NAME}"""
    r"""|\bRole\.(?:OFFICER|QA_PRACTITIONER|MANAGER|ADMIN)\b(?!\.value:)"""
)


def role_rules(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if ROLE_RULE.search(line)]


@pytest.mark.parametrize(
    "line",
    [
        "{% if current_user.role in ('officer', 'manager', 'admin') %}",
        "{% if current_user.role == 'admin' %}",
        '        can_sign_off=me.role.value in ("manager", "admin")',
        '        return tuple(m for m in self.staff if m.role != "admin")',
        "    administrator = staff().role in ADMIN",
        "            {% if current_user.role in roles %}",
        "SIGN_OFF = (Role.MANAGER.value, Role.ADMIN.value)",
        "    if user.role is Role.ADMIN:",
    ],
)
def test_the_check_finds_a_rule_written_from_role_names(line: str) -> None:
    assert role_rules(line) == [line.strip()]


@pytest.mark.parametrize(
    "line",
    [
        "<td>{{ role_names[member.role] }}</td>",
        "ROLES = tuple(role.value for role in Role)",
        '    Role.OFFICER.value: "Complaints officer",',
        '<a href="/cases/new" role="button" class="govuk-button">',
        "{% if case.can_triage %}",
        "        if person.username in present and person.role.value not in seen:",
        "            {% for endpoint, text, roles in navigation %}",
    ],
)
def test_the_check_lets_a_role_be_shown_or_listed(line: str) -> None:
    assert role_rules(line) == []


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "web" / "templates").rglob("*.html"), *(ROOT / "web").glob("*.py")]),
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_no_page_or_web_module_decides_from_a_role_name(path: Path) -> None:
    """Templates get can_... flags from the read models and views ask complaints.permissions;
    showing a person's role as words is fine."""
    assert role_rules(path.read_text(encoding="utf-8")) == []
