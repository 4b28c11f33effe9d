"""What the views share: the form page (shown, read, the one service call made, its refusal
shown in the page's error summary, or on to the next page), a case's form page, the choices forms
offer, and what a route's path may hold. Who may see a case is the services' to say: a case
outside the person's reach is not found (404), exactly like one that does not exist."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.routing import IntegerConverter, Map, PathConverter, UnicodeConverter
from wtforms import Field

from complaints.db import DatabaseError
from complaints.deadlines import step_label
from complaints.errors import AccessDeniedError, CaseNotFoundError, ComplaintsError
from complaints.models.types import LARGEST_RECORD_ID
from complaints.services.accounts import (
    ListEntry,
    StaffMember,
    list_categories,
    list_staff,
    list_teams,
)
from complaints.services.case_file import CaseFile
from web.forms.base import PageForm
from web.security import context, deny
from workflows.definition import Workflow

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., object])


class RecordNumber(IntegerConverter):
    """`<int:...>` in a route: the digits 0 to 9 making a number no larger than an id column
    holds, so a larger one is a page that does not exist (404), not an overflow in the
    database."""

    regex = "[0-9]+"

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, *args, **{"max": LARGEST_RECORD_ID} | kwargs)


class PathText(UnicodeConverter):
    """A route's text argument (a case reference, a username): no '/' and no NUL, which no
    database stores (PostgreSQL refuses it even in a query), so an address holding one is a page
    that does not exist (404), not a database error."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]", 1)


class PathWithSlashes(PathConverter):
    """`<path:...>`: text that may hold '/', but no NUL (as PathText)."""

    regex = "[^/\\x00][^\\x00]*?"


# Each converter a route's argument may name, as this app reads it.
CONVERTERS = {
    "default": PathText,
    "string": PathText,
    "path": PathWithSlashes,
    "int": RecordNumber,
}


def submit(form: PageForm, call: Callable[[], T], field: Field | None = None) -> T | None:
    """Call the service if the form reads cleanly; its refusal becomes the form's problem."""
    if form.validate():
        with refusals_shown(form, field):
            return call()
    return None


@contextmanager
def refusals_shown(form: PageForm, field: Field | None = None) -> Iterator[None]:
    """A service's refusal raised inside becomes the form's problem (against `field` if given).
    Refusing to show a case the person may not see, or a database that is not there, is not the
    form's fault: they answer with the 403, 404 or 503 page."""
    try:
        yield
    except AccessDeniedError as error:
        deny(str(error))
    except (DatabaseError, CaseNotFoundError):
        raise
    except ComplaintsError as error:
        form.refuse(error, field)


def form_page(
    template: str,
    form: PageForm,
    change: Callable[[], T],
    *,
    then: str | Callable[[T], str],
    done: str | Callable[[T], str] = "",
    refused_at: Field | None = None,
    **page: object,
) -> ResponseReturnValue:
    """A page with a form: shown as it is until sent; once sent and read cleanly, `change` makes
    the one service call, `done` is said (if anything) and the browser goes on to `then`. A
    problem with the form, or the service's refusal (against the field `refused_at`, if given),
    shows the page again with the error summary (400), and nothing is changed."""
    if request.method == "POST" and form.validate():
        with refusals_shown(form, refused_at):
            result = change()
            if said := done(result) if callable(done) else done:
                flash(said, "success")
            return redirect(then(result) if callable(then) else then)
    shown = render_template(template, form=form, **page)
    return (shown, 400) if request.method == "POST" else shown


def accepts_upload(limit: int) -> Callable[[F], F]:
    """Let a view's form carry a file of up to about `limit` bytes (other forms stay small)."""

    def mark(view: F) -> F:
        view.upload_limit = limit  # type: ignore[attr-defined]
        return view

    return mark


def allow_uploads(app: Flask) -> None:
    """Give each request to a view marked `accepts_upload` its larger size limit before anything
    reads its form (the CSRF check reads it first): register before `web.security`."""

    @app.before_request
    def _upload_limit() -> None:
        view = current_app.view_functions.get(request.endpoint or "")
        limit = getattr(view, "upload_limit", None)
        if limit is not None:
            request.max_content_length = limit


