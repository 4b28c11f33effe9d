"""Fixtures the service tests share."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.clock import SettableClock
from complaints.context import Context
from tests.support import LogCase, ready_for_response, sign_off_draft

FOUND_NOTES = "The visits on 5 and 12 October did not happen, and nobody told the family why."


@pytest.fixture
def found(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    """A statutory complaint at stage 1 (acknowledged on Tuesday 3 November 2026), its one
    point, investigated by 'qa', upheld, with what was found in its notes."""
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    clock.set(date(2026, 11, 3))
    ready_for_response(council, reference, notes=FOUND_NOTES)
    return reference


@pytest.fixture
def ready(council: Context, found: str) -> str:
    """The complaint of `found` at stage1_approved: its draft put forward and signed off."""
    sign_off_draft(council, found)
    return found
