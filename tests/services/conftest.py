"""Fixtures for the service tests: a council with one person of each role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.models import AuditEvent
from complaints.services.cases import NewFeedback, log_feedback
from complaints.services.people import add_user, seed_reference_data
from complaints.services.views import CaseView


@pytest.fixture
def council(ctx: Context) -> Context:
    """Teams and categories from config, and staff: off, off2, qa, mgr, admin."""
    seed_reference_data(ctx)
    add_user(ctx, "off", role="officer", full_name="Olive Officer", team="Customer Service")
    add_user(ctx, "off2", role="officer", full_name="Owen Officer", team="Customer Service")
    add_user(ctx, "qa", role="qa_practitioner", full_name="Quinn Practitioner")
    add_user(ctx, "mgr", role="manager", full_name="Mina Manager")
    add_user(ctx, "admin", role="admin", full_name="Ada Admin")
    return ctx


LogCase = Callable[..., CaseView]


@pytest.fixture
def log_case(council: Context, clock: SettableClock) -> LogCase:
    """Log a complaint received on `received` (the clock is moved there first)."""

    def log(procedure: str, received: date, **details: object) -> CaseView:
        clock.set(received)
        feedback = NewFeedback(
            procedure=procedure,
            feedback_type=str(details.pop("feedback_type", "complaint")),
            received_on=received,
            summary=str(details.pop("summary", "The service let us down")),
            complainant_name=str(details.pop("complainant_name", "Ava Smith")),
            **details,  # type: ignore[arg-type]
        )
        return log_feedback(council, feedback, by="off")

    return log


def audit_count(ctx: Context) -> int:
    with ctx.database.reader() as session:
        return session.exec(select(sa.func.count()).select_from(AuditEvent)).one()
