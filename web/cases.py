"""Cases: the list, logging new feedback with its triage, the case page, and the changes made
from it (a workflow step, triage, reallocation, points, findings, remedies, actions). Each form is
a class of web/forms/cases.py (a step's is made from its transition, web/forms/steps.py) shown
and sent through one form page (web/pages.py `form_page`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from complaints.permissions import Permission
from complaints.services.case_file import CaseFile, case_file
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback
from complaints.services.followup import add_action, complete_action
from complaints.services.letters import is_response, record_sent_outside
from complaints.services.listing import CaseFilters, list_cases
from complaints.services.points import add_complaint_point, add_remedy, record_finding
from complaints.services.triage import reallocate, triage_case
from complaints.services.views import CaseView
from web.forms.cases import (
    COPY_UPLOAD_LIMIT,
    ActionForm,
    CaseFiltersForm,
    CompleteActionForm,
    FindingForm,
    NewFeedbackForm,
    PointForm,
    ReallocateForm,
    RemedyForm,
    SentOutsideForm,
    TriageForm,
)
from web.forms.steps import step_form
from web.pages import accepts_upload, case_form, choices, form_page
from web.security import account, allowed_to, context, deny, signed_in
from workflows.definition import Transition

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.route("")
@signed_in
def index() -> tuple[str, int]:
    form = CaseFiltersForm(choices())
    valid = form.validate()
    filters = CaseFilters()  # unfiltered, under the error summary, if the filters do not read
    if valid:
        filters = CaseFilters(
            state=form.state.data,
            procedure=form.procedure.data,
            team_id=int(form.team.data) if form.team.data else None,
            officer_id=int(form.officer.data) if form.officer.data else None,
            overdue=form.overdue.data,
            search=form.q.data,
            page=form.page.data or 1,
        )
    found = list_cases(context(), account(), filters)
    page = render_template("cases/index.html", cases=found, filters=filters, form=form)
    return page, 200 if valid else 400


@bp.route("/new", methods=["GET", "POST"])
@allowed_to(Permission.LOG_FEEDBACK)
def new() -> ResponseReturnValue:
    form = NewFeedbackForm(choices())

    def log() -> CaseView:
        return log_feedback(
            context(),
            NewFeedback(
                procedure=form.procedure_name,
                feedback_type=form.feedback_type.data,
                received_on=form.received.data or form.today,
                summary=form.summary.data,
                complainant_name=form.complainant_name.data,
                contact_method=form.contact_method.data,
                made_by=form.made_by.data,
                is_child=form.is_child.data,
                advocate_name=form.advocate_name.optional,
                team=form.team.optional,
                matter_date=form.matter.data,
                late_reason=form.late_reason.optional,
                categories=form.categories.data,
            ),
            by=account().username,
        )

    return form_page(
        "cases/new.html",
        form,
        log,
        done=lambda view: f"{view.feedback_type.capitalize()} {view.reference} logged.",
        then=lambda view: url_for("cases.show", reference=view.reference),
    )


@bp.route("/<reference>")
@signed_in
def show(reference: str) -> str:
    return render_template("cases/show.html", case=case_file(context(), reference, account()))


@bp.route("/<reference>/steps/<trigger>", methods=["GET", "POST"])
@signed_in
def step(reference: str, trigger: str) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    transition = next((t for t in file.steps if t.trigger == trigger), None)
    if transition is None:
        deny(f"'{trigger}' is not a step {account().username} may take on {file.reference} now")
    if is_response(transition.letter):
        # Taken only by sending its signed-off letter, or recorded as sent another way.
        letter_form = SentOutsideForm(blank=True)
        if request.method == "POST":
            letter_form.add_problem(f"{_described(file, transition)} is done by sending its letter")
        page = render_template(
            "cases/step_by_letter.html", form=letter_form, **_by_letter(file, transition)
        )
        return (page, 400) if request.method == "POST" else page
    form = step_form(transition, file.timescales)(choices())
    return case_form(
        "cases/step.html",
        file,
        form,
        lambda: fire_trigger(
            context(),
            file.reference,
            trigger,
            by=account().username,
            on=form.on.data,
            values=form.values(),
            expected_version=form.expected_version(),
        ),
        done=f"{_described(file, transition).rstrip('.')}: done.",
        transition=transition,
    )


@bp.route("/<reference>/steps/<trigger>/sent-outside", methods=["POST"])
@allowed_to(Permission.RECORD_SENT_OUTSIDE)
@accepts_upload(COPY_UPLOAD_LIMIT)
def sent_outside(reference: str, trigger: str) -> ResponseReturnValue:
    """A manager records that the response a step sends went out another way, with a copy."""
    file = case_file(context(), reference, account())
    workflow = context().engine.workflow(file.view.procedure)
    transition = next((t for t in workflow.transitions_for(trigger) if is_response(t.letter)), None)
    if transition is None:
        abort(404)
    form = SentOutsideForm()
    return form_page(
        "cases/step_by_letter.html",
        form,
        lambda: record_sent_outside(
            context(),
            file.reference,
            trigger,
            by=account().username,
            expected_version=form.expected_version(),
            reason=form.reason.data,
            copy=form.copy.data,
        ),
        done=f"{_described(file, transition).rstrip('.')}: recorded.",
        then=url_for("cases.show", reference=file.reference, _anchor="letters"),
        refused_at=form.copy,  # a copy that is not a PDF of the response
        **_by_letter(file, transition),
    )


def _by_letter(file: CaseFile, transition: Transition) -> dict[str, Any]:
    """What the page of a step taken by sending its letter shows besides its form."""
    return {
        "case": file,
        "transition": transition,
        "letters": [letter for letter in file.letters if letter.template == transition.letter],
        "can_record": file.can_record_sent_outside,
    }


def _described(file: CaseFile, transition: Transition) -> str:
    """What the step does, in its first clause (its description, with the council's numbers in
    it, up to a ';')."""
    fallback = transition.trigger.replace("_", " ").capitalize()
    return file.step_descriptions.get(transition.trigger, fallback).split(";")[0]


@bp.route("/<reference>/triage", methods=["GET", "POST"])
@allowed_to(Permission.TRIAGE)
def triage(reference: str) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    form = TriageForm(choices(), team=file.team or "", categories=file.categories)
    return case_form(
        "cases/triage.html",
        file,
        form,
        lambda: triage_case(
            context(),
            file.reference,
            by=account().username,
            team=form.team.optional,
            categories=form.categories.data,
            matter_date=form.matter.data,
            late_reason=form.late_reason.optional,
            expected_version=form.expected_version(),
        ),
        done="Triage recorded.",
    )


@bp.route("/<reference>/reallocate", methods=["GET", "POST"])
@allowed_to(Permission.TRIAGE)
def reallocate_case(reference: str) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    form = ReallocateForm(choices())

    def move() -> CaseView:
        return reallocate(
            context(),
            file.reference,
            by=account().username,
            reason=form.reason.data,
            feedback_type=form.feedback_type.data,
            procedure=form.procedure_name,
            expected_version=form.expected_version(),
        )

    return form_page(
        "cases/reallocate.html",
        form,
        move,
        done=lambda view: f"Case reallocated to the {view.procedure.replace('_', ' ')} procedure.",
        then=url_for("cases.show", reference=file.reference),
        case=file,
    )


@bp.route("/<reference>/points/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_point(reference: str) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    form = PointForm(choices())
    return case_form(
        "cases/point.html",
        file,
        form,
        lambda: add_complaint_point(
            context(),
            file.reference,
            form.description.data,
            by=account().username,
            team=form.team.optional,
            officer=form.officer.optional,
            restart=form.restart.data,
            agreed_by=form.agreed_by.optional,
            expected_version=form.expected_version(),
        ),
        done="Complaint point added.",
        anchor="points",
    )


@bp.route("/<reference>/points/<int:number>/finding", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def finding(reference: str, number: int) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    point = next((p for p in file.points if p.number == number), None)
    if point is None:
        abort(404)
    form = FindingForm(outcome=point.findings.get(file.view.stage, ""))
    return case_form(
        "cases/finding.html",
        file,
        form,
        lambda: record_finding(
            context(),
            file.reference,
            number,
            form.outcome.data,
            by=account().username,
            notes=form.notes.optional,
            expected_version=form.expected_version(),
        ),
        done=f"Finding on point {number} recorded.",
        anchor="points",
        point=point,
    )


@bp.route("/<reference>/remedies/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_remedy(reference: str) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    form = RemedyForm()
    return case_form(
        "cases/remedy.html",
        file,
        form,
        lambda: add_remedy(
            context(),
            file.reference,
            form.kind.data,
            by=account().username,
            amount=form.amount.optional,
            description=form.description.optional,
            expected_version=form.expected_version(),
        ),
        done="Remedy recorded.",
        anchor="remedies",
    )


@bp.route("/<reference>/actions/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_action(reference: str) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    form = ActionForm(choices())
    return case_form(
        "cases/action.html",
        file,
        form,
        lambda: add_action(
            context(),
            file.reference,
            form.description.data,
            by=account().username,
            expected_version=form.expected_version(),
            owner=form.owner.data,
            due_on=form.due.data or date.min,
            kind=form.kind.data,
        ),
        done="Action recorded.",
        anchor="actions",
    )


@bp.route("/<reference>/actions/<int:action_id>/complete", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def finish_action(reference: str, action_id: int) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    action = next((a for a in file.actions if a.id == action_id), None)
    if action is None:
        abort(404)
    form = CompleteActionForm()
    return case_form(
        "cases/complete_action.html",
        file,
        form,
        lambda: complete_action(
            context(),
            file.reference,
            action_id,
            by=account().username,
            expected_version=form.expected_version(),
            evidence=form.evidence.data,
        ),
        done="Action marked as done.",
        anchor="actions",
        action=action,
    )
