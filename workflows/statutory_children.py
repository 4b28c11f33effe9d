"""The statutory children's social care procedure: Children Act 1989 Representations Procedure
(England) Regulations 2006. Stage 1 local resolution (reg 14), stage 2 investigation with an
independent person (reg 17), stage 3 review panel (regs 18-21). docs/workflows.md gives these names.
"""

from __future__ import annotations

from workflows.common import (
    ACKNOWLEDGEMENT,
    CASEWORK,
    COMMENTS,
    COMPLAINANT_AGREED,
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
    Event,
    FieldKind,
    FieldSpec,
    Transition,
    Workflow,
    every,
)

STAGE1 = (
    "received",
    "stage1_investigating",
    "stage1_qa",
    "stage1_approved",
    "stage1_responded",
)
STAGE2 = ("stage2_statement", "stage2_investigating", "stage2_adjudication", "stage2_responded")
STAGE3 = ("stage3_panel_pending", "stage3_panel_held", "stage3_response")
FINAL = ("closed", "withdrawn")
# The stage 1 steps that end unanswered when the complainant asks for stage 2 first.
STAGE1_STEPS = ("acknowledgement", "stage1_response", "first_contact", "qa_signoff")

_TRANSITIONS = (
    Transition(
        "acknowledge",
        ("received",),
        "stage1_investigating",
        OFFICE,
        "Acknowledge the complaint and offer to discuss it.",
        stops=("acknowledgement",),
        letter="acknowledgement",
    ),
    *allocation_transitions(("stage1_investigating",), "a QA practitioner to investigate"),
    information_request(
        ("received", "stage1_investigating", "stage2_statement", "stage2_investigating")
    ),
    Transition(
        "extend",
        ("stage1_investigating", "stage1_qa"),
        None,
        SIGN_OFF,
        "Extend the stage 1 response (complex, or an advocate appointed): "
        "at most {stage1_response.most} in all.",
        fields=(*EXTENSION_FIELDS, COMPLAINANT_AGREED),
        extends="stage1_response",
        effects=(Effect.EXTEND,),
        letter="extension_notice",
    ),
    Transition(
        "submit_draft",
        ("stage1_investigating",),
        "stage1_qa",
        CASEWORK,
        "Submit the draft response for sign-off.",
        starts=("qa_signoff",),
        conditions=("points_have_findings",),
    ),
    Transition(
        "return_draft",
        ("stage1_qa",),
        "stage1_investigating",
        SIGN_OFF,
        "Return the draft with comments.",
        fields=(COMMENTS,),
        stops=("qa_signoff",),
    ),
    Transition(
        "approve",
        ("stage1_qa",),
        "stage1_approved",
        SIGN_OFF,
        "Sign off the stage 1 response.",
        stops=("qa_signoff",),
        conditions=("second_pair_of_eyes",),
    ),
    Transition(
        "send_response",
        ("stage1_approved",),
        "stage1_responded",
        OFFICE,
        "Send the stage 1 response; "
        "the complainant has {stage2_request_window} to ask for stage 2.",
        stops=("stage1_response",),
        starts=("stage2_request_window",),
        conditions=("points_have_findings",),
        letter="stage1_response",
    ),
    Transition(
        "resolve_early",
        ("stage1_investigating",),
        "stage1_responded",
        CASEWORK,
        "Resolve the complaint early, confirmed to the complainant in writing.",
        fields=(FieldSpec("resolution", FieldKind.TEXT, "How it was resolved"),),
        stops=("stage1_response", "first_contact"),
        starts=("stage2_request_window",),
        conditions=("points_have_findings",),
        letter="early_resolution",
    ),
    Transition(
        "request_stage2",
        STAGE1,
        "stage2_statement",
        OFFICE,
        "The complainant asks for a stage 2 investigation "
        "(reg 14: within {stage2_request_window} of stage 1).",
        fields=(ESCALATION_REASON, DETAILS),
        # The request answers the request window; a stage 1 step not done by then never will be.
        stops=("stage2_request_window",),
        cancels=STAGE1_STEPS,
        stage=2,
        effects=(Effect.ESCALATE,),
    ),
    Transition(
        "agree_statement",
        ("stage2_statement",),
        "stage2_investigating",
        OFFICE,
        "The statement of complaint is agreed; the investigation has {stage2_investigation} "
        "(reg 17).",
        starts=("stage2_investigation",),
        letter="stage2_acknowledgement",
    ),
    Transition(
        "extend",
        ("stage2_investigating",),
        None,
        SIGN_OFF,
        "Extend the stage 2 investigation: at most {stage2_investigation.most} in all (reg 17).",
        fields=(*EXTENSION_FIELDS, COMPLAINANT_AGREED),
        extends="stage2_investigation",
        effects=(Effect.EXTEND,),
        letter="extension_notice",
    ),
    Transition(
        "receive_report",
        ("stage2_investigating",),
        "stage2_adjudication",
        OFFICE,
        "The investigating officer's and independent person's reports are received.",
        stops=("stage2_investigation",),
        starts=("adjudication",),
    ),
    Transition(
        "adjudicate",
        ("stage2_adjudication",),
        "stage2_responded",
        SIGN_OFF,
        "The council's adjudication on the stage 2 report is sent.",
        stops=("adjudication",),
        starts=("stage3_request_window",),
        conditions=("points_have_findings",),
        letter="adjudication",
    ),
    Transition(
        "request_review",
        ("stage2_responded",),
        "stage3_panel_pending",
        OFFICE,
        "The complainant asks for a review panel "
        "(reg 18: within {stage3_request_window} of the adjudication).",
        fields=(ESCALATION_REASON, DETAILS),
        stops=("stage3_request_window",),
        starts=("panel_meeting",),
        stage=3,
        effects=(Effect.ESCALATE,),
        letter="panel_arrangements",
    ),
    Transition(
        "hold_panel",
        ("stage3_panel_pending",),
        "stage3_panel_held",
        OFFICE,
        "The review panel meets (reg 19: within {panel_meeting} of the request).",
        stops=("panel_meeting",),
        starts=("panel_report",),
    ),
    Transition(
        "receive_panel_report",
        ("stage3_panel_held",),
        "stage3_response",
        OFFICE,
        "The panel's report is received (reg 20: within {panel_report} of the meeting).",
        stops=("panel_report",),
        starts=("panel_response",),
    ),
    Transition(
        "respond_to_panel",
        ("stage3_response",),
        "closed",
        SIGN_OFF,
        "The council responds to the panel's findings (reg 21: within {panel_response}) "
        "and closes.",
        stops=("panel_response",),
        conditions=("points_have_findings",),
        letter="panel_response",
    ),
    Transition(
        "close",
        ("stage1_responded", "stage2_responded"),
        "closed",
        OFFICE,
        "Close the case: the complainant did not take it further.",
        effects=(Effect.STOP_ALL,),
    ),
)

