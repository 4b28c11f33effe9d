"""Writing a `CaseRecord` as an exchange row: the inverse of `rows.parse_row`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from complaints.exchange.columns import (
    ACTION_SEPARATOR,
    COLUMN_NAMES,
    NO_FINDING,
    OMBUDSMAN_COLUMNS,
    stage_column,
)
from complaints.exchange.records import ActionRecord, CaseRecord, OmbudsmanRecord, StageRecord


def format_row(record: CaseRecord) -> dict[str, str]:
    """The row that `parse_row` reads back as `record`."""
    row = {
        "reference": record.reference,
        "feedback_type": record.feedback_type.value,
        "procedure": record.procedure.value,
        "state": record.state,
        "stage": str(record.stage),
        "received_on": record.received_on.isoformat(),
        "closed_on": _day(record.closed_on),
        "contact_method": record.contact_method,
        "made_by": record.made_by.value,
        "complainant_name": record.complainant_name,
        "complainant_email": record.complainant_email or "",
        "complainant_phone": record.complainant_phone or "",
        "complainant_address": record.complainant_address or "",
        "is_child": "yes" if record.is_child else "no",
        "summary": record.summary,
        "team": record.team or "",
        "officer": record.officer or "",
        "categories": "\n".join(record.categories),
        "in_time": "" if record.in_time is None else "yes" if record.in_time else "no",
        "late_reason": record.late_reason or "",
        "acknowledged_on": _day(record.acknowledged_on),
        "points": "\n".join(record.points),
        **{name: "" for name in COLUMN_NAMES if name.startswith(("stage1", "stage2", "stage3"))},
        **_ombudsman_cells(record.ombudsman),
        "actions": "\n".join(_action_line(action) for action in record.actions),
        "lessons": "\n".join(
            ACTION_SEPARATOR.join((lesson.recorded_on.isoformat(), lesson.text))
            for lesson in record.lessons
        ),
    }
    for stage in record.stages:
        row.update(_stage_cells(stage))
    return {name: row[name] for name in COLUMN_NAMES}


def _stage_cells(stage: StageRecord) -> dict[str, str]:
    cells = {
        "started_on": stage.started_on.isoformat(),
        "due_on": stage.due_on.isoformat(),
        "responded_on": _day(stage.responded_on),
        "outcomes": "\n".join(outcome or NO_FINDING for outcome in stage.outcomes),
        "remedies": "\n".join(stage.remedies),
        "financial_remedy": _money(stage.financial_remedy),
        "findings_on": _day(stage.findings_on),
        "remedies_on": _day(stage.remedies_on),
        "extensions": "\n".join(
            ACTION_SEPARATOR.join(
                (str(e.working_days), "yes" if e.complainant_agreed else "no", e.reason)
            )
            for e in stage.extensions
        ),
    }
    if stage.adjudication is not None:
        cells["adjudication_started_on"] = stage.adjudication.started_on.isoformat()
        cells["adjudication_due_on"] = stage.adjudication.due_on.isoformat()
        cells["adjudicated_on"] = _day(stage.adjudication.met_on)
    if stage.stage > 1:
        cells["requested_on"] = _day(stage.requested_on)
        cells["reason"] = stage.reason.value if stage.reason else ""
        cells["costs"] = "\n".join(
            ACTION_SEPARATOR.join(
                (cost.kind.value, _money(cost.amount), cost.incurred_on.isoformat())
            )
            for cost in stage.costs
        )
    return {stage_column(stage.stage, name): value for name, value in cells.items()}


def _ombudsman_cells(record: OmbudsmanRecord | None) -> dict[str, str]:
    if record is None:
        return {name: "" for name, _ in OMBUDSMAN_COLUMNS}
    return {
        "lgsco_reference": record.reference,
        "lgsco_received_on": record.received_on.isoformat(),
        "lgsco_decision": record.decision.value if record.decision else "",
        "lgsco_decision_on": _day(record.decision_on),
        "lgsco_compliance_due_on": _day(record.compliance_due_on),
        "lgsco_complied_on": _day(record.complied_on),
        "lgsco_response_due_on": _day(record.response_due_on),
        "lgsco_responded_on": _day(record.responded_on),
        "lgsco_remedy": record.remedy_agreed or "",
        "lgsco_closed_on": _day(record.closed_on),
    }


def _action_line(action: ActionRecord) -> str:
    completed = _day(action.completed_on) or NO_FINDING
    parts = (action.due_on.isoformat(), completed, action.kind.value, action.description)
    return ACTION_SEPARATOR.join(parts)


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"
