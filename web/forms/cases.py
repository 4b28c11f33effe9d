"""The forms of a case's pages (web/cases.py): finding cases, logging new feedback with its
triage, triage, reallocation, complaint points, findings, remedies, actions, and a response
recorded as sent outside the product with its copy."""

from __future__ import annotations

from typing import Any

from complaints.models import ActionKind, Outcome, RemedyKind
from complaints.services.letters import MAX_COPY_BYTES
from web.forms.base import CaseChangeForm, PageForm
from web.forms.fields import (
    NAME_LIMIT,
    ChoiceField,
    ChoicesField,
    DateField,
    FileField,
    TextField,
    WholeNumberField,
    YesField,
    as_is,
    worded,
)
from web.pages import Choices

FEEDBACK_TYPES = (
    ("complaint", "Complaint"),
    ("compliment", "Compliment"),
    ("comment", "Comment"),
    ("question", "Question"),
)
# Logging new feedback says a little more of each.
NEW_FEEDBACK_TYPES = (
    *FEEDBACK_TYPES[:3],
    ("question", "Question (answered, not recorded as a complaint)"),
)
MADE_BY = (
    ("complainant", "The complainant"),
    ("child", "The child or young person concerned"),
    ("advocate", "An advocate"),
    ("representative", "A representative with consent"),
)
REASON_LIMIT = 5_000
DESCRIPTION_LIMIT = 5_000
AMOUNT_LIMIT = 20
# The copy of a response sent outside this system, and the rest of its form.
COPY_UPLOAD_LIMIT = MAX_COPY_BYTES + 64 * 1024


def _team(label: str) -> ChoiceField:
    return ChoiceField(label, "the team", required=False)


def _categories() -> ChoicesField:
    return ChoicesField("Subject categories", "the categories")


def _matter(hint: str = "") -> DateField:
    return DateField(
        "When did the matter complained about happen? (optional)",
        "the date of the matter",
        required=False,
        past_only=True,
        description=hint,
    )


def _late_reason() -> TextField:
    return TextField(
        "If it is late, why is it accepted? (optional)",
        "why it is accepted late",
        required=False,
        limit=REASON_LIMIT,
    )


class CaseFiltersForm(PageForm):
    """Finding cases (sent in the query string): a reference or name, and filters."""

    q = TextField(
        "Reference or name",
        "a reference or name",
        required=False,
        limit=200,
        description="For example, CF-2026-000123 or Smith",
    )
    procedure = ChoiceField("Procedure", "a procedure", required=False)
    state = ChoiceField("State", "a state", required=False)
    team = ChoiceField("Team", "a team", required=False)
    officer = ChoiceField("Officer", "an officer", required=False)
    overdue = YesField("Only cases with an overdue step")
    page = WholeNumberField("Page", "the page number", required=False)

    def __init__(self, options: Choices) -> None:
        super().__init__(query=True)
        self.procedure.choices = options.procedure_options
        self.state.choices = options.state_options
        self.team.choices = options.team_id_options
        self.officer.choices = options.officer_id_options


class ProcedureChoice(PageForm):
    """The type of feedback and, for a complaint, the procedure it follows: one of the council's
    procedures (`options`), as its workflows declare."""

    feedback_type = ChoiceField(
        "What kind of feedback is it?", "the type of feedback", choices=FEEDBACK_TYPES
    )
    procedure = ChoiceField("Which procedure does a complaint follow?", "the procedure")

    def __init__(self, options: Choices, **data: Any) -> None:
        super().__init__(**data)
        self.procedure.choices = options.complaint_procedure_labels
        self._procedure_for = options.procedure_for_type

    def validate(self, extra_validators: Any = None) -> bool:
        is_complaint = self.feedback_type.data == "complaint"
        self.procedure.required = is_complaint
        if not is_complaint:
            self.procedure.data = ""  # only a complaint's procedure is chosen
        return super().validate(extra_validators)

    @property
    def procedure_name(self) -> str:
        """The procedure the feedback follows: the one chosen for a complaint, the one its type
        follows for any other (compliments and comments are acknowledged, questions
        redirected)."""
        return self._procedure_for.get(self.feedback_type.data, self.procedure.data)