def case_form(
    template: str,
    file: CaseFile,
    form: PageForm,
    change: Callable[[], object],
    *,
    done: str,
    anchor: str = "",
    **page: Any,
) -> ResponseReturnValue:
    """A page with a form changing the case `file` (`form_page`): once it is changed, `done` is
    said on the case's page, at `anchor`."""
    back = url_for("cases.show", reference=file.reference, _anchor=anchor or None)
    return form_page(template, form, change, then=back, done=done, case=file, **page)


@dataclass(frozen=True)
class Choices:
    """The lists forms offer: teams, categories, staff, procedures, states."""

    teams: tuple[ListEntry, ...]
    categories: tuple[ListEntry, ...]
    staff: tuple[StaffMember, ...]
    procedures: tuple[Workflow, ...]
    states: tuple[str, ...]
    contact_methods: tuple[str, ...]

    @property
    def team_names(self) -> list[str]:
        return [team.name for team in self.teams]

    @property
    def category_names(self) -> list[str]:
        return [category.name for category in self.categories]

    @property
    def investigators(self) -> tuple[StaffMember, ...]:
        return tuple(member for member in self.staff if member.can_investigate)

    @property
    def procedure_options(self) -> list[tuple[str, str]]:
        return [(workflow.name, workflow.title) for workflow in self.procedures]

    @property
    def complaint_procedures(self) -> tuple[Workflow, ...]:
        return tuple(wf for wf in self.procedures if "complaint" in wf.feedback_types)

    @property
    def complaint_procedure_options(self) -> list[tuple[str, str]]:
        return [(workflow.name, workflow.title) for workflow in self.complaint_procedures]

    @property
    def complaint_procedure_labels(self) -> list[tuple[str, str]]:
        """Each complaints procedure by its short label."""
        return [(workflow.name, workflow.short_label) for workflow in self.complaint_procedures]

    @property
    def procedure_for_type(self) -> dict[str, str]:
        """The procedure each kind of feedback other than a complaint follows, as the workflows
        declare (a complaint's is chosen)."""
        return {
            kind: workflow.name
            for workflow in self.procedures
            for kind in workflow.feedback_types
            if kind != "complaint"
        }

    @property
    def state_options(self) -> list[tuple[str, str]]:
        return [(state, step_label(state)) for state in self.states]

    @property
    def team_options(self) -> list[tuple[str, str]]:
        return [(team.name, team.name) for team in self.teams]

    @property
    def team_id_options(self) -> list[tuple[str, str]]:
        return [(str(team.id), team.name) for team in self.teams]

    @property
    def officer_id_options(self) -> list[tuple[str, str]]:
        return [(str(m.id), m.full_name) for m in self.investigators]

    @property
    def investigator_options(self) -> list[tuple[str, str]]:
        return [(m.username, f"{m.full_name} ({m.username})") for m in self.investigators]

    @property
    def staff_options(self) -> list[tuple[str, str]]:
        return [(m.username, f"{m.full_name} ({m.username})") for m in self.staff]

    @property
    def manager_options(self) -> list[tuple[str, str]]:
        return [(m.username, f"{m.full_name} ({m.username})") for m in self.managers]

    @property
    def managers(self) -> tuple[StaffMember, ...]:
        return tuple(member for member in self.staff if member.can_agree_extensions)


def choices() -> Choices:
    ctx = context()
    return Choices(
        teams=tuple(team for team in list_teams(ctx) if team.active),
        categories=tuple(c for c in list_categories(ctx) if c.active),
        staff=tuple(member for member in list_staff(ctx) if member.active),
        procedures=tuple(ctx.engine.workflows.values()),
        states=tuple(sorted({s for wf in ctx.engine.workflows.values() for s in wf.states})),
        contact_methods=ctx.settings.lists.contact_methods,
    )
