"""Letters through quality assurance to the complainant.

A letter is drafted (rendered from its template), and a final response is then submitted for
quality assurance and approved, or returned with comments, by a manager who is not its author
(four eyes); only then is it sent. Other letters (an acknowledgement, say) may be sent from the
draft. Sending renders the letter afresh to HTML and PDF, stores both with a SHA-256 digest, and,
where the case's workflow sends this letter with a step (the stage 1 response with
`send_response`), takes that step in the same transaction, which stops its deadline. A letter
that tells the complainant about a step which records something (an extension, a request for
information, a redirection) follows that step instead. A sent letter is never changed or deleted
(the database refuses too); a correction is a new letter that refers to it.

A letter keeps the wording its template had when it was drafted (the council's, or the shipped
one), so a template changed while the letter is in quality assurance does not change the letter
the manager approved; drafting it again takes up the new wording.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.letters.pdf import html_to_pdf
from complaints.letters.rendering import (
    RESPONSES,
    RenderedLetter,
    render_letter,
    render_letter_as_drafted,
)
from complaints.models import FeedbackCase, Letter, LetterStatus, User
from complaints.services.cases import changing_case, finish_change, fire_in_session, snapshot
from complaints.services.people import require_role
from complaints.services.values import required_text
from complaints.services.views import CaseView, find_case, view_case

SIGN_OFF_ROLES = {"manager", "admin"}
WRITING_ROLES = {"officer", "qa_practitioner", "manager", "admin"}


@dataclass(frozen=True)
class LetterView:
    id: int
    reference: str
    template: str
    status: str
    author: str | None
    approver: str | None
    qa_comments: str | None
    sent_on: date | None
    sha256: str | None
    corrects_letter_id: int | None


def draft_letter(
    ctx: Context, reference: str, template: str, *, by: str, corrects: int | None = None
) -> LetterView:
    """Draft the letter `template` for the case (a correction of letter `corrects` if given)."""
    rendered = render_letter(ctx, reference, template)
    with changing_case(ctx, reference, by, None) as (session, case, actor):
        require_role(actor, WRITING_ROLES, "write letters")
        if case.contact_method == "post" and not (case.complainant_address or "").strip():
            raise DomainError("a postal letter needs the complainant's address; add it first")
        if corrects is not None:
            corrected = _letter_of_case(session, case, corrects)
            if corrected.status is not LetterStatus.SENT:
                raise DomainError(f"letter {corrects} was not sent, so there is nothing to correct")
        before = snapshot(view_case(session, case))
        now = ctx.clock.now()
        letter = Letter(
            case_id=_id(case),
            template=template,
            status=LetterStatus.DRAFT,
            recipient_name=case.complainant_name,
            recipient_address=case.complainant_address,
            author_id=actor.id,
            html=rendered.html,
            template_text=rendered.wording,
            corrects_letter_id=corrects,
            created_at=now,
            updated_at=now,
        )
        session.add(letter)
        session.flush()
        finish_change(
            ctx,
            session,
            case,
            actor,
            action="draft_letter",
            summary=f"Letter {template} drafted",
            before=before,
            after={"letter_id": letter.id, "template": template},
        )
        return _view(session, case, letter)


def submit_letter(ctx: Context, reference: str, letter_id: int, *, by: str) -> LetterView:
    """Put a drafted (or returned) letter forward for quality assurance."""
    return _move(ctx, reference, letter_id, by, "submit")


def approve_letter(ctx: Context, reference: str, letter_id: int, *, by: str) -> LetterView:
    """Sign the letter off: a manager who did not write it."""
    return _move(ctx, reference, letter_id, by, "approve")


def return_letter(
    ctx: Context, reference: str, letter_id: int, *, by: str, comments: str
) -> LetterView:
    """Send the letter back to its author with what needs changing."""
    return _move(ctx, reference, letter_id, by, "return", comments=comments)


def send_letter(ctx: Context, reference: str, letter_id: int, *, by: str) -> CaseView:
    """Send the letter: store what was sent, and take the workflow step that sends it."""
    with changing_case(ctx, reference, by, None) as (session, case, actor):
        require_role(actor, WRITING_ROLES, "send letters")
        letter = _letter_of_case(session, case, letter_id)
        needs_qa = letter.template in RESPONSES
        allowed = (
            {LetterStatus.APPROVED} if needs_qa else {LetterStatus.DRAFT, LetterStatus.APPROVED}
        )
        if letter.status not in allowed:
            why = "approved in quality assurance" if needs_qa else "drafted"
            raise DomainError(
                f"letter {letter_id} is {letter.status.value}; it must be {why} first"
            )
        step = _step_sending(ctx, case, letter.template)
        html = _as_drafted(ctx, reference, letter).html
        pdf = html_to_pdf(html)
        letter.html, letter.pdf = html, pdf
        letter.sha256 = hashlib.sha256(html.encode() + b"\0" + pdf).hexdigest()
        letter.status = LetterStatus.SENT
        letter.sent_on = ctx.clock.today()
        letter.updated_at = ctx.clock.now()
        session.add(letter)
        if step is not None:
            return fire_in_session(ctx, session, case, actor, step, None, {})
        before = snapshot(view_case(session, case))
        return finish_change(
            ctx,
            session,
            case,
            actor,
            action="send_letter",
            summary=f"Letter {letter.template} sent",
            before=before,
            after={"letter_id": letter_id, "sha256": letter.sha256},
        )


def list_letters(ctx: Context, reference: str) -> list[LetterView]:
    """The case's letters, oldest first."""
    with ctx.database.reader() as session:
        case = find_case(session, reference)
        letters = session.exec(
            select(Letter).where(Letter.case_id == case.id).order_by(col(Letter.id))
        ).all()
        return [_view(session, case, letter) for letter in letters]


