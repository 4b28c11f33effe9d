"""E-mail intake: each new message becomes feedback in `received` for an officer to triage, or
joins the case whose reference it quotes when it comes from that case's contact.

A message quoting a case from anyone else (the contact's e-mail address, compared without regard
to case, is the only proof the product has of who is writing) never joins that case by itself:
it is logged as new feedback, marked as a possible reply to the case it quoted, and an officer
who knows it is one confirms it (`confirm_reply`), which moves it onto that case. So nobody can
add text or files to someone else's case by quoting its reference.

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

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.intake.mailboxes import Mailbox, RawMessage
from complaints.intake.messages import ParsedMessage, parse_message
from complaints.models import Attachment, FeedbackCase, InboundMessage, User
from complaints.permissions import Permission, require
from complaints.services.access import EVERY_CASE, Reach, reach_for, reach_of, visible_cases
from complaints.services.audit import record_event
from complaints.services.cases import (
    MAX_SUMMARY_LENGTH,
    NewFeedback,
    fire_in_session,
    log_feedback_in,
)
from complaints.services.people import find_user
from complaints.services.views import find_case

# Until an officer triages it, e-mailed feedback is a complaint under the corporate procedure:
# the procedure with a timer that starts on receipt for every council service.
EMAIL_PROCEDURE = "corporate"
EMAIL_TYPE = "complaint"
MAX_STORED_BODY = 100_000


@dataclass(frozen=True)
class IntakeOutcome:
    """What became of one message: `created` a case, was `threaded` onto one, was `refused`
    (with the reason), was logged as a `possible_reply` to the case it quoted, or was `already`
    recorded by an earlier run."""

    message_id: str
    outcome: str
    reference: str | None = None
    reason: str | None = None
    possible_reply_to: str | None = None


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
        require(actor, Permission.LOG_FEEDBACK, "take in e-mailed feedback")
        if _already_recorded(session, message.message_id):
            return IntakeOutcome(message.message_id, "already")
        refusal = _refusal(ctx, raw, message)
        if refusal is not None:
            _record(ctx, session, message, None, "refused", refusal)
            return IntakeOutcome(message.message_id, "refused", reason=refusal)
        quoted = _quoted_cases(ctx, session, message)
        case = next((case for case in quoted if _from_its_contact(case, message)), None)
        reply_to = quoted[0] if quoted and case is None else None
        if case is None:
            view = log_feedback_in(ctx, session, _feedback(ctx, message), by=by)
            case = find_case(session, view.reference, EVERY_CASE)
            outcome = "created" if reply_to is None else "possible_reply"
        else:
            outcome = "threaded"
        _record(ctx, session, message, case, outcome, None, reply_to)
        _audit(ctx, session, actor, case, message, outcome, reply_to)
        return IntakeOutcome(
            message.message_id,
            outcome,
            reference=case.reference,
            possible_reply_to=reply_to.reference if reply_to else None,
        )


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


def _quoted_cases(ctx: Context, session: Session, message: ParsedMessage) -> list[FeedbackCase]:
    """The cases whose references the subject (first) and the text quote, in that order."""
    prefix = re.escape(ctx.settings.council.reference_prefix)
    pattern = re.compile(rf"\b{prefix}-\d{{4}}-\d{{6}}\b", re.IGNORECASE)
    found: list[FeedbackCase] = []
    for reference in pattern.findall(f"{message.subject}\n{message.text}"):
        case = session.exec(
            select(FeedbackCase).where(FeedbackCase.reference == reference.upper())
        ).first()
        if case is not None and case.reference not in {known.reference for known in found}:
            found.append(case)
    return found


def _from_its_contact(case: FeedbackCase, message: ParsedMessage) -> bool:
    contact = (case.complainant_email or "").strip().lower()
    return bool(contact) and contact == message.sender_address.strip().lower()


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
    reply_to: FeedbackCase | None = None,
) -> None:
    now = ctx.clock.now()
    inbound = InboundMessage(
        message_id=message.message_id,
        case_id=case.id if case else None,
        possible_reply_to_id=reply_to.id if reply_to else None,
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
    reply_to: FeedbackCase | None,
) -> None:
    files = len(message.attachments)
    became = "added to the case" if outcome == "threaded" else "logged as new feedback"
    summary = (
        f"E-mail from {message.sender_address} {became}"
        f"{f' with {files} attachments' if files else ''}"
    )
    if reply_to is not None:
        summary += (
            f". It quotes {reply_to.reference} but is not from that case's contact, so it is "
            "only a possible reply until an officer confirms it"
        )
    record_event(
        session,
        at=ctx.clock.now(),
        actor=actor,
        case=case,
        action="email_received",
        summary=summary,
    )


def confirm_reply(ctx: Context, number: int, *, by: str) -> str:
    """Confirm that e-mail `number`, logged as new feedback because it quoted a case from
    someone other than that case's contact, is a reply to that case: the e-mail and its
    attachments move onto the case, and the feedback it was logged as, still untriaged, is
    withdrawn (it was never feedback of its own). Returns the reference it joined."""
    with ctx.database.unit_of_work() as session:
        actor = find_user(session, by)
        require(actor, Permission.LOG_FEEDBACK, "confirm an e-mail as a reply to a case")
        inbound = session.exec(
            select(InboundMessage).where(InboundMessage.id == number).with_for_update()
        ).first()
        if inbound is None:
            raise NotFoundError(f"there is no e-mail number {number}")
        if inbound.outcome != "possible_reply" or inbound.possible_reply_to_id is None:
            raise DomainError(
                f"e-mail {number} is not waiting to be confirmed as a reply: it was "
                f"{OUTCOME_WORDS.get(inbound.outcome, inbound.outcome)}"
            )
        # Both cases must be within the officer's reach (each is not found otherwise).
        reach = reach_of(session, ctx.settings, actor)
        logged_as = _case_by_id(session, inbound.case_id, reach)
        reply_to = _case_by_id(session, inbound.possible_reply_to_id, reach)
        _withdraw_logged_feedback(ctx, session, actor, logged_as, reply_to)
        _move_message(session, inbound, reply_to)
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            case=reply_to,
            action="email_confirmed",
            summary=f"E-mail from {inbound.sender} confirmed as a reply by {actor.full_name} "
            f"and added to the case (it had been logged as {logged_as.reference})",
        )
        return reply_to.reference


OUTCOME_WORDS = {
    "created": "logged as new feedback",
    "threaded": "added to the case it quoted",
    "refused": "refused",
    "confirmed": "confirmed as a reply already",
}


def _case_by_id(session: Session, case_id: int | None, reach: Reach) -> FeedbackCase:
    case = session.get(FeedbackCase, case_id) if case_id is not None else None
    assert case is not None, "a possible reply always has both cases"
    return find_case(session, case.reference, reach, to_change=True)


def _withdraw_logged_feedback(
    ctx: Context, session: Session, actor: User, logged_as: FeedbackCase, reply_to: FeedbackCase
) -> None:
    """Withdraw the feedback the e-mail was logged as, unless an officer has done so already;
    refused once it has been dealt with as feedback of its own."""
    workflow = ctx.engine.workflow(logged_as.procedure.value)
    if logged_as.state in workflow.final_states:
        return
    if logged_as.state != workflow.initial:
        raise DomainError(
            f"{logged_as.reference} has been dealt with as feedback of its own since the e-mail "
            f"came, so it cannot now be a reply to {reply_to.reference}; nothing was changed"
        )
    reason = f"The e-mail was confirmed as a reply to {reply_to.reference} and added to it"
    fire_in_session(ctx, session, logged_as, actor, "withdraw", None, {"reason": reason})


def _move_message(session: Session, inbound: InboundMessage, reply_to: FeedbackCase) -> None:
    assert reply_to.id is not None
    inbound.case_id = reply_to.id
    inbound.outcome = "confirmed"
    session.add(inbound)
    for attachment in session.exec(
        select(Attachment).where(Attachment.inbound_message_id == inbound.id)
    ):
        attachment.case_id = reply_to.id
        session.add(attachment)
    session.flush()


@dataclass(frozen=True)
class MessageView:
    """A recorded e-mail, as an officer sees it in a list."""

    number: int
    received_at: str
    sender: str
    subject: str
    outcome: str
    reference: str | None
    refusal: str | None
    possible_reply_to: str | None


def recent_messages(
    ctx: Context,
    *,
    by: str,
    refused_only: bool = False,
    possible_replies_only: bool = False,
    limit: int = 50,
) -> list[MessageView]:
    """The e-mails recorded most recently (only the refused ones, or only the possible replies
    waiting to be confirmed, if asked) that `by` may see: those of cases within their reach
    (and of the case a possible reply quotes), and, for the complaints office, those refused
    before they became a case."""
    reply_to = aliased(FeedbackCase)
    query = (
        select(InboundMessage, FeedbackCase.reference, reply_to.reference)
        .join(FeedbackCase, InboundMessage.case_id == FeedbackCase.id, isouter=True)  # type: ignore[arg-type]
        .join(reply_to, InboundMessage.possible_reply_to_id == reply_to.id, isouter=True)  # type: ignore[arg-type]
        .order_by(InboundMessage.id.desc())  # type: ignore[union-attr]
        .limit(limit)
    )
    if refused_only:
        query = query.where(InboundMessage.outcome == "refused")
    if possible_replies_only:
        query = query.where(InboundMessage.outcome == "possible_reply")
    with ctx.database.reader() as session:
        reach = reach_for(session, ctx.settings, by)
        if not reach.council_wide:
            within = select(FeedbackCase.id).where(visible_cases(reach))
            query = query.where(
                col(InboundMessage.case_id).in_(within),
                col(InboundMessage.possible_reply_to_id).is_(None)
                | col(InboundMessage.possible_reply_to_id).in_(within),
            )
        return [_message_view(*row) for row in session.exec(query).all()]


def _message_view(
    message: InboundMessage, reference: str | None, reply_reference: str | None
) -> MessageView:
    assert message.id is not None
    return MessageView(
        number=message.id,
        received_at=message.received_at.isoformat(timespec="minutes"),
        sender=message.sender,
        subject=message.subject,
        outcome=message.outcome,
        reference=reference,
        refusal=message.refusal,
        possible_reply_to=reply_reference,
    )
