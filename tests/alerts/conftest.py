"""Fixtures for the alert tests: the council's staff with e-mail addresses."""

from __future__ import annotations

import pytest
from sqlmodel import select

from complaints.context import Context
from complaints.models import User
from complaints.services.people import add_user


@pytest.fixture
def staffed(council: Context) -> Context:
    """The council, with a team lead (a manager) and an e-mail address for everyone."""
    add_user(
        council, "teamlead", role="manager", team="Customer Service", email="lead@example.gov.uk"
    )
    with council.database.unit_of_work() as session:
        for user in session.exec(select(User)).all():
            user.email = user.email or f"{user.username}@example.gov.uk"
            session.add(user)
    return council
