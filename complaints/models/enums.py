"""The closed vocabularies of the domain: types, procedures, roles, outcomes, remedies, statuses.

Values are stored as plain strings in the database (no native enum types), so a council's data
reads sensibly in any SQL tool and adding a value needs no type migration.
"""

from enum import StrEnum


class Role(StrEnum):
    OFFICER = "officer"
    QA_PRACTITIONER = "qa_practitioner"
    MANAGER = "manager"
    ADMIN = "admin"


class FeedbackType(StrEnum):
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    COMMENT = "comment"
    QUESTION = "question"


class Procedure(StrEnum):
    """Which procedure a case follows; `feedback` is compliments and comments, `redirection`
    is a question or a matter outside the complaints process."""

    STATUTORY_CHILDREN = "statutory_children"
    CORPORATE = "corporate"
    ADULT_SOCIAL_CARE = "adult_social_care"
    FEEDBACK = "feedback"
    REDIRECTION = "redirection"


class MadeBy(StrEnum):
    """Who the feedback is from (docs/casework.md, feedback and triage)."""

    COMPLAINANT = "complainant"
    CHILD = "child"
    ADVOCATE = "advocate"
    REPRESENTATIVE = "representative"


class Outcome(StrEnum):
    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially_upheld"
    NOT_UPHELD = "not_upheld"
    WITHDRAWN = "withdrawn"
    NOT_INVESTIGATED = "not_investigated"


class RemedyKind(StrEnum):
    EXPLANATION = "explanation"
    APOLOGY = "apology"
    SERVICE_PROVIDED = "service_provided"
    CHANGE_IN_PROCESS = "change_in_process"
    CHANGE_OF_POLICY = "change_of_policy"
    FINANCIAL = "financial"
    OTHER = "other"


class DeadlineStatus(StrEnum):
    """A deadline runs until answered (stopped), is paused by a hold, or is cancelled (withdrawn,
    escalated past) or superseded (restarted when new complaint points were added)."""

    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


class ActionKind(StrEnum):
    ACTION = "action"
    RECOMMENDATION = "recommendation"


class ActionStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class LgscoDecision(StrEnum):
    """The Ombudsman's decision on an enquiry (docs/casework.md, the Ombudsman)."""

    NOT_INVESTIGATED = "not_investigated"
    CLOSED_AFTER_INITIAL_ENQUIRIES = "closed_after_initial_enquiries"
    UPHELD_FAULT_AND_INJUSTICE = "upheld_fault_and_injustice"
    UPHELD_FAULT_NO_INJUSTICE = "upheld_fault_no_injustice"
    NOT_UPHELD = "not_upheld"


class CostKind(StrEnum):
    INVESTIGATING_OFFICER = "investigating_officer"
    INDEPENDENT_PERSON = "independent_person"
    PANEL = "panel"
    OTHER = "other"


class LetterStatus(StrEnum):
    """Where a letter is on its way to the complainant; a draft (or a returned letter) nobody
    will send is discarded, and stays listed as such."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    SENT = "sent"
    DISCARDED = "discarded"


class AlertKind(StrEnum):
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    ESCALATED = "escalated"  # overdue long enough for the head of service to be told


class Recipient(StrEnum):
    """Why someone receives an alert: the step is theirs, or they manage whoever's it is."""

    OWNER = "owner"
    MANAGER = "manager"
    HEAD_OF_SERVICE = "head_of_service"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    GAVE_UP = "gave_up"


class EscalationReason(StrEnum):
    """Why a complainant asked for the next stage (reported; Herefordshire seed)."""

    NO_RESPONSE = "no_response"
    DISSATISFIED_AFTER_MEDIATION = "dissatisfied_after_mediation"
    NO_FOLLOW_UP_ACTION = "no_follow_up_action"
    DISSATISFIED_WITH_RESPONSE = "dissatisfied_with_response"
    REQUESTED_NEXT_STAGE_DIRECTLY = "requested_next_stage_directly"
    OTHER = "other"


class SessionEnd(StrEnum):
    """Why a sign-in session ended."""

    SIGNED_OUT = "signed_out"
    IDLE = "idle"
    WORKING_DAY_OVER = "working_day_over"
    PASSWORD_SET = "password_set"
    ACCOUNT_SWITCHED_OFF = "account_switched_off"
    OTHER_BROWSER = "other_browser"
