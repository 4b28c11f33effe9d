"""Following a case through from its page: the costs of a stage 2 or 3 investigation, lessons
learned, and the Ombudsman (LGSCO) enquiry's steps after it is opened (the council's response,
the decision, compliance with an agreed remedy, and closing it).

Each view reads its form and calls one service function (complaints.services.followup and
complaints.services.lgsco), which refuses what the rules do not allow.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from complaints.context import Context
from complaints.models import CostKind, LgscoDecision
from complaints.permissions import Permission
from complaints.services.case_file import CaseFile, case_file
from complaints.services.followup import MAX_TEXT, record_cost, record_lesson
from complaints.services.lgsco import (
    close_lgsco_enquiry,
    record_lgsco_compliance,
    record_lgsco_decision,
    record_lgsco_response,
)
from complaints.services.views import CaseView
from web.cases import AMOUNT_LIMIT
from web.forms import Form
from web.pages import case_form
from web.security import account, allowed_to, context

bp = Blueprint("casework", __name__, url_prefix="/cases")
DECISIONS = [decision.value for decision in LgscoDecision]
Call = Callable[[], CaseView]
# A step on an Ombudsman enquiry, once its form is read: given the context, the case's reference,
# the Ombudsman's reference and who records it.
EnquiryCall = Callable[[Context, str, str, str, int], CaseView]


@bp.route("/<reference>/costs/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_cost(reference: str) -> ResponseReturnValue:
    file = _case_file(reference)
    kinds = [kind.value for kind in CostKind]
    today = context().clock.today()

    def read(form: Form) -> Call:
        kind = form.choice("kind", "the kind of cost", kinds)
        amount = form.text("amount", "the amount", limit=AMOUNT_LIMIT)
        incurred = form.date("incurred_on", "the date of the cost", not_after=today)
        description = form.optional_text("description", "the description", limit=MAX_TEXT)
        return lambda: record_cost(
            context(),
            file.reference,
            kind,
            amount,
            by=account().username,
            expected_version=form.version(),
            incurred_on=incurred or date.min,
            description=description,
        )

    return case_form(
        "cases/cost.html", file, read, done="Cost recorded.", anchor="costs", kinds=kinds
    )


@bp.route("/<reference>/lessons/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_lesson(reference: str) -> ResponseReturnValue:
    file = _case_file(reference)

    def read(form: Form) -> Call:
        text = form.text("text", "the lesson learned", limit=MAX_TEXT)
        return lambda: record_lesson(
            context(), file.reference, text, by=account().username, expected_version=form.version()
        )

    return case_form("cases/lesson.html", file, read, done="Lesson recorded.", anchor="lessons")


# The Ombudsman enquiry's steps: each reads its form (no date after `today`) and gives the call
# that records the step.


def _response(form: Form, today: date) -> EnquiryCall:
    sent = form.date("responded_on", "the day it was sent", required=False, not_after=today)
    return lambda ctx, case, enquiry, by, version: record_lgsco_response(
        ctx, case, enquiry, by=by, expected_version=version, responded_on=sent
    )


def _decision(form: Form, today: date) -> EnquiryCall:
    decision = form.choice("decision", "the Ombudsman's decision", DECISIONS)
    decided = form.date("decided_on", "the day of the decision", required=False, not_after=today)
    remedy = form.optional_text("remedy_agreed", "the remedy agreed", limit=MAX_TEXT)
    due = form.date("compliance_due_on", "the compliance due date", required=False)
    return lambda ctx, case, enquiry, by, version: record_lgsco_decision(
        ctx,
        case,
        enquiry,
        decision,
        by=by,
        expected_version=version,
        decided_on=decided,
        remedy_agreed=remedy,
        compliance_due_on=due,
    )


def _compliance(form: Form, today: date) -> EnquiryCall:
    evidence = form.text("evidence", "the evidence of compliance", limit=MAX_TEXT)
    complied = form.date("complied_on", "the day it was done", required=False, not_after=today)
    return lambda ctx, case, enquiry, by, version: record_lgsco_compliance(
        ctx, case, enquiry, by=by, expected_version=version, evidence=evidence, complied_on=complied
    )


def _close(form: Form, today: date) -> EnquiryCall:
    closed = form.date("closed_on", "the day it closed", required=False, not_after=today)
    return lambda ctx, case, enquiry, by, version: close_lgsco_enquiry(
        ctx, case, enquiry, by=by, expected_version=version, closed_on=closed
    )


# Each step on an enquiry (as complaints.services.lgsco.enquiry_steps names them): what reads its
# form (cases/lgsco_<step>.html), and what the case page then says ({} is the Ombudsman's
# reference).
ENQUIRY_STEPS: dict[str, tuple[Callable[[Form, date], EnquiryCall], str]] = {
    "response": (_response, "Response to Ombudsman enquiry {} recorded."),
    "decision": (_decision, "Decision on Ombudsman enquiry {} recorded."),
    "compliance": (_compliance, "Compliance on Ombudsman enquiry {} recorded."),
    "close": (_close, "Ombudsman enquiry {} closed."),
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
    reader, done = ENQUIRY_STEPS[step]
    today = context().clock.today()

    def read(form: Form) -> Call:
        record = reader(form, today)
        by = account().username
        return lambda: record(
            context(), file.reference, enquiry.ombudsman_reference, by, form.version()
        )

    return case_form(
        f"cases/lgsco_{step}.html",
        file,
        read,
        done=done.format(enquiry.ombudsman_reference),
        anchor="lgsco",
        enquiry=enquiry,
        decisions=DECISIONS,
    )


def _case_file(reference: str) -> CaseFile:
    """The case's file, for the signed-in person (a case outside their reach is not found)."""
    return case_file(context(), reference, account())
