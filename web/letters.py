"""Letters of a case: choosing and previewing a letter, drafting it, quality assurance (submit,
approve or return with comments) and sending."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from complaints.errors import AccessDeniedError, ComplaintsError, NotFoundError
from complaints.letters.rendering import RESPONSES, render_letter
from complaints.services.case_file import case_file, letter_document
from complaints.services.letters import (
    approve_letter,
    draft_letter,
    return_letter,
    send_letter,
    submit_letter,
)
from web.forms import Form, empty_form
from web.pages import require_case, submit
from web.security import EVERYONE, SIGN_OFF, account, context, deny, roles_required

bp = Blueprint("letters", __name__, url_prefix="/cases/<reference>/letters")
# A letter's own page is shown inside a sandboxed frame: no scripts, no forms, only its styles.
LETTER_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'self'; sandbox"
)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EVERYONE)
def new(reference: str) -> str | BaseResponse:
    reference = require_case(reference)
    file = case_file(context(), reference, account())
    templates = file.letter_templates
    if request.method == "GET":
        chosen = request.args.get("template", "")
        form = empty_form({"template": chosen})
        preview_error = None
        if chosen in templates:
            preview_error = _preview_problem(reference, chosen)
        return render_template(
            "letters/new.html",
            case=file,
            templates=templates,
            responses=RESPONSES,
            form=form,
            chosen=chosen if chosen in templates else "",
            preview_error=preview_error,
        )
    form = Form(request.form)
    template = form.choice("template", "the letter", templates)
    drafted = submit(
        form, lambda: draft_letter(context(), reference, template, by=account().username)
    )
    if drafted is None:
        page = render_template(
            "letters/new.html",
            case=file,
            templates=templates,
            responses=RESPONSES,
            form=form,
            chosen="",
            preview_error=None,
        )
        return page, 400  # type: ignore[return-value]
    flash(f"Letter {drafted.id} ({drafted.template.replace('_', ' ')}) drafted.", "success")
    return redirect(url_for("letters.show", reference=reference, letter_id=drafted.id))


@bp.route("/preview/<template>")
@roles_required(*EVERYONE)
def preview(reference: str, template: str) -> Response:
    """The letter as it would be drafted now (inside the page's sandboxed frame)."""
    reference = require_case(reference)
    if template not in case_file(context(), reference, account()).letter_templates:
        abort(404)
    try:
        html = render_letter(context(), reference, template).html
    except ComplaintsError as error:
        html = f"<p>{_escape(str(error))}</p>"
    return _letter_response(html)


@bp.route("/<int:letter_id>")
@roles_required(*EVERYONE)
def show(reference: str, letter_id: int) -> str:
    reference = require_case(reference)
    file = case_file(context(), reference, account())
    letter = next((item for item in file.letters if item.id == letter_id), None)
    if letter is None:
        abort(404)
    return render_template(
        "letters/show.html", case=file, letter=letter, responses=RESPONSES, form=empty_form()
    )


@bp.route("/<int:letter_id>/document")
@roles_required(*EVERYONE)
def document(reference: str, letter_id: int) -> Response:
    try:
        html = letter_document(context(), reference, letter_id, account())
    except AccessDeniedError as error:
        deny(str(error))
    except NotFoundError:
        abort(404)
    return _letter_response(html)


@bp.route("/<int:letter_id>/<move>", methods=["POST"])
@roles_required(*EVERYONE)
def move(reference: str, letter_id: int, move: str) -> str | BaseResponse:
    reference = require_case(reference)
    if move in ("approve", "return") and account().role.value not in SIGN_OFF:
        deny(f"needs a manager to {move} a letter")
    form = Form(request.form)
    by = account().username
    ctx = context()
    done: object
    if move == "submit":
        done = submit(form, lambda: submit_letter(ctx, reference, letter_id, by=by))
        message = "Letter submitted for quality assurance."
    elif move == "approve":
        done = submit(form, lambda: approve_letter(ctx, reference, letter_id, by=by))
        message = "Letter approved; it can now be sent."
    elif move == "return":
        comments = form.text("comments", "what the author needs to change", limit=5_000)
        done = submit(
            form, lambda: return_letter(ctx, reference, letter_id, by=by, comments=comments)
        )
        message = "Letter returned to its author."
    elif move == "send":
        done = submit(form, lambda: send_letter(ctx, reference, letter_id, by=by))
        message = "Letter sent and stored."
    else:
        abort(404)
    if done is None:
        file = case_file(ctx, reference, account())
        letter = next((item for item in file.letters if item.id == letter_id), None)
        if letter is None:
            abort(404)
        page = render_template(
            "letters/show.html", case=file, letter=letter, responses=RESPONSES, form=form
        )
        return page, 400  # type: ignore[return-value]
    flash(message, "success")
    return redirect(url_for("letters.show", reference=reference, letter_id=letter_id))


def _preview_problem(reference: str, template: str) -> str | None:
    try:
        render_letter(context(), reference, template)
    except ComplaintsError as error:
        return str(error)
    return None


def _letter_response(html: str) -> Response:
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = LETTER_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
