"""Fixtures for the web tests: the app on the test database, staff who can sign in, a client
that signs in as one of them and sends each form with its CSRF token, and a case with something
of every kind a staff route acts on (a point, an action, a letter, an Ombudsman enquiry)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.accounts import set_password
from complaints.services.cases import NewFeedback, log_feedback
from tests.support import Case, matrix_case, version_of, web_app

PASSWORD = "a-long-test-password"
STAFF = ("off", "off2", "qa", "mgr", "admin")
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def staff(council: Context) -> Context:
    """The council's staff, each with the password PASSWORD."""
    for username in STAFF:
        set_password(council, username, PASSWORD, by="admin")
    return council


@pytest.fixture
def app(staff: Context) -> Flask:
    return web_app(staff)


_CASE_FORM = re.compile(r"/cases/(?P<reference>[^/?#]+)/")


class Web:
    """A test client signed in as one person, sending forms with the session's CSRF token and,
    to a case's form, the case's version as its page would carry it (unless the test says
    another)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def sign_in(self, username: str, password: str = PASSWORD, *, query: str = "") -> TestResponse:
        """Sign in from the sign-in page, whose address carries `query` (e.g. "next=/cases")."""
        page = self.client.get("/sign-in")
        token = _TOKEN.search(page.text)
        assert token is not None
        response = self.client.post(
            f"/sign-in?{query}" if query else "/sign-in",
            data={"csrf_token": token.group(1), "username": username, "password": password},
        )
        self.token = ""
        return response

    def get(self, path: str) -> TestResponse:
        return self.client.get(path)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        if not self.token:
            found = _TOKEN.search(self.client.get("/my-work").text)
            assert found is not None, "no form token on the page"
            self.token = found.group(1)
        fields = {"csrf_token": self.token, **self._version(path), **(data or {})}
        return self.client.post(path, data=fields, **kwargs)

    def _version(self, path: str) -> dict[str, str]:
        case_form = _CASE_FORM.match(path)
        if case_form is None:
            return {}
        ctx: Context = self.client.application.extensions["complaints"]
        return {"version": str(version_of(ctx, unquote(case_form["reference"]).upper()))}


@pytest.fixture
def web(app: Flask) -> Callable[[str], Web]:
    """`web("off")`: a client signed in as the officer 'off'."""

    def signed_in(username: str) -> Web:
        client = Web(app.test_client())
        response = client.sign_in(username)
        assert response.status_code == 302, response.text
        return client

    return signed_in


@pytest.fixture
def case_ref(staff: Context, clock: SettableClock) -> str:
    """A statutory children's complaint received on Monday 16 November 2026, logged by 'off'."""
    clock.set(date(2026, 11, 16))
    view = log_feedback(
        staff,
        NewFeedback(
            procedure="statutory_children",
            feedback_type="complaint",
            received_on=date(2026, 11, 16),
            summary="Missed visits",
            complainant_name="Ava Smith",
        ),
        by="off",
    )
    clock.set(date(2026, 11, 23))
    return view.reference


@pytest.fixture
def case(staff: Context, clock: SettableClock) -> Case:
    """The case of the authorisation matrix (`tests.support.matrix_case`), with passwords for
    its people (test_authorisation_matrix.PEOPLE)."""
    built = matrix_case(staff, clock)
    for username in ("hwoff", "qa2", "csmgr", "hwmgr"):
        set_password(staff, username, PASSWORD, by="admin")
    return built


def date_fields(name: str, day: date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }
