"""The retention policy: removing personal data from cases closed long enough ago, and telling a
person everything held about them (a subject access request).

Anonymising keeps every figure the statutory reports count (dates, stages, states, findings,
remedies, deadlines, costs, decisions) and removes what identifies or describes a person: the
complainant's name and contact details, every free-text field, the text and PDF of letters (a
sent letter keeps its SHA-256 digest, so what was sent can still be proved if a copy turns up),
attachments and e-mails, and the free text in the case's audit trail. Open cases are never
touched, and each case anonymised gets an audit event saying so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.dates import years_on
from complaints.errors import DomainError
from complaints.exchange.exporting import write_json
from complaints.models import (
    Action,
    Attachment,
    AuditEvent,
    ComplaintPoint,
    Escalation,
    Extension,
    FeedbackCase,
    Hold,
    InboundMessage,
    LessonLearned,
    Letter,
    LetterComments,
    LetterRevision,
    LgscoRecord,
    PointOutcome,
    Remedy,
    StageCost,
    table_of,
)
from complaints.permissions import Permission, require
from complaints.services.audit import record_event
from complaints.services.people import find_user

ANONYMISED = "Anonymised"
REMOVED = "Removed under the retention policy"
# The parts of an audit event's before/after that hold no personal data: where the case was.
STRUCTURAL_KEYS = frozenset(
    {"state", "stage", "version", "open_deadlines", "stopped", "stopped_all"}
)


@dataclass(frozen=True)
class RetentionResult:
    """What a retention run did (or, for a trial, would do)."""

    closed_on_or_before: date
    anonymised: tuple[str, ...]
    trial: bool


def retention_cutoff(today: date, years: int) -> date:
    """The last closing day whose cases are past retention: `years` whole years before today
    (29 February counts back to 28 February)."""
    return years_on(today, -years)


def run_retention(ctx: Context, *, by: str, trial: bool = False) -> RetentionResult:
    """Anonymise every closed case past the retention period, in one transaction."""
    today = ctx.clock.today()
    cutoff = retention_cutoff(today, ctx.settings.retention.years_after_closure)
    with ctx.database.unit_of_work() as session:
        actor = find_user(session, by)
        require(actor, Permission.RUN_RETENTION)
        cases = list(session.exec(_past_retention(ctx, cutoff)).all())
        result = RetentionResult(cutoff, tuple(case.reference for case in cases), trial)
        if trial:
            return result
        now = ctx.clock.now()
        for case in cases:
            removed = _anonymise(session, case, today)
            record_event(
                session,
                at=now,
                actor=actor,
                case=case,
                action="anonymise",
                summary=f"Personal data removed under the retention policy (closed "
                f"{case.closed_on.isoformat() if case.closed_on else '?'}; "
                f"{ctx.settings.retention.years_after_closure} years): {', '.join(removed)}",
            )
        record_event(
            session,
            at=now,
            actor=actor,
            action="retention_run",
            summary=f"Retention run: {len(cases)} cases closed on or before "
            f"{cutoff.isoformat()} anonymised",
        )
    return result


def _past_retention(ctx: Context, cutoff: date) -> Any:
    final_states = {
        state
        for name in ctx.settings.procedures
        for state in ctx.engine.workflow(name).final_states
    }
    return (
        select(FeedbackCase)
        .where(
            col(FeedbackCase.closed_on).is_not(None),
            col(FeedbackCase.closed_on) <= cutoff,
            col(FeedbackCase.anonymised_on).is_(None),
            col(FeedbackCase.state).in_(final_states),
        )
        .order_by(col(FeedbackCase.id))
    )


def _anonymise(session: Session, case: FeedbackCase, today: date) -> list[str]:
    """Remove the personal data of one case; returns what kinds of data were removed."""
    case_id = case.id
    case.complainant_name = ANONYMISED
    case.complainant_email = case.complainant_phone = case.complainant_address = None
    case.advocate_name = case.late_reason = None
    case.summary = REMOVED
    case.anonymised_on = today
    for statement in _redactions(case_id):
        session.execute(statement)
    for letter in session.exec(select(Letter).where(Letter.case_id == case_id)):
        _redact_letter(letter, today)
    for event in session.exec(select(AuditEvent).where(AuditEvent.case_id == case_id)):
        event.summary = f"{event.action.replace('_', ' ').capitalize()} (details removed)"
        event.before = _structural(event.before)
        event.after = _structural(event.after)
    session.flush()
    return ["contact details", "free text", "letters' text", "attachments", "e-mails"]


def _redactions(case_id: int | None) -> Iterator[sa.Update]:
    """The UPDATEs that blank the free text of a case's related rows."""

    def update(model: type, **values: Any) -> sa.Update:
        table = table_of(model)
        return sa.update(table).where(table.c.case_id == case_id).values(**values)

    point_ids = sa.select(table_of(ComplaintPoint).c.id).where(
        table_of(ComplaintPoint).c.case_id == case_id
    )
    outcomes = table_of(PointOutcome)
    points = table_of(ComplaintPoint)
    yield (
        sa.update(points)
        .where(points.c.case_id == case_id)
        .values(description=sa.literal("Point ") + sa.cast(points.c.number, sa.String))
    )
    yield sa.update(outcomes).where(outcomes.c.point_id.in_(point_ids)).values(notes=None)
    yield update(Remedy, description=None)
    yield update(Action, description=REMOVED, evidence=None)
    yield update(LessonLearned, text=REMOVED)
    yield update(Escalation, details=None)
    yield update(Extension, reason=REMOVED)
    yield update(Hold, reason=REMOVED)
    yield update(LgscoRecord, remedy_agreed=None, compliance_evidence=None)
    yield update(StageCost, description=None)
    yield update(InboundMessage, sender=ANONYMISED, subject=REMOVED, body=REMOVED)
    yield update(Attachment, filename="removed", content=None)
    letter_ids = sa.select(table_of(Letter).c.id).where(table_of(Letter).c.case_id == case_id)
    revisions, comments = table_of(LetterRevision), table_of(LetterComments)
    yield sa.update(revisions).where(revisions.c.letter_id.in_(letter_ids)).values(content={})
    yield (
        sa.update(comments)
        .where(comments.c.letter_id.in_(letter_ids))
        .values(overall=None, parts={})
    )


