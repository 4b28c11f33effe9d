"""What every workflow shares: who may do what, the fields that recur, the deadlines every
complaints procedure has, and the transitions that exist in every procedure (withdraw, hold,
resume, reallocate, escalate to the Ombudsman)."""

from __future__ import annotations

from complaints.permissions import Permission, roles_that_may
from workflows.definition import (
    Deadline,
    DeadlineRole,
    Effect,
    Event,
    FieldKind,
    FieldSpec,
    Transition,
)

# Who may take each kind of step: read from the permissions table (docs/access.md).
OFFICE = roles_that_may(Permission.TAKE_STEPS)
CASEWORK = roles_that_may(Permission.WORK_A_CASE)
SIGN_OFF = roles_that_may(Permission.SIGN_OFF)

ESCALATION_REASONS = (
    "no_response",
    "dissatisfied_after_mediation",
    "no_follow_up_action",
    "dissatisfied_with_response",
    "requested_next_stage_directly",
    "other",
)

REASON = FieldSpec("reason", FieldKind.TEXT, "Reason")
ESCALATION_REASON = FieldSpec(
    "reason",
    FieldKind.CHOICE,
    "Why the complainant wants the next stage",
    choices=ESCALATION_REASONS,
)
DETAILS = FieldSpec("details", FieldKind.TEXT, "Details", required=False)
COMMENTS = FieldSpec("comments", FieldKind.TEXT, "What needs changing")
INVESTIGATOR = FieldSpec("officer", FieldKind.USER, "Investigating officer")
# How much longer, in the unit of the deadline extended (working days, or calendar months).
EXTENSION_FIELDS = (
    FieldSpec(
        "working_days",
        FieldKind.WHOLE_NUMBER,
        "Extra {extended.unit}",
        hint="Up to {extended.extra} in all, counting any extension already agreed.",
    ),
    REASON,
)
COMPLAINANT_AGREED = FieldSpec(
    "complainant_agreed", FieldKind.BOOLEAN, "The complainant agreed in writing"
)


# The deadlines of every complaints procedure; their numbers are each procedure's in config.toml.
TIME_LIMIT = Deadline(
    "complaint_time_limit",
    DeadlineRole.TIME_LIMIT,
    Event.MATTER,
    months_allowed=True,
    label="Time limit to complain",
)
ACKNOWLEDGEMENT = Deadline("acknowledgement", DeadlineRole.ACKNOWLEDGEMENT, Event.RECEIPT, stage=1)
FIRST_CONTACT = Deadline(
    "first_contact", DeadlineRole.FIRST_CONTACT, label="First contact with complainant"
)
QA_SIGNOFF = Deadline(
    "qa_signoff", DeadlineRole.QA_SIGNOFF, Event.RESPONSE_DUE, label="QA sign-off"
)


def allocation_transitions(
    sources: tuple[str, ...], investigator: str = "an investigating officer"
) -> tuple[Transition, Transition]:
    """Allocating someone to investigate, who must contact the complainant within the first
    contact's timescale (Herefordshire seed flow chart), and recording that first contact."""
    return (
        Transition(
            "allocate",
            sources,
            None,
            OFFICE,
            f"Allocate {investigator}; they contact the complainant within {{first_contact}}.",
            fields=(INVESTIGATOR,),
            starts=("first_contact",),
            effects=(Effect.ALLOCATE,),
        ),
        Transition(
            "contact_complainant",
            sources,
            None,
            CASEWORK,
            "Record the investigating officer's first contact with the complainant.",
            stops=("first_contact",),
        ),
    )


def information_request(sources: tuple[str, ...]) -> Transition:
    """Asking the complainant for what the investigation needs (the request for more
    information letter quotes what was asked and by when). The timers keep running: a long wait
    is a hold, with its reason."""
    return Transition(
        "request_information",
        sources,
        None,
        CASEWORK,
        "Ask the complainant for more information, saying what is needed and by when.",
        fields=(
            FieldSpec("information", FieldKind.TEXT, "What we need from the complainant"),
            FieldSpec("reply_by", FieldKind.DATE, "Please reply by", required=False),
        ),
        letter="request_information",
        effects=(Effect.REQUEST_INFORMATION,),
    )


def common_transitions(
    open_states: tuple[str, ...], closed_states: tuple[str, ...] = ("closed",)
) -> tuple[Transition, ...]:
    """The transitions every procedure has, available in each of its open states (and, for the
    Ombudsman, after the case is closed: complainants usually go there once it is)."""
    return (
        Transition(
            "withdraw",
            open_states,
            "withdrawn",
            CASEWORK,
            "The complainant withdraws the complaint; every timer is cancelled.",
            fields=(REASON,),
            effects=(Effect.CANCEL_ALL,),
        ),
        Transition(
            "hold",
            open_states,
            None,
            OFFICE,
            "Pause every running timer (awaiting consent, court proceedings...).",
            fields=(REASON,),
            conditions=("not_on_hold",),
            effects=(Effect.HOLD,),
        ),
        Transition(
            "resume",
            open_states,
            None,
            OFFICE,
            "Restart the paused timers; their due dates move on by the working days on hold.",
            conditions=("on_hold",),
            effects=(Effect.RESUME,),
        ),
        Transition(
            "escalate_to_lgsco",
            open_states + closed_states,
            None,
            OFFICE,
            "Record that the complainant has gone to the Ombudsman (a parallel track).",
            fields=(
                # As wide as its column, lgsco_record.ombudsman_reference.
                FieldSpec(
                    "ombudsman_reference", FieldKind.TEXT, "Ombudsman's reference", max_length=40
                ),
                FieldSpec("response_due_on", FieldKind.DATE, "Council's response due", False),
            ),
            letter="lgsco_signposting",
            effects=(Effect.RECORD_OMBUDSMAN_ENQUIRY,),
        ),
    )
