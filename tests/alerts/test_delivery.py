"""Alert e-mails through a real SMTP server on localhost: the right people, the right content,
nothing twice, and a server that is down leads to retries, not loss."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from complaints.alerts import delivery
from complaints.alerts.delivery import plan_deliveries, send_digests, send_pending
from complaints.alerts.sweep import sweep
from complaints.clock import SettableClock
from complaints.config import SmtpSettings
from complaints.context import Context
from complaints.mail.mailer import SmtpMailer
from complaints.models import AlertDelivery, DeliveryStatus
from tests.support import LogCase
from web import serve


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        content = envelope.content  # type: ignore[attr-defined]
        self.messages.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def mailer(port: int) -> SmtpMailer:
    return SmtpMailer(
        SmtpSettings(
            host="127.0.0.1",
            port=port,
            username="",
            password="",
            sender="complaints@example.gov.uk",
            security="none",
            timeout_seconds=5,
        )
    )


def sweep_and_plan(ctx: Context) -> int:
    return plan_deliveries(ctx, sweep(ctx).new_alert_ids)


def test_the_owner_hears_of_each_alert_once(
    staffed: Context, clock: SettableClock, log_case: LogCase, inbox: tuple[Inbox, int]
) -> None:
    received, port = inbox
    reference = log_case("corporate", date(2026, 11, 16)).reference  # acknowledgement due 23rd
    clock.set(date(2026, 11, 19))
    sweep_and_plan(staffed)
    assert send_pending(staffed, mailer(port)).sent == 1
    clock.set(date(2026, 11, 23))
    sweep_and_plan(staffed)
    send_pending(staffed, mailer(port))
    assert send_pending(staffed, mailer(port)).sent == 0  # nothing twice
    # A long subject is folded onto a second header line; mail clients unfold it.
    subjects = [" ".join(m["Subject"].split()) for m in received.to("off@example.gov.uk")]
    assert subjects == [
        f"Due soon: {reference} Acknowledgement, due Monday 23 November 2026",
        f"Due today: {reference} Acknowledgement, due Monday 23 November 2026",
    ]
    body = received.messages[-1].get_content()
    assert f"http://127.0.0.1:5000/cases/{reference}" in body


def test_alerts_link_to_the_port_make_run_serves(
    staffed: Context,
    clock: SettableClock,
    log_case: LogCase,
    inbox: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received, port = inbox
    scheduled: list[Context] = []
    monkeypatch.setattr(sys, "argv", ["web.serve", "--port", "5055"])
    monkeypatch.setattr(serve, "configure_logging", lambda style: None)
    monkeypatch.setattr(serve.Context, "load", lambda *_: staffed)
    monkeypatch.setattr(serve, "demo_logins", lambda _: [])
    monkeypatch.setattr(serve, "start_embedded_scheduler", scheduled.append)
    monkeypatch.setattr(serve, "serve", lambda app, **_: None)
    serve.main()
    (served,) = scheduled
    reference = log_case("corporate", date(2026, 11, 16)).reference
    clock.set(date(2026, 11, 19))
    sweep_and_plan(served)
    assert send_pending(served, mailer(port)).sent == 1
    assert f"http://127.0.0.1:5055/cases/{reference}" in received.messages[-1].get_content()


def test_overdue_steps_reach_the_team_manager_in_one_daily_digest(
    staffed: Context, clock: SettableClock, log_case: LogCase, inbox: tuple[Inbox, int]
) -> None:
    received, port = inbox
    first = log_case("corporate", date(2026, 11, 2)).reference
    second = log_case("corporate", date(2026, 11, 3)).reference
    clock.set(date(2026, 11, 23))
    sweep_and_plan(staffed)
    send_pending(staffed, mailer(port))
    assert all(
        "Overdue" in m["Subject"] or "Escalated" not in m["Subject"]
        for m in received.to("off@example.gov.uk")
    )
    report = send_digests(staffed, mailer(port))
    assert report.sent == 1
    (digest,) = received.to("lead@example.gov.uk")
    assert " ".join(digest["Subject"].split()) == "Overdue in your team: 2 steps"
    body = digest.get_content()
    assert first in body and second in body and "working days overdue" in body
    assert send_digests(staffed, mailer(port)).sent == 0


def test_a_server_that_is_down_means_retries_with_backoff_not_loss(
    staffed: Context, clock: SettableClock, log_case: LogCase, inbox: tuple[Inbox, int]
) -> None:
    received, port = inbox
    log_case("corporate", date(2026, 11, 16))
    clock.set(date(2026, 11, 19))
    sweep_and_plan(staffed)
    down = mailer(free_port())  # nothing listens there
    report = send_pending(staffed, down)
    assert (report.sent, report.failed) == (0, 1)
    with staffed.database.reader() as session:
        delivery = session.exec(select(AlertDelivery)).one()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at == clock.now() + timedelta(minutes=1)
    assert delivery.sent_at is None
    assert send_pending(staffed, mailer(port)).sent == 0  # not due again yet
    clock.advance(timedelta(minutes=1))
    assert send_pending(staffed, mailer(port)).sent == 1
    assert len(received.messages) == 1


def test_a_mail_server_down_for_an_hour_loses_no_alert(
    staffed: Context, clock: SettableClock, log_case: LogCase, inbox: tuple[Inbox, int]
) -> None:
    """The scheduler's cycle every 5 minutes through an hour's outage, then the server is back:
    every alert is delivered once, none given up."""
    received, port = inbox
    for day in (16, 17, 18):
        log_case("corporate", date(2026, 11, day))
    clock.set(date(2026, 11, 19))
    planned = sweep_and_plan(staffed)
    down = mailer(free_port())
    for _ in range(12):  # an hour of cycles, five minutes apart
        assert send_pending(staffed, down).sent == 0
        clock.advance(timedelta(minutes=5))
    with staffed.database.reader() as session:
        statuses = {d.status for d in session.exec(select(AlertDelivery))}
    assert statuses == {DeliveryStatus.PENDING}
    sent = 0
    for _ in range(13):  # the next hour, the server answering again
        sent += send_pending(staffed, mailer(port)).sent
        clock.advance(timedelta(minutes=5))
    assert sent == planned == len(received.messages) > 0
    with staffed.database.reader() as session:
        assert {d.status for d in session.exec(select(AlertDelivery))} == {DeliveryStatus.SENT}


def test_after_the_last_attempt_the_delivery_is_given_up_and_logged(
    staffed: Context, clock: SettableClock, log_case: LogCase, caplog: pytest.LogCaptureFixture
) -> None:
    reference = log_case("corporate", date(2026, 11, 16)).reference
    clock.set(date(2026, 11, 19))
    sweep_and_plan(staffed)
    down = mailer(free_port())
    attempts = staffed.settings.alerts.max_send_attempts
    for _ in range(attempts):
        send_pending(staffed, down)
        clock.advance(timedelta(hours=2))
    with staffed.database.reader() as session:
        delivery = session.exec(select(AlertDelivery)).one()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.GAVE_UP, attempts)
    assert reference in caplog.text


def test_an_alert_that_cannot_be_written_fails_alone_and_is_retried(
    staffed: Context,
    clock: SettableClock,
    log_case: LogCase,
    inbox: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received, port = inbox
    broken = log_case("corporate", date(2026, 11, 16)).reference
    fine = log_case("corporate", date(2026, 11, 16)).reference
    clock.set(date(2026, 11, 19))
    sweep_and_plan(staffed)
    real = delivery._alert_message

    def alert_message(ctx: Context, pending: Any) -> EmailMessage | None:
        if pending.reference == broken:
            raise KeyError("the template needs a value this case lacks")
        return real(ctx, pending)

    monkeypatch.setattr(delivery, "_alert_message", alert_message)

    report = send_pending(staffed, mailer(port))

    assert [m["Subject"].split()[2] for m in received.messages] == [fine]
    assert (report.sent, report.failed) == (1, 1)
    assert report.errors[0].startswith(f"{broken}: ")
    with staffed.database.reader() as session:
        waiting = session.exec(
            select(AlertDelivery).where(AlertDelivery.status == DeliveryStatus.PENDING)
        ).one()
    assert waiting.attempts == 1 and "the template needs a value" in (waiting.last_error or "")
