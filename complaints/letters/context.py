"""What a letter can say about a case, gathered into plain values, so the templates never reach
into the models and a missing value is an error, not a blank. The service rendering the letter
hands in the case and its deadlines as its change sees them, and the parts people wrote in the
letter (its content, `complaints.letters.kinds`), which come in as HTML made safe by
`complaints.letters.narrative`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from complaints.config import CouncilSettings, Settings
from complaints.context import Context
from complaints.deadlines import TimescaleWords, due_on_for, timescale_words
from complaints.letters.kinds import (
    ABOUT,
    CLOSING,
    OPENING,
    POINT_PARTS,
    POINTS,
    REMEDIES_TEXT,
)
from complaints.letters.narrative import narrative_html
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
from workflows.definition import DeadlineRole, Event, Workflow

FINDING_WORDS = {
    Outcome.UPHELD: "upheld",
    Outcome.PARTIALLY_UPHELD: "partly upheld",
    Outcome.NOT_UPHELD: "not upheld",
    Outcome.WITHDRAWN: "withdrawn",
    Outcome.NOT_INVESTIGATED: "not investigated",
}
# The finding in the words of a letter to a child or young person.
CHILD_FINDING_WORDS = {
    Outcome.UPHELD: "We think you were right. We got this wrong.",
    Outcome.PARTIALLY_UPHELD: "We think you were right about some of this.",
    Outcome.NOT_UPHELD: "We think we did this the right way.",
    Outcome.WITHDRAWN: "You asked us to stop looking at this.",
    Outcome.NOT_INVESTIGATED: "We did not look into this.",
}
# How long a point's heading may be before it is cut short (at a word, with an ellipsis).
LABEL_CHARACTERS = 70
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


def letter_values(
    ctx: Context,
    session: Session,
    case: FeedbackCase,
    deadlines: Sequence[Deadline],
    content: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every value the letter templates use, for `case` with its `deadlines` as `session` sees
    them (a change under way included), as of today, with the parts people wrote in the letter
    (`content`; every part empty without it)."""
    points = _points(session, case, content or {})
    extension = _latest_extension(session, case)
    information = _recorded(session, case, "request_information")
    redirect = _recorded(session, case, "redirect")
    remedies = [remedy_words(remedy) for remedy in stage_remedies(session, case)]
    open_steps = {d.name: d.due_on for d in deadlines if d.status.value in ("running", "paused")}
    workflow = ctx.engine.workflow(case.procedure.value)
    meetings = workflow.with_role(DeadlineRole.PANEL_MEETING)
    panel_by = next((d.due_on for d in deadlines if d.name in meetings), None)
    findings = [point["outcome"] for point in points if point["outcome"] is not None]
    overall = stage_outcome(findings)
    return {
        "council": council_values(ctx.settings.council),
        "today": ctx.clock.today(),
        "reference": case.reference,
        "procedure": case.procedure.value,
        "stage": case.stage,
        # Each step's timescale in words ("2 working days"), as the council set it.
        "timescales": timescale_words(ctx.settings, case.procedure.value),
        "recipient": {
            "name": case.complainant_name,
            "address": (case.complainant_address or "").splitlines(),
        },
        "is_child": case.is_child,
        "advocate_name": case.advocate_name,
        "summary": case.summary,
        "received_on": case.received_on,
        "reply_by": _open_with_role(ctx, case, open_steps, DeadlineRole.RESPONSE)
        or _expected_reply_by(ctx, case),
        "ask_by": _open_with_role(ctx, case, open_steps, DeadlineRole.REQUEST_WINDOW)
        or _expected_ask_by(ctx, case),
        "points": [{k: v for k, v in p.items() if k != "outcome"} for p in points],
        "remedies": remedies,
        **written_parts(content or {}),
        "any_upheld": overall in (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD),
        "lgsco": LGSCO,
        "extension": extension,
        "information_request": _information_request(information),
        "redirected_to": redirect["redirected_to"] if redirect else None,
        "panel_by": panel_by,
        **stage_rules(ctx.settings, workflow, case.stage),
    }


def stage_rules(settings: Settings, workflow: Workflow, stage: int) -> dict[str, Any]:
    """What `workflow` declares about `stage`, for a letter to say rather than name the
    procedure: `next_stage`, the stage the complainant may ask for next (None after the last:
    the Ombudsman is next), and of the stage's `response` deadline whether it is `extendable`
    (declared so, and the council allows some extension) and by at most how much (`extra`, in
    words), whether an extension `needs_agreement` of the complainant, and whether its date is
    `agreed` with them."""
    name = workflow.response_deadline(stage)
    response = {"extendable": False, "extra": "", "needs_agreement": False, "agreed": False}
    if name is not None:
        declared = workflow.deadline(name)
        words = TimescaleWords(settings.timescale(workflow.name, name))
        response = {
            "extendable": declared.extendable and words.timescale.max_extension > 0,
            "extra": words.extra,
            "needs_agreement": declared.complainant_must_agree,
            "agreed": workflow.agrees_date(name),
        }
    return {"next_stage": workflow.next_stage(stage), "response": response}


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


