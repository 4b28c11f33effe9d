"""The data model: every table of the product, as SQLModel classes.

Importing this package registers every table on `metadata`, which Alembic's migrations mirror.
"""

# ruff: noqa: I001  (base must come first: it sets the constraint naming convention that the
# tables defined by the modules after it are created with)

from complaints.models.base import metadata, table_of
from complaints.models.enums import (
    ActionKind,
    ActionStatus,
    AlertKind,
    CostKind,
    DeadlineStatus,
    DeliveryStatus,
    EscalationReason,
    FeedbackType,
    LetterStatus,
    LgscoDecision,
    MadeBy,
    Outcome,
    Procedure,
    Recipient,
    RemedyKind,
    Role,
    SessionEnd,
)
from complaints.models.people import CalendarState, Category, Team, User
from complaints.models.cases import (
    CaseCategory,
    ComplaintPoint,
    Escalation,
    FeedbackCase,
    ReferenceCounter,
)
from complaints.models.outcomes import PointOutcome, Remedy
from complaints.models.deadlines import Deadline, Extension, Hold
from complaints.models.actions import Action, LessonLearned
from complaints.models.lgsco import LgscoRecord
from complaints.models.costs import StageCost
from complaints.models.letters import (
    Letter,
    LetterComments,
    LetterRevision,
    LetterTemplateVersion,
)
from complaints.models.audit import AuditEvent
from complaints.models.alerts import Alert, AlertDelivery, JobRun, SchedulerLease
from complaints.models.intake import Attachment, InboundMessage
from complaints.models.integrations import ApiToken
from complaints.models.outbox import OutboundEmail
from complaints.models.sign_in import AttemptCounter, SignInSession

__all__ = [
    "Action",
    "ActionKind",
    "ActionStatus",
    "Alert",
    "AlertDelivery",
    "AlertKind",
    "ApiToken",
    "Attachment",
    "AttemptCounter",
    "AuditEvent",
    "CalendarState",
    "CaseCategory",
    "Category",
    "ComplaintPoint",
    "CostKind",
    "Deadline",
    "DeadlineStatus",
    "DeliveryStatus",
    "Escalation",
    "EscalationReason",
    "Extension",
    "FeedbackCase",
    "FeedbackType",
    "Hold",
    "InboundMessage",
    "JobRun",
    "LessonLearned",
    "Letter",
    "LetterComments",
    "LetterRevision",
    "LetterStatus",
    "LetterTemplateVersion",
    "LgscoDecision",
    "LgscoRecord",
    "MadeBy",
    "OutboundEmail",
    "Outcome",
    "PointOutcome",
    "Procedure",
    "Recipient",
    "ReferenceCounter",
    "Remedy",
    "RemedyKind",
    "Role",
    "SchedulerLease",
    "SessionEnd",
    "SignInSession",
    "StageCost",
    "Team",
    "User",
    "metadata",
    "table_of",
]
