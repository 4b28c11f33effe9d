"""Following a case through from its page: the costs of a stage 2 or 3 investigation, lessons
learned, and the Ombudsman (LGSCO) enquiry's steps after it is opened (the council's response,
the decision, compliance with an agreed remedy, and closing it).

Each view reads its form and calls one service function (complaints.services.followup and
complaints.services.lgsco), which refuses what the rules do not allow.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from complaints.context import Context
from complaints.permissions import Permission
from complaints.services.case_file import CaseFile, case_file
from complaints.services.followup import record_cost, record_lesson
from complaints.services.lgsco import (
    close_lgsco_enquiry,
    record_lgsco_compliance,
    record_lgsco_decision,
    record_lgsco_response,
)
from complaints.services.views import CaseView
from web.forms.base import CaseChangeForm
from web.forms.casework import (
    CloseForm,
    ComplianceForm,
    CostForm,
    DecisionForm,
    LessonForm,
    ResponseForm,
)
from web.pages import case_form
from web.security import account, allowed_to, context

bp = Blueprint("casework", __name__, url_prefix="/cases")
# A step on an Ombudsman enquiry, its form read: given the context, the case's reference, the
# Ombudsman's reference, who records it and the case's version they were shown.
EnquiryCall = Callable[[Context, str, str, str, int], CaseView]


@bp.route("/<reference>/costs/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_cost(reference: str) -> ResponseReturnValue:
    file = _case_file(reference)
    form = CostForm()
    return case_form(
        "cases/cost.html",
        file,
        form,
        lambda: record_cost(
            context(),
            file.reference,
            form.kind.data,
            form.amount.data,
            by=account().username,
            expected_version=form.expected_version(),
            incurred_on=form.incurred_on.data or date.min,
            description=form.description.optional,
        ),
        done="Cost recorded.",
        anchor="costs",
    )


@bp.route("/<reference>/lessons/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_lesson(reference: str) -> ResponseReturnValue:
    file = _case_file(reference)
    form = LessonForm()
    return case_form(
        "cases/lesson.html",
        file,
        form,
        lambda: record_lesson(
            context(),
            file.reference,
            form.text.data,
            by=account().username,
            expected_version=form.expected_version(),
        ),
        done="Lesson recorded.",
        anchor="lessons",
    )


# The Ombudsman enquiry's steps: each gives, from its form, the call that records the step.


def _response(form: Any) -> EnquiryCall:
    return lambda ctx, case, enquiry, by, version: record_lgsco_response(
        ctx, case, enquiry, by=by, expected_version=version, responded_on=form.responded_on.data
    )


def _decision(form: Any) -> EnquiryCall:
    return lambda ctx, case, enquiry, by, version: record_lgsco_decision(
        ctx,
        case,
        enquiry,
        form.decision.data,
        by=by,
        expected_version=version,
        decided_on=form.decided_on.data,
        remedy_agreed=form.remedy_agreed.optional,
        compliance_due_on=form.compliance_due_on.data,
    )


def _compliance(form: Any) -> EnquiryCall:
    return lambda ctx, case, enquiry, by, version: record_lgsco_compliance(
        ctx,
        case,
        enquiry,
        by=by,
        expected_version=version,
        evidence=form.evidence.data,
        complied_on=form.complied_on.data,
    )


def _close(form: Any) -> EnquiryCall:
    return lambda ctx, case, enquiry, by, version: close_lgsco_enquiry(
        ctx, case, enquiry, by=by, expected_version=version, closed_on=form.closed_on.data
    )


# Each step on an enquiry (as complaints.services.lgsco.enquiry_steps names them): its form
# (shown by cases/lgsco_<step>.html), what makes the call from it, and what the case page then
# says ({} is the Ombudsman's reference).
ENQUIRY_STEPS: dict[str, tuple[type[CaseChangeForm], Callable[[Any], EnquiryCall], str]] = {
    "response": (ResponseForm, _response, "Response to Ombudsman enquiry {} recorded."),
    "decision": (DecisionForm, _decision, "Decision on Ombudsman enquiry {} recorded."),
    "compliance": (ComplianceForm, _compliance, "Compliance on Ombudsman enquiry {} recorded."),
    "close": (CloseForm, _close, "Ombudsman enquiry {} closed."),
}
STEPS = ", ".join(ENQUIRY_STEPS)


@bp.route(
    f"/<reference>/lgsco/<path:ombudsman_reference>/<any({STEPS}):step>", methods=["GET", "POST"]
)
@allowed_to(Permission.DEAL_WITH_OMBUDSMAN)
def lgsco_step(reference: str, ombudsman_reference: str, step: str) -> ResponseReturnValue:
    """One step on one of the case's Ombudsman enquiries (ENQUIRY_STEPS), for the roles the
    Ombudsman's service functions accept."""
    file = _case_file(reference)
    enquiry = next((r for r in file.lgsco if r.ombudsman_reference == ombudsman_reference), None)
    if enquiry is None:
        abort(404)
    form_class, call, done = ENQUIRY_STEPS[step]
    form = form_class()
    record = call(form)
    return case_form(
        f"cases/lgsco_{step}.html",
        file,
        form,
        lambda: record(
            context(),
            file.reference,
            enquiry.ombudsman_reference,
            account().username,
            form.expected_version(),
        ),
        done=done.format(enquiry.ombudsman_reference),
        anchor="lgsco",
        enquiry=enquiry,
    )


def _case_file(reference: str) -> CaseFile:
    """The case's file, for the signed-in person (a case outside their reach is not found)."""
    return case_file(context(), reference, account())
