"""Letters through quality assurance to the complainant.

A letter is drafted (rendered from its template). A response, which answers the complaint, is
then put forward for sign-off and approved, or returned with comments, by a manager who neither
wrote it nor put it forward (four eyes, `complaints.permissions`); only then is it sent. Other
letters (an acknowledgement, say) may be sent from the draft.

What is approved is what is sent: approval freezes the letter's HTML and PDF with their digest,
and sending stores exactly that document. A change to the case that would change the letter
withdraws the approval and sends it back for sign-off, saying why
(`complaints.services.approvals`). Sending a response takes the workflow step it belongs to
(`send_response`, `adjudicate`...) in the same transaction, which stops its deadline; that step
can be taken no other way, except by a manager recording that the response went out another
way, with a copy of it and the reason. A letter that tells the complainant about a step which
records something (an extension, a request for information, a redirection) follows that step.
A sent letter is never changed or deleted (the database refuses too); a correction is a new
letter that refers to it.

A letter keeps the wording its template had when it was drafted (the council's, or the shipped
one), so a template changed while the letter is in quality assurance does not change the letter
the manager approved; drafting it again takes up the new wording.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.errors import DomainError, NotFoundError
from complaints.letters.document import letter_to_pdf
from complaints.letters.kinds import RESPONSES
from complaints.letters.rendering import (
    RenderedLetter,
    render_letter,
    template_for,
)
from complaints.models import FeedbackCase, Letter, LetterStatus, User
from complaints.permissions import Permission, require, second_pair_of_eyes
from complaints.services.access import reach_for
from complaints.services.approvals import (
    LetterChange,
    as_drafted,
    document_digest,
    html_digest,
    recheck_letters,
)
from complaints.services.cases import changing_case, finish_change, fire_in_session, snapshot
from complaints.services.letter_fit import require_fit
from complaints.services.timers import case_deadlines
from complaints.services.values import required_text
from complaints.services.views import CaseView, find_case, view_case

MAX_COPY_BYTES = 10 * 1024 * 1024
# The letters whose PDF is the one approved or sent: downloaded as it is, never as a draft.
FROZEN = (LetterStatus.APPROVED, LetterStatus.SENT)
MAX_REASON_LENGTH = 5_000


@dataclass(frozen=True)
class LetterView:
    id: int
    reference: str
    case_version: int
    """The version of the case as this view was made: what the next change to it goes on from."""
    template: str
    status: str
    author: str | None
    submitted_by: str | None
    approver: str | None
    qa_comments: str | None
    approval_voided_reason: str | None
    approved_at: datetime | None
    approved_sha256: str | None
    html_sha256: str
    """The digest of the letter's HTML as it now reads: an approver says which they read."""
    sent_on: date | None
    sha256: str | None
    sent_outside_reason: str | None
    has_pdf: bool
    corrects_letter_id: int | None

    @property
    def is_response(self) -> bool:
        return is_response(self.template)

    @property
    def is_draft(self) -> bool:
        """Not (yet) the letter approved or sent: its PDF is marked as a draft not sent."""
        return self.status not in FROZEN


@dataclass(frozen=True)
class LetterPdf:
    content: bytes
    draft: bool
    """Marked as a draft not sent: the letter is not (yet) the one approved or sent."""
    uploaded: bool
    """A copy a person uploaded (a response recorded as sent outside the product)."""


def is_response(template: str | None) -> bool:
    """Whether the letter `template` is a response: it gives a finding on every complaint point,
    is signed off by a second person, and sending it takes its step."""
    return template in RESPONSES


