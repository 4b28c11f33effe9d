"""Letters of a case: choosing and previewing a letter, drafting it, quality assurance (submit,
approve or return with comments), sending, and the PDF of an approved or sent letter.

Every view calls the letters service (`complaints.services.letters`), which decides who may see
the case and do what: a case outside the person's reach is not found.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import escape

from complaints.errors import ComplaintsError, NotFoundError
from complaints.permissions import Permission
from complaints.services.case_file import CaseFile, case_file, letter_document
from complaints.services.letters import (
    LetterView,
    approve_letter,
    draft_letter,
    letter_pdf,
    preview_letter,
    return_letter,
    send_letter,
    submit_letter,
)
from web.forms.base import PageForm
from web.forms.letters import ChooseLetterForm, LetterMoveForm
from web.pages import submit
from web.security import account, allowed_to, context, signed_in

bp = Blueprint("letters", __name__, url_prefix="/cases/<reference>/letters")
# A letter's own page is shown inside a sandboxed frame: no scripts, no forms, only its styles.
LETTER_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'self'; sandbox"
)
# A PDF opened to print, in the browser's own viewer, which embeds the document and styles its
# page inline; nothing else.
PRINT_POLICY = (
    "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
)


@bp.route("/new", methods=["GET", "POST"])
@allowed_to(Permission.WORK_A_CASE)
def new(reference: str) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    templates = file.letter_templates
    if request.method == "GET":
        # Choosing a letter (sent in the query string) previews it; drafting it is a post.
        form = ChooseLetterForm(templates, query=True)
        chosen = form.template.data if form.template.data in templates else ""
        return _new_letter_page(file, form, chosen)
    form = ChooseLetterForm(templates)
    drafted = submit(
        form,
        lambda: draft_letter(
            context(),
            file.reference,
            form.template.data,
            by=account().username,
            expected_version=form.expected_version(),
        ),
    )
    if drafted is None:
        return _new_letter_page(file, form, ""), 400
    flash(f"Letter {drafted.id} ({drafted.template.replace('_', ' ')}) drafted.", "success")
    return redirect(url_for("letters.show", reference=file.reference, letter_id=drafted.id))


def _new_letter_page(file: CaseFile, form: ChooseLetterForm, chosen: str) -> str:
    return render_template(
        "letters/new.html",
        case=file,
        form=form,
        chosen=chosen,
        preview_error=_preview_problem(file.reference, chosen) if chosen else None,
    )


@bp.route("/preview/<template>")
@signed_in
def preview(reference: str, template: str) -> Response:
    """The letter as it would be drafted now (inside the page's sandboxed frame)."""
    file = case_file(context(), reference, account())
    if template not in file.letter_templates:
        abort(404)
    try:
        html = preview_letter(context(), file.reference, template, by=account()).html
    except ComplaintsError as error:
        html = f"<p>{escape(str(error))}</p>"
    return _letter_response(html)


@bp.route("/<int:letter_id>")
@signed_in
def show(reference: str, letter_id: int) -> str:
    file = case_file(context(), reference, account())
    return _letter_page(file, _letter(file, letter_id), LetterMoveForm())


@bp.route("/<int:letter_id>/document")
@signed_in
def document(reference: str, letter_id: int) -> Response:
    try:
        html = letter_document(context(), reference, letter_id, account())
    except NotFoundError:
        abort(404)
    return _letter_response(html)


@bp.route("/<int:letter_id>/pdf")
@signed_in
def pdf(reference: str, letter_id: int) -> Response:
    """The letter's PDF (a letter not yet approved or sent is marked as a draft), as a
    download; `?print` opens it in the browser's PDF viewer to print it. A copy recorded as
    sent outside the product was uploaded by a person, so it is only ever a download."""
    try:
        document = letter_pdf(context(), reference, letter_id, by=account())
    except NotFoundError:
        abort(404)
    draft = "-draft-not-sent" if document.draft else ""
    name = f"{reference.strip().upper()}-letter-{letter_id}{draft}.pdf"
    to_print = "print" in request.args and not document.uploaded
    disposition = "inline" if to_print else "attachment"
    response = Response(
        document.content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )
    if to_print:
        response.headers["Content-Security-Policy"] = PRINT_POLICY
    return response


@bp.route("/<int:letter_id>/<any(submit, approve, return, send):move>", methods=["POST"])
@signed_in
def move(reference: str, letter_id: int, move: str) -> ResponseReturnValue:
    file = case_file(context(), reference, account())
    letter = _letter(file, letter_id)
    form = LetterMoveForm(move)
    by = account().username
    ctx = context()
    at = form.expected_version
    done: object
    if move == "submit":
        done = submit(
            form,
            lambda: submit_letter(ctx, file.reference, letter_id, by=by, expected_version=at()),
        )
        message = "Letter submitted for quality assurance."
    elif move == "approve":
        done = submit(
            form,
            lambda: approve_letter(
                ctx,
                file.reference,
                letter_id,
                by=by,
                expected_version=at(),
                seen_sha256=form.seen.data,
            ),
        )
        message = "Letter approved; it can now be sent."
    elif move == "return":
        done = submit(
            form,
            lambda: return_letter(
                ctx,
                file.reference,
                letter_id,
                by=by,
                expected_version=at(),
                comments=form.comments.data,
            ),
        )
        message = "Letter returned to its author."
    else:
        done = submit(
            form, lambda: send_letter(ctx, file.reference, letter_id, by=by, expected_version=at())
        )
        message = "Letter sent and stored."
    if done is None:
        # Shown as it now stands: a refusal may have withdrawn an approval or changed the text.
        file = case_file(ctx, file.reference, account())
        return _letter_page(file, _letter(file, letter.id), form), 400
    flash(message, "success")
    return redirect(url_for("letters.show", reference=file.reference, letter_id=letter_id))


def _letter(file: CaseFile, letter_id: int) -> LetterView:
    letter = next((item for item in file.letters if item.id == letter_id), None)
    if letter is None:
        abort(404)
    return letter


def _letter_page(file: CaseFile, letter: LetterView, form: PageForm) -> str:
    return render_template(
        "letters/show.html",
        case=file,
        letter=letter,
        form=form,
        can_sign_off=letter.id in file.letters_to_sign_off,
    )


def _preview_problem(reference: str, template: str) -> str | None:
    try:
        preview_letter(context(), reference, template, by=account())
    except ComplaintsError as error:
        return str(error)
    return None


def _letter_response(html: str) -> Response:
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = LETTER_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
