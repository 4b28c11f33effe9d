"""Who hears of each alert, and telling them by e-mail.

`plan_deliveries` decides, once per new alert, who must be told: the officer who owns the step
(due soon, due today, overdue), the managers of that officer's team (overdue, in their daily
digest), and the head of service (once the step is overdue long enough: the escalation). A
unique constraint means each person hears of each alert once.

`send_pending` and `send_digests` hand the messages to the mail server. A delivery is marked
sent only after the server accepted it; a failure is logged with the case reference and tried
again later (1, 2, 4, 8... minutes), up to `[alerts] max_send_attempts`, and one failing message
never stops the others or the sweep.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from functools import partial

import sqlalchemy as sa
from jinja2 import Environment, PackageLoader, StrictUndefined
from sqlalchemy.dialects import postgresql, sqlite

from complaints.context import Context
from complaints.dates import long_date
from complaints.deadlines import step_label
from complaints.mail.mailer import Mailer
from complaints.mail.sending import SendReport, failed_attempt, plain_message
from complaints.models import (
    Action,
    Alert,
    AlertDelivery,
    AlertKind,
    Deadline,
    DeliveryStatus,
    FeedbackCase,
    Recipient,
    Role,
    User,
    table_of,
)

log = logging.getLogger("complaints.alerts")
_DELIVERY = table_of(AlertDelivery)
_ALERT = table_of(Alert)
_DEADLINE = table_of(Deadline)
_ACTION = table_of(Action)
_CASE = table_of(FeedbackCase)
_USER = table_of(User)
_TEMPLATES = Environment(
    loader=PackageLoader("complaints.alerts", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # plain-text e-mail, never rendered as HTML
    keep_trailing_newline=True,
)
OWNER_KINDS = {AlertKind.DUE_SOON, AlertKind.DUE_TODAY, AlertKind.OVERDUE}
HEADLINES = {
    AlertKind.DUE_SOON: "A step you own is due soon.",
    AlertKind.DUE_TODAY: "A step you own is due today.",
    AlertKind.OVERDUE: "A step you own is overdue.",
    AlertKind.ESCALATED: "A step in your service has been overdue for some time.",
}


@dataclass(frozen=True)
class _Pending:
    """A delivery with what its message needs."""

    delivery_id: int
    attempts: int
    kind: AlertKind
    reference: str
    step: str
    due_on: date
    recipient_name: str
    recipient_email: str | None
    owner_name: str | None
    recipient_id: int


def plan_deliveries(ctx: Context, alert_ids: Iterable[int]) -> int:
    """Record who must hear of each alert; returns how many deliveries were added."""
    ids = list(alert_ids)
    if not ids:
        return 0
    owner_id = sa.func.coalesce(_DEADLINE.c.owner_id, _ACTION.c.owner_id)
    with ctx.database.unit_of_work() as session:
        connection = session.connection()
        alerts = connection.execute(
            sa.select(_ALERT.c.id, _ALERT.c.kind, owner_id.label("owner_id"), _USER.c.team_id)
            .select_from(_ALERT)
            .outerjoin(_DEADLINE, _DEADLINE.c.id == _ALERT.c.deadline_id)
            .outerjoin(_ACTION, _ACTION.c.id == _ALERT.c.action_id)
            .outerjoin(_USER, _USER.c.id == owner_id)
            .where(_ALERT.c.id.in_(ids))
        ).all()
        managers = _managers_by_team(connection)
        head = _head_of_service(ctx, connection)
        now = ctx.clock.now()
        rows = []
        for alert in alerts:
            kind = AlertKind(alert.kind)
            if kind in OWNER_KINDS and alert.owner_id:
                rows.append(_row(alert.id, alert.owner_id, Recipient.OWNER, False, now))
            if kind is AlertKind.OVERDUE:
                rows += [
                    _row(alert.id, manager, Recipient.MANAGER, True, now)
                    for manager in managers.get(alert.team_id, ())
                    if manager != alert.owner_id
                ]
            if kind is AlertKind.ESCALATED and head is not None:
                rows.append(_row(alert.id, head, Recipient.HEAD_OF_SERVICE, False, now))
        if not rows:
            return 0
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        statement = (
            insert(_DELIVERY)
            .on_conflict_do_nothing(index_elements=["alert_id", "recipient_id"])
            .returning(_DELIVERY.c.id)
        )
        return len(connection.execute(statement, rows).all())


def send_pending(ctx: Context, mailer: Mailer, *, limit: int = 500) -> SendReport:
    """Send every individual alert message that is due to be tried now."""
    report = SendReport()
    for pending in _due_deliveries(ctx, digest=False, limit=limit):
        report = _attempt(ctx, mailer, partial(_alert_message, ctx, pending), [pending], report)
    return report


def send_digests(ctx: Context, mailer: Mailer) -> SendReport:
    """Send each manager one message listing all their team's overdue steps not yet sent."""
    by_recipient: dict[int, list[_Pending]] = defaultdict(list)
    for pending in _due_deliveries(ctx, digest=True, limit=100_000):
        by_recipient[pending.recipient_id].append(pending)
    report = SendReport()
    for items in by_recipient.values():
        report = _attempt(ctx, mailer, partial(_digest_message, ctx, items), items, report)
    return report