def preview_letter(
    ctx: Context, reference: str, template: str, *, by: str | User
) -> RenderedLetter:
    """The letter `template` as it would be drafted now, for someone who may see the case."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, by))
        return render_letter(ctx, session, case, template, deadlines=case_deadlines(session, case))


def preview_letter_pdf(
    ctx: Context, reference: str, template: str, *, by: str | User
) -> tuple[RenderedLetter, bytes]:
    """`preview_letter`, with the letter as a PDF."""
    rendered = preview_letter(ctx, reference, template, by=by)
    return rendered, letter_to_pdf(rendered.html)


def draft_letter(
    ctx: Context,
    reference: str,
    template: str,
    *,
    by: str,
    expected_version: int,
    corrects: int | None = None,
) -> LetterView:
    """Draft the letter `template` for the case (a correction of letter `corrects` if given)."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE, "write letters")
        _check_fits_or_corrects(ctx, session, case, template, corrects)
        rendered = render_letter(
            ctx, session, case, template, deadlines=case_deadlines(session, case)
        )
        if case.contact_method == "post" and not (case.complainant_address or "").strip():
            raise DomainError("a postal letter needs the complainant's address; add it first")
        before = snapshot(view_case(session, case))
        letter = _new_letter(
            ctx,
            case,
            actor,
            template,
            LetterStatus.DRAFT,
            html=rendered.html,
            template_text=rendered.wording,
            corrects_letter_id=corrects,
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


def submit_letter(
    ctx: Context, reference: str, letter_id: int, *, by: str, expected_version: int
) -> LetterView:
    """Put a drafted (or returned) letter forward for sign-off, as it reads now."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE, "put letters forward for sign-off")
        letter = _letter_in(session, case, letter_id, {LetterStatus.DRAFT, LetterStatus.RETURNED})
        letter.html = as_drafted(ctx, session, case, letter).html
        letter.submitted_by_id = actor.id
        letter.approval_voided_reason = None
        return _move(ctx, session, case, actor, letter, LetterStatus.SUBMITTED)


def approve_letter(
    ctx: Context,
    reference: str,
    letter_id: int,
    *,
    by: str,
    expected_version: int,
    seen_sha256: str | None = None,
) -> LetterView:
    """Sign the letter off: a manager who neither wrote it nor put it forward. `seen_sha256`
    is the digest of the text the approver read (`LetterView.html_sha256`): a letter that has
    changed since is refused, to be read again. Approval freezes its HTML and PDF."""
    changed, expected_version = _bring_up_to_date(ctx, reference, by, expected_version)
    if letter_id in changed:
        raise DomainError(
            f"letter {letter_id} has changed since it was put forward ({changed[letter_id].why}); "
            "read it again before approving it"
        )
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.SIGN_OFF, "approve letters")
        letter = _letter_in(session, case, letter_id, {LetterStatus.SUBMITTED})
        _check_second_pair_of_eyes(actor, letter)
        html = as_drafted(ctx, session, case, letter).html
        if html != letter.html or (seen_sha256 and seen_sha256 != html_digest(letter.html)):
            raise DomainError(
                f"letter {letter_id} has changed since you opened it; read it again before "
                "approving it"
            )
        pdf = letter_to_pdf(html)
        letter.pdf = pdf
        letter.approved_sha256 = document_digest(html, pdf)
        letter.approved_at = ctx.clock.now()
        letter.approver_id = actor.id
        letter.approval_voided_reason = None
        return _move(ctx, session, case, actor, letter, LetterStatus.APPROVED)


def return_letter(
    ctx: Context, reference: str, letter_id: int, *, by: str, expected_version: int, comments: str
) -> LetterView:
    """Send the letter back to its author with what needs changing."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.SIGN_OFF, "return letters")
        letter = _letter_in(session, case, letter_id, {LetterStatus.SUBMITTED})
        _check_second_pair_of_eyes(actor, letter)
        letter.qa_comments = required_text(comments, "comments for the author", 5_000)
        letter.approver_id = actor.id
        return _move(ctx, session, case, actor, letter, LetterStatus.RETURNED)


def send_letter(
    ctx: Context, reference: str, letter_id: int, *, by: str, expected_version: int
) -> CaseView:
    """Send the letter: store what was sent (for a response, exactly what was approved), and
    take the workflow step that sends it."""
    changed, expected_version = _bring_up_to_date(ctx, reference, by, expected_version)
    if letter_id in changed and changed[letter_id].voided:
        raise DomainError(
            f"letter {letter_id} was not sent: {changed[letter_id].why}, so its approval was "
            "withdrawn and it has gone back for sign-off"
        )
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE, "send letters")
        letter = _letter_of_case(session, case, letter_id)
        needs_sign_off = letter.template in RESPONSES
        allowed = (
            {LetterStatus.APPROVED}
            if needs_sign_off
            else {LetterStatus.DRAFT, LetterStatus.APPROVED}
        )
        if letter.status not in allowed:
            why = "approved in quality assurance" if needs_sign_off else "drafted"
            raise DomainError(
                f"letter {letter_id} is {letter.status.value}; it must be {why} first"
            )
        step = _step_sending(ctx, case, letter)
        html = as_drafted(ctx, session, case, letter).html
        if letter.status is LetterStatus.APPROVED:
            if html != letter.html or letter.pdf is None:
                raise DomainError(f"letter {letter_id} changed just now; send it again to see why")
            letter.sha256 = letter.approved_sha256
        else:
            letter.html, letter.pdf = html, letter_to_pdf(html)
            letter.sha256 = document_digest(html, letter.pdf)
        letter.status = LetterStatus.SENT
        letter.sent_on = ctx.clock.today()
        letter.updated_at = ctx.clock.now()
        session.add(letter)
        if step is not None:
            return fire_in_session(ctx, session, case, actor, step, None, {}, sent=letter)
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


