"""Holds that end by themselves: a hold lasts at most the configured number of working days
(the Ombudsman advises against open-ended pauses), after which the case's timers resume."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from complaints.context import Context
from complaints.models import FeedbackCase, Hold
from complaints.services.cases import finish_change, snapshot
from complaints.services.timers import resume_timers
from complaints.services.views import view_case

log = logging.getLogger("complaints.scheduler")


@dataclass(frozen=True)
class ResumedHolds:
    """The cases whose holds ended, and those that could not be resumed (reference: why)."""

    resumed: tuple[str, ...]
    failed: tuple[str, ...] = ()


def resume_expired_holds(ctx: Context, today: date | None = None) -> ResumedHolds:
    """Resume every hold whose `resume_by` day has come, as of that day.

    Each case is resumed in its own transaction with its own audit event, so a case that cannot
    be resumed is logged with its reference and counted, and the others are still resumed
    (it is tried again at the next run); running it twice resumes nothing twice.
    """
    today = today or ctx.clock.today()
    with ctx.database.reader() as session:
        due = session.exec(
            select(Hold.id, FeedbackCase.reference)
            .join(FeedbackCase, col(FeedbackCase.id) == Hold.case_id)
            .where(col(Hold.ended_on).is_(None), Hold.resume_by <= today)
            .order_by(col(Hold.id))
        ).all()
    resumed: list[str] = []
    failed: list[str] = []
    for hold_id, reference in due:
        try:
            if _resume(ctx, hold_id):
                resumed.append(reference)
        except Exception as error:  # any failure of one case must not stop the others
            log.exception("could not end the hold on %s", reference, extra={"case": reference})
            failed.append(f"{reference}: {error}")
    return ResumedHolds(tuple(resumed), tuple(failed))


def _resume(ctx: Context, hold_id: int | None) -> bool:
    """End one hold and resume its case's timers; False if it had ended meanwhile."""
    with ctx.database.unit_of_work() as session:
        hold = session.get(Hold, hold_id)
        if hold is None or hold.ended_on is not None:
            return False
        case = session.get(FeedbackCase, hold.case_id)
        assert case is not None
        before = snapshot(view_case(session, case))
        deadlines, days = resume_timers(
            session, ctx.calendar, case, hold.started_on, hold.resume_by
        )
        hold.ended_on = hold.resume_by
        hold.working_days = days
        session.add(hold)
        finish_change(
            ctx,
            session,
            case,
            None,
            action="resume",
            summary=f"Hold ended by itself after {days} working days (the longest allowed)",
            before=before,
            after={"resumed": [d.name for d in deadlines], "working_days_on_hold": days},
        )
        return True
