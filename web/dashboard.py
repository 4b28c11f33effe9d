"""The front pages: my work for today, the manager's dashboard, and my alerts."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from complaints.dashboard import (
    DASHBOARD_ROWS,
    LIST_LIMIT,
    alerts_for,
    manager_dashboard,
    work_for,
)
from complaints.permissions import Permission
from web.security import account, allowed_to, context, signed_in

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@signed_in
def home() -> Response:
    return redirect(url_for("dashboard.my_work"))


@bp.route("/my-work")
@signed_in
def my_work() -> str:
    # A long queue shows the most urgent steps of each kind; ?all=yes shows every one.
    limit = None if request.args.get("all") == "yes" else LIST_LIMIT
    return render_template("dashboard/my_work.html", work=work_for(context(), account(), limit))


@bp.route("/dashboard")
@allowed_to(Permission.SEE_DASHBOARD)
def manager() -> str:
    board = manager_dashboard(context(), account())
    return render_template("dashboard/manager.html", board=board, rows=DASHBOARD_ROWS)


@bp.route("/alerts")
@signed_in
def alerts() -> str:
    return render_template("dashboard/alerts.html", alerts=alerts_for(context(), account()))
