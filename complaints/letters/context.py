"""What a letter can say about a case, gathered into plain values, so the templates never reach
into the models and a missing value is an error, not a blank. The service rendering the letter
hands in the case and its deadlines as its change sees them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from complaints.config import CouncilSettings
from complaints.context import Context
from complaints.deadlines import compute_due_on
from complaints.models import (
    AuditEvent,
    ComplaintPoint,
    Deadline,
    Extension,
    FeedbackCase,
    Outcome,
    PointOutcome,
    Remedy,
)
from complaints.outcomes import stage_outcome

FINDING_WORDS = {
    Outcome.UPHELD: "upheld",
    Outcome.PARTIALLY_UPHELD: "partly upheld",
    Outcome.NOT_UPHELD: "not upheld",
    Outcome.WITHDRAWN: "withdrawn",
    Outcome.NOT_INVESTIGATED: "not investigated",
}
REMEDY_WORDS = {
    "explanation": "an explanation of what happened",
    "apology": "an apology",
    "service_provided": "the service you should have had",
    "change_in_process": "a change to how we work",
    "change_of_policy": "a change to our policy",
    "financial": "a payment",
    "other": "another remedy",
}
LGSCO = {
    "name": "the Local Government and Social Care Ombudsman",
    "website": "www.lgo.org.uk",
    "phone": "0300 061 0614",
}
# The deadline a letter quotes as "we will reply by", and the one that says "ask us by".
REPLY_BY = ("stage1_response", "stage2_response", "response", "stage2_investigation")
ASK_BY = ("stage2_request_window", "stage3_request_window")
NEXT_STAGE_WINDOW = {
    ("statutory_children", 1): "stage2_request_window",
    ("statutory_children", 2): "stage3_request_window",
}
EXPECTED_RESPONSE = {
    ("statutory_children", 1): "stage1_response",
    ("statutory_children", 2): "stage2_investigation",
    ("corporate", 1): "stage1_response",
    ("corporate", 2): "stage2_response",
    ("adult_social_care", 1): "response",
}


def letter_values(
    ctx: Context, session: Session, case: FeedbackCase, deadlines: Sequence[Deadline]
) -> dict[str, Any]:
    """Every value the letter templates use, for `case` with its `deadlines` as `session` sees
    them (a change under way included), as of today."""
    points = _points(session, case)
    extension = _latest_extension(session, case)
    information = _recorded(session, case, "request_information")
    redirect = _recorded(session, case, "redirect")
    remedies = [
        REMEDY_WORDS[remedy.kind.value]
        for remedy in session.exec(
            select(Remedy).where(Remedy.case_id == case.id, Remedy.stage == case.stage)
        ).all()
    ]
    open_steps = {d.name: d.due_on for d in deadlines if d.status.value in ("running", "paused")}
    panel_by = next((d.due_on for d in deadlines if d.name == "panel_meeting"), None)
    findings = [point["outcome"] for point in points if point["outcome"] is not None]
    overall = stage_outcome(findings)
    return {
        "council": council_values(ctx.settings.council),
        "today": ctx.clock.today(),
        "reference": case.reference,
        "procedure": case.procedure.value,
        "stage": case.stage,
        "recipient": {
            "name": case.complainant_name,
            "address": (case.complainant_address or "").splitlines(),
        },
        "is_child": case.is_child,
        "advocate_name": case.advocate_name,
        "summary": case.summary,
        "received_on": case.received_on,
        "reply_by": _first(open_steps, REPLY_BY) or _expected_reply_by(ctx, case),
        "ask_by": _first(open_steps, ASK_BY) or _expected_ask_by(ctx, case),
        "points": [{k: v for k, v in p.items() if k != "outcome"} for p in points],
        "remedies": remedies,
        "any_upheld": overall in (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD),
        "lgsco": LGSCO,
        "extension": extension,
        "information_request": _information_request(information),
        "redirected_to": redirect["redirected_to"] if redirect else None,
        "panel_by": panel_by,
    }


def council_values(council: CouncilSettings) -> dict[str, Any]:
    """The council's details the layout prints."""
    return {
        "name": council.name,
        "address": list(council.address),
        "email": council.email,
        "phone": council.phone,
        "website": council.website,
        "accessibility_line": council.accessibility_line,
    }


def _points(session: Session, case: FeedbackCase) -> list[dict[str, Any]]:
    rows = session.exec(
        select(ComplaintPoint, PointOutcome.outcome)
        .outerjoin(
            PointOutcome,
            (col(PointOutcome.point_id) == ComplaintPoint.id) & (PointOutcome.stage == case.stage),
        )
        .where(ComplaintPoint.case_id == case.id)
        .order_by(col(ComplaintPoint.number))
    ).all()
    return [
        {
            "number": point.number,
            "description": point.description,
            "outcome": Outcome(outcome) if outcome else None,
            "finding": FINDING_WORDS[Outcome(outcome)] if outcome else None,
        }
        for point, outcome in rows
    ]


def _latest_extension(session: Session, case: FeedbackCase) -> dict[str, Any] | None:
    """The most recent extension at the case's stage: which response it moved, from when to
    when, and why."""
    row = session.exec(
        select(Extension, Deadline.name, Deadline.stage)
        .join(Deadline, col(Deadline.id) == Extension.deadline_id)
        .where(Extension.case_id == case.id, Deadline.stage == case.stage)
        .order_by(col(Extension.id).desc())
    ).first()
    if row is None:
        return None
    extension, step, stage = row
    return {
        "step": step,
        "stage": stage,
        "previous_due_on": extension.previous_due_on,
        "new_due_on": extension.new_due_on,
        "working_days": extension.working_days,
        "reason": extension.reason,
        "complainant_agreed": extension.complainant_agreed,
    }


def _recorded(session: Session, case: FeedbackCase, trigger: str) -> dict[str, Any] | None:
    """The values recorded the last time `trigger` was fired on the case (they live in the
    step's audit event: what was asked for, where a matter was redirected)."""
    after = session.exec(
        select(AuditEvent.after)
        .where(AuditEvent.case_id == case.id, AuditEvent.action == trigger)
        .order_by(col(AuditEvent.id).desc())
    ).first()
    values = (after or {}).get("values")
    return dict(values) if isinstance(values, dict) else None


def _information_request(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    reply_by = values.get("reply_by")
    return {
        "information": values["information"],
        "reply_by": date.fromisoformat(reply_by) if isinstance(reply_by, str) else None,
    }


def _expected_reply_by(ctx: Context, case: FeedbackCase) -> date | None:
    """When the response will be due if the case is acknowledged today (an acknowledgement
    letter is written before the response clock of some procedures starts)."""
    step = EXPECTED_RESPONSE.get((case.procedure.value, case.stage))
    if step is None:
        return None
    timescale = ctx.settings.timescale(case.procedure.value, step)
    day_zero = case.received_on if timescale.counted_from == "receipt" else ctx.clock.today()
    return compute_due_on(ctx.calendar, timescale, day_zero)


def _expected_ask_by(ctx: Context, case: FeedbackCase) -> date | None:
    """The last day to ask for the next stage if the response goes today (a response letter is
    written before the window it opens starts)."""
    step = NEXT_STAGE_WINDOW.get((case.procedure.value, case.stage))
    if step is None:
        return None
    timescale = ctx.settings.timescale(case.procedure.value, step)
    return compute_due_on(ctx.calendar, timescale, ctx.clock.today())


def _first(open_steps: dict[str, date], names: tuple[str, ...]) -> date | None:
    return next((open_steps[name] for name in names if name in open_steps), None)
