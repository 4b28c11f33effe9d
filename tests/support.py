"""Helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import select

from complaints.context import Context
from complaints.models import AuditEvent
from complaints.services.views import CaseView

LogCase = Callable[..., CaseView]


def audit_count(ctx: Context) -> int:
    with ctx.database.reader() as session:
        return session.exec(select(sa.func.count()).select_from(AuditEvent)).one()
