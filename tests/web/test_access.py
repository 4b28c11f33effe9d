"""Who may open which page: signed out, each role, and cases outside a person's work. A page
the role may not open is a 403 page and a line in the log; a case outside the person's work is
not found (404), exactly like a case that does not exist."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask

from complaints.context import Context
from complaints.services.cases import fire_trigger
from tests.support import version_of, web_app
from tests.web.conftest import Web

EVERYONE = {"off", "qa", "mgr", "admin"}
OFFICE = {"off", "mgr", "admin"}
SIGN_OFF = {"mgr", "admin"}
ADMIN = {"admin"}

PAGES = {
    "/my-work": EVERYONE,
    "/dashboard": SIGN_OFF,
    "/alerts": EVERYONE,
    "/cases": EVERYONE,
    "/cases/new": OFFICE,
    "/workflows": EVERYONE,
    "/workflows/statutory_children": EVERYONE,
    "/admin": ADMIN,
    "/admin/users": ADMIN,
    "/admin/users/new": ADMIN,
    "/admin/users/off": ADMIN,
    "/admin/lists": ADMIN,
}
# The QA practitioner sees a case only once it is allocated to them: until then its pages are
# not found, except those their role may never open.
CASE_PAGES = {
    "": OFFICE,
    "/triage": OFFICE,
    "/reallocate": OFFICE,
    "/points/new": OFFICE,
    "/remedies/new": OFFICE,
    "/actions/new": OFFICE,
    "/letters/new": OFFICE,
    "/steps/acknowledge": OFFICE,
}
ROLE_PAGES = {"/triage", "/reallocate"}  # the complaints office's, whoever's the case is


def test_every_page_asks_a_signed_out_person_to_sign_in(app: Flask, case_ref: str) -> None:
    client = app.test_client()
    for path in [*PAGES, *(f"/cases/{case_ref}{suffix}" for suffix in CASE_PAGES)]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/sign-in"), path


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_each_role_opens_its_pages_and_is_refused_the_others(
    web: Callable[[str], Web], case_ref: str, username: str
) -> None:
    client = web(username)
    expected = {path: 200 if username in allowed else 403 for path, allowed in PAGES.items()}
    for suffix, allowed in CASE_PAGES.items():
        refused = 403 if suffix in ROLE_PAGES else 404
        expected[f"/cases/{case_ref}{suffix}"] = 200 if username in allowed else refused
    for path, status in expected.items():
        response = client.get(path)
        assert response.status_code == status, (path, response.status_code)
        if status == 403:
            assert "You cannot see this page" in response.text


def test_a_qa_practitioner_sees_a_case_once_it_is_allocated_to_them(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    client = web("qa")
    assert client.get(f"/cases/{case_ref}").status_code == 404
    assert case_ref not in client.get("/cases").text
    fire_trigger(
        staff, case_ref, "acknowledge", by="off", expected_version=version_of(staff, case_ref)
    )
    fire_trigger(
        staff,
        case_ref,
        "allocate",
        by="off",
        values={"officer": "qa"},
        expected_version=version_of(staff, case_ref),
    )
    assert client.get(f"/cases/{case_ref}").status_code == 200
    assert case_ref in client.get("/cases").text


def test_a_step_the_role_may_not_take_is_refused_and_logged(
    web: Callable[[str], Web], case_ref: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = web("off")
    with caplog.at_level(logging.WARNING, logger="complaints.web.access"):
        response = client.get(f"/cases/{case_ref}/steps/approve")
    assert response.status_code == 403
    assert "access denied: off GET" in caplog.text and "approve" in caplog.text


def test_a_manager_of_another_team_cannot_see_the_team_s_cases(
    staff: Context, web: Callable[[str], Web], case_ref: str
) -> None:
    from complaints.services.accounts import change_account
    from complaints.services.triage import triage_case

    triage_case(
        staff,
        case_ref,
        by="off",
        team="Customer Service",
        expected_version=version_of(staff, case_ref),
    )
    change_account(
        staff,
        "mgr",
        by="admin",
        role="manager",
        team="Highways",
        full_name="Mina Manager",
        email=None,
        active=True,
    )
    assert web("mgr").get(f"/cases/{case_ref}").status_code == 404


def test_an_unknown_case_is_not_found(web: Callable[[str], Web]) -> None:
    assert web("admin").get("/cases/CF-2026-999999").status_code == 404


def test_pages_carry_security_headers(web: Callable[[str], Web]) -> None:
    response = web("off").get("/my-work")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_over_https_only(web: Callable[[str], Web], app: Flask) -> None:
    assert "Strict-Transport-Security" not in web("off").get("/my-work").headers
    secure = app.test_client().get("/sign-in", base_url="https://complaints.example.gov.uk")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "frame-ancestors 'none'" in secure.headers["Content-Security-Policy"]


def test_behind_a_trusted_proxy_the_forwarded_scheme_and_address_count(staff: Context) -> None:
    app = web_app(
        staff,
        LOGIN_RATE_LIMIT="2 per minute",
        TRUSTED_PROXIES=1,
        WTF_CSRF_ENABLED=False,  # this test is about addresses, not forms
    )
    client = app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    assert "Strict-Transport-Security" in client.get("/sign-in", headers=forwarded).headers

    def attempts(address: str) -> list[int]:
        headers = {"X-Forwarded-For": address}
        data = {"username": "off", "password": "wrong-password!"}
        return [client.post("/sign-in", data=data, headers=headers).status_code for _ in range(3)]

    # Each person's address has its own limit, not the proxy's one address for everybody.
    assert attempts("203.0.113.7")[-1] == 429
    assert attempts("198.51.100.9")[0] != 429