def _redact_letter(letter: Letter, today: date) -> None:
    # A sent letter may change only this way (the database's trigger checks it): the text,
    # the PDF and the address go; the digest, the date and the template stay.
    letter.html = letter.pdf = letter.recipient_address = letter.qa_comments = None
    letter.content = letter.discard_reason = None
    letter.recipient_name = ANONYMISED
    letter.redacted_on = today


def subject_access(ctx: Context, out: IO[str], *, by: str, name: str = "", email: str = "") -> int:
    """Write everything held about the person with this name or e-mail address (a subject
    access request): each of their cases as the JSON export has it. Returns how many cases."""
    name, email = name.strip(), email.strip()
    if not name and not email:
        raise DomainError("give the person's name or e-mail address")
    conditions = []
    if name:
        conditions.append(sa.func.lower(FeedbackCase.complainant_name) == name.lower())
        conditions.append(sa.func.lower(FeedbackCase.advocate_name) == name.lower())
    if email:
        conditions.append(sa.func.lower(FeedbackCase.complainant_email) == email.lower())
    with ctx.database.unit_of_work() as session:
        actor = find_user(session, by)
        require(actor, Permission.ANSWER_SUBJECT_ACCESS)
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="subject_access",
            summary="Subject access export made",
        )
    return write_json(ctx, out, only=sa.or_(*conditions))


def _structural(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: value for key, value in values.items() if key in STRUCTURAL_KEYS}
