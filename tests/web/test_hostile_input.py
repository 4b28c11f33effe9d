"""Hostile input through the forms: SQL injection and script payloads (and random text around
them, from hypothesis) in every free-text field of the main forms, the search box and the public
form. None is effective: no request fails (no 500), every table is still there with only the
rows the accepted forms added, and no payload comes back as markup on any page that shows it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.models import metadata
from tests.web.conftest import Web, date_fields
from web.forms.public import SUBJECTS

PAYLOADS = (
    "' OR '1'='1",
    "'; DROP TABLE feedback_case; --",
    '" OR ""="',
    "1; DELETE FROM audit_event",
    "%' UNION SELECT password_hash FROM app_user --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }}{% raw %}",
    "\u202e\u0000",
)
MARKUP = ("<script>alert(1)</script>", "<img src=x onerror", "<svg/onload")
hostile = st.builds(
    lambda before, payload, after: f"{before}{payload}{after}",
    st.text(max_size=20),
    st.sampled_from(PAYLOADS),
    st.text(max_size=20),
)
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def tables_intact(ctx: Context) -> dict[str, int]:
    """Every table of the schema still there, with its row count."""
    with ctx.database.engine.connect() as connection:
        return {
            table.name: connection.execute(
                sa.select(sa.func.count()).select_from(table)
            ).scalar_one()
            for table in metadata.sorted_tables
        }


def no_markup(page: str) -> None:
    for markup in MARKUP:
        assert markup not in page


NEW_COMPLAINT = {
    "feedback_type": "complaint",
    "procedure": "corporate",
    **date_fields("received", date(2026, 11, 23)),
    "complainant_name": "Ava Smith",
    "summary": "Missed bins",
    "contact_method": "email",
    "made_by": "complainant",
}


def test_new_feedback_and_the_search_box_take_payloads_as_text(
    staff: Context, clock: SettableClock, web: Callable[[str], Web]
) -> None:
    clock.set(date(2026, 11, 23))
    officer = web("off")  # signed in once: the examples share the session

    @FUZZ
    @given(name=hostile, summary=hostile, search=hostile)
    @example(name="Ava\x00", summary=PAYLOADS[5], search=PAYLOADS[1])  # always tried
    def send(name: str, summary: str, search: str) -> None:
        before = tables_intact(staff)
        data = NEW_COMPLAINT | {"complainant_name": name, "summary": summary}
        response = officer.post("/cases/new", data)
        assert response.status_code in (302, 400), response.status_code
        no_markup(response.text)
        after = tables_intact(staff)
        if response.status_code == 302:
            no_markup(officer.get(response.headers["Location"]).text)
            assert after["feedback_case"] == before["feedback_case"] + 1
        else:
            assert after == before
        listing = officer.client.get("/cases", query_string={"q": search})
        assert listing.status_code in (200, 400)  # 400: a search it cannot take, said so
        no_markup(listing.text)
        assert tables_intact(staff) == after

    send()


def test_case_page_forms_take_payloads_as_text(
    staff: Context, clock: SettableClock, web: Callable[[str], Web]
) -> None:
    clock.set(date(2026, 11, 23))
    officer = web("off")
    case_page = officer.post("/cases/new", NEW_COMPLAINT).headers["Location"]

    @FUZZ
    @given(point=hostile, lesson=hostile)
    def send(point: str, lesson: str) -> None:
        with staff.database.engine.connect() as connection:
            version = connection.execute(sa.text("SELECT version FROM feedback_case")).scalar_one()
        for path, data in (
            (f"{case_page}/points/new", {"description": point, "version": str(version)}),
            (f"{case_page}/lessons/new", {"text": lesson}),
        ):
            response = officer.post(path, data)
            assert response.status_code in (302, 400), (path, response.status_code)
            no_markup(response.text)
        no_markup(officer.get(case_page).text)
        assert set(tables_intact(staff)) == {table.name for table in metadata.sorted_tables}

    send()


def test_the_public_form_takes_payloads_as_text(
    app: Flask, staff: Context, web: Callable[[str], Web]
) -> None:
    client = app.test_client()
    admin = web("admin")
    senders = itertools.count(1)
    accepted: list[bool] = []

    @FUZZ
    @given(name=hostile, what=hostile, wanted=hostile)
    def send(name: str, what: str, wanted: str) -> None:
        # Each example from its own address: the form allows a few a day from one address.
        sender = next(senders)
        address = {"REMOTE_ADDR": f"10.9.{sender // 250}.{sender % 250 + 1}"}
        page = client.get("/feedback/new", environ_base=address)
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        data = {
            "csrf_token": token,
            "feedback_type": "complaint",
            "subject": SUBJECTS[0][0],
            "what_happened": what,
            "outcome_wanted": wanted,
            "name": name,
            "email": "ava@example.org",
            "consent": "yes",
        }
        response = client.post("/feedback/new", data=data, environ_base=address)
        assert response.status_code in (200, 302, 400), response.status_code
        accepted.append(response.status_code == 302)
        no_markup(response.text)
        no_markup(admin.get("/cases").text)

    send()
    assert any(accepted)  # some payloads were stored, and shown back as text
