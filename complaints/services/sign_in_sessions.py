"""Sign-in sessions held by the server, so that a session ends for good when it should.

Signing in starts a session and gives back a random token for the person's cookie; only its
SHA-256 digest is stored, with who it belongs to, the digest of the browser's name, when it
started and when it was last used. A session ends, with the reason kept, when its person signs
out; when nothing has been done in it for `[web] idle_timeout_minutes`; however busy, once
`[web] session_lifetime_hours` have passed since it started; when its cookie turns up in
another browser (a copied cookie: it ends for its owner too); and, through `end_sessions_of`
inside that change's own transaction, when the person's password is set or their account
switched off. Times come from the product's clock.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from complaints.config import WebSettings
from complaints.context import Context
from complaints.db import DatabaseError
from complaints.errors import SessionEndedError
from complaints.models import SessionEnd, SignInSession, User, table_of

# How often a session's last use is written down: not at every page, and so the idle time-out
# is measured to the minute (and never cuts anyone off sooner than it says).
NOTE_USE_EVERY = timedelta(minutes=1)
_SESSION = table_of(SignInSession)
log = logging.getLogger("complaints.sign_in")


def start_session(ctx: Context, user: User, *, browser: str) -> str:
    """Start a session for `user` in the browser named `browser`; returns its token (kept in the
    person's cookie, never stored)."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    now = ctx.clock.now()
    with ctx.database.unit_of_work() as session:
        session.add(
            SignInSession(
                token_sha256=_digest(token),
                user_id=user.id,
                browser_sha256=_digest(browser),
                started_at=now,
                last_seen_at=now,
            )
        )
    return token


def check_session(ctx: Context, token: str, *, browser: str) -> User:
    """The person whose open session `token` is, in the browser named `browser`. A session that
    has ended, or that ends now (idle, the working day over, another browser, an account
    switched off), is refused with SessionEndedError saying why."""
    with ctx.database.reader() as session:
        found = session.exec(
            select(SignInSession, User)
            .join(User, col(User.id) == SignInSession.user_id)
            .where(SignInSession.token_sha256 == _digest(token))
        ).first()
    if found is None:
        raise SessionEndedError("you are not signed in")
    sign_in, user = found
    if sign_in.ended_because is not None:
        raise SessionEndedError(_why(sign_in.ended_because, ctx.settings.web))
    now = ctx.clock.now()
    over = _over(sign_in, user, now, ctx.settings.web, _digest(browser))
    if over is not None:
        with ctx.database.unit_of_work() as session:
            _end(session, _SESSION.c.id == sign_in.id, at=now, why=over)
        raise SessionEndedError(_why(over, ctx.settings.web))
    if now - sign_in.last_seen_at >= NOTE_USE_EVERY:
        _note_use(ctx, sign_in, now)
    return user


def _note_use(ctx: Context, sign_in: SignInSession, now: datetime) -> None:
    """Note that the session was used now. A database that cannot take it just now (read-only,
    full) leaves the note as it was: the person can still read what they came for."""
    try:
        with ctx.database.unit_of_work() as session:
            session.execute(
                sa.update(_SESSION)
                .where(_SESSION.c.id == sign_in.id, _SESSION.c.ended_at.is_(None))
                .values(last_seen_at=now)
            )
    except DatabaseError as error:
        log.warning("the use of a sign-in session could not be noted: %s", error)


def end_session(ctx: Context, token: str) -> None:
    """Sign out of the session `token` (nothing to do if it has already ended)."""
    with ctx.database.unit_of_work() as session:
        _end(
            session,
            _SESSION.c.token_sha256 == _digest(token),
            at=ctx.clock.now(),
            why=SessionEnd.SIGNED_OUT,
        )


def end_sessions_of(session: Session, user: User, *, at: datetime, why: SessionEnd) -> int:
    """End every open session of `user`, in the caller's transaction; returns how many."""
    return _end(session, _SESSION.c.user_id == user.id, at=at, why=why)


def _end(session: Session, which: sa.ColumnElement[bool], *, at: datetime, why: SessionEnd) -> int:
    result = session.execute(
        sa.update(_SESSION)
        .where(which, _SESSION.c.ended_at.is_(None))
        .values(ended_at=at, ended_because=why)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _over(
    sign_in: SignInSession, user: User, now: datetime, web: WebSettings, browser: str
) -> SessionEnd | None:
    """Why the open session `sign_in` ends now, if it does."""
    if not user.active:
        return SessionEnd.ACCOUNT_SWITCHED_OFF
    if sign_in.browser_sha256 != browser:
        return SessionEnd.OTHER_BROWSER
    if now - sign_in.started_at >= timedelta(hours=web.session_lifetime_hours):
        return SessionEnd.WORKING_DAY_OVER
    # Its last use was noted up to NOTE_USE_EVERY before it happened.
    if now - sign_in.last_seen_at >= timedelta(minutes=web.idle_timeout_minutes) + NOTE_USE_EVERY:
        return SessionEnd.IDLE
    return None


def _why(end: SessionEnd, web: WebSettings) -> str:
    """Why a session ended, as its person is told."""
    return {
        SessionEnd.SIGNED_OUT: "you signed out",
        SessionEnd.IDLE: (
            f"you were signed out after {web.idle_timeout_minutes} minutes without activity"
        ),
        SessionEnd.WORKING_DAY_OVER: (
            "you were signed out because you signed in more than "
            f"{web.session_lifetime_hours} hour{'' if web.session_lifetime_hours == 1 else 's'} ago"
        ),
        SessionEnd.PASSWORD_SET: "you were signed out because your password was changed",
        SessionEnd.ACCOUNT_SWITCHED_OFF: (
            "you were signed out because your account was switched off"
        ),
        SessionEnd.OTHER_BROWSER: (
            "you were signed out because your session was used from another browser"
        ),
    }[end]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