def _attempt(
    ctx: Context,
    mailer: Mailer,
    message: Callable[[], EmailMessage | None],
    deliveries: list[_Pending],
    report: SendReport,
) -> SendReport:
    """Write and send one message covering `deliveries`, and record what happened to each. A
    message that cannot be written (a case's data the template cannot take) fails like one
    the mail server refuses: on its own, retried, never stopping the others."""
    references = ", ".join(sorted({d.reference for d in deliveries}))
    try:
        written = message()
        if written is None:
            raise ValueError(f"{deliveries[0].recipient_name} has no e-mail address")
        mailer.send(written)
    except Exception as error:
        gave_up = _record_failure(ctx, deliveries, error)
        log.error(
            "alert e-mail for %s to %s failed: %s",
            references,
            deliveries[0].recipient_name,
            error,
            extra={"case": deliveries[0].reference},
        )
        return report.one_failed(references, error, gave_up)
    _record_sent(ctx, deliveries)
    return report.one_sent()


def _record_sent(ctx: Context, deliveries: list[_Pending]) -> None:
    with ctx.database.unit_of_work() as session:
        session.connection().execute(
            _DELIVERY.update()
            .where(_DELIVERY.c.id.in_([d.delivery_id for d in deliveries]))
            .values(status=DeliveryStatus.SENT.value, sent_at=ctx.clock.now(), last_error=None)
        )


def _record_failure(ctx: Context, deliveries: list[_Pending], error: Exception) -> int:
    """Count the attempt; schedule the next one, or give up after the last. Returns how many
    deliveries were given up."""
    gave_up = 0
    with ctx.database.unit_of_work() as session:
        for delivery in deliveries:
            values = failed_attempt(ctx, delivery.attempts, error)
            gave_up += values["status"] == DeliveryStatus.GAVE_UP.value
            session.connection().execute(
                _DELIVERY.update().where(_DELIVERY.c.id == delivery.delivery_id).values(**values)
            )
    return gave_up


def _due_deliveries(ctx: Context, *, digest: bool, limit: int) -> list[_Pending]:
    recipient = _USER.alias("recipient")
    owner = _USER.alias("owner")
    owner_id = sa.func.coalesce(_DEADLINE.c.owner_id, _ACTION.c.owner_id)
    query = (
        sa.select(
            _DELIVERY.c.id,
            _DELIVERY.c.attempts,
            _DELIVERY.c.recipient_id,
            _ALERT.c.kind,
            _ALERT.c.due_on,
            _CASE.c.reference,
            _DEADLINE.c.name,
            _ACTION.c.description,
            recipient.c.full_name,
            recipient.c.email,
            owner.c.full_name.label("owner_name"),
        )
        .select_from(_DELIVERY)
        .join(_ALERT, _ALERT.c.id == _DELIVERY.c.alert_id)
        .outerjoin(_DEADLINE, _DEADLINE.c.id == _ALERT.c.deadline_id)
        .outerjoin(_ACTION, _ACTION.c.id == _ALERT.c.action_id)
        .join(_CASE, _CASE.c.id == sa.func.coalesce(_DEADLINE.c.case_id, _ACTION.c.case_id))
        .join(recipient, recipient.c.id == _DELIVERY.c.recipient_id)
        .outerjoin(owner, owner.c.id == owner_id)
        .where(
            _DELIVERY.c.status == DeliveryStatus.PENDING.value,
            _DELIVERY.c.digest == digest,
            _DELIVERY.c.next_attempt_at <= ctx.clock.now(),
        )
        .order_by(_DELIVERY.c.id)
        .limit(limit)
    )
    with ctx.database.reader() as session:
        rows = session.connection().execute(query).all()
    return [
        _Pending(
            delivery_id=row.id,
            attempts=row.attempts,
            kind=AlertKind(row.kind),
            reference=row.reference,
            step=step_label(row.name) if row.name else f"Action: {row.description}",
            due_on=row.due_on,
            recipient_name=row.full_name,
            recipient_email=row.email,
            owner_name=row.owner_name,
            recipient_id=row.recipient_id,
        )
        for row in rows
    ]


