"""The public form: no sign-in, a reference at the end, an acknowledgement e-mail queued and sent
by the scheduler, and the abuse guards (CSRF, honeypot, a limit per address, field lengths)."""

from __future__ import annotations

import re
from datetime import date
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.mail.outbox import send_outbox
from complaints.models import FeedbackCase, OutboundEmail
from tests.support import audit_count

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
COMPLAINT = {
    "feedback_type": "complaint",
    "subject": "children",
    "what_happened": "The social worker missed three visits in October.",
    "outcome_wanted": "An explanation and a new visiting plan",
    "name": "Priya Shah",
    "email": "priya@example.org",
    "on_behalf_of_child": "yes",
    "child_name": "Sam Shah",
    "consent": "yes",
    "accessibility": "Please call after 3pm",
}


@pytest.fixture
def public(app: Flask, clock: SettableClock) -> FlaskClient:
    clock.set(date(2026, 11, 23))
    return app.test_client()


def send(client: FlaskClient, data: dict[str, str]) -> tuple[int, str]:
    page = client.get("/feedback/new")
    token = TOKEN.search(page.text)
    assert token is not None
    response = client.post("/feedback/new", data={"csrf_token": token.group(1), **data})
    return response.status_code, response.headers.get("Location", "") or response.text


def cases(ctx: Context) -> list[FeedbackCase]:
    with ctx.database.reader() as session:
        return list(session.exec(select(FeedbackCase)).all())


def test_anyone_can_make_a_complaint_and_is_given_the_reference(
    public: FlaskClient, staff: Context
) -> None:
    page = public.get("/feedback/new")
    assert page.status_code == 200 and "Tell us about a council service" in page.text

    status, location = send(public, COMPLAINT)

    assert (status, location) == (302, "/feedback/sent")
    sent = public.get("/feedback/sent")
    assert "CF-2026-000001" in sent.text
    (case,) = cases(staff)
    assert (case.procedure.value, case.state, case.officer_id) == (
        "statutory_children",
        "received",
        None,
    )
    assert case.is_child and case.consent_recorded and case.made_by.value == "representative"
    assert "Made on behalf of: Sam Shah" in case.summary
    assert "Please call after 3pm" in case.summary


def test_the_acknowledgement_email_is_queued_and_sent_by_the_scheduler(
    public: FlaskClient, staff: Context
) -> None:
    send(public, COMPLAINT)
    sent: list[EmailMessage] = []

    class Mailer:
        def send(self, message: EmailMessage) -> None:
            sent.append(message)

    report = send_outbox(staff, Mailer())

    assert report.sent == 1
    (message,) = sent
    assert message["To"] == "priya@example.org"
    assert "CF-2026-000001" in message["Subject"]
    assert "Your reference is CF-2026-000001" in message.get_content()
    assert send_outbox(staff, Mailer()).sent == 0  # sent once


def test_a_mail_server_that_is_down_delays_the_email_and_loses_nothing(
    public: FlaskClient, staff: Context, clock: SettableClock
) -> None:
    send(public, COMPLAINT)

    class Down:
        def send(self, message: EmailMessage) -> None:
            raise ConnectionRefusedError("mail server down")

    assert send_outbox(staff, Down()).failed == 1
    with staff.database.reader() as session:
        (queued,) = session.exec(select(OutboundEmail)).all()
    assert (queued.status.value, queued.attempts) == ("pending", 1)
    assert "mail server down" in (queued.last_error or "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"what_happened": ""}, "Enter what happened"),
        (
            {"email": "", "phone": "", "address": ""},
            "give an e-mail address, a phone number or an address",
        ),
        ({"consent": ""}, "confirm that the child or young person agrees"),
        ({"child_name": ""}, "give the name of the child or young person"),
        ({"email": "priya at example"}, "is not an e-mail address"),
        ({"phone": "ring me at work"}, "is not a telephone number"),
        ({"what_happened": "x" * 5_001}, "5,000 characters or fewer"),
        ({"feedback_type": "question"}, "what you would like to do"),
    ],
)
def test_bad_input_is_explained_on_the_page_and_nothing_is_made(
    public: FlaskClient, staff: Context, change: dict[str, str], message: str
) -> None:
    events = audit_count(staff)
    status, text = send(public, COMPLAINT | change)
    assert status == 400
    assert "There is a problem" in text
    assert message.lower() in text.replace("&#39;", "'").lower()
    assert cases(staff) == [] and audit_count(staff) == events


def test_script_typed_into_the_form_is_shown_as_text(public: FlaskClient, staff: Context) -> None:
    status, text = send(public, COMPLAINT | {"email": "<script>alert(1)</script>"})
    assert status == 400 and "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text


def test_a_filled_honeypot_is_refused(public: FlaskClient, staff: Context) -> None:
    status, text = send(public, COMPLAINT | {"website": "http://spam.example"})
    assert status == 400 and "could not be sent" in text
    assert cases(staff) == []


def test_a_form_without_its_token_is_refused(public: FlaskClient, staff: Context) -> None:
    response = public.post("/feedback/new", data=COMPLAINT)
    assert response.status_code == 400
    assert cases(staff) == []


def test_one_address_can_send_only_a_few_forms_an_hour(public: FlaskClient, staff: Context) -> None:
    statuses = [send(public, COMPLAINT)[0] for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(cases(staff)) == 5


def test_a_compliment_needs_no_address(public: FlaskClient, staff: Context) -> None:
    compliment = {
        "feedback_type": "compliment",
        "subject": "other",
        "what_happened": "The bin crew were brilliant",
        "name": "Sam Lee",
    }
    assert send(public, compliment)[0] == 302
    (case,) = cases(staff)
    assert (case.procedure.value, case.feedback_type.value) == ("feedback", "compliment")


def test_the_sent_page_without_a_form_goes_back_to_the_form(public: FlaskClient) -> None:
    response = public.get("/feedback/sent")
    assert response.status_code == 302 and response.headers["Location"] == "/feedback/new"


def test_the_acknowledgement_repeats_nothing_the_sender_typed(
    public: FlaskClient, staff: Context
) -> None:
    typed = COMPLAINT | {
        "name": "Your account is locked, call 0900 123 456",
        "what_happened": "Click https://phish.example/login to keep your benefits",
        "outcome_wanted": "Reply with your bank details",
        "child_name": "Visit phish.example",
        "accessibility": "Urgent: phish.example",
    }
    send(public, typed)
    sent: list[EmailMessage] = []

    class Mailer:
        def send(self, message: EmailMessage) -> None:
            sent.append(message)

    send_outbox(staff, Mailer())

    (message,) = sent
    text = f"{message['Subject']}\n{message.get_content()}"
    assert "Your reference is CF-2026-000001" in text
    assert "write to you to confirm how we will" in text  # what happens next
    for field in ("name", "what_happened", "outcome_wanted", "child_name", "accessibility"):
        assert typed[field] not in text
    assert "phish" not in text and "0900" not in text


@pytest.mark.parametrize("path", ["/feedback/new", "/feedback/sent"])
def test_the_public_pages_are_never_cached(public: FlaskClient, staff: Context, path: str) -> None:
    send(public, COMPLAINT)
    response = public.get(path)
    assert response.status_code == 200
    directives = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_a_refused_form_is_never_cached(public: FlaskClient, staff: Context) -> None:
    page = public.get("/feedback/new")
    token = TOKEN.search(page.text)
    assert token is not None
    response = public.post(
        "/feedback/new", data={"csrf_token": token.group(1), **COMPLAINT, "what_happened": ""}
    )
    assert response.status_code == 400 and "no-store" in response.headers["Cache-Control"]
