"""Signing in and out: a session the server holds starts at sign-in and ends at sign-out."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from complaints.errors import TooManyAttemptsError
from complaints.services.accounts import team_name
from complaints.services.sign_in import authenticate
from complaints.services.sign_in_sessions import end_session, start_session
from web.errors import page
from web.forms.accounts import SignInForm
from web.security import (
    SESSION_TOKEN,
    StaffUser,
    address,
    browser,
    context,
    has_line_break,
    safe_next,
)

bp = Blueprint("auth", __name__)
log = logging.getLogger("complaints.web.access")
BAD_RETURN_ADDRESS = [
    "The return address in the link is not valid, so nobody was signed in.",
    "Go to the sign-in page and sign in from there.",
]


@bp.route("/sign-in", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if has_line_break(request.args.get("next")):
        log.warning("sign-in page refused: its return address has a line break")
        return page(400, BAD_RETURN_ADDRESS)
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("dashboard.my_work"))
    form = SignInForm()
    if request.method == "GET":
        return render_template("auth/login.html", form=form)
    if not form.validate():
        return render_template("auth/login.html", form=form), 400
    username = form.username.data
    ctx = context()
    try:
        user = authenticate(ctx, username, form.password.data, address=address())
    except TooManyAttemptsError as error:
        log.warning("sign-in as %r from %s made to wait", username[:60], address())
        form.refuse(error, form.username)
        return render_template("auth/login.html", form=form), 429
    if user is None:
        log.warning("sign-in refused for %r from %s", username[:60], address())
        form.add_problem("The username or password is not right", form.username)
        return render_template("auth/login.html", form=form), 400
    _end_this_session()  # signing in again in the same browser: the earlier one ends
    token = start_session(ctx, user, browser=browser())
    login_user(StaffUser(user, team_name(ctx, user.team_id)))
    session.permanent = True
    session[SESSION_TOKEN] = token
    log.info("%s signed in from %s", user.username, address())
    return redirect(safe_next(request.args.get("next")) or url_for("dashboard.my_work"))


@bp.route("/sign-out", methods=["POST"])
def logout() -> Response:
    _end_this_session()
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


def _end_this_session() -> None:
    """End the session this browser holds, on the server too, and forget its cookie's values
    (a session planted in the cookie before signing in is worth nothing after)."""
    token = session.get(SESSION_TOKEN)
    if isinstance(token, str):
        end_session(context(), token)
    session.clear()
