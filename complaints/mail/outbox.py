"""E-mail to complainants, queued in the database in the transaction that decided to send it and
sent by the scheduler, with retries (1, 2, 4, 8... minutes, up to `[alerts] max_send_attempts`).
A mail server that is down delays a message; it never loses one, and never holds up a page.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from complaints.context import Context
from complaints.mail.mailer import Mailer
from complaints.mail.sending import SendReport, failed_attempt, plain_message
from complaints.models import DeliveryStatus, OutboundEmail, table_of

log = logging.getLogger("complaints.alerts")
_OUTBOX = table_of(OutboundEmail)


def queue_email(
    ctx: Context, session: Session, *, to: str, subject: str, body: str, case_id: int | None
) -> None:
    """Queue a message in the caller's transaction: it is sent only if that commits."""
    now = ctx.clock.now()
    session.add(
        OutboundEmail(
            case_id=case_id,
            to_address=to,
            subject=subject[:200],
            body=body,
            status=DeliveryStatus.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
    )


def send_outbox(ctx: Context, mailer: Mailer, *, limit: int = 500) -> SendReport:
    """Send every queued message due to be tried now; each failure is logged and retried."""
    report = SendReport()
    for row in _due(ctx, limit):
        try:
            mailer.send(plain_message(ctx, row.to_address, row.subject, row.body))
        except Exception as error:
            gave_up = _failed(ctx, row.id, row.attempts, error)
            log.error("e-mail %s to %s failed: %s", row.id, row.to_address, error)
            report = report.one_failed(f"e-mail {row.id}", error, gave_up)
            continue
        _sent(ctx, row.id)
        report = report.one_sent()
    return report


def _due(ctx: Context, limit: int) -> list[Any]:
    columns = ("id", "to_address", "subject", "body", "attempts")
    query = (
        sa.select(*(_OUTBOX.c[name] for name in columns))
        .where(
            _OUTBOX.c.status == DeliveryStatus.PENDING.value,
            _OUTBOX.c.next_attempt_at <= ctx.clock.now(),
        )
        .order_by(_OUTBOX.c.id)
        .limit(limit)
    )
    with ctx.database.reader() as session:
        return list(session.connection().execute(query).all())


def _sent(ctx: Context, email_id: int) -> None:
    with ctx.database.unit_of_work() as session:
        session.connection().execute(
            _OUTBOX.update()
            .where(_OUTBOX.c.id == email_id)
            .values(status=DeliveryStatus.SENT.value, sent_at=ctx.clock.now(), last_error=None)
        )


def _failed(ctx: Context, email_id: int, attempts: int, error: Exception) -> int:
    """Count the attempt and schedule the next, or give up after the last; 1 if given up."""
    values = failed_attempt(ctx, attempts, error)
    with ctx.database.unit_of_work() as session:
        session.connection().execute(
            _OUTBOX.update().where(_OUTBOX.c.id == email_id).values(**values)
        )
    return int(values["status"] == DeliveryStatus.GAVE_UP.value)