_MOVES = {
    "submit": ({LetterStatus.DRAFT, LetterStatus.RETURNED}, LetterStatus.SUBMITTED, WRITING_ROLES),
    "approve": ({LetterStatus.SUBMITTED}, LetterStatus.APPROVED, SIGN_OFF_ROLES),
    "return": ({LetterStatus.SUBMITTED}, LetterStatus.RETURNED, SIGN_OFF_ROLES),
}


def _move(
    ctx: Context, reference: str, letter_id: int, by: str, move: str, comments: str | None = None
) -> LetterView:
    sources, target, roles = _MOVES[move]
    with changing_case(ctx, reference, by, None) as (session, case, actor):
        require_role(actor, roles, f"{move} letters")
        letter = _letter_of_case(session, case, letter_id)
        if letter.status not in sources:
            raise DomainError(
                f"letter {letter_id} is {letter.status.value}; it cannot be {target.value} now"
            )
        if target in (LetterStatus.APPROVED, LetterStatus.RETURNED):
            if letter.author_id == actor.id:
                raise DomainError("a letter is quality-assured by someone other than its author")
            letter.approver_id = actor.id
        if move == "return":
            letter.qa_comments = required_text(comments or "", "comments for the author", 5_000)
        if move == "submit":
            letter.html = _as_drafted(ctx, reference, letter).html
        before = snapshot(view_case(session, case)) | {"letter_status": letter.status.value}
        letter.status = target
        letter.updated_at = ctx.clock.now()
        session.add(letter)
        finish_change(
            ctx,
            session,
            case,
            actor,
            action=f"{move}_letter",
            summary=f"Letter {letter.template}: {target.value}",
            before=before,
            after={"letter_id": letter_id, "letter_status": target.value},
        )
        return _view(session, case, letter)


def _as_drafted(ctx: Context, reference: str, letter: Letter) -> RenderedLetter:
    return render_letter_as_drafted(ctx, reference, letter.template, letter.template_text)


def _step_sending(ctx: Context, case: FeedbackCase, template: str) -> str | None:
    """The workflow step that sends this letter from the case's state, if there is one. A step
    that records something (an extension's length and reason, what information is needed) is
    taken first, and its letter follows it."""
    workflow = ctx.engine.workflow(case.procedure.value)
    for transition in workflow.transitions:
        records = any(field.required for field in transition.fields)
        if transition.letter == template and case.state in transition.source and not records:
            return transition.trigger
    return None


def _letter_of_case(session: Session, case: FeedbackCase, letter_id: int) -> Letter:
    letter = session.get(Letter, letter_id)
    if letter is None or letter.case_id != case.id:
        raise NotFoundError(f"case {case.reference} has no letter {letter_id}")
    return letter


def _view(session: Session, case: FeedbackCase, letter: Letter) -> LetterView:
    def username(user_id: int | None) -> str | None:
        user = session.get(User, user_id) if user_id else None
        return user.username if user else None

    assert letter.id is not None
    return LetterView(
        id=letter.id,
        reference=case.reference,
        template=letter.template,
        status=letter.status.value,
        author=username(letter.author_id),
        approver=username(letter.approver_id),
        qa_comments=letter.qa_comments,
        sent_on=letter.sent_on,
        sha256=letter.sha256,
        corrects_letter_id=letter.corrects_letter_id,
    )


def _id(case: FeedbackCase) -> int:
    assert case.id is not None
    return case.id
