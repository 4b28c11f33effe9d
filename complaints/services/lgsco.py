"""The Ombudsman track of a case (docs/casework.md, the Ombudsman): after an enquiry is opened (the
workflow trigger `escalate_to_lgsco`), the council's response, the Ombudsman's decision with any
agreed remedy and its compliance date, the evidence of compliance, and the enquiry's closure.

A case may have several enquiries, each named by the Ombudsman's own reference. Each change is
one transaction with one audit event; a refusal changes nothing.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.models import FeedbackCase, LgscoDecision, LgscoRecord, User
from complaints.permissions import Permission, require
from complaints.services.access import reach_for
from complaints.services.cases import changing_case, finish_change, snapshot
from complaints.services.values import parse_choice, required_text
from complaints.services.views import CaseView, find_case, view_case

MAX_TEXT = 5_000
# Only a decision finding fault can come with a remedy the council agrees to carry out.
UPHELD = frozenset(
    {LgscoDecision.UPHELD_FAULT_AND_INJUSTICE, LgscoDecision.UPHELD_FAULT_NO_INJUSTICE}
)


def record_lgsco_response(
    ctx: Context,
    reference: str,
    ombudsman_reference: str,
    *,
    by: str,
    expected_version: int,
    responded_on: date | None = None,
) -> CaseView:
    """The council's reply to the Ombudsman's enquiry, sent on `responded_on` (today by
    default): never in the future, never before the enquiry was received, recorded once."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        _check_role(actor, "record the council's response to the Ombudsman")
        record = _open_record(session, case, ombudsman_reference)
        if record.responded_on is not None:
            raise DomainError(
                f"the response to Ombudsman enquiry '{record.ombudsman_reference}' was already "
                f"recorded as sent on {record.responded_on.isoformat()}"
            )
        day = _checked_day(ctx, responded_on, record.enquiry_received_on, "the enquiry arrived")
        before = snapshot(view_case(session, case))
        record.responded_on = day
        session.add(record)
        late = record.response_due_on is not None and day > record.response_due_on
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="record_lgsco_response",
            summary=f"Response sent to the Ombudsman on enquiry {record.ombudsman_reference}"
            + (" (late)" if late else ""),
            before=before,
            after={
                "ombudsman_reference": record.ombudsman_reference,
                "responded_on": day.isoformat(),
            },
        )


def record_lgsco_decision(
    ctx: Context,
    reference: str,
    ombudsman_reference: str,
    decision: str,
    *,
    by: str,
    expected_version: int,
    decided_on: date | None = None,
    remedy_agreed: str | None = None,
    compliance_due_on: date | None = None,
) -> CaseView:
    """The Ombudsman's decision on the enquiry, made on `decided_on` (today by default), once.
    An upheld decision may come with an agreed remedy, which then needs a compliance due date
    on or after the decision; any other decision has no remedy."""
    outcome = parse_choice(LgscoDecision, decision, "decision of the Ombudsman")
    remedy = None if remedy_agreed is None else required_text(remedy_agreed, "remedy", MAX_TEXT)
    if outcome not in UPHELD and (remedy is not None or compliance_due_on is not None):
        raise DomainError(
            f"a decision of {outcome.value.replace('_', ' ')} has no remedy to agree; "
            "a remedy follows an upheld decision only"
        )
    if remedy is not None and compliance_due_on is None:
        raise DomainError("an agreed remedy needs the date by which the council must comply")
    if compliance_due_on is not None and remedy is None:
        raise DomainError("a compliance due date needs the remedy the council agreed")
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        _check_role(actor, "record the Ombudsman's decision")
        record = _open_record(session, case, ombudsman_reference)
        if record.decision is not None and record.decision_on is not None:
            raise DomainError(
                f"the Ombudsman's decision on enquiry '{record.ombudsman_reference}' was already "
                f"recorded ({record.decision.value.replace('_', ' ')}, "
                f"{record.decision_on.isoformat()})"
            )
        day = _checked_day(ctx, decided_on, record.enquiry_received_on, "the enquiry arrived")
        if compliance_due_on is not None and compliance_due_on < day:
            raise DomainError(
                f"the compliance due date {compliance_due_on.isoformat()} is before the "
                f"decision ({day.isoformat()})"
            )
        before = snapshot(view_case(session, case))
        record.decision = outcome
        record.decision_on = day
        record.remedy_agreed = remedy
        record.compliance_due_on = compliance_due_on
        session.add(record)
        summary = (
            f"Ombudsman's decision on enquiry {record.ombudsman_reference}: "
            f"{outcome.value.replace('_', ' ')}"
        )
        if compliance_due_on is not None:
            summary += f"; remedy agreed, compliance due {compliance_due_on.isoformat()}"
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="record_lgsco_decision",
            summary=summary,
            before=before,
            after={
                "ombudsman_reference": record.ombudsman_reference,
                "decision": outcome.value,
                "decision_on": day.isoformat(),
                "remedy_agreed": remedy,
                "compliance_due_on": compliance_due_on.isoformat() if compliance_due_on else None,
            },
        )


