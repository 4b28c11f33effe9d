"""GET /health: the product's health as JSON for load balancers and monitoring (no sign-in; it
shows nothing about any case). 200 when healthy, 503 when not."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from complaints.health import check_health
from web.security import context

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> tuple[Response, int]:
    state = check_health(context())
    return jsonify(state.as_json()), 200 if state.healthy else 503
