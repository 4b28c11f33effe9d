"""Adult social care: one stage under the Local Authority Social Services and National Health
Service Complaints (England) Regulations 2009 (acknowledge, reg 13; respond within the period
agreed with the complainant, 6 months unless agreed otherwise, reg 14), then the LGSCO.
"""

from __future__ import annotations

from workflows.common import (
    ACKNOWLEDGEMENT,
    CASEWORK,
    COMMENTS,
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
    Event,
    FieldKind,
    FieldSpec,
    Transition,
    Workflow,
)

OPEN = ("received", "investigating", "qa", "approved", "responded")
FINAL = ("closed", "withdrawn")

_TRANSITIONS = (
    Transition(
        "acknowledge",
        ("received",),
        "investigating",
        OFFICE,
        "Acknowledge the complaint and offer to discuss how it will be handled (reg 13).",
        fields=(
            FieldSpec(
                "agreed_response_on",
                FieldKind.DATE,
                "Response date agreed with the complainant",
                required=False,
            ),
        ),
        stops=("acknowledgement",),
        starts=("response",),
        letter="acknowledgement",
        effects=(Effect.AGREE_RESPONSE_DATE,),
    ),
    *allocation_transitions(("investigating",)),
    information_request(("received", "investigating")),
    Transition(
        "extend",
        ("investigating", "qa"),
        None,
        SIGN_OFF,
        "Agree a later response date with the complainant (reg 14).",
        fields=EXTENSION_FIELDS,
        extends="response",
        effects=(Effect.EXTEND,),
        letter="extension_notice",
    ),
    Transition(
        "submit_draft",
        ("investigating",),
        "qa",
        CASEWORK,
        "Submit the draft response for sign-off.",
        starts=("qa_signoff",),
        conditions=("points_have_findings",),
    ),
    Transition(
        "return_draft",
        ("qa",),
        "investigating",
        SIGN_OFF,
        "Return the draft with comments.",
        fields=(COMMENTS,),
        stops=("qa_signoff",),
    ),
    Transition(
        "approve",
        ("qa",),
        "approved",
        SIGN_OFF,
        "Sign off the response.",
        stops=("qa_signoff",),
        conditions=("second_pair_of_eyes",),
    ),
    Transition(
        "send_response",
        ("approved",),
        "responded",
        OFFICE,
        "Send the response, with the Ombudsman's details.",
        stops=("response",),
        conditions=("points_have_findings",),
        letter="adult_response",
    ),
    Transition(
        "close", ("responded",), "closed", OFFICE, "Close the case.", effects=(Effect.STOP_ALL,)
    ),
)

WORKFLOW = Workflow(
    name="adult_social_care",
    title="Adult social care (one stage, 2009 regulations)",
    short_label="Adult social care",
    public_subject="adults",
    states=OPEN + FINAL,
    final_states=frozenset(FINAL),
    transitions=_TRANSITIONS + common_transitions(OPEN),
    starts_on_log=("acknowledgement",),
    stages=dict.fromkeys(OPEN, 1),
    deadlines=(
        TIME_LIMIT,
        ACKNOWLEDGEMENT,
        # Reg 14: a period agreed with the complainant, 6 months unless agreed otherwise.
        Deadline(
            "response",
            DeadlineRole.RESPONSE,
            Event.RECEIPT,
            stage=1,
            extendable=True,
            months_allowed=True,
        ),
        FIRST_CONTACT,
        QA_SIGNOFF,
    ),
)
