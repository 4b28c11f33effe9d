"""Who works on complaints: teams (service areas), users with their roles, subject categories."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from complaints.models.enums import Role
from complaints.models.types import UTCDateTime, enum_type


class Team(SQLModel, table=True):
    """A team or service area: cases, complaint points and officers belong to one."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, sa_column_kwargs={"unique": True})
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class User(SQLModel, table=True):
    """A member of staff who signs in: officer, QA practitioner, manager or administrator."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, sa_column_kwargs={"unique": True})
    full_name: str = Field(max_length=120)
    email: str | None = Field(default=None, max_length=254)
    role: Role = Field(sa_type=enum_type(Role))
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    password_hash: str | None = Field(default=None, max_length=255)
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class Category(SQLModel, table=True):
    """A subject category a complaint is filed under (council-configurable list)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, sa_column_kwargs={"unique": True})
    active: bool = True
