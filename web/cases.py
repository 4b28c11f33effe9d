"""Cases: the list, logging new feedback with its triage, the case page, and the changes made
from it (a workflow step, triage, reallocation, points, findings, remedies, actions)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from complaints.models import ActionKind, Outcome, RemedyKind
from complaints.permissions import Permission
from complaints.services.case_file import CaseFile, case_file
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback
from complaints.services.followup import add_action, complete_action
from complaints.services.letters import MAX_COPY_BYTES, is_response, record_sent_outside
from complaints.services.listing import CaseFilters, list_cases
from complaints.services.points import add_complaint_point, add_remedy, record_finding
from complaints.services.triage import reallocate, triage_case
from web.forms import NAME_LIMIT, TEXT_LIMIT, Form, empty_form
from web.pages import accepts_upload, choices, submit
from web.security import account, allowed_to, context, deny, signed_in
from workflows import WORKFLOWS
from workflows.definition import FieldKind, Transition

bp = Blueprint("cases", __name__, url_prefix="/cases")
FEEDBACK_TYPES = ("complaint", "compliment", "comment", "question")
# The procedure each other type of feedback follows, and those a complaint may follow, as the
# workflows declare.
PROCEDURE_FOR = {
    kind: name
    for name, workflow in WORKFLOWS.items()
    for kind in workflow.feedback_types
    if kind != "complaint"
}
COMPLAINT_PROCEDURES = tuple(
    name for name, workflow in WORKFLOWS.items() if "complaint" in workflow.feedback_types
)
DESCRIPTION_LIMIT = 5_000
AMOUNT_LIMIT = 20
# The copy of a response sent outside this system, and the rest of its form.
COPY_UPLOAD_LIMIT = MAX_COPY_BYTES + 64 * 1024


@bp.route("")
@signed_in
def index() -> tuple[str, int]:
    form = Form(request.args)
    options = choices()
    team = form.choice(
        "team", "a team", [key for key, _ in options.team_id_options], required=False
    )
    officer = form.choice(
        "officer", "an officer", [key for key, _ in options.officer_id_options], required=False
    )
    filters = CaseFilters(
        state=form.choice("state", "a state", options.states, required=False),
        procedure=form.choice(
            "procedure", "a procedure", context().engine.workflows, required=False
        ),
        team_id=int(team) if team else None,
        officer_id=int(officer) if officer else None,
        overdue=form.value("overdue") == "yes",
        search=form.text("q", "a reference or name", required=False, limit=200),
        page=form.whole_number("page", "the page number", required=False) or 1,
    )
    if not form.valid:  # the list unfiltered, under the error summary
        filters = CaseFilters()
    found = list_cases(context(), account(), filters)
    page = render_template(
        "cases/index.html", cases=found, filters=filters, form=form, choices=options
    )
    return page, 200 if form.valid else 400


@bp.route("/new", methods=["GET", "POST"])
@allowed_to(Permission.LOG_FEEDBACK)
def new() -> str | Response:
    options = choices()
    if request.method == "GET":
        form = empty_form({"contact_method": "email", "made_by": "complainant"})
        return render_template("cases/new.html", form=form, choices=options)
    form = Form(request.form)
    today = options.today
    feedback_type = form.choice("feedback_type", "the type of feedback", FEEDBACK_TYPES)
    procedure = PROCEDURE_FOR.get(feedback_type, "")
    if feedback_type == "complaint":
        procedure = form.choice("procedure", "the procedure", COMPLAINT_PROCEDURES)
    received = form.date("received", "the date it was received", not_after=today)
    name = form.text("complainant_name", "the name of the person it is from", limit=NAME_LIMIT)
    summary = form.text("summary", "what the feedback is about")
    contact = form.choice("contact_method", "how it arrived", options.contact_methods)
    made_by = form.choice("made_by", "who it is from", options.made_by)
    advocate = form.optional_text("advocate_name", "the advocate's name", limit=NAME_LIMIT)
    team = form.choice(
        "team",
        "the team",
        options.team_names,
        required=False,
    )
    categories = form.choices(
        "categories",
        "the categories",
        options.category_names,
    )
    matter_date = form.date("matter", "the date of the matter", required=False, not_after=today)
    late_reason = form.optional_text("late_reason", "why it is accepted late", limit=5_000)
    view = submit(
        form,
        lambda: log_feedback(
            context(),
            NewFeedback(
                procedure=procedure,
                feedback_type=feedback_type,
                received_on=received or today,
                summary=summary,
                complainant_name=name,
                contact_method=contact,
                made_by=made_by,
                is_child=form.flag("is_child"),
                advocate_name=advocate,
                team=team or None,
                matter_date=matter_date,
                late_reason=late_reason,
                categories=categories,
            ),
            by=account().username,
        ),
    )
    if view is None:
        return render_template("cases/new.html", form=form, choices=options), 400  # type: ignore[return-value]
    flash(f"{view.feedback_type.capitalize()} {view.reference} logged.", "success")
    return redirect(url_for("cases.show", reference=view.reference))


@bp.route("/<reference>")
@signed_in
def show(reference: str) -> str:
    return render_template("cases/show.html", case=case_file(context(), reference, account()))


@bp.route("/<reference>/steps/<trigger>", methods=["GET", "POST"])
@signed_in
def step(reference: str, trigger: str) -> str | Response:
    file = case_file(context(), reference, account())
    reference = file.reference
    transition = next((t for t in file.steps if t.trigger == trigger), None)
    if transition is None:
        deny(f"'{trigger}' is not a step {account().username} may take on {reference} now")
    if is_response(transition.letter):
        # Taken only by sending its signed-off letter, or recorded as sent another way.
        if request.method == "GET":
            return _step_by_letter(file, transition, empty_form())
        refused = Form(request.form)
        refused.error("", f"{_described(file, transition)} is done by sending its letter")
        return _step_by_letter(file, transition, refused), 400  # type: ignore[return-value]
    options = choices()
    if request.method == "GET":
        return render_template(
            "cases/step.html", case=file, transition=transition, form=empty_form(), choices=options
        )
    form = Form(request.form)
    values = _step_values(form, transition)
    on = form.date("on", "the day it happened", required=False, not_after=options.today)
    view = submit(
        form,
        lambda: fire_trigger(
            context(),
            reference,
            trigger,
            by=account().username,
            on=on,
            values=values,
            expected_version=form.version(),
        ),
    )
    if view is None:
        page = render_template(
            "cases/step.html", case=file, transition=transition, form=form, choices=options
        )
        return page, 400  # type: ignore[return-value]
    flash(f"{_described(file, transition).rstrip('.')}: done.", "success")
    return redirect(url_for("cases.show", reference=reference))


@bp.route("/<reference>/steps/<trigger>/sent-outside", methods=["POST"])
@allowed_to(Permission.RECORD_SENT_OUTSIDE)
@accepts_upload(COPY_UPLOAD_LIMIT)
def sent_outside(reference: str, trigger: str) -> str | Response:
    """A manager records that the response a step sends went out another way, with a copy."""
    file = case_file(context(), reference, account())
    workflow = context().engine.workflow(file.view.procedure)
    transition = next((t for t in workflow.transitions_for(trigger) if is_response(t.letter)), None)
    if transition is None:
        abort(404)
    form = Form(request.form)
    reason = form.text("reason", "why it was sent outside this system", limit=5_000)
    upload = request.files.get("copy")
    copy = upload.read(COPY_UPLOAD_LIMIT) if upload else b""
    if not copy:
        form.error("copy", "Choose the PDF of the response that was sent")
    view = submit(
        form,
        lambda: record_sent_outside(
            context(),
            file.reference,
            trigger,
            by=account().username,
            expected_version=form.version(),
            reason=reason,
            copy=copy,
        ),
        "copy",
    )
    if view is None:
        return _step_by_letter(file, transition, form), 400  # type: ignore[return-value]
    flash(f"{_described(file, transition).rstrip('.')}: recorded.", "success")
    return redirect(url_for("cases.show", reference=file.reference, _anchor="letters"))


def _described(file: CaseFile, transition: Transition) -> str:
    """What the step does, in its first clause (its description up to a ';')."""
    fallback = transition.trigger.replace("_", " ").capitalize()
    return file.step_descriptions.get(transition.trigger, fallback).split(";")[0]


def _step_by_letter(file: CaseFile, transition: Transition, form: Form) -> str:
    letters = [letter for letter in file.letters if letter.template == transition.letter]
    return render_template(
        "cases/step_by_letter.html",
        case=file,
        transition=transition,
        letters=letters,
        form=form,
        can_record=file.can_record_sent_outside,
    )


def _step_values(form: Form, transition: Transition) -> dict[str, str]:
    """The step's fields as the service reads them (dates as YYYY-MM-DD, yes or no)."""
    values: dict[str, str] = {}
    for spec in transition.fields:
        label = spec.label.lower()
        if spec.kind is FieldKind.DATE:
            day = form.date(spec.name, label, required=spec.required)
            if day is not None:
                values[spec.name] = day.isoformat()
        elif spec.kind is FieldKind.BOOLEAN:
            values[spec.name] = form.choice(spec.name, label, ("yes", "no"), required=True)
        elif spec.kind is FieldKind.CHOICE:
            values[spec.name] = form.choice(spec.name, label, spec.choices, required=spec.required)
        elif spec.kind is FieldKind.WHOLE_NUMBER:
            number = form.whole_number(spec.name, label, required=spec.required)
            if number is not None:
                values[spec.name] = str(number)
        elif spec.kind is FieldKind.USER:
            values[spec.name] = form.text(spec.name, label, required=spec.required, limit=60)
        else:
            limit = spec.max_length or TEXT_LIMIT
            values[spec.name] = form.text(spec.name, label, required=spec.required, limit=limit)
    return {name: value for name, value in values.items() if value}


