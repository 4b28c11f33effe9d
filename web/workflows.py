"""Each procedure's workflow: its state diagram (Mermaid, drawn in the browser by the vendored
mermaid script; the same text stays readable without it) and a table of its steps."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from werkzeug.wrappers import Response

from complaints.errors import DomainError
from web.security import EVERYONE, ROLE_NAMES, context, roles_required
from workflows.diagrams import mermaid

bp = Blueprint("workflows", __name__, url_prefix="/workflows")
# Mermaid styles the diagrams it draws with <style> inside the SVG.
DIAGRAM_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@bp.route("")
@roles_required(*EVERYONE)
def index() -> str:
    return render_template("workflows/index.html", workflows=context().engine.workflows.values())


@bp.route("/<procedure>")
@roles_required(*EVERYONE)
def show(procedure: str) -> tuple[str, int, dict[str, str]] | Response:
    try:
        workflow = context().engine.workflow(procedure)
    except DomainError:
        abort(404)
    page = render_template(
        "workflows/show.html", workflow=workflow, diagram=mermaid(workflow), role_names=ROLE_NAMES
    )
    return page, 200, {"Content-Security-Policy": DIAGRAM_POLICY}
