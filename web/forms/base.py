"""What every form of the front end shares: it reads what was sent with the request (a post's
fields and files, or a search's query string), lists its problems in the order of its fields for
the GOV.UK error summary, takes a service's refusal as one of them, and knows today's date.

The forms are WTForms forms; the CSRF token every post carries is checked before any view runs
(`web.security`), so the forms do not check it again.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from flask import request
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import Field, Form

from complaints.errors import ComplaintsError, DomainError
from complaints.services.values import plain_whole_number
from web.security import context


class Problem(NamedTuple):
    """One line of the error summary: the id it links to ("" for none) and what to do."""

    anchor: str
    message: str


class PageForm(Form):
    """A form posted from a page (or, given `query`, a search sent in the query string). Shown
    before it is sent, or `blank` (another form of the page was sent), it holds `data`'s
    values."""

    def __init__(self, *, query: bool = False, blank: bool = False, **data: Any) -> None:
        super().__init__(formdata=None if blank else _sent(query), data=data)

    @property
    def today(self) -> date:
        return context().clock.today()

    @property
    def problems(self) -> list[Problem]:
        """The form's own problems first, then each field's, in the order of the fields."""
        own = [Problem("", message) for message in self.form_errors]
        return own + [
            Problem(getattr(field, "anchor", field.id), field.errors[0])
            for field in self
            if field.errors
        ]

    def refuse(self, error: ComplaintsError, field: Field | None = None) -> None:
        """A service's refusal, shown at the top of the page (and against `field` if given)."""
        message = str(error)
        self.add_problem(message[:1].upper() + message[1:], field)

    def add_problem(self, message: str, field: Field | None = None) -> None:
        """A problem found outside the form's own checks, against `field` if given."""
        if field is None:
            self.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]


class CaseChangeForm(PageForm):
    """A form that changes a case, sent with the version of the case it was shown with."""

    def expected_version(self) -> int:
        """The version of the case the form was shown with, which every change to a case says
        (a change made since by someone else is refused rather than overwritten). Read as the
        service is called, so a form without one is refused as the service's refusals are."""
        version = plain_whole_number(request.form.get("version", "").strip())
        if version is None:
            raise DomainError(
                "the form did not say which version of the case it changes; "
                "reload the case and try again"
            )
        return version


def _sent(query: bool) -> MultiDict[str, Any] | CombinedMultiDict[str, Any] | None:
    """What the request sent for the form: None when it is only being shown."""
    if query:
        return request.args
    if request.method != "POST":
        return None
    if request.files:
        return CombinedMultiDict([request.files, request.form])
    return request.form
