"""E-mail intake: each new message becomes feedback in `received` for an officer to triage, or
joins the case whose reference it quotes.

One message is one transaction: the message, its attachments, the case it creates and the audit
events are written together or not at all. A message is recognised by its Message-ID, so reading
a mailbox again records nothing twice. A message the product cannot take (no sender, no text,
too large, an attachment over the limit) is recorded as refused with the reason, for an officer
to deal with by hand; the mailbox keeps the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from complaints.context import Context
from complaints.intake.mailboxes import Mailbox, RawMessage
from complaints.intake.messages import ParsedMessage, parse_message
from complaints.models import Attachment, FeedbackCase, InboundMessage, User
from complaints.services.audit import record_event
from complaints.services.cases import (
    LOGGING_ROLES,
    MAX_SUMMARY_LENGTH,
    NewFeedback,
    log_feedback_in,
)
from complaints.services.people import find_user, require_role

# Until an officer triages it, e-mailed feedback is a complaint under the corporate procedure:
# the procedure with a timer that starts on receipt for every council service.
EMAIL_PROCEDURE = "corporate"
EMAIL_TYPE = "complaint"
MAX_STORED_BODY = 100_000


@dataclass(frozen=True)
class IntakeOutcome:
    """What became of one message: `created` a case, was `threaded` onto one, was `refused`
    (with the reason), or was `already` recorded by an earlier run."""

    message_id: str
    outcome: str
    reference: str | None = None
    reason: str | None = None


def fetch_mail(ctx: Context, mailbox: Mailbox, *, by: str) -> list[IntakeOutcome]:
    """Take in every message the mailbox offers, each in its own transaction."""
    outcomes = []
    try:
        for raw in mailbox.messages():
            outcome = take_in_message(ctx, raw, by=by)
            mailbox.recorded(raw.key)
            outcomes.append(outcome)
    finally:
        mailbox.close()
    return outcomes


def take_in_message(ctx: Context, raw: RawMessage, *, by: str) -> IntakeOutcome:
    """Record one message, and the case it creates or joins."""
    message = parse_message(raw.data)
    with ctx.database.unit_of_work() as session:
        actor = find_user(session, by)
        require_role(actor, LOGGING_ROLES, "take in e-mailed feedback")
        if _already_recorded(session, message.message_id):
            return IntakeOutcome(message.message_id, "already")
        refusal = _refusal(ctx, raw, message)
        if refusal is not None:
            _record(ctx, session, message, None, "refused", refusal)
            return IntakeOutcome(message.message_id, "refused", reason=refusal)
        case = _quoted_case(ctx, session, message)
        if case is None:
            view = log_feedback_in(ctx, session, _feedback(ctx, message), by=by)
            case = session.exec(
                select(FeedbackCase).where(FeedbackCase.reference == view.reference)
            ).one()
            outcome = "created"
        else:
            outcome = "threaded"
        _record(ctx, session, message, case, outcome, None)
        _audit(ctx, session, actor, case, message, outcome)
        return IntakeOutcome(message.message_id, outcome, reference=case.reference)


def _already_recorded(session: Session, message_id: str) -> bool:
    query = select(func.count()).select_from(InboundMessage)
    return bool(session.exec(query.where(InboundMessage.message_id == message_id)).one())


def _refusal(ctx: Context, raw: RawMessage, message: ParsedMessage) -> str | None:
    limits = ctx.settings.mail
    if raw.too_large:
        return (
            f"the e-mail is {raw.size:,} bytes, more than the {limits.max_message_bytes:,} allowed"
        )
    if not message.sender_address:
        return "the e-mail has no sender address"
    if not message.text and not message.attachments:
        return "the e-mail has no text"
    for attached in message.attachments:
        if len(attached.content) > limits.max_attachment_bytes:
            return (
                f"the attachment {attached.filename} is {len(attached.content):,} bytes, "
                f"more than the {limits.max_attachment_bytes:,} allowed"
            )
    return None


def _quoted_case(ctx: Context, session: Session, message: ParsedMessage) -> FeedbackCase | None:
    """The case whose reference the subject (or else the text) quotes, if there is one."""
    prefix = re.escape(ctx.settings.council.reference_prefix)
    pattern = re.compile(rf"\b{prefix}-\d{{4}}-\d{{6}}\b", re.IGNORECASE)
    for reference in pattern.findall(f"{message.subject}\n{message.text}"):
        case = session.exec(
            select(FeedbackCase).where(FeedbackCase.reference == reference.upper())
        ).first()
        if case is not None:
            return case
    return None


def _feedback(ctx: Context, message: ParsedMessage) -> NewFeedback:
    summary = "\n\n".join(part for part in (message.subject, message.text) if part)
    return NewFeedback(
        procedure=EMAIL_PROCEDURE,
        feedback_type=EMAIL_TYPE,
        received_on=_received_on(ctx, message),
        summary=(summary or "(attachments only)")[:MAX_SUMMARY_LENGTH],
        complainant_name=(message.sender_name or message.sender_address)[:200],
        complainant_email=message.sender_address[:254],
        contact_method="email",
    )


def _received_on(ctx: Context, message: ParsedMessage) -> date:
    """The day the council received it, as the sender's mail server dated it (in the council's
    time zone), but never a day in the future."""
    today = ctx.clock.today()
    if message.sent_at is None:
        return today
    council_zone = ZoneInfo(ctx.settings.calendar.timezone)
    return min(message.sent_at.astimezone(council_zone).date(), today)


def _record(
    ctx: Context,
    session: Session,
    message: ParsedMessage,
    case: FeedbackCase | None,
    outcome: str,
    refusal: str | None,
) -> None:
    now = ctx.clock.now()
    inbound = InboundMessage(
        message_id=message.message_id,
        case_id=case.id if case else None,
        sender=message.sender_address[:320] or "(none)",
        subject=message.subject[:998],
        body=message.text[:MAX_STORED_BODY],
        sent_at=message.sent_at,
        outcome=outcome,
        refusal=refusal,
        received_at=now,
    )
    session.add(inbound)
    session.flush()
    if case is None or case.id is None:
        return
    for attached in message.attachments:
        session.add(
            Attachment(
                case_id=case.id,
                inbound_message_id=inbound.id,
                filename=attached.filename,
                content_type=attached.content_type[:255],
                size_bytes=len(attached.content),
                sha256=attached.sha256,
                content=attached.content,
                created_at=now,
            )
        )


def _audit(
    ctx: Context,
    session: Session,
    actor: User,
    case: FeedbackCase,
    message: ParsedMessage,
    outcome: str,
) -> None:
    files = len(message.attachments)
    record_event(
        session,
        at=ctx.clock.now(),
        actor=actor,
        case=case,
        action="email_received",
        summary=f"E-mail from {message.sender_address} "
        f"{'logged as new feedback' if outcome == 'created' else 'added to the case'}"
        f"{f' with {files} attachments' if files else ''}",
    )


@dataclass(frozen=True)
class MessageView:
    """A recorded e-mail, as an officer sees it in a list."""

    received_at: str
    sender: str
    subject: str
    outcome: str
    reference: str | None
    refusal: str | None


def recent_messages(
    ctx: Context, *, refused_only: bool = False, limit: int = 50
) -> list[MessageView]:
    """The e-mails recorded most recently (only the refused ones, if asked)."""
    query = (
        select(InboundMessage, FeedbackCase.reference)
        .join(FeedbackCase, InboundMessage.case_id == FeedbackCase.id, isouter=True)  # type: ignore[arg-type]
        .order_by(InboundMessage.id.desc())  # type: ignore[union-attr]
        .limit(limit)
    )
    if refused_only:
        query = query.where(InboundMessage.outcome == "refused")
    with ctx.database.reader() as session:
        return [
            MessageView(
                received_at=message.received_at.isoformat(timespec="minutes"),
                sender=message.sender,
                subject=message.subject,
                outcome=message.outcome,
                reference=reference,
                refusal=message.refusal,
            )
            for message, reference in session.exec(query).all()
        ]
