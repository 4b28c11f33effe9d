"""The error pages: refused (403), not found (404), an expired or missing form token (400),
too many sign-in attempts (429), a database that cannot be used just now (503), and anything
unexpected (500), each a GOV.UK page; under the API's address (an address it does not have, say)
the API's problem+json instead."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from complaints.db import DatabaseError
from complaints.errors import AccessDeniedError, CaseNotFoundError
from web import api
from web.security import log_refusal

log = logging.getLogger("complaints.web")

PAGES = {
    400: ("Sorry, there is a problem with that request", ["Go back and try again."]),
    403: (
        "You cannot see this page",
        ["Your role or team does not allow it. Ask a manager if you think you need to."],
    ),
    404: ("Page not found", ["If you typed the web address, check it is correct."]),
    405: ("Sorry, there is a problem with that request", ["Go back and try again."]),
    413: ("That is too much to send", ["Send less text at a time."]),
    429: (
        "Too many attempts",
        ["You have tried to sign in too many times. Wait a minute, then try again."],
    ),
    500: (
        "Sorry, there is a problem with the service",
        ["Try again later. Nothing you were doing has been half saved."],
    ),
    503: ("Sorry, the service cannot save changes just now", ["Try again later."]),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DatabaseError, _database_error)
    # The services refuse what the person may not do or see; a case outside their reach is
    # answered exactly like a case that does not exist.
    app.register_error_handler(CaseNotFoundError, lambda error: page(404))
    app.register_error_handler(AccessDeniedError, _refused)
    app.register_error_handler(Exception, _unexpected)


def page(status: int, lines: list[str] | None = None) -> tuple[str, int]:
    heading, default_lines = PAGES.get(status, PAGES[400])
    return render_template(
        "errors/error.html", heading=heading, lines=lines or default_lines
    ), status


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    log.warning("form refused: %s", error.description)
    return page(
        400,
        [
            "The form could not be accepted because its security token was missing or had "
            "expired (for example, after you were signed out). Nothing was changed.",
            "Go back, reload the page and try again.",
        ],
    )


def _http_error(error: HTTPException) -> ResponseReturnValue:
    if api.is_api_path(request.path):
        return api.on_http_error(error)
    status = error.code or 500
    if status == 403 and getattr(g, "denied_reason", None):
        return page(403)
    if isinstance(error, RateLimitExceeded) and error.limit.error_message:
        return page(429, [str(error.description)])  # the limit says what it refused
    return page(status)


def _refused(error: AccessDeniedError) -> tuple[str, int]:
    log_refusal(str(error))
    return page(403)


def _database_error(error: DatabaseError) -> ResponseReturnValue:
    if api.is_api_path(request.path):
        return api.on_refusal(error)
    log.error("database unavailable: %s", error)
    # The page is drawn without the signed-in person: finding them needs the database too.
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    message = str(error)
    return page(503, [message[:1].upper() + message[1:] + ".", "Try again later."])


def _unexpected(error: Exception) -> ResponseReturnValue:
    if api.is_api_path(request.path):
        return api.on_unexpected(error)
    log.exception("unexpected error", exc_info=error)
    return page(500)