def record_sent_outside(
    ctx: Context,
    reference: str,
    trigger: str,
    *,
    by: str,
    expected_version: int,
    reason: str,
    copy: bytes,
) -> CaseView:
    """A manager records that the response the step `trigger` sends went out another way (by
    hand, from another system), with a copy of it as a PDF and the reason. The copy is kept as
    the sent letter and the step is taken, in one transaction."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.RECORD_SENT_OUTSIDE)
        transition = ctx.engine.transition(case.procedure.value, case.state, trigger)
        if transition.letter not in RESPONSES:
            raise DomainError(
                f"'{trigger}' does not send a response; only a response may be recorded as "
                "sent outside the product"
            )
        why = required_text(reason, "why it was sent outside the product", MAX_REASON_LENGTH)
        _check_copy(copy)
        letter = _new_letter(
            ctx,
            case,
            actor,
            transition.letter,
            LetterStatus.SENT,
            pdf=copy,
            sha256=hashlib.sha256(copy).hexdigest(),
            sent_on=ctx.clock.today(),
            sent_outside_reason=why,
        )
        session.add(letter)
        session.flush()
        return fire_in_session(ctx, session, case, actor, trigger, None, {}, sent=letter)


def list_letters(ctx: Context, reference: str, *, by: str | User) -> list[LetterView]:
    """The case's letters, oldest first, for `by`, who must be allowed to see the case."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, by))
        letters = session.exec(
            select(Letter).where(Letter.case_id == case.id).order_by(col(Letter.id))
        ).all()
        return [_view(session, case, letter) for letter in letters]


def letter_pdf(ctx: Context, reference: str, letter_id: int, *, by: str | User) -> LetterPdf:
    """The letter's PDF, for someone who may see the case: an approved or sent letter's own,
    frozen when it was approved (or the copy recorded as sent outside the product); any other
    letter (a draft, or one waiting for or returned from sign-off) as its page shows it, marked
    on every page as a draft not sent, so nobody posts it."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, by))
        letter = _letter_of_case(session, case, letter_id)
        if letter.status in FROZEN:
            if letter.pdf is None:
                raise NotFoundError(f"the PDF of letter {letter_id} is no longer kept")
            return LetterPdf(letter.pdf, draft=False, uploaded=bool(letter.sent_outside_reason))
        if letter.html is None:
            raise NotFoundError(f"the text of letter {letter_id} is no longer kept")
        html = letter.html
    return LetterPdf(letter_to_pdf(html, draft=True), draft=True, uploaded=False)


def _bring_up_to_date(
    ctx: Context, reference: str, by: str, expected_version: int
) -> tuple[dict[int, LetterChange], int]:
    """Check the case's letters under sign-off against the case as it stands today, in a unit
    of work of its own, so what changed (an approval withdrawn, say) stays recorded even when
    the approval or sending that asked is then refused. Returns what changed and the version
    the case is now at (one on if anything changed), which the change that asked goes on from."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        changes = recheck_letters(ctx, session, case)
        if changes:
            before = snapshot(view_case(session, case))
            finish_change(
                ctx,
                session,
                case,
                actor,
                action="letters_checked",
                summary="Letters under sign-off checked against the case as it now stands",
                before=before,
                after={},
                rechecked=changes,
            )
    changed = {change.letter_id: change for change in changes}
    return changed, expected_version + (1 if changes else 0)


def _move(
    ctx: Context,
    session: Session,
    case: FeedbackCase,
    actor: User,
    letter: Letter,
    target: LetterStatus,
) -> LetterView:
    before = snapshot(view_case(session, case)) | {"letter_status": letter.status.value}
    letter.status = target
    letter.updated_at = ctx.clock.now()
    session.add(letter)
    after: dict[str, object] = {"letter_id": letter.id, "letter_status": target.value}
    if target is LetterStatus.APPROVED:
        after["approved_sha256"] = letter.approved_sha256
    finish_change(
        ctx,
        session,
        case,
        actor,
        action={
            LetterStatus.SUBMITTED: "submit_letter",
            LetterStatus.APPROVED: "approve_letter",
            LetterStatus.RETURNED: "return_letter",
        }[target],
        summary=f"Letter {letter.template}: {target.value}",
        before=before,
        after=after,
    )
    return _view(session, case, letter)


