"""Reading one e-mail: who sent it, when, its text and its attachments (standard library only).

The text is the message's plain-text part, or its HTML part with the markup taken out when it
has no plain one. Problems that make a message unusable (no text, too large) are reported as a
`RefusedMessage` reason rather than raised, so the message is still recorded with why.
"""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import default
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser


@dataclass(frozen=True)
class Attached:
    """One attachment of a message."""

    filename: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class ParsedMessage:
    """What the product keeps of an e-mail."""

    message_id: str
    sender_name: str
    sender_address: str
    subject: str
    sent_at: datetime | None
    text: str
    attachments: tuple[Attached, ...]


def parse_message(data: bytes) -> ParsedMessage:
    """The parts of an RFC 5322 message the product uses."""
    message = email.message_from_bytes(data, policy=default)
    assert isinstance(message, EmailMessage)
    name, address = _sender(message)
    return ParsedMessage(
        message_id=_message_id(message, data),
        sender_name=name,
        sender_address=address,
        subject=_header(message, "Subject"),
        sent_at=_sent_at(message),
        text=_text(message),
        attachments=tuple(_attachments(message)),
    )


def _message_id(message: EmailMessage, data: bytes) -> str:
    found = _header(message, "Message-ID").strip()
    # A message without an ID is known by its content, so reading it twice still finds it.
    return found[:998] or f"<sha256-{hashlib.sha256(data).hexdigest()}@no-message-id>"


def _header(message: EmailMessage, name: str) -> str:
    try:
        return " ".join(str(message.get(name, "")).split())
    except (ValueError, TypeError, IndexError):  # a malformed header is read as absent
        return ""


def _sender(message: EmailMessage) -> tuple[str, str]:
    addresses = getaddresses([_header(message, "From")])
    name, address = addresses[0] if addresses else ("", "")
    return name.strip(), address.strip().lower()


def _sent_at(message: EmailMessage) -> datetime | None:
    try:
        sent = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return sent if sent.tzinfo is not None else None


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeDecodeError):
        return ""
    if not isinstance(content, str):
        return ""
    if body.get_content_subtype() == "html":
        content = _html_text(content)
    return _tidy(content)


def _attachments(message: EmailMessage) -> list[Attached]:
    found = []
    for part in message.iter_attachments():
        if not isinstance(part, EmailMessage):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        found.append(
            Attached(
                filename=_safe_filename(part.get_filename() or "attachment"),
                content_type=part.get_content_type(),
                content=content,
            )
        )
    return found


def _safe_filename(name: str) -> str:
    """The file name without any folder part or control characters, at most 255 characters."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip(" .")
    return cleaned[:255] or "attachment"


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
