"""The web front end: a Flask application factory with one blueprint per area
(docs/architecture.md).

`create_app(ctx, config)` builds the app around a `Context` (the settings, the clock, the
database), so tests hand in a temporary database and a settable clock. Views only parse forms,
call one service function and show its result or its refusal; the service layer is the only
writer. Sign-in (flask-login over the Argon2 hashes and the sessions the server holds), CSRF on
every form (flask-wtf), a rate limit on signing in (flask-limiter, counted in the database or
Redis) and secure session cookies are set up here; see `web.security`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, send_from_directory
from flask_login import current_user

from complaints.context import Context
from complaints.dashboard import alert_summary
from complaints.db import DatabaseError
from complaints.permissions import Permission, may
from complaints.private_files import make_private_folder
from web import (
    admin,
    auth,
    cases,
    casework,
    dashboard,
    errors,
    health,
    letters,
    pages,
    public,
    reports,
    request_log,
    security,
    workflows,
)
from web.api import register_api
from web.filters import register_filters
from web.pages import CONVERTERS

STATIC = Path(__file__).resolve().parent / "static"
LOGIN_RATE_LIMIT = "10 per minute;100 per hour"


def create_app(ctx: Context | None = None, config: Mapping[str, Any] | None = None) -> Flask:
    """The web application for `ctx` (loaded from config.toml when not given).

    `config` overrides Flask settings: tests pass a SECRET_KEY, SESSION_COOKIE_SECURE=False
    (the test client speaks plain HTTP) and, where they need, a smaller rate limit. Building
    the app starts nothing: the scheduler runs as its own process (`complaints scheduler`), or
    inside `make run`'s server (`web.serve`), never once per web worker.
    """
    context = ctx or Context.load()
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.url_map.converters |= CONVERTERS  # before any route is added
    app.config.update(
        SECRET_KEY=os.environ.get("COMPLAINTS_SECRET_KEY") or _instance_secret(context),
        SESSION_COOKIE_NAME="complaints_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("COMPLAINTS_SECURE_COOKIES", "1") != "0",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # The cookie may live as long as a session can; the server ends each session when it
        # should, and says why (web.security).
        PERMANENT_SESSION_LIFETIME=timedelta(hours=context.settings.web.session_lifetime_hours),
        SESSION_REFRESH_EACH_REQUEST=True,
        LOGIN_RATE_LIMIT=LOGIN_RATE_LIMIT,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which times out
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.config.update(config or {})
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    app.extensions["complaints"] = context
    register_filters(app)
    pages.allow_uploads(app)
    security.init_app(app)
    request_log.init_app(app)
    errors.init_app(app)
    app.context_processor(_page_values)
    blueprints = (
        auth.bp, dashboard.bp, cases.bp, casework.bp, letters.bp, admin.bp, workflows.bp,
        reports.bp, public.bp, health.bp,
    )  # fmt: skip
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    register_api(app, security.csrf.exempt)  # tokens, not cookies: no CSRF token
    # GOV.UK Frontend's stylesheet asks for its fonts and images under /assets/.
    app.add_url_rule("/assets/<path:filename>", "govuk_assets", _govuk_asset)
    public.limit_sending(app, security.limit_sign_in(app))
    return app


# The service navigation: endpoint, link text, and what a person must be allowed to do to see
# it (None: everyone), the same permission the page's guard asks for.
NAVIGATION: tuple[tuple[str, str, Permission | None], ...] = (
    ("dashboard.my_work", "My work", None),
    ("dashboard.manager", "Dashboard", Permission.SEE_DASHBOARD),
    ("cases.index", "Cases", None),
    ("workflows.index", "Workflows", None),
    ("reports.index", "Reports", Permission.SEE_REPORTS),
    ("admin.index", "Administration", Permission.MANAGE_ACCOUNTS),
)


def _page_values() -> dict[str, Any]:
    """What every page's layout shows: the council, today, the menu, the person's alerts."""
    ctx = security.context()
    summary = None
    if current_user.is_authenticated:
        # Left out when the database is not answering: the page saying so must still show.
        with suppress(DatabaseError):
            summary = alert_summary(ctx, security.account())
    return {
        "council_name": ctx.settings.council.name,
        "today": ctx.clock.today(),
        "navigation": _navigation(),
        "alerts_summary": summary,
    }


def _navigation() -> list[tuple[str, str]]:
    """The menu's entries (endpoint, link text) the signed-in person may open; none for anybody
    else."""
    if not current_user.is_authenticated:
        return []
    person = security.account()
    return [
        (endpoint, text)
        for endpoint, text, permission in NAVIGATION
        if permission is None or may(person, permission)
    ]


def _govuk_asset(filename: str) -> Response:
    return send_from_directory(STATIC / "govuk" / "assets", filename, max_age=86_400)


def _instance_secret(ctx: Context) -> str:
    """A secret key kept beside config.toml in instance/, made on first start (mode 600)."""
    path = ctx.settings.source.parent / "instance" / "secret_key"
    make_private_folder(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()
