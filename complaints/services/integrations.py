"""The council's integrations with the JSON API: their tokens and scopes, and what they may read.

A token is 32 random bytes shown once when it is made; only its SHA-256 digest is stored, so a
copy of the database gives nobody a working token. Each integration acts as a named staff
account, whose role the workflow checks exactly as for a person.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time

import sqlalchemy as sa
from sqlmodel import col, select

from complaints.calendar import FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY
from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.models import ApiToken, FeedbackCase, User, table_of
from complaints.models.types import LARGEST_RECORD_ID
from complaints.permissions import Permission, require
from complaints.services.access import reach_for, visible_cases
from complaints.services.audit import record_event
from complaints.services.people import find_user
from complaints.services.values import plain_whole_number, required_text

SCOPES = ("feedback:create", "cases:read", "cases:fire")
TOKEN_PREFIX = "cmp_"
# The moments a request may name: the days the working-day calendar counts.
EARLIEST_MOMENT = datetime.combine(FIRST_SUPPORTED_DAY, time.min, UTC)
LATEST_MOMENT = datetime.combine(LAST_SUPPORTED_DAY, time.max, UTC)


class NotAuthenticatedError(DomainError):
    """No token, or one that is unknown or revoked."""


@dataclass(frozen=True)
class Integration:
    """An authenticated integration: its name, scopes and the account it acts as."""

    name: str
    scopes: frozenset[str]
    acts_as: str


@dataclass(frozen=True)
class TokenView:
    name: str
    scopes: tuple[str, ...]
    acts_as: str
    created_at: datetime
    revoked: bool


@dataclass(frozen=True)
class ChangedCase:
    reference: str
    state: str
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class ChangedPage:
    """One page of cases changed since a moment; `cursor` fetches the next, None at the end."""

    cases: tuple[ChangedCase, ...]
    cursor: str | None


def add_token(ctx: Context, name: str, scopes: Iterable[str], *, acts_as: str, by: str) -> str:
    """Make a token for a new integration; returns the token, which is not stored."""
    name = required_text(name, "integration's name", 100)
    wanted = sorted(set(scopes))
    unknown = [scope for scope in wanted if scope not in SCOPES]
    if unknown or not wanted:
        raise DomainError(f"scopes must be some of {', '.join(SCOPES)}; not {', '.join(unknown)}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with ctx.database.unit_of_work() as session:
        actor = find_user(session, by)
        require(actor, Permission.GIVE_API_ACCESS, "give an integration access")
        account = find_user(session, acts_as)
        if session.exec(select(ApiToken).where(ApiToken.name == name)).first():
            raise DomainError(f"there is already an integration called '{name}'")
        assert account.id is not None
        session.add(
            ApiToken(
                name=name,
                token_sha256=_digest(token),
                scopes=" ".join(wanted),
                acts_as_id=account.id,
                created_at=ctx.clock.now(),
            )
        )
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="api_token_added",
            summary=f"Integration '{name}' given {', '.join(wanted)} as {account.username}",
        )
    return token


def revoke_token(ctx: Context, name: str, *, by: str) -> None:
    """Stop an integration's token working, from now."""
    with ctx.database.unit_of_work() as session:
        actor = find_user(session, by)
        require(actor, Permission.GIVE_API_ACCESS, "revoke an integration's access")
        token = session.exec(select(ApiToken).where(ApiToken.name == name.strip())).first()
        if token is None:
            raise NotFoundError(f"there is no integration called '{name}'")
        if token.revoked_at is not None:
            raise DomainError(f"the integration '{name}' was already revoked")
        token.revoked_at = ctx.clock.now()
        record_event(
            session,
            at=ctx.clock.now(),
            actor=actor,
            action="api_token_revoked",
            summary=f"Integration '{name}' revoked",
        )


def list_tokens(ctx: Context) -> list[TokenView]:
    with ctx.database.reader() as session:
        rows = session.exec(
            select(ApiToken, User.username)
            .join(User, col(User.id) == ApiToken.acts_as_id)
            .order_by(col(ApiToken.name))
        ).all()
    return [
        TokenView(
            token.name,
            tuple(token.scopes.split()),
            username,
            token.created_at,
            token.revoked_at is not None,
        )
        for token, username in rows
    ]


def authenticate(ctx: Context, token: str) -> Integration:
    """The integration this token belongs to, or NotAuthenticatedError."""
    if not token.startswith(TOKEN_PREFIX):
        raise NotAuthenticatedError("the token is not one this product issued")
    digest = _digest(token)
    with ctx.database.reader() as session:
        found = session.exec(
            select(ApiToken, User)
            .join(User, col(User.id) == ApiToken.acts_as_id)
            .where(ApiToken.token_sha256 == digest)
        ).first()
    # The lookup is by digest, so comparing digests again only guards against a collision.
    if found is None or not hmac.compare_digest(found[0].token_sha256, digest):
        raise NotAuthenticatedError("the token is not known")
    record, account = found
    if record.revoked_at is not None or not account.active:
        raise NotAuthenticatedError("the token has been revoked")
    return Integration(record.name, frozenset(record.scopes.split()), account.username)


def cases_changed_since(
    ctx: Context, since: datetime, *, by: str, cursor: str | None = None, limit: int = 100
) -> ChangedPage:
    """Cases `by` may see that changed after `since`, oldest change first, a page at a time."""
    if since.tzinfo is None:
        raise DomainError("the moment must include its time zone, e.g. 2026-11-23T09:00:00Z")
    if not _sane_moment(since):
        raise DomainError(
            f"the moment must be from {EARLIEST_MOMENT:%Y-%m-%d} to {LATEST_MOMENT:%Y-%m-%d}"
        )
    after_time, after_id = _read_cursor(cursor) if cursor else (since, 0)
    cases = table_of(FeedbackCase).c
    with ctx.database.reader() as session:
        query = (
            sa.select(cases.reference, cases.state, cases.version, cases.updated_at, cases.id)
            .where(
                (cases.updated_at > after_time)
                | ((cases.updated_at == after_time) & (cases.id > after_id)),
                visible_cases(reach_for(session, ctx.settings, by)),
            )
            .order_by(cases.updated_at, cases.id)
            .limit(limit + 1)
        )
        rows = session.execute(query).all()
    page = rows[:limit]
    changed = tuple(ChangedCase(row[0], row[1], row[2], row[3]) for row in page)
    more = len(rows) > limit
    return ChangedPage(changed, _make_cursor(page[-1][3], page[-1][4]) if more else None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _make_cursor(moment: datetime, case_id: int | None) -> str:
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{case_id}".encode()).decode()


def _read_cursor(cursor: str) -> tuple[datetime, int]:
    """The moment and case id a cursor of `_make_cursor` holds; anything else (a moment outside
    the years the product counts, an id no table can hold) is not a cursor this API gave."""
    refused = DomainError("the cursor is not one this API gave")
    try:
        moment_text, id_text = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        moment = datetime.fromisoformat(moment_text)
    except ValueError:  # bad base64 or UTF-8, not one '|', no ISO moment
        raise refused from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    case_id = plain_whole_number(id_text, most_digits=len(str(LARGEST_RECORD_ID)))
    if not _sane_moment(moment) or not case_id or case_id > LARGEST_RECORD_ID:
        raise refused
    return moment, case_id


def _sane_moment(moment: datetime) -> bool:
    """Whether `moment` has a time zone and lies in the years the product counts (comparing
    aware moments needs no conversion, so one near the end of Python's range cannot overflow)."""
    return moment.tzinfo is not None and EARLIEST_MOMENT <= moment <= LATEST_MOMENT
