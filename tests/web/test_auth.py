"""Signing in and out: Argon2 passwords, secure cookies, CSRF, a return address on this site."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from complaints.context import Context
from tests.support import audit_count
from tests.web.conftest import PASSWORD, Web


def test_signing_in_with_the_right_password_opens_my_work(app: Flask) -> None:
    client = Web(app.test_client())
    response = client.sign_in("off")
    assert (response.status_code, response.headers["Location"]) == (302, "/my-work")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "My work for" in client.get("/my-work").text


def test_a_wrong_password_or_unknown_user_is_refused_alike(app: Flask) -> None:
    client = Web(app.test_client())
    for username, password in (("off", "not-the-password"), ("nobody", PASSWORD)):
        response = client.sign_in(username, password)
        assert response.status_code == 400
        assert "The username or password is not right" in response.text
    assert client.get("/my-work").status_code == 302


def test_a_switched_off_account_cannot_sign_in(staff: Context, app: Flask) -> None:
    from complaints.services.accounts import change_account

    change_account(
        staff,
        "off",
        by="admin",
        role="officer",
        team=None,
        full_name="Olive Officer",
        email=None,
        active=False,
    )
    assert Web(app.test_client()).sign_in("off").status_code == 400


def test_a_form_without_its_token_is_refused_and_changes_nothing(
    staff: Context, web: Callable[[str], Web]
) -> None:
    client = web("off")
    before = audit_count(staff)
    response = client.client.post("/cases/new", data={"feedback_type": "compliment"})
    assert response.status_code == 400
    assert "security token" in response.text
    assert audit_count(staff) == before
    sign_in = client.client.post("/sign-in", data={"username": "off", "password": PASSWORD})
    assert sign_in.status_code == 400


def test_signing_out_ends_the_session(web: Callable[[str], Web]) -> None:
    client = web("off")
    assert client.post("/sign-out").status_code == 302
    assert client.get("/my-work").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/%09/evil.example",  # browsers drop tabs and line breaks: this is //evil.example
        "/%0B/evil.example",
        "/%00/evil.example",
        "/%5Cevil.example",  # and read \\ as /
        "%20//evil.example",
        "https://evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_sends_anyone_to_another_site(app: Flask, target: str) -> None:
    client = Web(app.test_client())
    assert client.client.get(f"/sign-in?next={target}").status_code == 200

    response = client.sign_in("off", query=f"next={target}")

    assert (response.status_code, response.headers["Location"]) == (302, "/my-work")


def test_sign_in_returns_to_the_page_on_this_site_that_asked_for_it(app: Flask) -> None:
    response = Web(app.test_client()).sign_in("off", query="next=/cases%3Fteam%3D2")
    assert response.headers["Location"] == "/cases?team=2"


@pytest.mark.parametrize("line_break", ["%0D%0A", "%0A", "%0D"])
def test_a_return_address_with_a_line_break_is_refused_and_signs_nobody_in(
    app: Flask, line_break: str
) -> None:
    client = Web(app.test_client())
    query = f"next=/my-work{line_break}Set-Cookie:%20planted=1"
    assert client.client.get(f"/sign-in?{query}").status_code == 400

    response = client.sign_in("off", query=query)

    assert response.status_code == 400
    assert "The return address in the link is not valid" in response.text
    assert "planted" not in response.headers.get("Set-Cookie", "")
    assert client.get("/my-work").status_code == 302


def test_signing_in_starts_a_new_session_so_a_planted_one_is_worth_nothing(app: Flask) -> None:
    client = Web(app.test_client())
    client.client.get("/sign-in")
    with client.client.session_transaction() as planted:
        planted["planted_by_attacker"] = "yes"
        planted_token = planted.get("csrf_token")
    client.sign_in("off")
    with client.client.session_transaction() as session:
        assert "planted_by_attacker" not in session
        assert session.get("csrf_token") != planted_token
        assert session.get("_user_id")
