"""Signing in and out."""

from __future__ import annotations

import logging
import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from complaints.errors import AccountLockedError
from complaints.services.accounts import authenticate, team_name
from web.errors import page
from web.forms import Form, empty_form
from web.security import StaffUser, context, has_line_break, safe_next

bp = Blueprint("auth", __name__)
log = logging.getLogger("complaints.web.access")
USERNAME_LIMIT = 60
PASSWORD_LIMIT = 256
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
    if request.method == "GET":
        return render_template("auth/login.html", form=empty_form())
    form = Form(request.form)
    username = form.text("username", "your username", limit=USERNAME_LIMIT)
    password = form.text("password", "your password", limit=PASSWORD_LIMIT)
    if form.valid:
        ctx = context()
        try:
            user = authenticate(ctx, username, password)
        except AccountLockedError as error:
            log.warning("sign-in to locked account %r from %s", username[:60], request.remote_addr)
            form.refused(error, "username")
            return render_template("auth/login.html", form=form), 400
        if user is None:
            log.warning("sign-in refused for %r from %s", username[:60], request.remote_addr)
            form.error("username", "The username or password is not right")
        else:
            session.clear()
            login_user(StaffUser(user, team_name(ctx, user.team_id)))
            session.permanent = True
            session["last_seen"] = time.time()
            log.info("%s signed in from %s", user.username, request.remote_addr)
            return redirect(safe_next(request.args.get("next")) or url_for("dashboard.my_work"))
    return render_template("auth/login.html", form=form), 400


@bp.route("/sign-out", methods=["POST"])
def logout() -> Response:
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))