@bp.route("/<reference>/triage", methods=["GET", "POST"])
@allowed_to(Permission.TRIAGE)
def triage(reference: str) -> str | Response:
    file = case_file(context(), reference, account())
    reference = file.reference
    options = choices()
    if request.method == "GET":
        form = empty_form({"team": file.team or ""})
        form.data.setlist("categories", list(file.categories))
        return render_template("cases/triage.html", case=file, form=form, choices=options)
    form = Form(request.form)
    team = form.choice("team", "the team", options.team_names, required=False)
    categories = form.choices("categories", "the categories", options.category_names)
    matter = form.date("matter", "the date of the matter", required=False, not_after=options.today)
    late_reason = form.optional_text("late_reason", "why it is accepted late", limit=5_000)
    view = submit(
        form,
        lambda: triage_case(
            context(),
            reference,
            by=account().username,
            team=team or None,
            categories=categories,
            matter_date=matter,
            late_reason=late_reason,
            expected_version=form.version(),
        ),
    )
    if view is None:
        return render_template("cases/triage.html", case=file, form=form, choices=options), 400  # type: ignore[return-value]
    flash("Triage recorded.", "success")
    return redirect(url_for("cases.show", reference=reference))


@bp.route("/<reference>/reallocate", methods=["GET", "POST"])
@allowed_to(Permission.TRIAGE)
def reallocate_case(reference: str) -> str | Response:
    file = case_file(context(), reference, account())
    reference = file.reference
    options = choices()
    if request.method == "GET":
        return render_template(
            "cases/reallocate.html", case=file, form=empty_form(), choices=options
        )
    form = Form(request.form)
    feedback_type = form.choice("feedback_type", "the type of feedback", FEEDBACK_TYPES)
    procedure = PROCEDURE_FOR.get(feedback_type, "")
    if feedback_type == "complaint":
        procedure = form.choice("procedure", "the procedure", COMPLAINT_PROCEDURES)
    reason = form.text("reason", "why the case is reallocated", limit=5_000)
    view = submit(
        form,
        lambda: reallocate(
            context(),
            reference,
            by=account().username,
            reason=reason,
            feedback_type=feedback_type,
            procedure=procedure,
            expected_version=form.version(),
        ),
    )
    if view is None:
        return render_template("cases/reallocate.html", case=file, form=form, choices=options), 400  # type: ignore[return-value]
    flash(f"Case reallocated to the {view.procedure.replace('_', ' ')} procedure.", "success")
    return redirect(url_for("cases.show", reference=reference))