OPEN = every(STAGE1, STAGE2, STAGE3)

WORKFLOW = Workflow(
    name="statutory_children",
    title="Children's social care (statutory, three stages)",
    short_label="Children's social care (statutory)",
    public_subject="children",
    states=every(STAGE1, STAGE2, STAGE3, FINAL),
    final_states=frozenset(FINAL),
    transitions=_TRANSITIONS + common_transitions(OPEN),
    starts_on_log=("acknowledgement", "stage1_response"),
    stages={**dict.fromkeys(STAGE1, 1), **dict.fromkeys(STAGE2, 2), **dict.fromkeys(STAGE3, 3)},
    deadlines=(
        TIME_LIMIT,
        ACKNOWLEDGEMENT,
        # Reg 14: extendable if complex or an advocate is appointed, with the complainant's
        # written agreement (docs/timescales.md).
        Deadline(
            "stage1_response",
            DeadlineRole.RESPONSE,
            Event.RECEIPT,
            stage=1,
            extendable=True,
            complainant_must_agree=True,
        ),
        FIRST_CONTACT,
        QA_SIGNOFF,
        Deadline("stage2_request_window", DeadlineRole.REQUEST_WINDOW, stage=1),
        Deadline(
            "stage2_investigation",
            DeadlineRole.RESPONSE,
            stage=2,
            extendable=True,
            complainant_must_agree=True,
        ),
        Deadline("adjudication", DeadlineRole.ADJUDICATION, stage=2),
        Deadline(
            "stage3_request_window",
            DeadlineRole.REQUEST_WINDOW,
            stage=2,
            label="Review panel request window",
        ),
        Deadline(
            "panel_meeting", DeadlineRole.PANEL_MEETING, stage=3, label="Review panel meeting"
        ),
        Deadline("panel_report", DeadlineRole.PANEL_REPORT, stage=3, label="Review panel report"),
        Deadline("panel_response", DeadlineRole.RESPONSE, stage=3, label="Response to panel"),
    ),
)
