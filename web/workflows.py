"""Each procedure's workflow: its state diagram (Mermaid, drawn in the browser by the vendored
mermaid script; the same text stays readable without it) and a table of its steps."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from werkzeug.wrappers import Response

from complaints.errors import DomainError
from web.security import ROLE_NAMES, context, signed_in
from workflows.diagrams import mermaid

bp = Blueprint("workflows", __name__, url_prefix="/workflows")
# Mermaid styles the diagrams it draws with <style> inside the SVG.
DIAGRAM_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@bp.route("")
@signed_in
def index() -> str:
    return render_template("workflows/index.html", workflows=context().engine.workflows.values())


@bp.route("/<procedure>")
@signed_in
def show(procedure: str) -> tuple[str, int, dict[str, str]] | Response:
    try:
        workflow = context().engine.workflow(procedure)
    except DomainError:
        abort(404)
    page = render_template(
        "workflows/show.html", workflow=workflow, diagram=mermaid(workflow), role_names=ROLE_NAMES
    )
    return page, 200, {"Content-Security-Policy": DIAGRAM_POLICY}
