"""GET /health: the product's health as JSON for load balancers and monitoring (no sign-in; it
shows nothing about any case). 200 when healthy; 503 when degraded (the deadline sweep has
stopped succeeding) or unhealthy. Which host and process hold the scheduler, and how each
scheduled job last went, are shown only to a signed-in administrator."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask_login import current_user

from complaints.health import check_health
from complaints.permissions import Permission, may
from web.security import account, context

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> tuple[Response, int]:
    state = check_health(context())
    details = current_user.is_authenticated and may(account(), Permission.SEE_SCHEDULER)
    return jsonify(state.as_json(details=details)), 200 if state.healthy else 503
