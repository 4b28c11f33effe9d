"""Writing the audit trail: one event for each accepted change, in the change's own transaction,
and a structured log line for it once that transaction has committed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from complaints.logs import log_change
from complaints.models import AuditEvent, FeedbackCase, User, table_of

# The table itself, so this is a plain Core INSERT rather than the ORM's bulk-insert path.
_INSERT_EVENT = sa.insert(table_of(AuditEvent))
# The session's events to log once its transaction commits (forgotten if it rolls back).
_PENDING = "audit_events_to_log"


def record_event(
    session: Session,
    *,
    at: datetime,
    action: str,
    summary: str,
    actor: User | None = None,
    case: FeedbackCase | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write an audit event in the session's transaction; it commits or rolls back with the
    change itself. Events are only ever inserted, so a plain INSERT does (no ORM object)."""
    session.execute(
        _INSERT_EVENT,
        {
            "case_id": case.id if case else None,
            "actor_id": actor.id if actor else None,
            "occurred_at": at,
            "action": action,
            "summary": summary,
            "before": _as_json(before),
            "after": _as_json(after),
        },
    )
    pending = session.info.setdefault(_PENDING, [])
    pending.append(
        (case.reference if case else None, action, actor.username if actor else None, summary)
    )


@event.listens_for(OrmSession, "after_commit")
def _log_committed_events(session: OrmSession) -> None:
    for reference, action, actor, summary in session.info.pop(_PENDING, []):
        log_change(reference, action, actor, summary)


@event.listens_for(OrmSession, "after_rollback")
def _forget_rolled_back_events(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


def _as_json(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: json_value(value) for key, value in values.items()}


def json_value(value: Any) -> Any:
    """`value` with enums, dates and amounts as JSON can hold them, inside lists and dicts too."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    return value
