"""Feedback that arrived by e-mail: each message read from the council's mailbox, and the
attachments kept with the case it created or was threaded onto."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.types import UTCDateTime


class InboundMessage(SQLModel, table=True):
    """One e-mail read from the mailbox. Its Message-ID makes reading the mailbox again
    harmless: a message already here is skipped."""

    __tablename__ = "inbound_message"

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=998, sa_column_kwargs={"unique": True})
    case_id: int | None = Field(default=None, foreign_key="feedback_case.id", index=True)
    sender: str = Field(max_length=320)
    subject: str = Field(max_length=998)
    body: str = Field(sa_type=sa.Text)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # "created" a case, was "threaded" onto one by its reference, was "refused" (with why), or
    # quoted a case from someone other than its contact: a "possible_reply" logged as new
    # feedback until an officer "confirmed" it onto the case it quoted
    outcome: str = Field(max_length=20)
    possible_reply_to_id: int | None = Field(default=None, foreign_key="feedback_case.id")
    refusal: str | None = Field(default=None, sa_type=sa.Text)
    received_at: datetime = Field(sa_type=UTCDateTime)


class Attachment(SQLModel, table=True):
    """A file that came with feedback, stored with its SHA-256 digest."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    inbound_message_id: int | None = Field(default=None, foreign_key="inbound_message.id")
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=255)
    size_bytes: int
    sha256: str = Field(max_length=64)
    content: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    created_at: datetime = Field(sa_type=UTCDateTime)
