"""The council's corporate procedure: two stages under the LGSCO Complaint Handling Code
(acknowledge and respond at each stage; the numbers are the council's, docs/timescales.md)."""

from __future__ import annotations

from workflows.common import (
    ACKNOWLEDGEMENT,
    CASEWORK,
    COMMENTS,
    DETAILS,
    ESCALATION_REASON,
    EXTENSION_FIELDS,
    FIRST_CONTACT,
    OFFICE,
    QA_SIGNOFF,
    SIGN_OFF,
    TIME_LIMIT,
    allocation_transitions,
    common_transitions,
    information_request,
)
from workflows.definition import (
    Deadline,
    DeadlineRole,
    Effect,
    Transition,
    Workflow,
    every,
)

STAGE1 = ("received", "stage1_investigating", "stage1_qa", "stage1_approved", "stage1_responded")
STAGE2 = (
    "stage2_received",
    "stage2_investigating",
    "stage2_qa",
    "stage2_approved",
    "stage2_responded",
)
FINAL = ("closed", "withdrawn")


def _answer_stage(
    stage: int, investigating: str, qa: str, approved: str, responded: str, response: str
) -> tuple[Transition, ...]:
    """Draft, sign-off and response: the same shape at both stages."""
    return (
        Transition(
            "extend",
            (investigating, qa),
            None,
            SIGN_OFF,
            f"Extend the stage {stage} response, with reasons and the Ombudsman's details.",
            fields=EXTENSION_FIELDS,
            extends=response,
            effects=(Effect.EXTEND,),
            letter="extension_notice",
        ),
        Transition(
            "submit_draft",
            (investigating,),
            qa,
            CASEWORK,
            f"Submit the draft stage {stage} response for sign-off.",
            starts=("qa_signoff",),
            conditions=("points_have_findings",),
        ),
        Transition(
            "return_draft",
            (qa,),
            investigating,
            SIGN_OFF,
            "Return the draft with comments.",
            fields=(COMMENTS,),
            stops=("qa_signoff",),
        ),
        Transition(
            "approve",
            (qa,),
            approved,
            SIGN_OFF,
            f"Sign off the stage {stage} response.",
            stops=("qa_signoff",),
            conditions=("second_pair_of_eyes",),
        ),
        Transition(
            "send_response",
            (approved,),
            responded,
            OFFICE,
            f"Send the stage {stage} response.",
            stops=(response,),
            conditions=("points_have_findings",),
            letter=f"stage{stage}_response",
        ),
    )


_TRANSITIONS = (
    Transition(
        "acknowledge",
        ("received",),
        "stage1_investigating",
        OFFICE,
        "Acknowledge the complaint; the stage 1 response is due {stage1_response} from now.",
        stops=("acknowledgement",),
        starts=("stage1_response",),
        letter="acknowledgement",
    ),
    *allocation_transitions(("stage1_investigating", "stage2_investigating")),
    information_request(
        ("received", "stage1_investigating", "stage2_received", "stage2_investigating")
    ),
    *_answer_stage(
        1,
        "stage1_investigating",
        "stage1_qa",
        "stage1_approved",
        "stage1_responded",
        "stage1_response",
    ),
    Transition(
        "request_stage2",
        STAGE1,
        "stage2_received",
        OFFICE,
        "The complainant asks for the complaint to be reviewed at stage 2.",
        fields=(ESCALATION_REASON, DETAILS),
        # A stage 1 step not done when the complainant moves on never will be.
        cancels=("acknowledgement", "stage1_response", "first_contact", "qa_signoff"),
        starts=("stage2_acknowledgement",),
        stage=2,
        effects=(Effect.ESCALATE,),
    ),
    Transition(
        "acknowledge",
        ("stage2_received",),
        "stage2_investigating",
        OFFICE,
        "Acknowledge the stage 2 request; the response is due {stage2_response} from now.",
        stops=("stage2_acknowledgement",),
        starts=("stage2_response",),
        letter="stage2_acknowledgement",
    ),
    *_answer_stage(
        2,
        "stage2_investigating",
        "stage2_qa",
        "stage2_approved",
        "stage2_responded",
        "stage2_response",
    ),
    Transition(
        "close",
        ("stage1_responded", "stage2_responded"),
        "closed",
        OFFICE,
        "Close the case.",
        effects=(Effect.STOP_ALL,),
    ),
)

WORKFLOW = Workflow(
    name="corporate",
    title="Corporate complaints (two stages, LGSCO Complaint Handling Code)",
    short_label="Corporate",
    # Every other council service; e-mail is the procedure with a timer that starts on receipt
    # for every service, until an officer triages it.
    public_subject="other",
    takes_email=True,
    states=every(STAGE1, STAGE2, FINAL),
    final_states=frozenset(FINAL),
    transitions=_TRANSITIONS + common_transitions(every(STAGE1, STAGE2)),
    starts_on_log=("acknowledgement",),
    stages={**dict.fromkeys(STAGE1, 1), **dict.fromkeys(STAGE2, 2)},
    deadlines=(
        TIME_LIMIT,
        ACKNOWLEDGEMENT,
        Deadline("stage1_response", DeadlineRole.RESPONSE, stage=1, extendable=True),
        FIRST_CONTACT,
        QA_SIGNOFF,
        Deadline("stage2_acknowledgement", DeadlineRole.ACKNOWLEDGEMENT, stage=2),
        Deadline("stage2_response", DeadlineRole.RESPONSE, stage=2, extendable=True),
    ),
)
