"""Keeping sign-off honest: what a manager approves is exactly what is sent.

Approval freezes a letter's HTML and PDF. Whenever its case changes (and again just before a
letter is approved or sent), every letter of the case that is waiting for sign-off or approved
is rendered again as the case now stands: a letter waiting for sign-off takes up the new text,
so the approver reads what would be sent; an approved letter that would now say something else
loses its approval and goes back for sign-off, with why. Runs inside the change's own unit of
work, so the letters and the case move together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.errors import DomainError
from complaints.letters.differences import what_changed
from complaints.letters.rendering import RenderedLetter, render_letter_as_drafted
from complaints.models import FeedbackCase, Letter, LetterStatus
from complaints.services.timers import case_deadlines

UNDER_SIGN_OFF = (LetterStatus.SUBMITTED, LetterStatus.APPROVED)


@dataclass(frozen=True)
class LetterChange:
    """A letter that now reads differently: its id, whether it lost its approval, and why."""

    letter_id: int
    voided: bool
    why: str


def html_digest(html: str | None) -> str:
    """The digest of a letter's HTML, as a person saw it (the approver's `seen` check)."""
    return hashlib.sha256((html or "").encode()).hexdigest()


def document_digest(html: str, pdf: bytes) -> str:
    """The digest of a letter as sent: its HTML and PDF together."""
    return hashlib.sha256(html.encode() + b"\0" + pdf).hexdigest()


def recheck_letters(ctx: Context, session: Session, case: FeedbackCase) -> list[LetterChange]:
    """Render again each letter of `case` under sign-off; change what must change (above)."""
    letters = session.exec(
        select(Letter)
        .where(Letter.case_id == case.id, col(Letter.status).in_(UNDER_SIGN_OFF))
        .order_by(col(Letter.id))
    ).all()
    changes = []
    for letter in letters:
        change = _recheck(ctx, session, case, letter)
        if change is not None:
            changes.append(change)
    return changes


def as_drafted(
    ctx: Context,
    session: Session,
    case: FeedbackCase,
    letter: Letter,
    content: Mapping[str, Any] | None = None,
) -> RenderedLetter:
    """The letter as the case now stands, in the wording it was drafted in, with the parts
    people wrote in it as they stand (or as `content` has them, for a preview while writing)."""
    return render_letter_as_drafted(
        ctx,
        session,
        case,
        letter.template,
        letter.template_text,
        deadlines=case_deadlines(session, case),
        content=letter.content if content is None else content,
    )


def _recheck(
    ctx: Context, session: Session, case: FeedbackCase, letter: Letter
) -> LetterChange | None:
    assert letter.id is not None
    html: str | None
    try:
        html = as_drafted(ctx, session, case, letter).html
    except DomainError as error:
        html, why = letter.html, f"it cannot be written as the case now stands ({error})"
    else:
        if html == letter.html:
            return None
        why = what_changed(letter.html or "", html) or "its wording or layout changed"
    voided = letter.status is LetterStatus.APPROVED
    if voided:
        letter.status = LetterStatus.SUBMITTED
        letter.pdf = letter.approved_sha256 = letter.approved_at = letter.approver_id = None
        letter.approval_voided_reason = f"The approval was withdrawn because {why}."
    elif html == letter.html:
        return None  # waiting for sign-off and cannot be written now: approving it says so
    letter.html = html
    letter.updated_at = ctx.clock.now()
    session.add(letter)
    return LetterChange(letter.id, voided, why)