@bp.route("/<reference>/points/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_point(reference: str) -> str | Response:
    file = case_file(context(), reference, account())
    reference = file.reference
    options = choices()
    if request.method == "GET":
        return render_template("cases/point.html", case=file, form=empty_form(), choices=options)
    form = Form(request.form)
    description = form.text("description", "the complaint point", limit=DESCRIPTION_LIMIT)
    team = form.choice("team", "the team", options.team_names, required=False)
    officer = form.choice(
        "officer",
        "the investigating officer",
        [m.username for m in options.investigators],
        required=False,
    )
    restart = form.flag("restart")
    agreed_by = form.choice(
        "agreed_by",
        "the manager who agreed",
        [m.username for m in options.managers],
        required=False,
    )
    view = submit(
        form,
        lambda: add_complaint_point(
            context(),
            reference,
            description,
            by=account().username,
            team=team or None,
            officer=officer or None,
            restart=restart,
            agreed_by=agreed_by or None,
            expected_version=form.version(),
        ),
    )
    if view is None:
        return render_template("cases/point.html", case=file, form=form, choices=options), 400  # type: ignore[return-value]
    flash("Complaint point added.", "success")
    return redirect(url_for("cases.show", reference=reference, _anchor="points"))


@bp.route("/<reference>/points/<int:number>/finding", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def finding(reference: str, number: int) -> str | Response:
    file = case_file(context(), reference, account())
    reference = file.reference
    point = next((p for p in file.points if p.number == number), None)
    if point is None:
        abort(404)
    outcomes = [o.value for o in Outcome]
    if request.method == "GET":
        current = point.findings.get(file.view.stage, "")
        return render_template(
            "cases/finding.html",
            case=file,
            point=point,
            outcomes=outcomes,
            form=empty_form({"outcome": current}),
        )
    form = Form(request.form)
    outcome = form.choice("outcome", "the finding", outcomes)
    notes = form.optional_text("notes", "notes", limit=5_000)
    view = submit(
        form,
        lambda: record_finding(
            context(),
            reference,
            number,
            outcome,
            by=account().username,
            notes=notes,
            expected_version=form.version(),
        ),
    )
    if view is None:
        page = render_template(
            "cases/finding.html", case=file, point=point, outcomes=outcomes, form=form
        )
        return page, 400  # type: ignore[return-value]
    flash(f"Finding on point {number} recorded.", "success")
    return redirect(url_for("cases.show", reference=reference, _anchor="points"))


@bp.route("/<reference>/remedies/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_remedy(reference: str) -> str | Response:
    file = case_file(context(), reference, account())
    reference = file.reference
    kinds = [k.value for k in RemedyKind]
    if request.method == "GET":
        return render_template("cases/remedy.html", case=file, kinds=kinds, form=empty_form())
    form = Form(request.form)
    kind = form.choice("kind", "the remedy", kinds)
    amount = form.optional_text("amount", "the amount", limit=AMOUNT_LIMIT)
    description = form.optional_text("description", "a description", limit=5_000)
    view = submit(
        form,
        lambda: add_remedy(
            context(),
            reference,
            kind,
            by=account().username,
            amount=amount,
            description=description,
            expected_version=form.version(),
        ),
    )
    if view is None:
        page = render_template("cases/remedy.html", case=file, kinds=kinds, form=form)
        return page, 400  # type: ignore[return-value]
    flash("Remedy recorded.", "success")
    return redirect(url_for("cases.show", reference=reference, _anchor="remedies"))


@bp.route("/<reference>/actions/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new_action(reference: str) -> str | Response:
    file = case_file(context(), reference, account())
    reference = file.reference
    options = choices()
    kinds = [k.value for k in ActionKind]
    if request.method == "GET":
        return render_template(
            "cases/action.html",
            case=file,
            kinds=kinds,
            form=empty_form({"kind": "action"}),
            choices=options,
        )
    form = Form(request.form)
    description = form.text("description", "the action", limit=5_000)
    kind = form.choice("kind", "whether it is an action or a recommendation", kinds)
    owner = form.choice("owner", "who owns it", [m.username for m in options.staff])
    due = form.date("due", "the due date")
    view = submit(
        form,
        lambda: add_action(
            context(),
            reference,
            description,
            by=account().username,
            expected_version=form.version(),
            owner=owner,
            due_on=due or date.min,
            kind=kind,
        ),
    )
    if view is None:
        page = render_template(
            "cases/action.html", case=file, kinds=kinds, form=form, choices=options
        )
        return page, 400  # type: ignore[return-value]
    flash("Action recorded.", "success")
    return redirect(url_for("cases.show", reference=reference, _anchor="actions"))


@bp.route("/<reference>/actions/<int:action_id>/complete", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def finish_action(reference: str, action_id: int) -> str | Response:
    file = case_file(context(), reference, account())
    reference = file.reference
    action = next((a for a in file.actions if a.id == action_id), None)
    if action is None:
        abort(404)
    if request.method == "GET":
        return render_template(
            "cases/complete_action.html", case=file, action=action, form=empty_form()
        )
    form = Form(request.form)
    evidence = form.text("evidence", "the evidence it was done", limit=5_000)
    view = submit(
        form,
        lambda: complete_action(
            context(),
            reference,
            action_id,
            by=account().username,
            expected_version=form.version(),
            evidence=evidence,
        ),
    )
    if view is None:
        page = render_template("cases/complete_action.html", case=file, action=action, form=form)
        return page, 400  # type: ignore[return-value]
    flash("Action marked as done.", "success")
    return redirect(url_for("cases.show", reference=reference, _anchor="actions"))
