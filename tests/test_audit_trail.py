"""The audit trail is append-only in the database itself: no UPDATE or DELETE gets through,
whoever sends it, except the retention policy removing an anonymised case's free text."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from complaints.context import Context
from tests.support import LogCase, audit_count

OF_THE_CASE = "WHERE case_id = (SELECT id FROM feedback_case WHERE reference = :r)"
ATTEMPTS = (
    "UPDATE audit_event SET summary = 'nothing happened'",
    "UPDATE audit_event SET actor_id = NULL",
    "UPDATE audit_event SET occurred_at = '2001-01-01 00:00:00'",
    "DELETE FROM audit_event",
)


@pytest.mark.parametrize("statement", ATTEMPTS)
def test_audit_events_cannot_be_changed_or_deleted(
    council: Context, log_case: LogCase, statement: str
) -> None:
    log_case("corporate", date(2026, 11, 2))
    before = audit_count(council)
    with council.database.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, summary FROM audit_event")).all()
    with (
        pytest.raises(sa.exc.DBAPIError, match="audit events cannot be changed or deleted"),
        council.database.unit_of_work() as session,
    ):
        session.execute(sa.text(statement))
    with council.database.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT id, summary FROM audit_event")).all() == rows
    assert audit_count(council) == before


def test_an_anonymised_cases_events_may_lose_their_text_but_not_who_or_when(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    with council.database.unit_of_work() as session:
        session.execute(
            sa.text("UPDATE feedback_case SET anonymised_on = '2026-11-23' WHERE reference = :r"),
            {"r": reference},
        )
        session.execute(
            sa.text(f"UPDATE audit_event SET summary = 'Log (details removed)' {OF_THE_CASE}"),
            {"r": reference},
        )
    with (
        pytest.raises(sa.exc.DBAPIError, match="audit events cannot be changed"),
        council.database.unit_of_work() as session,
    ):
        session.execute(
            sa.text(f"UPDATE audit_event SET action = 'something else' {OF_THE_CASE}"),
            {"r": reference},
        )
