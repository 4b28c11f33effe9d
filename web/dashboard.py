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
from web.security import EVERYONE, SIGN_OFF, account, context, roles_required

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@roles_required(*EVERYONE)
def home() -> Response:
    return redirect(url_for("dashboard.my_work"))


@bp.route("/my-work")
@roles_required(*EVERYONE)
def my_work() -> str:
    # A long queue shows the most urgent steps of each kind; ?all=yes shows every one.
    limit = None if request.args.get("all") == "yes" else LIST_LIMIT
    return render_template("dashboard/my_work.html", work=work_for(context(), account(), limit))


@bp.route("/dashboard")
@roles_required(*SIGN_OFF)
def manager() -> str:
    board = manager_dashboard(context(), account())
    return render_template("dashboard/manager.html", board=board, rows=DASHBOARD_ROWS)


@bp.route("/alerts")
@roles_required(*EVERYONE)
def alerts() -> str:
    return render_template("dashboard/alerts.html", alerts=alerts_for(context(), account()))
