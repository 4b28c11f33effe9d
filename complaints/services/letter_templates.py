"""The council's own wording of letter templates (docs/letters.md).

An administrator sets a template's wording; it is checked before it is saved (it must parse,
may not reach for Python's internals, and must render in Jinja2's sandbox for a demo case of
every procedure) and saved as a new version in one transaction with its audit event. Versions
are only ever added, so no wording is lost: reverting adds a version without text, which puts
back the folder's wording (`[letters] override_folder`) or the shipped template.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from complaints.config import Settings
from complaints.context import Context
from complaints.errors import ConflictError, DomainError
from complaints.letters.demo import DEMO_PROCEDURES, demo_values
from complaints.letters.environment import SUFFIX, check_wording
from complaints.letters.overrides import (
    DATABASE,
    check_template_name,
    newest_version,
    shipped_text,
    source_in_session,
    template_names,
)
from complaints.letters.rendering import render_template
from complaints.models import LetterTemplateVersion, User
from complaints.permissions import Permission, require
from complaints.services.audit import record_event
from complaints.services.people import find_user

MAX_TEMPLATE_LENGTH = 100_000


@dataclass(frozen=True)
class TemplateVersionView:
    version: int
    set_by: str
    set_at: datetime
    sha256: str | None
    """None for a version that put the folder's or the shipped wording back."""


@dataclass(frozen=True)
class TemplateView:
    name: str
    origin: str
    """Where the wording in force comes from: database, folder or shipped."""
    version: int | None
    text: str
    history: tuple[TemplateVersionView, ...]
    """The database versions, oldest first."""

    @property
    def last_change(self) -> TemplateVersionView | None:
        """The newest database version (a revert among them), if the council has saved any."""
        return self.history[-1] if self.history else None


def list_templates(ctx: Context) -> list[TemplateView]:
    """Every letter template, with where its wording in force comes from and its history (so
    who changed it last, and when)."""
    with ctx.database.reader() as session:
        return [_view(session, ctx.settings, name) for name in template_names()]


def show_template(ctx: Context, name: str) -> TemplateView:
    """The template's wording in force and every version the council has saved."""
    check_template_name(name)
    with ctx.database.reader() as session:
        return _view(session, ctx.settings, name)


def set_template(ctx: Context, name: str, text: str, *, by: str) -> TemplateView:
    """Save the council's wording of template `name` as its newest version, once it has passed
    every check; a refused wording saves nothing."""
    check_template_name(name)
    check_template_text(ctx.settings, name, text)
    with ctx.database.unit_of_work() as session:
        actor = _editor(session, by)
        previous = newest_version(session, name)
        if previous is not None and previous.text == text:
            raise DomainError(
                f"template {name} already has this wording (version {previous.version})"
            )
        return _add_version(ctx, session, actor, name, text, previous)


def revert_template(ctx: Context, name: str, *, by: str) -> TemplateView:
    """Put back the wording that applies without the council's database versions (the folder's
    or the shipped template); the versions stay in the history."""
    check_template_name(name)
    with ctx.database.unit_of_work() as session:
        actor = _editor(session, by)
        previous = newest_version(session, name)
        if previous is None or previous.text is None:
            raise DomainError(f"template {name} has no wording of the council's to revert")
        return _add_version(ctx, session, actor, name, None, previous)


def check_template_text(settings: Settings, name: str, text: str) -> None:
    """Refuse wording that is empty or too long, does not parse, reaches for Python's internals,
    or cannot render a demo case of every procedure (a value letters do not have, say)."""
    if not text.strip():
        raise DomainError(f"the wording of {name} is empty")
    if len(text) > MAX_TEMPLATE_LENGTH:
        raise DomainError(f"the wording of {name} is longer than {MAX_TEMPLATE_LENGTH} characters")
    check_wording(text)
    for procedure in DEMO_PROCEDURES:
        values = demo_values(settings, procedure, child=name.startswith("child/"))
        try:
            render_template(f"{name}{SUFFIX}", values, text)
        except DomainError as error:
            raise DomainError(f"{error} (trying it on a demo {_words(procedure)} case)") from None
        except Exception as error:  # anything the wording can make go wrong while rendering
            raise DomainError(
                f"the wording of {name} cannot be rendered for a demo {_words(procedure)} case: "
                f"{error}"
            ) from None


def _add_version(
    ctx: Context,
    session: Session,
    actor: User,
    name: str,
    text: str | None,
    previous: LetterTemplateVersion | None,
) -> TemplateView:
    assert actor.id is not None
    version = LetterTemplateVersion(
        name=name,
        version=previous.version + 1 if previous else 1,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest() if text is not None else None,
        set_by_id=actor.id,
        set_at=ctx.clock.now(),
    )
    session.add(version)
    try:
        session.flush()
    except sa.exc.IntegrityError:
        raise ConflictError(
            f"template {name} was changed by someone else at the same moment; look at it again"
        ) from None
    what = "reverted" if text is None else "set"
    record_event(
        session,
        at=version.set_at,
        actor=actor,
        action=f"letter_template_{what}",
        summary=f"Letter template {name} {what} (version {version.version}) by {actor.full_name}",
        before=_audit(previous),
        after=_audit(version),
    )
    return _view(session, ctx.settings, name)


def _view(session: Session, settings: Settings, name: str) -> TemplateView:
    source = source_in_session(session, settings, name)
    rows = session.exec(
        select(LetterTemplateVersion, User.username)
        .join(User, col(User.id) == LetterTemplateVersion.set_by_id)
        .where(LetterTemplateVersion.name == name)
        .order_by(col(LetterTemplateVersion.version))
    ).all()
    versions = [
        TemplateVersionView(row.version, username, row.set_at, row.sha256) for row, username in rows
    ]
    return TemplateView(
        name=name,
        origin=source.origin,
        version=source.version if source.origin == DATABASE else None,
        text=source.text if source.text is not None else shipped_text(name),
        history=tuple(versions),
    )


def _editor(session: Session, by: str) -> User:
    actor = find_user(session, by)
    require(actor, Permission.CHANGE_LETTER_WORDING)
    return actor


def _audit(version: LetterTemplateVersion | None) -> dict[str, object] | None:
    if version is None:
        return None
    return {"name": version.name, "version": version.version, "sha256": version.sha256}


def _words(procedure: str) -> str:
    return procedure.replace("_", " ")