def _new_letter(
    ctx: Context,
    case: FeedbackCase,
    author: User,
    template: str,
    status: LetterStatus,
    **fields: Any,
) -> Letter:
    now = ctx.clock.now()
    return Letter(
        case_id=_id(case),
        template=template,
        status=status,
        recipient_name=case.complainant_name,
        recipient_address=case.complainant_address,
        author_id=author.id,
        created_at=now,
        updated_at=now,
        **fields,
    )


def _check_fits_or_corrects(
    ctx: Context, session: Session, case: FeedbackCase, template: str, corrects: int | None
) -> None:
    """A letter is drafted only when it fits the case now (`complaints.letters.fit`), or as a
    correction of a sent letter of the same template."""
    template_for(template, child=False)  # a letter there is no template for, refused by name
    if corrects is None:
        require_fit(ctx, session, case, template)
        return
    corrected = _letter_of_case(session, case, corrects)
    if corrected.status is not LetterStatus.SENT:
        raise DomainError(f"letter {corrects} was not sent, so there is nothing to correct")
    if corrected.template != template:
        require_fit(ctx, session, case, template)


def _letter_in(
    session: Session, case: FeedbackCase, letter_id: int, statuses: set[LetterStatus]
) -> Letter:
    letter = _letter_of_case(session, case, letter_id)
    if letter.status not in statuses:
        allowed = " or ".join(sorted(status.value for status in statuses))
        raise DomainError(
            f"letter {letter_id} is {letter.status.value}; this can be done only when it is "
            f"{allowed}"
        )
    return letter


def _check_second_pair_of_eyes(actor: User, letter: Letter) -> None:
    refusal = second_pair_of_eyes(actor.id, (letter.author_id, letter.submitted_by_id))
    if refusal:
        raise DomainError(f"letter {letter.id} cannot be signed off by you: {refusal}")


def _check_copy(copy: bytes) -> None:
    if not copy:
        raise DomainError("attach a copy of the response that was sent, as a PDF")
    if len(copy) > MAX_COPY_BYTES:
        raise DomainError(
            f"the copy is {len(copy):,} bytes; it must be at most {MAX_COPY_BYTES:,} bytes"
        )
    if not copy.startswith(b"%PDF-"):
        raise DomainError("the copy of the response must be a PDF file")


def _step_sending(ctx: Context, case: FeedbackCase, letter: Letter) -> str | None:
    """The workflow step that sends this letter from the case's state, if there is one. A step
    that records something (an extension's length and reason, what information is needed) is
    taken first, and its letter follows it. A response (not a correction of one) is sent only
    with its step, so it is refused when the case is not where that step can be taken."""
    workflow = ctx.engine.workflow(case.procedure.value)
    steps = [
        transition
        for transition in workflow.transitions
        if transition.letter == letter.template
        and not any(field.required for field in transition.fields)
    ]
    for transition in steps:
        if case.state in transition.source:
            return transition.trigger
    if letter.template not in RESPONSES or letter.corrects_letter_id is not None:
        return None
    name = letter.template.replace("_", " ")
    if not steps:
        raise DomainError(f"no step of the {workflow.title} procedure sends the {name} letter")
    where = " or ".join(
        dict.fromkeys(state.replace("_", " ") for step in steps for state in step.source)
    )
    raise DomainError(
        f"the {name} letter is sent with the case's step '{steps[0].trigger}', which can be "
        f"taken when the case is {where}; the case is {case.state.replace('_', ' ')}"
    )


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
        case_version=case.version,
        template=letter.template,
        status=letter.status.value,
        author=username(letter.author_id),
        submitted_by=username(letter.submitted_by_id),
        approver=username(letter.approver_id),
        qa_comments=letter.qa_comments,
        approval_voided_reason=letter.approval_voided_reason,
        approved_at=letter.approved_at,
        approved_sha256=letter.approved_sha256,
        html_sha256=html_digest(letter.html),
        sent_on=letter.sent_on,
        sha256=letter.sha256,
        sent_outside_reason=letter.sent_outside_reason,
        has_pdf=letter.pdf is not None,
        corrects_letter_id=letter.corrects_letter_id,
    )


def _id(case: FeedbackCase) -> int:
    assert case.id is not None
    return case.id
