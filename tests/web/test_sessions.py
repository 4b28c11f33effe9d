"""Sign-in sessions held by the server: signing out, a new password, switching an account off,
the idle time-out and the working day's limit each end a session for good, whatever copy of the
cookie anyone kept; and a cookie taken to another browser opens nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.accounts import change_account, set_password
from tests.faults.test_storage_faults import on_every_connection, read_only
from tests.web.conftest import PASSWORD, Web

COOKIE = "complaints_session"


def _copy_of_cookie(web: Web, app: Flask, browser: str | None = None) -> FlaskClient:
    """A second client holding a copy of `web`'s session cookie, as a thief would."""
    cookie = web.client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    if browser is not None:
        thief.environ_base["HTTP_USER_AGENT"] = browser
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def _signed_out(response_status: int, location: str | None) -> bool:
    return response_status == 302 and (location or "").startswith("/sign-in")


def test_a_cookie_copied_before_signing_out_no_longer_opens_my_work(
    app: Flask, web: Callable[[str], Web]
) -> None:
    client = web("off")
    copy = _copy_of_cookie(client, app)
    assert copy.get("/my-work").status_code == 200  # the copy works while the session lives

    assert client.post("/sign-out").status_code == 302

    response = copy.get("/my-work")
    assert _signed_out(response.status_code, response.headers.get("Location"))


def test_signing_in_again_in_the_same_browser_ends_the_earlier_session(
    app: Flask, web: Callable[[str], Web]
) -> None:
    client = web("off")
    copy = _copy_of_cookie(client, app)

    again = client.post("/sign-in", {"username": "off", "password": PASSWORD})

    assert again.status_code == 302 and client.get("/my-work").status_code == 200
    response = copy.get("/my-work")
    assert _signed_out(response.status_code, response.headers.get("Location"))


def test_a_new_password_ends_every_session_of_that_person_and_no_one_elses(
    staff: Context, web: Callable[[str], Web]
) -> None:
    at_desk, at_home, colleague = web("off"), web("off"), web("off2")

    set_password(staff, "off", "a-brand-new-long-phrase", by="admin")

    for client in (at_desk, at_home):
        response = client.get("/my-work")
        assert _signed_out(response.status_code, response.headers.get("Location"))
    assert colleague.get("/my-work").status_code == 200


def test_switching_an_account_off_ends_its_sessions_even_once_it_is_back_on(
    staff: Context, web: Callable[[str], Web]
) -> None:
    client = web("off")

    def switch(active: bool) -> None:
        change_account(
            staff, "off", by="admin", role="officer", team="Customer Service",
            full_name="Olive Officer", email=None, active=active,
        )  # fmt: skip

    switch(False)
    switch(True)

    response = client.get("/my-work")
    assert _signed_out(response.status_code, response.headers.get("Location"))


def test_an_idle_session_is_signed_out_with_the_reason(
    web: Callable[[str], Web], clock: SettableClock
) -> None:
    client = web("off")
    clock.advance(timedelta(minutes=29))
    assert client.get("/my-work").status_code == 200  # activity keeps it alive

    clock.advance(timedelta(minutes=31))
    response = client.get("/my-work")

    assert _signed_out(response.status_code, response.headers.get("Location"))
    page = client.get(response.headers["Location"]).text
    assert "signed out after 30 minutes without activity" in page
    assert client.get("/my-work").status_code == 302


def test_a_busy_session_still_ends_after_a_working_day(
    web: Callable[[str], Web], clock: SettableClock
) -> None:
    client = web("off")
    for _ in range(8 * 3 - 1):  # a page every 20 minutes: never idle
        clock.advance(timedelta(minutes=20))
        assert client.get("/my-work").status_code == 200

    clock.advance(timedelta(minutes=20))  # 8 hours after signing in
    response = client.get("/my-work")

    assert _signed_out(response.status_code, response.headers.get("Location"))
    page = client.get(response.headers["Location"]).text
    assert "you signed in more than 8 hours ago" in page


def test_a_cookie_taken_to_another_browser_opens_nothing(
    app: Flask, web: Callable[[str], Web]
) -> None:
    client = web("off")
    elsewhere = _copy_of_cookie(client, app, browser="Mozilla/5.0 (another browser)")

    response = elsewhere.get("/my-work")

    assert _signed_out(response.status_code, response.headers.get("Location"))
    # A session seen in two browsers has been copied: it ends for its owner too, so the copy is
    # worth nothing even if the thief also copies the browser's name.
    response = client.get("/my-work")
    assert _signed_out(response.status_code, response.headers.get("Location"))


def test_a_read_only_database_still_lets_a_signed_in_person_read(
    staff: Context, web: Callable[[str], Web], clock: SettableClock
) -> None:
    client = web("off")
    clock.advance(timedelta(minutes=5))  # time to note the session's use again

    with on_every_connection(staff, read_only):
        response = client.get("/my-work")

    assert response.status_code == 200 and "My work for" in response.text
