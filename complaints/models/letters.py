"""Letters to complainants: drafted, quality-assured, sent; a sent letter is kept unchanged.
The parts of a letter people write are kept with every revision, and the comments of each
return with the revision they were about. The council's own wording of a letter template is
kept with every earlier version."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from complaints.models.enums import LetterStatus
from complaints.models.types import JSON_DOCUMENT, UTCDateTime, enum_type


class Letter(SQLModel, table=True):
    """One letter of a case. Once sent, its rendered HTML and PDF and their SHA-256 digest are
    the record of what the complainant received; a correction is a new letter that refers to it."""

    # The letters waiting at a status (to sign off, returned, approved), oldest first.
    __table_args__ = (sa.Index("ix_letter_status_updated_at", "status", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="feedback_case.id", index=True)
    template: str = Field(max_length=80)
    status: LetterStatus = Field(sa_type=enum_type(LetterStatus))
    recipient_name: str = Field(max_length=200)
    recipient_address: str | None = Field(default=None, sa_type=sa.Text)
    # The council's wording of the template when the letter was drafted (None: the shipped
    # template), so the letter is approved and sent in the words it was drafted in.
    template_text: str | None = Field(default=None, sa_type=sa.Text)
    author_id: int | None = Field(default=None, foreign_key="app_user.id")
    # Who last put it forward for sign-off: like its author, they may not approve it.
    submitted_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    approver_id: int | None = Field(default=None, foreign_key="app_user.id")
    qa_comments: str | None = Field(default=None, sa_type=sa.Text)
    # The parts people write, as the newest revision has them (`LetterRevision`): None for a
    # letter written wholly by its template, or recorded as sent outside the product.
    content: dict[str, Any] | None = Field(default=None, sa_type=JSON_DOCUMENT)
    # The revision last put forward for sign-off.
    submitted_revision: int | None = None
    # Why a draft nobody will send was discarded.
    discard_reason: str | None = Field(default=None, sa_type=sa.Text)
    html: str | None = Field(default=None, sa_type=sa.Text)
    pdf: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    # Approval freezes the HTML and PDF: their digest is what the approver signed off, and the
    # database refuses to change them while the letter stays approved.
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approved_sha256: str | None = Field(default=None, max_length=64)
    # Why an approval was withdrawn (the case changed so that the letter would say something
    # else): shown to whoever signs it off again.
    approval_voided_reason: str | None = Field(default=None, sa_type=sa.Text)
    sha256: str | None = Field(default=None, max_length=64)
    sent_on: date | None = None
    # A response a manager recorded as sent outside the product: why, with the copy sent as
    # its PDF.
    sent_outside_reason: str | None = Field(default=None, sa_type=sa.Text)
    corrects_letter_id: int | None = Field(default=None, foreign_key="letter.id")
    # The day the retention policy removed the letter's text; its digest still proves what
    # was sent. The only change the database allows to a sent letter.
    redacted_on: date | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class LetterTemplateVersion(SQLModel, table=True):
    """One version of the council's own wording of a letter template (`name` as
    `stage1_response` or `child/stage1_response`). Versions are only ever added: the newest
    is in force, and one without text puts the shipped template back."""

    __tablename__ = "letter_template_version"
    __table_args__ = (sa.UniqueConstraint("name", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    version: int
    text: str | None = Field(default=None, sa_type=sa.Text)
    sha256: str | None = Field(default=None, max_length=64)
    set_by_id: int = Field(foreign_key="app_user.id")
    set_at: datetime = Field(sa_type=UTCDateTime)


class LetterRevision(SQLModel, table=True):
    """One save of the parts people write in a letter: revision 1 when it is drafted, one more
    each time it is revised. Only ever added."""

    __tablename__ = "letter_revision"
    __table_args__ = (
        sa.UniqueConstraint("letter_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    number: int
    content: dict[str, Any] = Field(sa_type=JSON_DOCUMENT)
    saved_by_id: int = Field(foreign_key="app_user.id")
    saved_at: datetime = Field(sa_type=UTCDateTime)


class LetterComments(SQLModel, table=True):
    """What the approver said when returning a letter: overall, and on its parts (keyed as
    `complaints.letters.kinds.part_keys` names them), about the revision they read."""

    __tablename__ = "letter_comments"

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    revision: int
    overall: str | None = Field(default=None, sa_type=sa.Text)
    parts: dict[str, str] = Field(sa_type=JSON_DOCUMENT)
    returned_by_id: int = Field(foreign_key="app_user.id")
    returned_at: datetime = Field(sa_type=UTCDateTime)