def written_parts(content: Mapping[str, Any]) -> dict[str, Any]:
    """The letter's text parts as safe HTML (`opening_html`...), empty where nothing is written."""
    return {
        f"{name}_html": narrative_html(content.get(part))
        for name, part in (
            (OPENING, OPENING),
            (ABOUT, ABOUT),
            ("remedies", REMEDIES_TEXT),
            (CLOSING, CLOSING),
        )
    }


def stage_points(
    session: Session, case: FeedbackCase
) -> list[tuple[ComplaintPoint, PointOutcome | None]]:
    """The case's complaint points, in order, each with its finding at the case's stage."""
    rows = session.exec(
        select(ComplaintPoint, PointOutcome)
        .outerjoin(
            PointOutcome,
            (col(PointOutcome.point_id) == ComplaintPoint.id) & (PointOutcome.stage == case.stage),
        )
        .where(ComplaintPoint.case_id == case.id)
        .order_by(col(ComplaintPoint.number))
    ).all()
    return [(point, finding) for point, finding in rows]


def stage_remedies(session: Session, case: FeedbackCase) -> list[Remedy]:
    """The remedies recorded at the case's stage, in the order they were recorded."""
    return list(
        session.exec(
            select(Remedy)
            .where(Remedy.case_id == case.id, Remedy.stage == case.stage)
            .order_by(col(Remedy.id))
        ).all()
    )


def remedy_words(remedy: Remedy) -> str:
    """A remedy as a letter says it: what it is, its amount and what it is for ("a payment of
    £250.50 (for the missed visits)")."""
    words = REMEDY_WORDS[remedy.kind.value]
    if remedy.amount is not None:
        words += f" of {pounds(remedy.amount)}"
    if remedy.description:
        words += f" ({remedy.description})"
    return words


def pounds(amount: Decimal) -> str:
    """An amount of money as a letter writes it: £250, or £250.50 when there are pence."""
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def short_label(description: str) -> str:
    """A point's description short enough for a heading: its first line, cut at a word."""
    line = description.strip().splitlines()[0] if description.strip() else ""
    if len(line) <= LABEL_CHARACTERS:
        return line
    cut = line[:LABEL_CHARACTERS].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"


def _points(
    session: Session, case: FeedbackCase, content: Mapping[str, Any]
) -> list[dict[str, Any]]:
    written = {
        point.get("number"): point
        for point in content.get(POINTS) or []
        if isinstance(point, Mapping)
    }
    values = []
    for point, finding in stage_points(session, case):
        outcome = Outcome(finding.outcome) if finding else None
        parts = written.get(point.number, {})
        values.append(
            {
                "number": point.number,
                "description": point.description,
                "label": short_label(point.description),
                "outcome": outcome,
                "finding": FINDING_WORDS[outcome] if outcome else None,
                "finding_for_child": CHILD_FINDING_WORDS[outcome] if outcome else None,
                "upheld": outcome in (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD),
                **{f"{part}_html": narrative_html(parts.get(part)) for part in POINT_PARTS},
            }
        )
    return values


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
    workflow = ctx.engine.workflow(case.procedure.value)
    step = workflow.response_deadline(case.stage)
    if step is None:
        return None
    counts_from = workflow.deadline(step).counts_from
    day_zero = case.received_on if counts_from is Event.RECEIPT else ctx.clock.today()
    return due_on_for(ctx.settings, ctx.calendar, workflow, step, day_zero)


def _expected_ask_by(ctx: Context, case: FeedbackCase) -> date | None:
    """The last day to ask for the next stage if the response goes today (a response letter is
    written before the window it opens starts)."""
    workflow = ctx.engine.workflow(case.procedure.value)
    step = workflow.request_window(case.stage)
    if step is None:
        return None
    return due_on_for(ctx.settings, ctx.calendar, workflow, step, ctx.clock.today())


def _open_with_role(
    ctx: Context, case: FeedbackCase, open_steps: dict[str, date], role: DeadlineRole
) -> date | None:
    """The due date of the case's open deadline with `role` (a response: "we will reply by";
    a request window: "ask us by")."""
    names = ctx.engine.workflow(case.procedure.value).with_role(role)
    return next((open_steps[name] for name in names if name in open_steps), None)
