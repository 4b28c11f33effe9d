"""Which letters fit a case now (`complaints.letters.fit` holds the rule): its current stage's
history read from the audit trail, and the check every way of drafting a letter goes through.

The current stage began with the latest event that logged the case, moved it to another stage
(an escalation) or to another procedure (a reallocation). A step taken is an event named after
a trigger of the case's workflow; a letter was sent by the latest event that names it, as a
sent letter never changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from complaints.context import Context
from complaints.errors import DomainError
from complaints.letters.fit import (
    SentLetter,
    StageHistory,
    TakenStep,
    letters_that_fit,
    why_it_does_not_fit,
    words,
)
from complaints.models import AuditEvent, FeedbackCase, Letter, LetterStatus, User
from complaints.services.access import reach_for
from complaints.services.views import find_case

LOGGED = "log"  # the action of the event that logs a case (complaints.services.cases)


def fitting_letters(ctx: Context, reference: str, *, by: str | User) -> tuple[str, ...]:
    """The letters that fit the case now, responses first, for someone who may see it."""
    with ctx.database.reader() as session:
        case = find_case(session, reference, reach_for(session, ctx.settings, by))
        return letters_fitting(ctx, session, case)


def letters_fitting(ctx: Context, session: Session, case: FeedbackCase) -> tuple[str, ...]:
    """The letters that fit `case` now, as `session` sees it."""
    workflow = ctx.engine.workflow(case.procedure.value)
    return letters_that_fit(workflow, case.state, stage_history(session, case))


def require_fit(ctx: Context, session: Session, case: FeedbackCase, template: str) -> None:
    """Refuse the letter `template` for `case` unless it fits now, saying why and which do."""
    workflow = ctx.engine.workflow(case.procedure.value)
    history = stage_history(session, case)
    refusal = why_it_does_not_fit(workflow, case.state, history, template)
    if refusal is None:
        return
    fitting = letters_that_fit(workflow, case.state, history)
    if fitting:
        listed = ", ".join(words(name) for name in fitting)
        raise DomainError(f"{refusal}. The letters that fit the case now: {listed}")
    raise DomainError(f"{refusal}. No letter fits the case now")


def stage_history(session: Session, case: FeedbackCase) -> StageHistory:
    """The steps taken and the letters sent since the case's current stage began."""
    events = [
        _Event(order or 0, action, before or {}, after or {})
        for order, action, before, after in session.exec(
            select(AuditEvent.id, AuditEvent.action, AuditEvent.before, AuditEvent.after)
            .where(AuditEvent.case_id == case.id)
            .order_by(col(AuditEvent.id))
        ).all()
    ]
    began = max((event.order for event in events if event.begins_stage), default=0)
    current = [event for event in events if event.order >= began]
    steps = tuple(
        TakenStep(event.action, event.before["state"], event.order)
        for event in current
        if "state" in event.before
    )
    # The latest event naming a letter; for a sent letter, the one that sent it.
    named = {
        event.after["letter_id"]: event.order for event in current if "letter_id" in event.after
    }
    sent = session.exec(
        select(Letter.id, Letter.template).where(
            Letter.case_id == case.id, Letter.status == LetterStatus.SENT
        )
    ).all()
    in_stage = sorted(
        (named[letter_id], letter_id, template)
        for letter_id, template in sent
        if letter_id is not None and letter_id in named
    )
    return StageHistory(
        steps=steps,
        sent={template: SentLetter(letter_id, order) for order, letter_id, template in in_stage},
    )


class _Event(NamedTuple):
    order: int
    action: str
    before: Mapping[str, Any]
    after: Mapping[str, Any]

    @property
    def begins_stage(self) -> bool:
        """Whether the case's stage began with this event: it logged the case, or moved it to
        another stage, procedure or type of feedback."""
        if self.action == LOGGED:
            return True
        return any(
            key in self.before and key in self.after and self.before[key] != self.after[key]
            for key in ("stage", "procedure", "feedback_type")
        )
