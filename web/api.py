"""The JSON API under /api/v1, for the council's own portal and integrations.

Each request carries `Authorization: Bearer <token>`; each route needs one scope. Each route is
declared once with `route`, which registers its view and describes it in ROUTES; views read the
body and query into their pydantic models (web/api_models.py), call one service function and
answer with a model too. Every error is `application/problem+json` (RFC 9457) with a title a
developer can act on. The OpenAPI 3.1 document at /api/v1/openapi.json is generated from ROUTES
and the models (web/api_document.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from flask.typing import RouteCallable
from pydantic import BaseModel, ValidationError
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
from complaints.services.views import CaseView
from web import api_models
from web.api_document import Answer, Route, openapi_document
from web.api_models import FieldProblem, Problem, field_problems

bp = Blueprint("api", __name__, url_prefix="/api/v1")
log = logging.getLogger("complaints.web.api")
P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=BaseModel)
V = TypeVar("V", bound=RouteCallable)
PROBLEM = "application/problem+json"
MAX_BODY_BYTES = 64 * 1024
UNEXPECTED = "something went wrong on our side and it has been logged; nothing was changed"


class ApiError(Exception):
    """An error response: HTTP status, a short title, the detail, and any field errors."""

    def __init__(
        self, status: int, title: str, detail: str, errors: list[FieldProblem] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors or []


ROUTES: list[Route] = []  # every route of the API, as its OpenAPI document describes it
SCOPE_NEEDED: dict[Callable[..., Any], str] = {}  # each view `needs`, by the view


def route(
    method: str,
    rule: str,
    summary: str,
    answer: Answer,
    *,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    refusals: tuple[int, ...] = (),
) -> Callable[[V], V]:
    """Register the view for `method` `rule` and describe it in ROUTES, with the scope it
    `needs` (the decorator below this one), for the OpenAPI document."""

    def register(view: V) -> V:
        bp.add_url_rule(rule, view_func=view, methods=[method])
        scope = SCOPE_NEEDED.get(view)
        path = f"{bp.url_prefix}{rule}"
        ROUTES.append(Route(method, path, summary, answer, scope, body, query, refusals))
        return view

    return register


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

        SCOPE_NEEDED[checked] = scope
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
    """The JSON body as Python values; an empty object when nothing was sent (a trigger that
    records nothing needs no body)."""
    if not request.content_length and not request.is_json:
        return {}
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, "Payload Too Large", f"the body must be at most {MAX_BODY_BYTES} bytes")
    if not request.is_json:
        raise ApiError(415, "Unsupported Media Type", "send the body as application/json")
    data = request.get_data()
    if len(data) > MAX_BODY_BYTES:
        raise ApiError(413, "Payload Too Large", f"the body must be at most {MAX_BODY_BYTES} bytes")
    if not data:
        return {}
    try:
        return json.loads(data)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError among them
        raise ApiError(400, "Bad Request", "the body is not valid JSON") from None


def _read(model: type[M], values: Any) -> M:
    """`values` read into `model`, or a 422 naming each field at fault."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        problems = field_problems(error)
        detail = "; ".join(
            f"{problem.field}: {problem.message}" if problem.field else problem.message
            for problem in problems
        )
        raise ApiError(422, "Unprocessable Content", detail, problems) from None


def _answer(model: BaseModel) -> Response:
    return jsonify(model.model_dump(mode="json"))


def _case(view: CaseView) -> Response:
    return _answer(api_models.Case.model_validate(view, from_attributes=True))


@route("GET", "/openapi.json", "This document", Answer(200, "The OpenAPI document"))
def openapi() -> Response:
    return jsonify(openapi_document(ROUTES))


@route(
    "POST",
    "/feedback",
    "Log feedback; it starts in 'received', to be triaged",
    Answer(201, "The case logged", api_models.Case),
    body=api_models.NewFeedback,
)
@needs("feedback:create")
def create_feedback() -> tuple[Response, int, dict[str, str]]:
    sent = _read(api_models.NewFeedback, _body())
    ctx = _context()
    given = sent.model_dump(exclude_none=True) | {
        "received_on": sent.received_on or ctx.clock.today(),
        "categories": tuple(sent.categories or ()),
    }
    view = log_feedback(ctx, NewFeedback(**given), by=g.integration.acts_as)
    location = f"{bp.url_prefix}/cases/{view.reference}"
    return _case(view), 201, {"Location": location}


@route(
    "GET",
    "/cases/<reference>",
    "A case's status and deadlines",
    Answer(200, "The case", api_models.Case),
)
@needs("cases:read")
def case_status(reference: str) -> Response:
    return _case(show_case(_context(), reference, by=g.integration.acts_as))


@route(
    "GET",
    "/cases",
    "Cases changed since a moment, oldest change first",
    Answer(200, "A page of changed cases", api_models.ChangedPage),
    query=api_models.ChangedCasesQuery,
)
@needs("cases:read")
def changed_cases() -> Response:
    asked = _read(
        api_models.ChangedCasesQuery,
        {name: value for name, value in request.args.items() if value},
    )
    page = cases_changed_since(
        _context(),
        asked.changed_since,
        by=g.integration.acts_as,
        cursor=asked.cursor,
        limit=asked.limit,
    )
    return _answer(
        api_models.ChangedPage.model_validate(
            {"cases": page.cases, "next_cursor": page.cursor}, from_attributes=True
        )
    )


@route(
    "POST",
    "/cases/<reference>/triggers/<trigger>",
    "Fire a workflow trigger, as the integration's account",
    Answer(200, "The case after the step", api_models.Case),
    body=api_models.FireTrigger,
    refusals=(409,),
)
@needs("cases:fire")
def fire(reference: str, trigger: str) -> Response:
    step = _read(api_models.FireTrigger, _body())
    view = fire_trigger(
        _context(),
        reference,
        trigger,
        by=g.integration.acts_as,
        on=step.on,
        values=step.values or {},
        expected_version=step.expected_version,
    )
    return _case(view)


def problem_response(problem: ApiError) -> Response:
    body = Problem(
        title=problem.title,
        status=problem.status,
        detail=problem.detail,
        errors=problem.errors or None,
    )
    response = jsonify(body.model_dump(mode="json", exclude_none=True))
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
