"""Who is signed in and what they may do: flask-login over the sessions the server holds
(complaints/services/sign_in_sessions.py: the cookie carries only the session's token), CSRF on
every form, the rate limit on each address's sign-ins, security headers, and refusals.

Every refusal is a 403 page and a line in the log naming the person, the page and the reason.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, flash, g, redirect, request, session, url_for
from flask_limiter import Limiter
from flask_login import LoginManager, UserMixin, current_user, logout_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as BaseResponse

from complaints.context import Context
from complaints.counters import DatabaseCounters
from complaints.errors import SessionEndedError
from complaints.models import Role, User
from complaints.permissions import GRANTS, Permission, may
from complaints.services.accounts import team_name
from complaints.services.sign_in_sessions import check_session

log = logging.getLogger("complaints.web.access")
P = ParamSpec("P")
R = TypeVar("R")

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

ROLE_NAMES = {
    Role.OFFICER.value: "Complaints officer",
    Role.QA_PRACTITIONER.value: "QA practitioner",
    Role.MANAGER.value: "Manager",
    Role.ADMIN.value: "Administrator",
}
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'; frame-src 'self'"
)


class StaffUser(UserMixin):  # type: ignore[misc]
    """The signed-in person: their account row, as flask-login needs it."""

    def __init__(self, user: User, team: str | None) -> None:
        self.account = user
        self.team = team

    def get_id(self) -> str:
        return str(self.account.id)

    @property
    def username(self) -> str:
        return self.account.username

    @property
    def full_name(self) -> str:
        return self.account.full_name

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.account.role.value]


def context() -> Context:
    """The product's context the app was built with."""
    ctx: Context = current_app.extensions["complaints"]
    return ctx


def staff() -> StaffUser:
    """The signed-in person (views behind `login_required` only)."""
    user: StaffUser = current_user._get_current_object()
    return user


def account() -> User:
    return staff().account


def deny(reason: str) -> NoReturn:
    """Refuse the request with the 403 page, and log who tried what."""
    log_refusal(reason)
    abort(403)


def log_refusal(reason: str) -> None:
    """Log who was refused what, and why (the 403 page itself says only that it was)."""
    who = staff().username if current_user.is_authenticated else "anonymous"
    log.warning("access denied: %s %s %s: %s", who, request.method, request.path, reason)
    g.denied_reason = reason


def allowed_to(permission: Permission | None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let only signed-in people whose role has `permission` in (any member of staff when it is
    None: what they may see or do there is then the case's and the service's to say); the
    others get a logged 403."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()  # type: ignore[no-any-return]
            if permission is not None and not may(account(), permission):
                deny(f"needs the permission to {GRANTS[permission].doing}")
            return view(*args, **kwargs)

        return guarded

    return decorate


def signed_in(view: Callable[P, R]) -> Callable[P, R]:
    """Let any signed-in member of staff in."""
    return allowed_to(None)(view)


# HSTS for a year once the browser has reached us over HTTPS (never sent over plain HTTP, as
# the standard requires); subdomains too, since a council's staff tools all live under HTTPS.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    """CSRF, sign-in over the server's sessions (an ended one signs its holder out, saying why)
    and the security headers; behind a TLS-terminating proxy ($COMPLAINTS_TRUSTED_PROXIES
    proxies, or the TRUSTED_PROXIES setting), the client's address and scheme from its
    X-Forwarded headers, so the sign-in limits count each person's address and HSTS is sent
    over HTTPS."""
    proxies = int(
        app.config.get("TRUSTED_PROXIES", os.environ.get("COMPLAINTS_TRUSTED_PROXIES", 0))
    )
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    app.before_request(_sign_out_an_ended_session)
    app.after_request(_security_headers)


# The key of the session's token in the (signed) Flask session cookie.
SESSION_TOKEN = "sign_in_token"


def browser() -> str:
    """The name the browser gives itself: a session works only in the browser it started in."""
    return request.headers.get("User-Agent", "")


def address() -> str:
    """The network address the request came from (the client's, behind a trusted proxy)."""
    return request.remote_addr or "unknown"


def _load_user(user_id: str) -> StaffUser | None:
    token = session.get(SESSION_TOKEN)
    if not isinstance(token, str):
        return None
    ctx = context()
    try:
        user = check_session(ctx, token, browser=browser())
    except SessionEndedError as ended:
        g.session_ended = ended
        return None
    if str(user.id) != user_id:
        return None
    return StaffUser(user, team_name(ctx, user.team_id))


def _sign_out_an_ended_session() -> BaseResponse | None:
    """A cookie whose session has ended (or that never had one) signs nobody in: it is cleared,
    and its holder is sent to sign in again, told why."""
    if current_user.is_authenticated or "_user_id" not in session:
        return None
    ended: SessionEndedError | None = g.pop("session_ended", None)
    logout_user()
    session.clear()
    if ended is not None:
        reason = str(ended)
        flash(f"{reason[:1].upper()}{reason[1:]}.", "info")
    return redirect(url_for("auth.login", next=safe_next(request.path)))


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    if current_user.is_authenticated and not request.path.startswith("/static/"):
        # Pages hold complainants' personal data: never kept in a shared cache or the history.
        response.headers["Cache-Control"] = "no-store"
    return response


def limit_sign_in(app: Flask) -> Limiter:
    """Limit each address's sign-in attempts, counted where config.toml's
    `[web] rate_limit_storage` says (complaints/counters.py): the same limit for every web
    worker, and kept over a restart. The public form's limit (web/public.py) counts there too."""
    ctx: Context = app.extensions["complaints"]
    storage = ctx.settings.web.rate_limit_storage
    options: dict[str, object] = {"key_prefix": "complaints-limits"}  # Redis: kept apart
    if storage == "database":
        storage = "complaints-database://"
        options = {"counters": DatabaseCounters(ctx.database, ctx.clock)}
    limiter = Limiter(
        _limited_address,
        app=app,
        storage_uri=storage,
        storage_options=cast(dict[str, str | int], options),
        default_limits=[],
        headers_enabled=True,
        # A store that is not answering lets the request through, logged: the sign-in itself
        # then answers that the service cannot be used just now (503).
        swallow_errors=True,
    )
    view = app.view_functions["auth.login"]
    limited = limiter.limit(lambda: str(app.config["LOGIN_RATE_LIMIT"]), methods=["POST"])(view)
    app.view_functions["auth.login"] = cast(Callable[..., Any], limited)
    return limiter


def _limited_address() -> str:
    # Bounded: a counter's key holds it (an address is at most 45 characters).
    return address()[:64]


def safe_next(target: str | None) -> str | None:
    """`target` without its control characters, if it is then a path on this site; otherwise
    None. Never another site (no open redirect): no scheme, no host, no leading // or /\\."""
    if not target:
        return None
    # Browsers drop tabs and line breaks from an address, so "/\t/evil.example" would take
    # them to //evil.example: judge the address they would follow.
    cleaned = "".join(character for character in target if unicodedata.category(character) != "Cc")
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # a host that Unicode normalisation would turn into another address
        return None
    on_this_site = not parts.scheme and not parts.netloc and cleaned.startswith("/")
    if on_this_site and not cleaned.startswith("//") and "\\" not in cleaned:
        return cleaned
    return None


def has_line_break(target: str | None) -> bool:
    """Whether a return address holds a line break (CR or LF): never part of a real link."""
    return target is not None and ("\r" in target or "\n" in target)
