"""Who may do what: the one table of permissions by role, and the rules a role alone does not
settle.

The table (`GRANTS`) says, for each thing a person may do, which roles may do it; the service
layer refuses the rest with `require`, the web's route guards and the pages' `can_...` flags ask
`may`, and the workflows' role groups (`workflows/common.py`) are read from it. docs/access.md
prints the table, and a test keeps the two the same.

Two rules look at people as well as roles:
- four eyes (`second_pair_of_eyes`): a response is signed off by someone other than whoever
  wrote it or put it forward for sign-off, on every path (the letter screens, the case's
  workflow step, the command line and the API all ask this one rule);
- a different handler (`different_handler`): stage 2 is handled by someone other than whoever
  handled stage 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from complaints.errors import AccessDeniedError, DomainError

if TYPE_CHECKING:
    from complaints.models import User


class Permission(StrEnum):
    """Something a member of staff may do, if their role allows it."""

    LOG_FEEDBACK = "log_feedback"
    TRIAGE = "triage"
    TAKE_STEPS = "take_steps"
    WORK_A_CASE = "work_a_case"
    INVESTIGATE = "investigate"
    SIGN_OFF = "sign_off"
    EXTEND = "extend"
    RECORD_SENT_OUTSIDE = "record_sent_outside"
    DEAL_WITH_OMBUDSMAN = "deal_with_ombudsman"
    SEE_DASHBOARD = "see_dashboard"
    SEE_REPORTS = "see_reports"
    MANAGE_ACCOUNTS = "manage_accounts"
    CHANGE_LETTER_WORDING = "change_letter_wording"
    GIVE_API_ACCESS = "give_api_access"
    IMPORT_CASES = "import_cases"
    EXPORT_CASES = "export_cases"
    RUN_RETENTION = "run_retention"
    ANSWER_SUBJECT_ACCESS = "answer_subject_access"
    SEE_SCHEDULER = "see_scheduler"


@dataclass(frozen=True)
class Grant:
    """What a permission lets a person do, in words ("triage or reallocate cases"), and the
    roles it is given to, in the order the roles are listed."""

    doing: str
    roles: tuple[str, ...]


# The values of complaints.models.Role, named here so that the workflows, which read their role
# groups from this table, load without the database layer; a test checks the two agree.
OFFICER, QA, MANAGER, ADMIN = "officer", "qa_practitioner", "manager", "admin"


def _grant(doing: str, *roles: str) -> Grant:
    return Grant(doing, roles)


GRANTS: Mapping[Permission, Grant] = MappingProxyType(
    {
        Permission.LOG_FEEDBACK: _grant(
            "log feedback, and take in feedback and replies that arrive by e-mail",
            OFFICER,
            MANAGER,
            ADMIN,
        ),
        Permission.TRIAGE: _grant("triage or reallocate cases", OFFICER, MANAGER, ADMIN),
        Permission.TAKE_STEPS: _grant(
            "take a case's procedural steps: acknowledge, allocate, send a response, escalate, "
            "hold, resume, close",
            OFFICER,
            MANAGER,
            ADMIN,
        ),
        Permission.WORK_A_CASE: _grant(
            "work on a case: complaint points, findings, remedies, actions, costs, lessons, "
            "letters, contact with the complainant, drafts put forward, withdrawal",
            OFFICER,
            QA,
            MANAGER,
            ADMIN,
        ),
        Permission.INVESTIGATE: _grant(
            "be allocated a case or a complaint point to investigate", OFFICER, QA, MANAGER
        ),
        Permission.SIGN_OFF: _grant(
            "sign off or return responses, adjudicate, respond to a review panel", MANAGER, ADMIN
        ),
        Permission.EXTEND: _grant(
            "extend a response deadline, or agree that the stage 1 clock restarts for a new "
            "complaint point",
            MANAGER,
            ADMIN,
        ),
        Permission.RECORD_SENT_OUTSIDE: _grant(
            "record a response sent outside the product", MANAGER, ADMIN
        ),
        Permission.DEAL_WITH_OMBUDSMAN: _grant(
            "record the council's response to an Ombudsman enquiry, its decision, compliance "
            "with its remedy, and close it",
            OFFICER,
            MANAGER,
            ADMIN,
        ),
        Permission.SEE_DASHBOARD: _grant("see the manager's dashboard", MANAGER, ADMIN),
        Permission.SEE_REPORTS: _grant("see the complaints reports", MANAGER, ADMIN),
        Permission.MANAGE_ACCOUNTS: _grant("look after accounts, teams or categories", ADMIN),
        Permission.CHANGE_LETTER_WORDING: _grant("change the wording of letters", ADMIN),
        Permission.GIVE_API_ACCESS: _grant(
            "give an integration access to the API, or revoke it", ADMIN
        ),
        Permission.IMPORT_CASES: _grant("import cases", ADMIN),
        Permission.EXPORT_CASES: _grant("export every case", ADMIN),
        Permission.RUN_RETENTION: _grant("run the retention policy", ADMIN),
        Permission.ANSWER_SUBJECT_ACCESS: _grant("answer a subject access request", ADMIN),
        Permission.SEE_SCHEDULER: _grant(
            "see which process runs the scheduler and how its jobs went", ADMIN
        ),
    }
)


def may(who: User | str, permission: Permission) -> bool:
    """Whether `who` (a person, or a role: a Role or its value) may do what `permission`
    names."""
    role = who if isinstance(who, str) else who.role
    return role in GRANTS[permission].roles


def require(actor: User, permission: Permission, doing: str | None = None) -> None:
    """Refuse `actor` unless their role has `permission`, saying who may: "a qa practitioner
    cannot triage or reallocate cases; an officer, a manager or an admin can". `doing` words
    the refusal for one use of a wide permission ("approve letters")."""
    if not may(actor, permission):
        grant = GRANTS[permission]
        who_may = _either(grant.roles)
        raise AccessDeniedError(f"{_a(actor.role)} cannot {doing or grant.doing}; {who_may} can")


def require_named(person: User, permission: Permission, doing: str | None = None) -> None:
    """Refuse to name `person` for something (as the investigating officer, as the manager who
    agreed) unless their role has `permission`: "alex is an admin and cannot investigate"."""
    if not may(person, permission):
        grant = GRANTS[permission]
        raise DomainError(
            f"{person.username} is {_a(person.role)} and cannot {doing or grant.doing}"
        )


def roles_that_may(permission: Permission) -> frozenset[str]:
    """The roles, by name, that have `permission` (the workflows' role groups)."""
    return frozenset(GRANTS[permission].roles)


def second_pair_of_eyes(
    signer: int | str | None, writers: Iterable[int | str | None]
) -> str | None:
    """Why `signer` may not sign off what `writers` wrote or put forward; None if they may.
    People are named the same way on both sides (by id, or by username)."""
    if signer is not None and signer in set(writers):
        return (
            "whoever wrote a response or put it forward for sign-off cannot also sign it off; "
            "another manager must"
        )
    return None


def different_handler(handler_id: int | None, stage1_handlers: Iterable[int | None]) -> str | None:
    """Why `handler_id` may not handle a complaint at stage 2 when `stage1_handlers` handled it
    at stage 1; None if they may. Stage 2 is a fresh look, by someone else (the Complaint
    Handling Code; docs/access.md)."""
    if handler_id is not None and handler_id in set(stage1_handlers):
        return (
            "whoever handled the complaint at stage 1 cannot also handle it at stage 2; "
            "allocate someone else"
        )
    return None


def _a(role: str) -> str:
    words = role.replace("_", " ")
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _either(roles: tuple[str, ...]) -> str:
    named = [_a(role) for role in roles]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
