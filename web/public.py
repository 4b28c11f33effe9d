"""The public form: anyone can make a complaint, a compliment or a comment, no sign-in needed.

It creates feedback in `received` for an officer to triage, and shows the reference. Abuse is
kept out by a CSRF token, a limit per address on sending, a field people cannot see but robots
fill in (a honeypot: a form with it filled is refused), and limits on every field's length. Its
pages are never cached, by the browser or a proxy: each holds the sender's own token or
reference (and, sent back with an error, what they typed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from werkzeug.wrappers import Response

from complaints.services.online import OnlineFeedback, Subject, submit_online
from web.forms import NAME_LIMIT, Form, empty_form
from web.pages import submit
from web.security import context

bp = Blueprint("public", __name__, url_prefix="/feedback")
SEND_LIMIT = "5 per hour;20 per day"
SENT_TOO_OFTEN = (
    "This form has been sent too many times from your network. Try again in an hour, or "
    "contact us another way."
)
HONEYPOT = "website"
TYPES = (("complaint", "Make a complaint"), ("compliment", "Pay a compliment"),
         ("comment", "Make a comment or suggestion"))  # fmt: skip
SUBJECTS = (
    (
        Subject.CHILDREN.value,
        "Children's social care (for example, a social worker or foster care)",
    ),
    (Subject.ADULTS.value, "Adult social care (for example, home care or a care assessment)"),
    (Subject.OTHER.value, "Another council service (for example, bins, roads, housing, schools)"),
)
TEXT_LIMIT = 5_000


@bp.after_request
def _never_cached(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_template(
            "public/form.html", form=empty_form(), types=TYPES, subjects=SUBJECTS
        )
    form = Form(request.form)
    if form.value(HONEYPOT).strip():
        form.error("", "Your form could not be sent. Please try again, or call us.")
        return render_template("public/form.html", form=form, types=TYPES, subjects=SUBJECTS), 400
    submission = _read(form)
    reference = submit(form, lambda: submit_online(context(), submission))
    if reference is None:
        return render_template("public/form.html", form=form, types=TYPES, subjects=SUBJECTS), 400
    session["sent_reference"] = reference
    return redirect(url_for("public.sent"))


@bp.route("/sent")
def sent() -> str | Response:
    reference = session.get("sent_reference")
    if not reference:
        return redirect(url_for("public.new"))
    return render_template("public/sent.html", reference=reference)


def _read(form: Form) -> OnlineFeedback:
    feedback_type = form.choice("feedback_type", "what you would like to do", [t for t, _ in TYPES])
    subject = form.choice("subject", "what it is about", [s for s, _ in SUBJECTS])
    on_behalf = form.flag("on_behalf_of_child")
    return OnlineFeedback(
        feedback_type=feedback_type,
        subject=subject,
        what_happened=form.text("what_happened", "what happened", limit=TEXT_LIMIT),
        outcome_wanted=form.optional_text("outcome_wanted", "what you would like", limit=TEXT_LIMIT)
        or "",
        name=form.text("name", "your full name", limit=NAME_LIMIT),
        email=form.optional_text("email", "your e-mail address", limit=254) or "",
        phone=form.optional_text("phone", "your phone number", limit=40) or "",
        address=form.optional_text("address", "your address", limit=1_000) or "",
        on_behalf_of_child=on_behalf,
        child_name=form.optional_text("child_name", "the child's name", limit=NAME_LIMIT) or "",
        consent=form.flag("consent"),
        accessibility=form.optional_text("accessibility", "how we should contact you", limit=1_000)
        or "",
    )


def limit_sending(app: Flask, limiter: Limiter) -> None:
    """At most a few forms an hour from one address."""
    view = app.view_functions["public.new"]
    limited = limiter.limit(SEND_LIMIT, methods=["POST"], error_message=SENT_TOO_OFTEN)(view)
    app.view_functions["public.new"] = cast(Callable[..., Any], limited)