def record_lgsco_compliance(
    ctx: Context,
    reference: str,
    ombudsman_reference: str,
    *,
    by: str,
    expected_version: int,
    evidence: str,
    complied_on: date | None = None,
) -> CaseView:
    """Evidence that the council carried out the remedy it agreed with the Ombudsman, on
    `complied_on` (today by default, never before the decision), recorded once."""
    proof = required_text(evidence, "evidence of compliance", MAX_TEXT)
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        _check_role(actor, "record compliance with the Ombudsman's remedy")
        record = _open_record(session, case, ombudsman_reference)
        if record.remedy_agreed is None or record.decision_on is None:
            raise DomainError(
                f"Ombudsman enquiry '{record.ombudsman_reference}' has no agreed remedy "
                "to comply with"
            )
        if record.complied_on is not None:
            raise DomainError(
                f"compliance on Ombudsman enquiry '{record.ombudsman_reference}' was already "
                f"recorded on {record.complied_on.isoformat()}"
            )
        day = _checked_day(ctx, complied_on, record.decision_on, "the Ombudsman's decision")
        before = snapshot(view_case(session, case))
        record.complied_on = day
        record.compliance_evidence = proof
        session.add(record)
        on_time = complied_on_time(record)
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="record_lgsco_compliance",
            summary=f"Complied with the Ombudsman's remedy on enquiry {record.ombudsman_reference}"
            + ("" if on_time else " (late)"),
            before=before,
            after={
                "ombudsman_reference": record.ombudsman_reference,
                "complied_on": day.isoformat(),
                "complied_on_time": on_time,
                "evidence": proof,
            },
        )


def close_lgsco_enquiry(
    ctx: Context,
    reference: str,
    ombudsman_reference: str,
    *,
    by: str,
    expected_version: int,
    closed_on: date | None = None,
) -> CaseView:
    """Close the enquiry on `closed_on` (today by default): only once the Ombudsman has decided
    and, where a remedy was agreed, once compliance is recorded; never twice."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        _check_role(actor, "close an Ombudsman enquiry")
        record = _open_record(session, case, ombudsman_reference)
        if record.decision_on is None:
            raise DomainError(
                f"Ombudsman enquiry '{record.ombudsman_reference}' cannot be closed before "
                "the Ombudsman's decision is recorded"
            )
        if record.remedy_agreed is not None and record.complied_on is None:
            raise DomainError(
                f"Ombudsman enquiry '{record.ombudsman_reference}' cannot be closed before "
                "compliance with the agreed remedy is recorded"
            )
        latest = record.complied_on or record.decision_on
        day = _checked_day(ctx, closed_on, latest, "the enquiry's last recorded step")
        before = snapshot(view_case(session, case))
        record.closed_on = day
        session.add(record)
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="close_lgsco_enquiry",
            summary=f"Ombudsman enquiry {record.ombudsman_reference} closed",
            before=before,
            after={
                "ombudsman_reference": record.ombudsman_reference,
                "closed_on": day.isoformat(),
            },
        )


def lgsco_records(ctx: Context, reference: str, *, by: str) -> list[LgscoRecord]:
    """The Ombudsman enquiries of a case, oldest first, for `by`, who must see the case."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, by))
        query = (
            select(LgscoRecord)
            .where(LgscoRecord.case_id == case.id)
            .order_by(col(LgscoRecord.enquiry_received_on), col(LgscoRecord.id))
        )
        return list(session.exec(query).all())


def enquiry_steps(record: LgscoRecord) -> tuple[str, ...]:
    """The steps that may be recorded next on the enquiry, of "response", "decision",
    "compliance" and "close": the ones the functions above would not refuse for its state."""
    if record.closed_on is not None:
        return ()
    steps = []
    if record.responded_on is None:
        steps.append("response")
    if record.decision_on is None:
        steps.append("decision")
    elif record.remedy_agreed is not None and record.complied_on is None:
        steps.append("compliance")
    else:
        steps.append("close")
    return tuple(steps)


def complied_on_time(record: LgscoRecord) -> bool | None:
    """Whether the agreed remedy was carried out by its compliance due date; None when no
    remedy was agreed or compliance is not yet recorded."""
    if record.remedy_agreed is None or record.compliance_due_on is None:
        return None
    if record.complied_on is None:
        return None
    return record.complied_on <= record.compliance_due_on


def _check_role(actor: User, doing: str) -> None:
    require(actor, Permission.DEAL_WITH_OMBUDSMAN, doing)


def _open_record(session: Session, case: FeedbackCase, ombudsman_reference: str) -> LgscoRecord:
    """The case's enquiry with this Ombudsman reference, refused once it is closed."""
    wanted = ombudsman_reference.strip()
    record = session.exec(
        select(LgscoRecord).where(
            LgscoRecord.case_id == case.id, LgscoRecord.ombudsman_reference == wanted
        )
    ).first()
    if record is None:
        raise NotFoundError(
            f"case {case.reference} has no Ombudsman enquiry '{ombudsman_reference}'"
        )
    if record.closed_on is not None:
        raise DomainError(
            f"Ombudsman enquiry '{record.ombudsman_reference}' was already closed on "
            f"{record.closed_on.isoformat()}"
        )
    return record


def _checked_day(ctx: Context, day: date | None, earliest: date, after_what: str) -> date:
    """`day` (today when not given), refused when in the future or before `earliest`."""
    today = ctx.clock.today()
    chosen = day or today
    if chosen > today:
        raise DomainError(f"{chosen.isoformat()} is in the future; today is {today.isoformat()}")
    if chosen < earliest:
        raise DomainError(f"{chosen.isoformat()} is before {after_what} ({earliest.isoformat()})")
    return chosen
