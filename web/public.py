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

from flask import Blueprint, Flask, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from werkzeug.wrappers import Response

from complaints.services.online import OnlineFeedback, submit_online
from web.forms.public import PublicFeedbackForm
from web.pages import form_page
from web.security import context

bp = Blueprint("public", __name__, url_prefix="/feedback")
SEND_LIMIT = "5 per hour;20 per day"
SENT_TOO_OFTEN = (
    "This form has been sent too many times from your network. Try again in an hour, or "
    "contact us another way."
)


@bp.after_request
def _never_cached(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    form = PublicFeedbackForm()
    return form_page(
        "public/form.html",
        form,
        lambda: submit_online(context(), _feedback(form)),
        then=_remember_reference,
    )


@bp.route("/sent")
def sent() -> str | Response:
    reference = session.get("sent_reference")
    if not reference:
        return redirect(url_for("public.new"))
    return render_template("public/sent.html", reference=reference)


def _feedback(form: PublicFeedbackForm) -> OnlineFeedback:
    return OnlineFeedback(
        feedback_type=form.feedback_type.data,
        subject=form.subject.data,
        what_happened=form.what_happened.data,
        outcome_wanted=form.outcome_wanted.data,
        name=form.name.data,
        email=form.email.data,
        phone=form.phone.data,
        address=form.address.data,
        on_behalf_of_child=form.on_behalf_of_child.data,
        child_name=form.child_name.data,
        consent=form.consent.data,
        accessibility=form.accessibility.data,
    )


def _remember_reference(reference: str) -> str:
    """Keep the new reference for the page that shows it, and go there."""
    session["sent_reference"] = reference
    return url_for("public.sent")


def limit_sending(app: Flask, limiter: Limiter) -> None:
    """At most a few forms an hour from one address."""
    view = app.view_functions["public.new"]
    limited = limiter.limit(SEND_LIMIT, methods=["POST"], error_message=SENT_TOO_OFTEN)(view)
    app.view_functions["public.new"] = cast(Callable[..., Any], limited)
