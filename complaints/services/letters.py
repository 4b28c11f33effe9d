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

The parts of a letter people write (its content: an opening, each point's narrative, the
remedies, a closing; `complaints.letters.kinds` declares which letter has which) are prefilled
from the case when it is drafted, and each save is a revision, guarded by the letter's revision
number rather than the case's version (`revise_letter`). An approver returns a letter with
comments, overall or on its parts, and sees what changed since they last read it. A draft
nobody will send is discarded, and stays listed as such.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from markupsafe import Markup
from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.errors import ConflictError, DomainError, NotFoundError
from complaints.letters.document import letter_to_pdf
from complaints.letters.kinds import RESPONSES, part_keys, part_words, parts_of
from complaints.letters.narrative import MAX_PART_LENGTH
from complaints.letters.rendering import (
    RenderedLetter,
    render_letter,
    template_for,
)
from complaints.models import (
    ComplaintPoint,
    FeedbackCase,
    Letter,
    LetterComments,
    LetterRevision,
    LetterStatus,
    User,
)
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
from complaints.services.letter_content import (
    check_complete,
    checked_content,
    content_changes,
    prefilled_content,
)
from complaints.services.letter_fit import require_fit
from complaints.services.timers import case_deadlines
from complaints.services.values import required_text, unstorable
from complaints.services.views import CaseView, find_case, view_case

MAX_COPY_BYTES = 10 * 1024 * 1024
# The letters whose PDF is the one approved or sent: downloaded as it is, never as a draft.
FROZEN = (LetterStatus.APPROVED, LetterStatus.SENT)
MAX_REASON_LENGTH = 5_000
MAX_COMMENT_LENGTH = 5_000
OVERALL = "overall"
"""How comments on the letter as a whole are named beside comments on its parts."""


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
    author_name: str | None = None
    """Who wrote it, by full name (`author` is their username)."""
    submitted_by_name: str | None = None
    approver_name: str | None = None
    recipient: str = ""
    revision: int = 0
    """The newest revision of the parts people write (0: none, a letter recorded as sent)."""
    submitted_revision: int | None = None
    """The revision last put forward for sign-off."""
    discard_reason: str | None = None

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


@dataclass(frozen=True)
class RevisionView:
    """One save of a letter's parts: its number, who saved it (full name and username), when."""

    number: int
    saved_by: str
    saved_by_username: str
    saved_at: datetime


@dataclass(frozen=True)
class ReturnComments:
    """What the approver said when they last returned the letter, about which revision: overall
    and on its parts (keyed as `LetterDetail.part_keys`), with who and when."""

    revision: int
    overall: str | None
    parts: dict[str, str]
    returned_by: str
    returned_by_username: str
    returned_at: datetime


@dataclass(frozen=True)
class LetterDetail:
    """Everything the pages that write and review a letter need about it."""

    letter: LetterView
    html: str | None
    """The letter as it reads now (as sent, for a sent letter)."""
    content: dict[str, Any] | None
    """The parts people wrote, as the newest revision has them."""
    parts: tuple[str, ...]
    """The parts the letter's kind has, in reading order (none: written wholly by its template)."""
    part_keys: tuple[str, ...]
    """Every part a comment can be about ("opening", "points.2.found"...), in reading order."""
    part_labels: dict[str, str]
    """Each of `part_keys` (and "overall") in words: "point 2, what we found"."""
    revisions: tuple[RevisionView, ...]
    """Every revision, oldest first."""
    comments: ReturnComments | None
    """The comments of the last return, if it was ever returned."""
    changes_since_submission: dict[str, Markup]
    """Each part that changed between the revision the approver last returned and the one put
    forward now (or being written), word by word in <del> and <ins>, the text escaped; parts
    that did not change are left out. Empty before the letter was first returned."""
    max_part_length: int = MAX_PART_LENGTH


def is_response(template: str | None) -> bool:
    """Whether the letter `template` is a response: it gives a finding on every complaint point,
    is signed off by a second person, and sending it takes its step."""
    return template in RESPONSES


def preview_letter(
    ctx: Context,
    reference: str,
    template: str,
    *,
    by: str | User,
    content: Mapping[str, Any] | None = None,
) -> RenderedLetter:
    """The letter `template` as it would be drafted now, for someone who may see the case: with
    the parts people write as they would be prefilled, or as `content` has them (checked as a
    draft's are, so a preview while writing shows what saving would refuse)."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, by))
        written = _draft_content(session, case, template, content)
        return render_letter(
            ctx, session, case, template, deadlines=case_deadlines(session, case), content=written
        )


def preview_revision(
    ctx: Context, reference: str, letter_id: int, content: Mapping[str, Any], *, by: str | User
) -> RenderedLetter:
    """Letter `letter_id` as it would read with its parts as in `content` (not saved): what the
    author sees while writing, in the wording the letter was drafted in. `content` is checked
    as a draft's is, so a part the letter lacks is refused as saving it would be."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, by))
        letter = _letter_of_case(session, case, letter_id)
        written = checked_content(
            letter.template, content, _point_numbers(session, case), complete=False
        )
        return as_drafted(ctx, session, case, letter, written)


