"""Feedback made online by a member of the public, through the council's public form.

It becomes a case in `received` that nobody owns until an officer triages it, under the procedure
its subject suggests (children's or adult social care, or the corporate procedure; compliments
and comments as feedback). The person gets an e-mail with their reference, queued in the same
transaction and sent by the scheduler, so a mail server that is down loses nothing; it repeats
none of what they typed, since nobody has checked the address is theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from complaints.context import Context
from complaints.dates import long_date
from complaints.errors import DomainError
from complaints.mail.outbox import queue_email
from complaints.models import FeedbackCase, FeedbackType, MadeBy, Procedure
from complaints.services.access import EVERY_CASE
from complaints.services.cases import PROCEDURES_FOR_TYPE, NewFeedback, log_feedback_in
from complaints.services.values import parse_choice
from complaints.services.views import find_case
from workflows import WORKFLOWS


class Subject(StrEnum):
    """What the feedback is about, as the form asks it."""

    CHILDREN = "children"  # children's social care: the statutory procedure
    ADULTS = "adults"  # adult social care
    OTHER = "other"  # any other council service


ONLINE_TYPES = (FeedbackType.COMPLAINT, FeedbackType.COMPLIMENT, FeedbackType.COMMENT)
# The procedure a complaint about each subject follows, as the workflows declare.
PROCEDURE_FOR_SUBJECT = {
    Subject(workflow.public_subject): Procedure(workflow.name)
    for workflow in WORKFLOWS.values()
    if workflow.public_subject
}


@dataclass(frozen=True)
class OnlineFeedback:
    """What the public form asks."""

    feedback_type: str
    subject: str
    what_happened: str
    outcome_wanted: str
    name: str
    email: str
    phone: str
    address: str
    on_behalf_of_child: bool
    child_name: str
    consent: bool
    accessibility: str


def submit_online(ctx: Context, submission: OnlineFeedback) -> str:
    """Log the submission as a new case; returns its reference."""
    feedback = _new_feedback(ctx, submission)
    with ctx.database.unit_of_work() as session:
        view = log_feedback_in(ctx, session, feedback, by=None)
        if submission.email.strip():
            case = find_case(session, view.reference, EVERY_CASE)
            queue_email(
                ctx,
                session,
                to=submission.email.strip(),
                subject=f"We have received your {view.feedback_type}: {view.reference}",
                body=_acknowledgement(ctx, case),
                case_id=case.id,
            )
    return view.reference


def _new_feedback(ctx: Context, submission: OnlineFeedback) -> NewFeedback:
    feedback_type = parse_choice(FeedbackType, submission.feedback_type, "type of feedback")
    if feedback_type not in ONLINE_TYPES:
        raise DomainError("choose a complaint, a compliment or a comment")
    subject = parse_choice(Subject, submission.subject, "subject")
    is_complaint = feedback_type is FeedbackType.COMPLAINT
    reachable = submission.email.strip() or submission.phone.strip() or submission.address.strip()
    if is_complaint and not reachable:
        raise DomainError("give an e-mail address, a phone number or an address to reply to")
    if submission.on_behalf_of_child and not submission.child_name.strip():
        raise DomainError("give the name of the child or young person")
    if submission.on_behalf_of_child and not submission.consent:
        raise DomainError(
            "confirm that the child or young person agrees, or that you may act for them"
        )
    return NewFeedback(
        procedure=(
            PROCEDURE_FOR_SUBJECT[subject] if is_complaint else _procedure_for(feedback_type)
        ).value,
        feedback_type=feedback_type.value,
        received_on=ctx.clock.today(),
        summary=_summary(submission),
        complainant_name=submission.name,
        contact_method=_online_contact_method(ctx),
        made_by=(MadeBy.REPRESENTATIVE if submission.on_behalf_of_child else MadeBy.COMPLAINANT),
        is_child=submission.on_behalf_of_child,
        complainant_email=submission.email,
        complainant_phone=submission.phone,
        complainant_address=submission.address,
        consent_recorded=submission.consent,
    )


def _procedure_for(feedback_type: FeedbackType) -> Procedure:
    """The one procedure a compliment or a comment follows."""
    (procedure,) = PROCEDURES_FOR_TYPE[feedback_type]
    return procedure


def _online_contact_method(ctx: Context) -> str:
    """The council's code for its website ("portal"), or its first contact method."""
    methods = ctx.settings.lists.contact_methods
    return "portal" if "portal" in methods else methods[0]


def _summary(submission: OnlineFeedback) -> str:
    parts = [submission.what_happened.strip()]
    if submission.outcome_wanted.strip():
        parts.append(f"What they would like to happen: {submission.outcome_wanted.strip()}")
    if submission.on_behalf_of_child:
        parts.append(f"Made on behalf of: {submission.child_name.strip()}")
    if submission.accessibility.strip():
        parts.append(f"How to contact them, or help they need: {submission.accessibility.strip()}")
    return "\n\n".join(part for part in parts if part)


def _acknowledgement(ctx: Context, case: FeedbackCase) -> str:
    """The e-mail confirming the reference. The address was typed into the form and nobody has
    checked it is the sender's, so the message repeats nothing the sender typed (not even the
    name): the form cannot be used to send someone else words of the sender's choosing."""
    council = ctx.settings.council
    kind = case.feedback_type.value
    lines = [
        "Hello,",
        "",
        f"Thank you for your {kind}. We received it on {long_date(case.received_on)}.",
        f"Your reference is {case.reference}. Please quote it if you contact us.",
        "",
    ]
    if case.feedback_type is FeedbackType.COMPLAINT:
        lines += [
            "A complaints officer will look at it and write to you to confirm how we will",
            "deal with it and when you can expect a full reply.",
            "",
        ]
    lines += [
        f"If you need to talk to us, e-mail {council.email} or call {council.phone}.",
        f"If you did not contact {council.name}, you can ignore this e-mail.",
        "",
        council.name,
    ]
    return "\n".join(lines) + "\n"