class NewFeedbackForm(ProcedureChoice):
    """Logging new feedback, with its triage."""

    received = DateField("When was it received?", "the date it was received", past_only=True)
    contact_method = ChoiceField("How did it arrive?", "how it arrived")
    complainant_name = TextField(
        "Who is it from?",
        "the name of the person it is from",
        limit=NAME_LIMIT,
        description="Their full name",
    )
    made_by = ChoiceField("They are", "who it is from", choices=MADE_BY)
    is_child = YesField(
        "Letters go to a child or young person",
        description="They get the child-friendly letters.",
    )
    advocate_name = TextField(
        "Advocate's name (if there is one)", "the advocate's name", required=False, limit=NAME_LIMIT
    )
    summary = TextField("What is it about?", "what the feedback is about")
    team = _team("Service area")
    categories = _categories()
    matter = _matter("A complaint is normally made within 12 months of the matter.")
    late_reason = _late_reason()

    def __init__(self, options: Choices) -> None:
        super().__init__(options, contact_method="email", made_by="complainant")
        self.feedback_type.choices = NEW_FEEDBACK_TYPES
        self.procedure.choices = options.complaint_procedure_options
        self.procedure.description = (
            "Only for complaints. Compliments and comments are acknowledged; "
            "questions are redirected."
        )
        self.contact_method.choices = worded(options.contact_methods)
        self.team.choices = options.team_options
        self.categories.choices = as_is(options.category_names)


class TriageForm(CaseChangeForm):
    team = _team("Service area")
    categories = _categories()
    matter = _matter()
    late_reason = _late_reason()

    def __init__(self, options: Choices, **shown: Any) -> None:
        super().__init__(**shown)
        self.team.choices = options.team_options
        self.categories.choices = as_is(options.category_names)


class ReallocateForm(ProcedureChoice, CaseChangeForm):
    reason = TextField("Why is it reallocated?", "why the case is reallocated", limit=REASON_LIMIT)


class PointForm(CaseChangeForm):
    description = TextField(
        "What is the matter to investigate?", "the complaint point", limit=DESCRIPTION_LIMIT
    )
    team = _team("Service area (optional)")
    officer = ChoiceField(
        "Investigating officer (optional)", "the investigating officer", required=False
    )
    restart = YesField(
        "Restart the stage 1 response clock from today",
        description="Only at stage 1, with a manager's agreement.",
    )
    agreed_by = ChoiceField(
        "Manager who agreed the restart", "the manager who agreed", required=False
    )

    def __init__(self, options: Choices) -> None:
        super().__init__()
        self.team.choices = options.team_options
        self.officer.choices = options.investigator_options
        self.agreed_by.choices = options.manager_options


class FindingForm(CaseChangeForm):
    outcome = ChoiceField("Finding", "the finding", choices=worded(o.value for o in Outcome))
    notes = TextField("Notes (optional)", "notes", required=False, limit=REASON_LIMIT)


class RemedyForm(CaseChangeForm):
    kind = ChoiceField("Remedy", "the remedy", choices=worded(k.value for k in RemedyKind))
    amount = TextField(
        "Amount in pounds (a financial remedy only)",
        "the amount",
        required=False,
        limit=AMOUNT_LIMIT,
        description="For example, 150 or 1,250.50",
    )
    description = TextField(
        "Description (optional)", "a description", required=False, limit=REASON_LIMIT
    )


class ActionForm(CaseChangeForm):
    description = TextField("What needs doing?", "the action", limit=REASON_LIMIT)
    kind = ChoiceField(
        "Is it an action or a recommendation?",
        "whether it is an action or a recommendation",
        choices=worded(k.value for k in ActionKind),
    )
    owner = ChoiceField("Who owns it?", "who owns it")
    due = DateField("When is it due?", "the due date")

    def __init__(self, options: Choices) -> None:
        super().__init__(kind="action")
        self.owner.choices = options.staff_options


class CompleteActionForm(CaseChangeForm):
    evidence = TextField("Evidence it was done", "the evidence it was done", limit=REASON_LIMIT)


class SentOutsideForm(CaseChangeForm):
    """A response recorded as sent outside this system, with a copy of what was sent."""

    copy = FileField(
        "A copy of the response that was sent",
        "the PDF of the response that was sent",
        limit=COPY_UPLOAD_LIMIT,
        description="A PDF of at most 10 MB",
    )
    reason = TextField(
        "Why it was sent outside this system",
        "why it was sent outside this system",
        limit=REASON_LIMIT,
    )
