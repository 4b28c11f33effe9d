"""Fixtures the service tests share."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.cases import fire_trigger
from complaints.services.points import add_complaint_point, record_finding
from tests.support import LogCase, version_of

FOUND_NOTES = "The visits on 5 and 12 October did not happen, and nobody told the family why."


@pytest.fixture
def found(council: Context, clock: SettableClock, log_case: LogCase) -> str:
    """A statutory complaint at stage 1 (acknowledged on Tuesday 3 November 2026), its one
    point, investigated by 'qa', upheld, with what was found in its notes."""
    reference = log_case("statutory_children", date(2026, 11, 2)).reference
    clock.set(date(2026, 11, 3))
    fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )
    add_complaint_point(
        council,
        reference,
        "Visits were missed",
        by="off",
        officer="qa",
        expected_version=version_of(council, reference),
    )
    record_finding(
        council,
        reference,
        1,
        "upheld",
        by="qa",
        notes=FOUND_NOTES,
        expected_version=version_of(council, reference),
    )
    return reference


@pytest.fixture
def ready(council: Context, found: str) -> str:
    """The complaint of `found` at stage1_approved: its draft put forward and signed off."""
    fire_trigger(
        council, found, "submit_draft", by="qa", expected_version=version_of(council, found)
    )
    fire_trigger(council, found, "approve", by="mgr", expected_version=version_of(council, found))
    return found
