"""Structured logs: JSON lines with the case reference, the person and the action; a change is
logged once committed and never when refused; the web logs each request with its case."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date

import pytest

from complaints.clock import SettableClock
from complaints.context import Context
from complaints.errors import DomainError
from complaints.logs import JsonFormatter, TextFormatter, configure_logging
from complaints.services.cases import fire_trigger
from tests.support import LogCase, version_of


def test_a_line_is_one_json_object_with_its_fields_and_any_exception() -> None:
    record = logging.LogRecord(
        "complaints.x", logging.ERROR, __file__, 1, "sweep of %s", ("today",), None
    )
    record.case = "CF-2026-000001"
    record.user = "off"
    try:
        raise RuntimeError("disk full")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "sweep of today" and line["level"] == "ERROR"
    assert (line["case"], line["user"]) == ("CF-2026-000001", "off")
    assert "RuntimeError: disk full" in line["exception"]
    assert "case=CF-2026-000001" in TextFormatter().format(record)


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(ValueError, match="'json' or 'text'"):
        configure_logging("xml")


def test_an_accepted_change_is_logged_after_commit_and_a_refused_one_not_at_all(
    council: Context,
    clock: SettableClock,
    log_case: LogCase,
    json_lines: Callable[[], list[dict[str, object]]],
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    fire_trigger(
        council, reference, "acknowledge", by="off", expected_version=version_of(council, reference)
    )
    with pytest.raises(DomainError):
        fire_trigger(
            council,
            reference,
            "acknowledge",
            by="off",
            expected_version=version_of(council, reference),
        )

    changes = [line for line in json_lines() if line["logger"] == "complaints.changes"]
    assert [(c["case"], c["action"], c["user"]) for c in changes] == [
        (reference, "log", "off"),
        (reference, "acknowledge", "off"),
    ]
