"""Fixtures for the report tests."""

from __future__ import annotations

import pytest

from complaints.context import Context
from complaints.services.people import add_user


@pytest.fixture
def reader(ctx: Context) -> Context:
    """An empty council with one administrator, 'admin', to ask for reports."""
    add_user(ctx, "admin", role="admin", full_name="Ada Admin")
    return ctx
