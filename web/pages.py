"""What the views share: calling a service for a form and turning its refusal into the page's
error summary, a case's form page from showing it to going back to the case, the choices forms
offer, and what a route's path may hold. Who may see a case is the services' to say: a case
outside the person's reach is not found (404), exactly like one that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from flask import Flask, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.routing import IntegerConverter, Map, PathConverter, UnicodeConverter

from complaints.db import DatabaseError
from complaints.deadlines import step_label
from complaints.errors import AccessDeniedError, CaseNotFoundError, ComplaintsError
from complaints.models import MadeBy
from complaints.models.types import LARGEST_RECORD_ID
from complaints.services.accounts import (
    ListEntry,
    StaffMember,
    list_categories,
    list_staff,
    list_teams,
)
from complaints.services.case_file import CaseFile
from web.forms import Form, empty_form
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


def submit(form: Form, call: Callable[[], T], field_id: str = "") -> T | None:
    """Call the service if the form read cleanly; its refusal becomes the form's error."""
    if not form.valid:
        return None
    try:
        return call()
    except AccessDeniedError as error:
        deny(str(error))
    except (DatabaseError, CaseNotFoundError):
        # Not the form's fault: the 503 page says the database is not available, and a case
        # the person may not see (or that has gone) is the 404 page.
        raise
    except ComplaintsError as error:
        form.refused(error, field_id)
        return None


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
    read: Callable[[Form], Callable[[], object]],
    *,
    done: str,
    anchor: str,
    **page: object,
) -> ResponseReturnValue:
    """A form changing a case: shown empty; once sent, `read` reads it and gives the one service
    call to make. A problem with the form, or the service's refusal, shows the page again with
    the error summary (400, nothing changed); otherwise `done` is said on the case page, at
    `anchor`."""
    if request.method == "GET":
        return render_template(template, case=file, form=empty_form(), **page)
    form = Form(request.form)
    if submit(form, read(form)) is None:
        return render_template(template, case=file, form=form, **page), 400
    flash(done, "success")
    return redirect(url_for("cases.show", reference=file.reference, _anchor=anchor))


@dataclass(frozen=True)
class Choices:
    """The lists forms offer: teams, categories, staff, procedures, states."""

    teams: tuple[ListEntry, ...]
    categories: tuple[ListEntry, ...]
    staff: tuple[StaffMember, ...]
    procedures: tuple[Workflow, ...]
    states: tuple[str, ...]
    contact_methods: tuple[str, ...]
    made_by: tuple[str, ...]
    today: date

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
        made_by=tuple(m.value for m in MadeBy),
        today=ctx.clock.today(),
    )
