"""Structured logs: one JSON object a line (for the council's log collector) or plain text (for
a person at a terminal), each line carrying what it is about: the case reference, the person,
the action, and for the web the request's method, path, status and time.

Services name the case with `extra={"case": reference}`; the web sets the case of the request
being served (`case_in_hand`), so every line logged while serving it carries the reference too.
Each accepted change is logged once its transaction has committed (`changes`), never before: a
change rolled back leaves no line claiming it happened.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# The record attributes a line may carry beyond the message, in the order they are written.
FIELDS = ("case", "user", "action", "method", "path", "status", "ms", "address")
case_in_hand: ContextVar[str | None] = ContextVar("case_in_hand", default=None)
changes = logging.getLogger("complaints.changes")


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC), level, logger, message and the known fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_fields(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """A record as a line for people: time, level, logger, message, then field=value pairs."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        pairs = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        return f"{text} [{pairs}]" if pairs else text


class CaseInHand(logging.Filter):
    """Gives a record without a case the case of the request (or job) being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "case", None) is None:
            record.case = case_in_hand.get()
        return True


def configure_logging(style: str = "text", level: int = logging.INFO) -> None:
    """Send the root logger's lines to standard error as JSON ('json') or text ('text')."""
    if style not in ("json", "text"):
        raise ValueError(f"the log format must be 'json' or 'text', not {style!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if style == "json" else TextFormatter())
    handler.addFilter(CaseInHand())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The state machine library narrates every callback at INFO: not news to anyone.
    logging.getLogger("transitions").setLevel(logging.WARNING)


def log_change(reference: str | None, action: str, actor: str | None, summary: str) -> None:
    """One line for an accepted change (written after its transaction committed)."""
    changes.info(summary, extra={"case": reference, "action": action, "user": actor})


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    return {key: value for key in FIELDS if (value := getattr(record, key, None)) not in (None, "")}