def preview_letter_pdf(
    ctx: Context,
    reference: str,
    template: str,
    *,
    by: str | User,
    content: Mapping[str, Any] | None = None,
) -> tuple[RenderedLetter, bytes]:
    """`preview_letter`, with the letter as a PDF."""
    rendered = preview_letter(ctx, reference, template, by=by, content=content)
    return rendered, letter_to_pdf(rendered.html)


def draft_letter(
    ctx: Context,
    reference: str,
    template: str,
    *,
    by: str,
    expected_version: int,
    corrects: int | None = None,
    content: Mapping[str, Any] | None = None,
) -> LetterView:
    """Draft the letter `template` for the case (a correction of letter `corrects` if given),
    its parts people write as given in `content` or else prefilled from the case; this is the
    letter's revision 1. A fresh draft may leave a point's required parts empty."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE, "write letters")
        _check_fits_or_corrects(ctx, session, case, template, corrects)
        written = _draft_content(session, case, template, content)
        rendered = render_letter(
            ctx, session, case, template, deadlines=case_deadlines(session, case), content=written
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
            content=written,
        )
        session.add(letter)
        session.flush()
        _add_revision(ctx, session, letter, actor, 1)
        finish_change(
            ctx,
            session,
            case,
            actor,
            action="draft_letter",
            summary=f"Letter {template} drafted",
            before=before,
            after={"letter_id": letter.id, "template": template, "revision": 1},
        )
        return _view(session, case, letter)


def revise_letter(
    ctx: Context,
    reference: str,
    letter_id: int,
    content: Mapping[str, Any],
    *,
    by: str,
    expected_revision: int,
) -> LetterView:
    """Save `content` as the next revision of a drafted or returned letter, and render it again.

    It is guarded by the letter's revision, not the case's version: `expected_revision` is the
    revision the author opened, and a newer one saved since is refused with who saved it and
    when, nothing saved. An author may write for half an hour, and must not be refused because
    a note was added to the case meanwhile; only another save of the same letter can overwrite
    what they have not seen. It is still a change to the case, audited, and the case's version
    moves on."""
    with changing_case(ctx, reference, by, None) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE, "write letters")
        letter = _letter_in(session, case, letter_id, {LetterStatus.DRAFT, LetterStatus.RETURNED})
        newest = _newest_revision(session, letter)
        number = newest.number if newest else 0
        if expected_revision != number:
            raise _stale_revision(ctx, session, letter, newest)
        letter.content = checked_content(
            letter.template, content, _point_numbers(session, case), complete=True
        )
        letter.html = as_drafted(ctx, session, case, letter).html
        letter.updated_at = ctx.clock.now()
        session.add(letter)
        _add_revision(ctx, session, letter, actor, number + 1)
        before = snapshot(view_case(session, case))
        finish_change(
            ctx,
            session,
            case,
            actor,
            action="revise_letter",
            summary=f"Letter {letter.template} revised (revision {number + 1})",
            before=before,
            after={"letter_id": letter.id, "revision": number + 1},
        )
        return _view(session, case, letter)


def submit_letter(
    ctx: Context, reference: str, letter_id: int, *, by: str, expected_version: int
) -> LetterView:
    """Put a drafted (or returned) letter forward for sign-off, as it reads now."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE, "put letters forward for sign-off")
        letter = _letter_in(session, case, letter_id, {LetterStatus.DRAFT, LetterStatus.RETURNED})
        check_complete(letter.template, letter.content, _point_numbers(session, case))
        letter.submitted_revision = _revision_number(session, letter)
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
        _check_second_pair_of_eyes(session, actor, letter)
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
    ctx: Context,
    reference: str,
    letter_id: int,
    *,
    by: str,
    expected_version: int,
    comments: str = "",
    part_comments: Mapping[str, str] | None = None,
) -> LetterView:
    """Send the letter back to its author with what needs changing: `comments` on the letter as
    a whole and/or `part_comments` on its parts, keyed as `LetterDetail.part_keys` names them
    ("opening", "points.2.found"); at least one. They are kept with the revision returned."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.SIGN_OFF, "return letters")
        letter = _letter_in(session, case, letter_id, {LetterStatus.SUBMITTED})
        _check_second_pair_of_eyes(session, actor, letter)
        overall, parts = _checked_comments(
            letter, _point_numbers(session, case), comments, part_comments or {}
        )
        session.add(
            LetterComments(
                letter_id=_letter_id(letter),
                revision=_revision_number(session, letter),
                overall=overall,
                parts=parts,
                returned_by_id=_user_id(actor),
                returned_at=ctx.clock.now(),
            )
        )
        letter.qa_comments = _comments_in_words(overall, parts)
        letter.approver_id = actor.id
        return _move(ctx, session, case, actor, letter, LetterStatus.RETURNED)


def discard_letter(
    ctx: Context,
    reference: str,
    letter_id: int,
    *,
    by: str,
    expected_version: int,
    reason: str,
) -> LetterView:
    """Discard a drafted or returned letter nobody will send, saying why. It stays listed, as
    discarded, and can no longer be revised, put forward or sent. A letter waiting for or
    holding sign-off is returned first; a sent letter never changes."""
    with changing_case(ctx, reference, by, expected_version) as (session, case, actor):
        require(actor, Permission.WORK_A_CASE, "discard letters")
        letter = _letter_of_case(session, case, letter_id)
        if letter.status is LetterStatus.SENT:
            raise DomainError(
                f"letter {letter_id} was sent, and a sent letter never changes; write a "
                "correction instead"
            )
        if letter.status in (LetterStatus.SUBMITTED, LetterStatus.APPROVED):
            raise DomainError(
                f"letter {letter_id} is {letter.status.value}; the approver returns it before "
                "it can be discarded"
            )
        if letter.status is LetterStatus.DISCARDED:
            raise DomainError(f"letter {letter_id} is already discarded")
        letter.discard_reason = required_text(
            reason, "reason for discarding the letter", MAX_REASON_LENGTH
        )
        return _move(ctx, session, case, actor, letter, LetterStatus.DISCARDED)


def show_letter(ctx: Context, reference: str, letter_id: int, *, by: str | User) -> LetterDetail:
    """The letter with its parts, revisions, the comments of its last return and what changed
    since, for someone who may see the case."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, by))
        letter = _letter_of_case(session, case, letter_id)
        numbers = _point_numbers(session, case)
        keys = tuple(part_keys(letter.template, numbers))
        revisions = session.exec(
            select(LetterRevision, User)
            .join(User, col(User.id) == LetterRevision.saved_by_id)
            .where(LetterRevision.letter_id == letter.id)
            .order_by(col(LetterRevision.number))
        ).all()
        comments = _last_comments(session, letter)
        returned = next(
            (r.content for r, _ in revisions if comments and r.number == comments.revision), None
        )
        return LetterDetail(
            letter=_view(session, case, letter),
            html=letter.html,
            content=letter.content,
            parts=parts_of(letter.template),
            part_keys=keys,
            part_labels={key: part_words(key) for key in (*keys, OVERALL)},
            revisions=tuple(
                RevisionView(r.number, user.full_name, user.username, r.saved_at)
                for r, user in revisions
            ),
            comments=comments,
            changes_since_submission=(
                content_changes(returned, letter.content) if comments else {}
            ),
        )


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
            # Sent from the draft (an early resolution, say): its parts are checked as putting
            # it forward would have checked them.
            check_complete(letter.template, letter.content, _point_numbers(session, case))
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
    if target is LetterStatus.SUBMITTED:
        after["revision"] = letter.submitted_revision
    if target is LetterStatus.DISCARDED:
        after["reason"] = letter.discard_reason
    finish_change(
        ctx,
        session,
        case,
        actor,
        action={
            LetterStatus.SUBMITTED: "submit_letter",
            LetterStatus.APPROVED: "approve_letter",
            LetterStatus.RETURNED: "return_letter",
            LetterStatus.DISCARDED: "discard_letter",
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


def _check_second_pair_of_eyes(session: Session, actor: User, letter: Letter) -> None:
    """Whoever wrote the letter, saved a revision of it or put it forward may not sign it off."""
    revisers = session.exec(
        select(LetterRevision.saved_by_id).where(LetterRevision.letter_id == letter.id)
    ).all()
    refusal = second_pair_of_eyes(actor.id, (letter.author_id, letter.submitted_by_id, *revisers))
    if refusal:
        raise DomainError(f"letter {letter.id} cannot be signed off by you: {refusal}")


def _draft_content(
    session: Session, case: FeedbackCase, template: str, content: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The parts of a new letter: `content` checked as a draft's are, or else prefilled."""
    if content is None:
        return prefilled_content(session, case, template)
    return checked_content(template, content, _point_numbers(session, case), complete=False)


def _point_numbers(session: Session, case: FeedbackCase) -> list[int]:
    return list(
        session.exec(
            select(ComplaintPoint.number)
            .where(ComplaintPoint.case_id == case.id)
            .order_by(col(ComplaintPoint.number))
        ).all()
    )


def _add_revision(ctx: Context, session: Session, letter: Letter, actor: User, number: int) -> None:
    session.add(
        LetterRevision(
            letter_id=_letter_id(letter),
            number=number,
            content=letter.content or {},
            saved_by_id=_user_id(actor),
            saved_at=ctx.clock.now(),
        )
    )


def _newest_revision(session: Session, letter: Letter) -> LetterRevision | None:
    return session.exec(
        select(LetterRevision)
        .where(LetterRevision.letter_id == letter.id)
        .order_by(col(LetterRevision.number).desc())
    ).first()


def _revision_number(session: Session, letter: Letter) -> int:
    """The letter's newest revision (0 for a letter with none)."""
    number = session.exec(
        select(sa.func.max(LetterRevision.number)).where(LetterRevision.letter_id == letter.id)
    ).one()
    return int(number or 0)


def _stale_revision(
    ctx: Context, session: Session, letter: Letter, newest: LetterRevision | None
) -> ConflictError:
    if newest is None:
        return ConflictError(
            f"letter {letter.id} has no revision yet; reload it and write it again"
        )
    saver = session.get(User, newest.saved_by_id)
    who = saver.full_name if saver else "someone else"
    when = newest.saved_at.astimezone(ZoneInfo(ctx.settings.calendar.timezone))
    return ConflictError(
        f"{who} saved revision {newest.number} at {when:%H:%M} on {when.day} {when:%B %Y} "
        "since you opened it; your text was not saved — copy it, reload and apply it again"
    )


def _checked_comments(
    letter: Letter,
    point_numbers: list[int],
    comments: str,
    part_comments: Mapping[str, str],
) -> tuple[str | None, dict[str, str]]:
    """The overall comment and the comments on parts, tidied; refused when a part is not one of
    the letter's, a comment is too long, or there is no comment at all."""
    keys = part_keys(letter.template, point_numbers)
    unknown = sorted(key for key in part_comments if key not in keys)
    if unknown:
        known = ", ".join(keys) if keys else "none: comment on the letter as a whole"
        raise DomainError(
            f"the {letter.template.replace('_', ' ')} letter has no part "
            f"{', '.join(repr(key) for key in unknown)}; its parts are: {known}"
        )
    overall = _comment(comments, "the comment on the whole letter")
    parts = {
        key: text
        for key in keys
        if key in part_comments
        and (text := _comment(part_comments[key], f"the comment on {part_words(key)}"))
    }
    if not overall and not parts:
        raise DomainError(
            "the comments for the author must not be empty: say what needs changing, on the "
            "letter as a whole or on its parts"
        )
    return overall, parts


def _comment(text: str, what: str) -> str | None:
    cleaned = (text or "").strip()
    if len(cleaned) > MAX_COMMENT_LENGTH:
        raise DomainError(f"{what} must be at most {MAX_COMMENT_LENGTH:,} characters long")
    problem = unstorable(cleaned)
    if problem:
        raise DomainError(f"{what} must not contain {problem}")
    return cleaned or None


def _comments_in_words(overall: str | None, parts: Mapping[str, str]) -> str:
    """The comments as one text, for the lists that show a returned letter's comments."""
    lines = [overall] if overall else []
    lines += [f"{part_words(key).capitalize()}: {text}" for key, text in parts.items()]
    return "\n".join(lines)


def _last_comments(session: Session, letter: Letter) -> ReturnComments | None:
    row = session.exec(
        select(LetterComments, User)
        .join(User, col(User.id) == LetterComments.returned_by_id)
        .where(LetterComments.letter_id == letter.id)
        .order_by(col(LetterComments.id).desc())
    ).first()
    if row is None:
        return None
    comments, user = row
    return ReturnComments(
        revision=comments.revision,
        overall=comments.overall,
        parts=dict(comments.parts),
        returned_by=user.full_name,
        returned_by_username=user.username,
        returned_at=comments.returned_at,
    )


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

    def full_name(user_id: int | None) -> str | None:
        user = session.get(User, user_id) if user_id else None
        return user.full_name if user else None

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
        author_name=full_name(letter.author_id),
        submitted_by_name=full_name(letter.submitted_by_id),
        approver_name=full_name(letter.approver_id),
        recipient=letter.recipient_name,
        revision=_revision_number(session, letter),
        submitted_revision=letter.submitted_revision,
        discard_reason=letter.discard_reason,
    )


def _id(case: FeedbackCase) -> int:
    assert case.id is not None
    return case.id


def _letter_id(letter: Letter) -> int:
    assert letter.id is not None
    return letter.id


def _user_id(user: User) -> int:
    assert user.id is not None
    return user.id
