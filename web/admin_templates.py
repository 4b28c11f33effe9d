"""Administration of the letter templates (docs/letters.md): every template with where its wording
in force comes from, and for one template its shipped and current wording, the council's versions, a
preview in a case's letter, a new wording saved and the shipped (or folder's) wording put back.

The pages belong to the administration blueprint (`web.admin` registers them on it); the service
layer checks a wording before it is saved, and keeps every version with its audit event.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from complaints.errors import CaseNotFoundError, NotFoundError
from complaints.permissions import Permission
from complaints.services.cases import show_case
from complaints.services.letter_templates import (
    TemplateView,
    list_templates,
    revert_template,
    set_template,
    show_template,
)
from web.forms.accounts import PreviewCaseForm, TemplateWordingForm
from web.forms.base import PageForm
from web.pages import submit
from web.security import account, allowed_to, context

CHILD = "child/"
# What each letter is for, as the people who send it would say; a child-friendly variant
# (`child/...`) is for the same moment, written for a child or young person.
PURPOSES = {
    "acknowledgement": "Acknowledges a complaint and says when we will reply",
    "adjudication": "The decision on a stage 2 investigation (children's social care)",
    "adult_response": "The response to an adult social care complaint",
    "compliment_acknowledgement": "Thanks someone for a compliment",
    "early_resolution": "Confirms how a complaint was resolved early, at stage 1",
    "extension_notice": "Tells the complainant we need more time, and until when",
    "lgsco_signposting": "Tells the complainant how to take the complaint to the Ombudsman",
    "panel_arrangements": "Arranges the stage 3 review panel",
    "panel_response": "The council's response to the review panel's findings",
    "redirection": "Says where to take a matter the complaints procedure cannot look at",
    "request_information": "Asks the complainant for more information",
    "stage1_response": "The stage 1 response: a finding on each point, and how to escalate",
    "stage2_acknowledgement": "Acknowledges a request for stage 2 and what it will look at",
    "stage2_response": "The stage 2 response, the last stage of the corporate procedure",
}
Page = str | tuple[str, int] | Response


def register(bp: Blueprint) -> None:
    """Add the letter template pages to the administration blueprint `bp`."""
    bp.add_url_rule("/templates", view_func=letter_templates)
    bp.add_url_rule("/templates/<path:name>", view_func=letter_template, methods=["GET", "POST"])
    bp.add_url_rule(
        "/templates/<path:name>/revert", view_func=revert_letter_template, methods=["POST"]
    )


def purpose(name: str) -> str:
    """What the template `name` is for."""
    what = PURPOSES.get(name.removeprefix(CHILD), "")
    return f"{what} (written for a child or young person)" if name.startswith(CHILD) else what


@allowed_to(Permission.CHANGE_LETTER_WORDING)
def letter_templates() -> str:
    return render_template(
        "admin/templates.html", templates=list_templates(context()), purpose=purpose
    )


@allowed_to(Permission.CHANGE_LETTER_WORDING)
def letter_template(name: str) -> Page:
    view = _template_or_404(name)
    preview_form = PreviewCaseForm()
    if request.method == "GET":
        preview = _preview_case(preview_form) if "case" in request.args else None
        return _page(view, TemplateWordingForm(text=view.text), preview_form, preview)
    form = TemplateWordingForm()
    saved = submit(
        form,
        lambda: set_template(context(), view.name, form.text.data, by=account().username),
        form.text,
    )
    if saved is None:
        return _page(view, form, preview_form)
    flash(f"Template '{saved.name}' saved: version {saved.version} is now in force.", "success")
    return redirect(url_for("admin.letter_template", name=saved.name))


@allowed_to(Permission.CHANGE_LETTER_WORDING)
def revert_letter_template(name: str) -> Response:
    view = _template_or_404(name)
    form = PageForm()
    reverted = submit(form, lambda: revert_template(context(), view.name, by=account().username))
    if reverted is None:
        flash(form.problems[0].message if form.problems else "Not changed.", "error")
    else:
        flash(f"Template '{reverted.name}' now uses the {reverted.origin} wording.", "success")
    return redirect(url_for("admin.letter_template", name=view.name))


def _template_or_404(name: str) -> TemplateView:
    try:
        return show_template(context(), name)
    except NotFoundError:
        abort(404)


def _preview_case(form: PreviewCaseForm) -> str | None:
    """The case reference typed to preview the letter in, once the case is known to exist."""
    if not form.validate():
        return None
    reference = form.case.data.upper()
    try:
        show_case(context(), reference, by=account().username)
    except CaseNotFoundError as error:
        form.refuse(error, form.case)
        return None
    return reference


def _page(
    view: TemplateView,
    form: TemplateWordingForm,
    preview_form: PreviewCaseForm,
    preview: str | None = None,
) -> Page:
    """The template's page; with a form's problems in the error summary, a 400."""
    page = render_template(
        "admin/template.html",
        view=view,
        purpose=purpose(view.name),
        shipped=view.shipped,
        letter=view.name.removeprefix(CHILD),
        form=form,
        preview_form=preview_form,
        preview=preview,
    )
    return (page, 400) if form.problems or preview_form.problems else page
