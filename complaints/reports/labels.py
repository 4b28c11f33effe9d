"""The words the report prints for the product's stored values, in the council's own terms."""

from __future__ import annotations

from complaints.models.enums import (
    ActionKind,
    CostKind,
    EscalationReason,
    LgscoDecision,
    RemedyKind,
)

# What a case counts as in the report: its type, except that a question or anything redirected
# outside the complaints process is never counted as a complaint (docs/workflows.md).
FEEDBACK_KINDS = (
    ("complaint", "Complaints"),
    ("compliment", "Compliments"),
    ("comment", "Comments"),
    ("redirected", "Questions and matters outside the complaints process"),
)

REMEDIES = {
    RemedyKind.EXPLANATION: "Explanation provided",
    RemedyKind.APOLOGY: "Apology",
    RemedyKind.SERVICE_PROVIDED: "Service provided",
    RemedyKind.CHANGE_IN_PROCESS: "Change in process",
    RemedyKind.CHANGE_OF_POLICY: "Change of policy",
    RemedyKind.FINANCIAL: "Financial remedy",
    RemedyKind.OTHER: "Other",
}

ESCALATION_REASONS = {
    EscalationReason.NO_RESPONSE: "No response at the previous stage",
    EscalationReason.DISSATISFIED_AFTER_MEDIATION: "Dissatisfaction following a mediation meeting",
    EscalationReason.NO_FOLLOW_UP_ACTION: "Lack of follow-up action from the response",
    EscalationReason.DISSATISFIED_WITH_RESPONSE: "Dissatisfied with the response",
    EscalationReason.REQUESTED_NEXT_STAGE_DIRECTLY: "Asked for this stage directly",
    EscalationReason.OTHER: "Other",
}

LGSCO_DECISIONS = {
    LgscoDecision.NOT_INVESTIGATED: "Decision: not investigated",
    LgscoDecision.CLOSED_AFTER_INITIAL_ENQUIRIES: "Decision: closed after initial enquiries",
    LgscoDecision.UPHELD_FAULT_AND_INJUSTICE: "Decision: upheld, fault and injustice",
    LgscoDecision.UPHELD_FAULT_NO_INJUSTICE: "Decision: upheld, fault but no injustice",
    LgscoDecision.NOT_UPHELD: "Decision: not upheld",
}

COSTS = {
    CostKind.INVESTIGATING_OFFICER: "Investigating officer",
    CostKind.INDEPENDENT_PERSON: "Independent person",
    CostKind.PANEL: "Review panel",
    CostKind.OTHER: "Other",
}

ACTIONS = {
    ActionKind.ACTION: "Actions",
    ActionKind.RECOMMENDATION: "Recommendations",
}

NO_SERVICE_AREA = "No service area recorded"
NOT_CATEGORISED = "Not categorised"
ALL_SERVICE_AREAS = "All service areas"
