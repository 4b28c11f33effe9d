"""One structured log line per request (method, path, status, time taken, person, address), and
the case reference of the page being served on every line logged while serving it."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request
from flask_login import current_user

from complaints.logs import case_in_hand

log = logging.getLogger("complaints.web.requests")


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)


def _start() -> None:
    g.request_started = time.perf_counter()
    reference = (request.view_args or {}).get("reference")
    g.case_token = case_in_hand.set(str(reference).strip().upper() if reference else None)


def _finish(response: Response) -> Response:
    if request.path.startswith(("/static/", "/assets/")):
        return response
    started = g.get("request_started")
    elapsed = round((time.perf_counter() - started) * 1000, 1) if started else None
    user = current_user.username if current_user.is_authenticated else None
    log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": elapsed,
            "user": user,
            "address": request.remote_addr,
        },
    )
    return response


def _forget(_error: BaseException | None) -> None:
    token = g.pop("case_token", None)
    if token is not None:
        case_in_hand.reset(token)
