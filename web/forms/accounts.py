"""The forms of signing in (web/auth.py) and of administration (web/admin.py and
web/admin_templates.py): staff accounts and their passwords, the teams and categories offered,
and the council's wording of a letter template with the case to preview it in."""

from __future__ import annotations

from typing import Any

from complaints.models import Role
from web.forms.base import PageForm
from web.forms.fields import NAME_LIMIT, ChoiceField, TextField, VerbatimTextField
from web.pages import Choices
from web.security import ROLE_NAMES

USERNAME_LIMIT = 60
PASSWORD_LIMIT = 256
EMAIL_LIMIT = 254
LIST_ENTRY_LIMIT = 120
REFERENCE_LIMIT = 40
ROLES = [(role.value, ROLE_NAMES[role.value]) for role in Role]
PASSWORD_HINT = "At least 12 characters"


class SignInForm(PageForm):
    username = TextField("Username", "your username", limit=USERNAME_LIMIT)
    password = TextField("Password", "your password", limit=PASSWORD_LIMIT)


def _full_name() -> TextField:
    return TextField("Full name", "their full name", limit=NAME_LIMIT)


def _role() -> ChoiceField:
    return ChoiceField("Role", "a role", choices=ROLES)


def _team() -> ChoiceField:
    return ChoiceField("Team", "a team", required=False)


def _email() -> TextField:
    return TextField(
        "E-mail address (for alerts)", "an e-mail address", required=False, limit=EMAIL_LIMIT
    )


class AccountForm(PageForm):
    """What an administrator sets on a staff account (each form its fields in its page's order)."""

    team: ChoiceField

    def __init__(self, options: Choices, *, blank: bool = False, **shown: Any) -> None:
        super().__init__(blank=blank, **shown)
        self.team.choices = options.team_options


class NewAccountForm(AccountForm):
    username = TextField(
        "Username",
        "a username",
        limit=USERNAME_LIMIT,
        description="Lower-case letters, digits, dots, hyphens or underscores",
    )
    full_name = _full_name()
    role = _role()
    team = _team()
    email = _email()
    password = TextField("Password", "a password", limit=PASSWORD_LIMIT, description=PASSWORD_HINT)


class ChangeAccountForm(AccountForm):
    full_name = _full_name()
    role = _role()
    team = _team()
    email = _email()
    active = ChoiceField(
        "May they sign in?",
        "whether they may sign in",
        choices=(("yes", "Yes"), ("no", "No, switch the account off")),
    )


class PasswordForm(PageForm):
    password = TextField(
        "New password", "a new password", limit=PASSWORD_LIMIT, description=PASSWORD_HINT
    )


class ListEntryForm(PageForm):
    """A new team or category: `kind` names which."""

    name = TextField("New entry", limit=LIST_ENTRY_LIMIT)

    def __init__(self, kind: str, *, blank: bool = False) -> None:
        super().__init__(blank=blank)
        self.name.label.text = f"New {kind}"
        self.name.called = f"the {kind}'s name"
        self.name.id = f"{kind}-name"


class TemplateWordingForm(PageForm):
    text = VerbatimTextField(
        "New wording",
        description=(
            "A Jinja2 template. It is checked on a demo case of every procedure before it is "
            "saved; a letter already drafted keeps its wording."
        ),
    )


class PreviewCaseForm(PageForm):
    """The case a letter template is previewed in (sent in the query string)."""

    case = TextField("Case reference", "a case reference", limit=REFERENCE_LIMIT)

    def __init__(self) -> None:
        super().__init__(query=True)
