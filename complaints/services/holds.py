"""Holds that end by themselves: a hold lasts at most the configured number of working days
(the Ombudsman advises against open-ended pauses), after which the case's timers resume."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from complaints.context import Context
from complaints.models import FeedbackCase, Hold
from complaints.services.cases import finish_change, snapshot
from complaints.services.timers import resume_timers
from complaints.services.views import view_case


def resume_expired_holds(ctx: Context, today: date | None = None) -> list[str]:
    """Resume every hold whose `resume_by` day has come, as of that day; returns the references.

    Each case is resumed in its own transaction with its own audit event, so one failure does
    not hold up the others, and running it twice resumes nothing twice.
    """
    today = today or ctx.clock.today()
    with ctx.database.reader() as session:
        due = session.exec(
            select(Hold.id).where(col(Hold.ended_on).is_(None), Hold.resume_by <= today)
        ).all()
    resumed = []
    for hold_id in due:
        with ctx.database.unit_of_work() as session:
            hold = session.get(Hold, hold_id)
            if hold is None or hold.ended_on is not None:
                continue
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
            resumed.append(case.reference)
    return resumed
