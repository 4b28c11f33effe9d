"""Signing in: each sign-in session the server holds, and the counters of sign-in attempts that
every web worker shares.

A session's token lives only in the person's (signed) cookie; the table keeps its SHA-256
digest, so a copy of the database opens no session. A counter is a number of hits in a window
of time that ends at `window_ends_at`, after which it counts as nothing (complaints/counters.py).
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from complaints.models.enums import SessionEnd
from complaints.models.types import UTCDateTime, enum_type


class SignInSession(SQLModel, table=True):
    """One sign-in: who, from which browser (its name's digest), when it started and was last
    used, and when and why it ended (never, while it is open)."""

    __tablename__ = "sign_in_session"

    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    user_id: int = Field(foreign_key="app_user.id", index=True)
    browser_sha256: str = Field(max_length=64)
    started_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_because: SessionEnd | None = Field(default=None, sa_type=enum_type(SessionEnd))


class AttemptCounter(SQLModel, table=True):
    """How many attempts one key (an address, or a username at an address) made in a window."""

    __tablename__ = "attempt_counter"

    key: str = Field(max_length=200, primary_key=True)
    hits: int
    window_ends_at: datetime = Field(sa_type=UTCDateTime, index=True)
