"""The forms of following a case through (web/casework.py): a cost of a stage 2 or 3
investigation, a lesson learned, and each step on an Ombudsman (LGSCO) enquiry (the council's
response, the decision, compliance with an agreed remedy, closing it). A day a step happened may
be left empty for today, and is never after today."""

from __future__ import annotations

from complaints.models import CostKind, LgscoDecision
from complaints.services.followup import MAX_TEXT
from web.forms.base import CaseChangeForm
from web.forms.cases import AMOUNT_LIMIT
from web.forms.fields import ChoiceField, DateField, TextField, worded


def _day(label: str, called: str) -> DateField:
    return DateField(label, called, required=False, past_only=True)


class CostForm(CaseChangeForm):
    kind = ChoiceField(
        "What is the cost for?", "the kind of cost", choices=worded(k.value for k in CostKind)
    )
    amount = TextField(
        "Amount in pounds",
        "the amount",
        limit=AMOUNT_LIMIT,
        description="For example, 450 or 1,250.50",
    )
    incurred_on = DateField(
        "Date of the cost",
        "the date of the cost",
        past_only=True,
        description="The date on the invoice, for example, 27 3 2026",
    )
    description = TextField(
        "Description (optional)",
        "the description",
        required=False,
        limit=MAX_TEXT,
        description="For example, the invoice number",
    )


class LessonForm(CaseChangeForm):
    text = TextField("What has been learned?", "the lesson learned", limit=MAX_TEXT)


class ResponseForm(CaseChangeForm):
    responded_on = _day("When was the response sent? (optional)", "the day it was sent")


class DecisionForm(CaseChangeForm):
    decision = ChoiceField(
        "Decision", "the Ombudsman's decision", choices=worded(d.value for d in LgscoDecision)
    )
    decided_on = _day("When was it decided? (optional)", "the day of the decision")
    remedy_agreed = TextField(
        "Remedy the council agreed (optional)",
        "the remedy agreed",
        required=False,
        limit=MAX_TEXT,
        description="Only with an upheld decision",
    )
    compliance_due_on = DateField(
        "Date the council must comply by (optional)",
        "the compliance due date",
        required=False,
        description="Needed with an agreed remedy. For example, 27 3 2026",
    )


class ComplianceForm(CaseChangeForm):
    evidence = TextField(
        "Evidence the remedy was carried out", "the evidence of compliance", limit=MAX_TEXT
    )
    complied_on = _day("When was it done? (optional)", "the day it was done")


class CloseForm(CaseChangeForm):
    closed_on = _day("When did it close? (optional)", "the day it closed")
