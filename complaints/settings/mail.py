"""E-mail: the server outgoing mail is sent through, and the mailbox feedback is read from."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Literal

from pydantic import Field, Strict, field_validator
from pydantic.dataclasses import dataclass

from complaints.settings.values import (
    SECTION,
    EmailAddress,
    FilledText,
    Secret,
    Text,
    WholeNumber,
)

Security = Literal["none", "starttls", "ssl"]
"""How a mail server is reached: in plain text, upgraded to TLS, or over TLS from the start."""
Port = Annotated[WholeNumber, Field(ge=1, le=65535)]
Bytes = Annotated[WholeNumber, Field(ge=1, le=2**31 - 1)]


@dataclass(frozen=True, config=SECTION)
class SmtpSettings:
    """The outgoing mail server."""

    host: FilledText
    port: Port
    username: Text
    password: Annotated[Secret, Field(alias="password_env")] = dataclasses.field(repr=False)
    """Read from the environment variable the file names in `password_env`; "" when it is not
    set."""
    sender: Annotated[EmailAddress, Field(min_length=1)]
    security: Security
    timeout_seconds: Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]


@dataclass(frozen=True, config=SECTION)
class MailSettings:
    """Where feedback e-mail is read from: an IMAP mailbox (host set) and its limits."""

    imap_host: Text = ""
    imap_port: Port = 993
    username: Text = ""
    password: Annotated[Secret, Field(alias="password_env")] = dataclasses.field(
        default="", repr=False
    )
    mailbox: Text = "INBOX"
    security: Security = "ssl"
    max_message_bytes: Bytes = 25 * 1024 * 1024
    max_attachment_bytes: Bytes = 10 * 1024 * 1024

    @field_validator("mailbox")
    @classmethod
    def _inbox_unless_named(cls, mailbox: str) -> str:
        return mailbox or "INBOX"