def _alert_message(ctx: Context, pending: _Pending) -> EmailMessage | None:
    if not pending.recipient_email:
        return None
    overdue = _working_days_overdue(ctx, pending.due_on)
    body = _TEMPLATES.get_template("alert.txt.j2").render(
        greeting=f"Dear {pending.recipient_name},",
        headline=HEADLINES[pending.kind],
        reference=pending.reference,
        step=pending.step,
        due_on=long_date(pending.due_on),
        working_days_overdue=overdue
        if pending.kind in (AlertKind.OVERDUE, AlertKind.ESCALATED)
        else 0,
        link=ctx.settings.alerts.case_link.format(reference=pending.reference),
        council=ctx.settings.council.name,
    )
    kind = pending.kind.value.replace("_", " ").capitalize()
    subject = f"{kind}: {pending.reference} {pending.step}, due {long_date(pending.due_on)}"
    return plain_message(ctx, pending.recipient_email, subject, body)


def _digest_message(ctx: Context, items: list[_Pending]) -> EmailMessage | None:
    first = items[0]
    if not first.recipient_email:
        return None
    body = _TEMPLATES.get_template("digest.txt.j2").render(
        greeting=f"Dear {first.recipient_name},",
        items=[
            {
                "reference": item.reference,
                "step": item.step,
                "due_on": long_date(item.due_on),
                "working_days_overdue": _working_days_overdue(ctx, item.due_on),
                "owner": item.owner_name or "unallocated",
                "link": ctx.settings.alerts.case_link.format(reference=item.reference),
            }
            for item in sorted(items, key=lambda item: (item.due_on, item.reference))
        ],
        council=ctx.settings.council.name,
    )
    subject = f"Overdue in your team: {len(items)} step{'s' if len(items) != 1 else ''}"
    return plain_message(ctx, first.recipient_email, subject, body)


def _working_days_overdue(ctx: Context, due_on: date) -> int:
    return max(0, ctx.calendar.working_days_between(due_on, ctx.clock.today()))


def _managers_by_team(connection: sa.Connection) -> dict[int | None, list[int]]:
    managers: dict[int | None, list[int]] = defaultdict(list)
    for user_id, team_id in connection.execute(
        sa.select(_USER.c.id, _USER.c.team_id).where(
            _USER.c.role == Role.MANAGER.value, _USER.c.active.is_(True)
        )
    ):
        managers[team_id].append(user_id)
    return managers


def _head_of_service(ctx: Context, connection: sa.Connection) -> int | None:
    username = ctx.settings.alerts.head_of_service
    if not username:
        return None
    found: int | None = connection.execute(
        sa.select(_USER.c.id).where(_USER.c.username == username.lower())
    ).scalar()
    if found is None:
        log.error("the head of service '%s' named in config.toml is not a user", username)
    return found


def _row(
    alert_id: int, recipient_id: int, reason: Recipient, digest: bool, now: datetime
) -> dict[str, object]:
    return {
        "alert_id": alert_id,
        "recipient_id": recipient_id,
        "reason": reason.value,
        "digest": digest,
        "status": DeliveryStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
