"""The JSON API under /api/v1, for the council's own portal and integrations.

Each request carries `Authorization: Bearer <token>`; each route needs one scope. Views check
the body against its declaration (`web.api_schema`), call one service function and return JSON;
every error is `application/problem+json` (RFC 9457) with a title a developer can act on. The
OpenAPI 3.1 document at /api/v1/openapi.json is built from the same declarations.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from complaints.context import Context
from complaints.db import DatabaseError
from complaints.errors import (
    AccessDeniedError,
    CaseNotFoundError,
    ComplaintsError,
    ConflictError,
)
from complaints.services.cases import NewFeedback, fire_trigger, log_feedback, show_case
from complaints.services.integrations import (
    Integration,
    NotAuthenticatedError,
    authenticate,
    cases_changed_since,
)
from complaints.services.values import plain_whole_number
from web.api_schema import FIRE_TRIGGER, NEW_FEEDBACK, BodyError, Field, check_body
from web.api_spec import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
log = logging.getLogger("complaints.web.api")
P = ParamSpec("P")
R = TypeVar("R")
PROBLEM = "application/problem+json"
MAX_BODY_BYTES = 64 * 1024
MAX_PAGE = 500
UNEXPECTED = "something went wrong on our side and it has been logged; nothing was changed"


class ApiError(Exception):
    """An error response: HTTP status, a short title, the detail, and any field errors."""

    def __init__(
        self, status: int, title: str, detail: str, errors: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors or []


def _context() -> Context:
    ctx: Context = current_app.extensions["complaints"]
    return ctx


def needs(scope: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let the view run only for an integration whose token has `scope`."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            integration = _integration()
            if scope not in integration.scopes:
                log.warning("API: %s refused %s (needs %s)", integration.name, request.path, scope)
                raise ApiError(403, "Forbidden", f"this token does not have the scope {scope}")
            g.integration = integration
            return view(*args, **kwargs)

        return checked

    return decorate


def _integration() -> Integration:
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Unauthorized", "send the token as 'Authorization: Bearer <token>'")
    try:
        return authenticate(_context(), token.strip())
    except NotAuthenticatedError as error:
        raise ApiError(401, "Unauthorized", str(error)) from None


def _body() -> Any:
    if not request.content_length and not request.is_json:
        return None  # no body at all (a trigger that records nothing needs none)
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, "Payload Too Large", f"the body must be at most {MAX_BODY_BYTES} bytes")
    if not request.is_json:
        raise ApiError(415, "Unsupported Media Type", "send the body as application/json")
    data = request.get_data()
    if len(data) > MAX_BODY_BYTES:
        raise ApiError(413, "Payload Too Large", f"the body must be at most {MAX_BODY_BYTES} bytes")
    if not data:
        return None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError among them
        raise ApiError(400, "Bad Request", "the body is not valid JSON") from None


def _checked(fields: dict[str, Field]) -> dict[str, Any]:
    body = _body()
    try:
        return check_body({} if body is None else body, fields)
    except BodyError as error:
        raise ApiError(422, "Unprocessable Content", str(error), error.errors) from None


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.post("/feedback")
@needs("feedback:create")
def create_feedback() -> tuple[Response, int, dict[str, str]]:
    values = _checked(NEW_FEEDBACK)
    ctx = _context()
    feedback = NewFeedback(
        received_on=values.pop("received_on", None) or ctx.clock.today(),
        **values,
    )
    view = log_feedback(ctx, feedback, by=g.integration.acts_as)
    location = f"{bp.url_prefix}/cases/{view.reference}"
    return jsonify(view.as_json()), 201, {"Location": location}


@bp.get("/cases/<reference>")
@needs("cases:read")
def case_status(reference: str) -> Response:
    return jsonify(show_case(_context(), reference, by=g.integration.acts_as).as_json())


@bp.get("/cases")
@needs("cases:read")
def changed_cases() -> Response:
    since_text = request.args.get("changed_since", "")
    try:
        since = datetime.fromisoformat(since_text.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(
            422,
            "Unprocessable Content",
            "changed_since must be a moment such as 2026-11-23T09:00:00Z",
            [("changed_since", "must be an ISO 8601 date and time with its time zone")],
        ) from None
    limit = plain_whole_number(request.args.get("limit", "100"))
    if limit is None or not 1 <= limit <= MAX_PAGE:
        raise ApiError(
            422,
            "Unprocessable Content",
            f"limit must be a whole number from 1 to {MAX_PAGE}, in the digits 0 to 9",
            [("limit", f"must be a whole number from 1 to {MAX_PAGE}")],
        )
    page = cases_changed_since(
        _context(),
        since,
        by=g.integration.acts_as,
        cursor=request.args.get("cursor") or None,
        limit=limit,
    )
    return jsonify(
        {
            "cases": [
                {
                    "reference": case.reference,
                    "state": case.state,
                    "version": case.version,
                    "updated_at": case.updated_at.isoformat(),
                }
                for case in page.cases
            ],
            "next_cursor": page.cursor,
        }
    )


@bp.post("/cases/<reference>/triggers/<trigger>")
@needs("cases:fire")
def fire(reference: str, trigger: str) -> Response:
    values = _checked(FIRE_TRIGGER)
    view = fire_trigger(
        _context(),
        reference,
        trigger,
        by=g.integration.acts_as,
        on=values.get("on"),
        values=values.get("values") or {},
        expected_version=values["expected_version"],
    )
    return jsonify(view.as_json())


def problem_response(problem: ApiError) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors:
        body["errors"] = [{"field": field, "message": msg} for field, msg in problem.errors]
    response = jsonify(body)
    response.status_code = problem.status
    response.mimetype = PROBLEM
    if problem.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="complaints"'
    return response


@bp.errorhandler(ApiError)
def on_problem(problem: ApiError) -> Response:
    return problem_response(problem)


@bp.errorhandler(ComplaintsError)
def on_refusal(error: ComplaintsError) -> Response:
    if isinstance(error, DatabaseError):
        log.error("API: database unavailable: %s", error)
        return problem_response(ApiError(503, "Service Unavailable", str(error)))
    if isinstance(error, CaseNotFoundError):
        return problem_response(ApiError(404, "Not Found", str(error)))
    if isinstance(error, AccessDeniedError):
        return problem_response(ApiError(403, "Forbidden", str(error)))
    if isinstance(error, ConflictError):
        return problem_response(ApiError(409, "Conflict", str(error)))
    return problem_response(ApiError(422, "Unprocessable Content", str(error)))


@bp.errorhandler(HTTPException)
def on_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    return problem_response(ApiError(status, error.name, error.description or error.name))


@bp.errorhandler(Exception)
def on_unexpected(error: Exception) -> Response:
    """Anything else is the product's fault, not the caller's: logged in full, answered without
    its details (they could say how the product is built), and nothing half saved, since each
    change is one transaction."""
    log.exception("API: unexpected error on %s %s", request.method, request.path, exc_info=error)
    return problem_response(ApiError(500, "Internal Server Error", UNEXPECTED))


def is_api_path(path: str) -> bool:
    """Whether `path` is under the API, whose every answer, even to an address it does not
    have, is JSON."""
    prefix = bp.url_prefix or ""
    return path == prefix or path.startswith(f"{prefix}/")


def register_api(app: Flask, exempt_from_csrf: Callable[[Blueprint], Any] | None = None) -> None:
    """Add the API to an app: tokens, not cookies, so it needs no CSRF token."""
    app.register_blueprint(bp)
    if exempt_from_csrf is not None:
        exempt_from_csrf(bp)
