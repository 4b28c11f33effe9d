"""The council's own systems that use the JSON API: each has a token and the scopes it may use."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from complaints.models.types import UTCDateTime


class ApiToken(SQLModel, table=True):
    """One integration's access. Only the SHA-256 digest of its token is kept: the token itself
    is shown once, when it is made. It acts with the role of the staff account it names."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    token_sha256: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    scopes: str = Field(max_length=200)  # space-separated, e.g. "feedback:create cases:read"
    acts_as_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
