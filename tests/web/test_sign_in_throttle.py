"""Sign-in cannot be turned against people: wrong passwords slow down only that username from
that address, with a growing wait, and nobody can lock anyone out; a username that exists and
one that does not get the same answers; and the limits hold across web workers and restarts,
kept in the product's database or in Redis."""

from __future__ import annotations

import dataclasses
import html
import itertools
import re
import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from complaints.clock import SettableClock
from complaints.context import Context
from tests.support import redis_url, web_app
from tests.web.conftest import PASSWORD, Web
from tests.web.test_public import COMPLAINT, send

_PROBLEM = re.compile(r'govuk-error-summary__list">\s*<li>(?:<a [^>]*>)?([^<]*)<')


@pytest.fixture
def address() -> Callable[[], str]:
    """A new network address each call, never used before: counts kept in a shared Redis by
    earlier runs (or a run beside this one) cannot meet this test's."""
    prefix = f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}"
    numbers: Iterator[int] = itertools.count(1)
    return lambda: f"{prefix}.{next(numbers)}"


@pytest.fixture(params=["database", "redis"])
def counted(request: pytest.FixtureRequest, staff: Context) -> Context:
    """The council's context with attempts counted in its database, or in Redis."""
    if request.param == "database":
        return staff
    web = dataclasses.replace(staff.settings.web, rate_limit_storage=redis_url())
    settings = dataclasses.replace(staff.settings, web=web)
    return Context(settings, staff.clock, staff.database)


def _from(app: Flask, address: str) -> Web:
    client = Web(app.test_client())
    client.client.environ_base["REMOTE_ADDR"] = address
    return client


def _problem(response: TestResponse) -> str:
    found = _PROBLEM.search(response.text)
    return html.unescape(found.group(1)).strip() if found else ""


def test_an_account_that_exists_and_one_that_does_not_get_the_same_answers(
    app: Flask, address: Callable[[], str]
) -> None:
    def answers(username: str) -> list[tuple[int, str]]:
        client = _from(app, address())
        responses = [client.sign_in(username, "not-the-password") for _ in range(7)]
        return [(response.status_code, _problem(response)) for response in responses]

    existing, unknown = answers("off"), answers("nobody")

    assert existing == unknown
    assert existing[0] == (400, "The username or password is not right")
    assert existing[-1][0] == 429


def test_wrong_passwords_from_one_address_never_stop_the_administrator_from_another(
    app: Flask, clock: SettableClock, address: Callable[[], str]
) -> None:
    attacker, administrator = _from(app, address()), _from(app, address())
    for _ in range(3):  # an hour of guessing, as fast as the limits allow
        for _ in range(6):
            attacker.sign_in("admin", "guessing-the-password")

        response = administrator.sign_in("admin")

        assert (response.status_code, response.headers.get("Location")) == (302, "/my-work")
        assert attacker.sign_in("admin", PASSWORD).status_code == 429  # waiting, right or not
        administrator.post("/sign-out")
        clock.advance(timedelta(minutes=20))


def test_wrong_passwords_make_that_address_wait_longer_each_time(
    app: Flask, clock: SettableClock, address: Callable[[], str]
) -> None:
    client = _from(app, address())
    for _ in range(4):
        assert _problem(client.sign_in("off", "not-the-password")) == (
            "The username or password is not right"
        )
    first = client.sign_in("off", "not-the-password")
    assert first.status_code == 429
    assert "Wait 1 minute, then try again" in _problem(first)
    right_too = client.sign_in("off", PASSWORD)
    assert (right_too.status_code, _problem(right_too)) == (429, _problem(first))

    clock.advance(timedelta(minutes=1))
    assert "Wait 2 minutes" in _problem(client.sign_in("off", "not-the-password"))
    clock.advance(timedelta(minutes=2))

    assert client.sign_in("off", PASSWORD).status_code == 302
    assert _from(app, address()).sign_in("off2").status_code == 302


def test_the_limit_per_address_holds_across_workers_and_restarts(
    counted: Context, address: Callable[[], str]
) -> None:
    workers = [web_app(counted, LOGIN_RATE_LIMIT="3 per minute") for _ in range(2)]
    where = address()

    codes = [
        _from(workers[attempt % 2], where).sign_in("off", "not-the-password").status_code
        for attempt in range(4)
    ]
    restarted = web_app(counted, LOGIN_RATE_LIMIT="3 per minute")

    assert codes == [400, 400, 400, 429]
    refused = _from(restarted, where).sign_in("off")
    assert refused.status_code == 429 and "Too many attempts" in refused.text
    assert _from(restarted, address()).sign_in("off").status_code == 302


def test_the_wait_after_wrong_passwords_holds_across_workers_and_restarts(
    counted: Context, address: Callable[[], str]
) -> None:
    first, second = web_app(counted), web_app(counted)
    where = address()
    for attempt in range(5):
        _from((first, second)[attempt % 2], where).sign_in("off", "not-the-password")

    refused = _from(web_app(counted), where).sign_in("off")

    assert refused.status_code == 429 and "Wait 1 minute" in _problem(refused)


def test_the_public_form_limit_holds_across_workers_and_says_what_it_refused(
    counted: Context, address: Callable[[], str]
) -> None:
    workers = [web_app(counted) for _ in range(2)]
    where = address()
    answers = []
    for attempt in range(6):
        client = workers[attempt % 2].test_client()
        client.environ_base["REMOTE_ADDR"] = where
        answers.append(send(client, COMPLAINT))

    assert [status for status, _ in answers] == [302] * 5 + [429]
    assert "This form has been sent too many times from your network" in answers[-1][1]


def test_a_redis_server_that_does_not_answer_stops_sign_in_with_a_clear_page(
    staff: Context, address: Callable[[], str]
) -> None:
    web = dataclasses.replace(staff.settings.web, rate_limit_storage="redis://127.0.0.1:1/0")
    ctx = Context(dataclasses.replace(staff.settings, web=web), staff.clock, staff.database)
    app = web_app(ctx)

    response = _from(app, address()).sign_in("off")

    assert response.status_code == 503
    assert "The Redis server that counts sign-in attempts is not answering" in response.text
    public = app.test_client()
    assert send(public, COMPLAINT)[0] == 302  # the public form still takes feedback
