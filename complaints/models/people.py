"""Who works on complaints and the council's own settings kept in the database: teams (service
areas), users with their roles, subject categories, and the calendar deadlines were computed on."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from complaints.models.enums import Role
from complaints.models.types import JSON_DOCUMENT, UTCDateTime, enum_type


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


class CalendarState(SQLModel, table=True):
    """The closure days the running deadlines were last computed with (one row), so a change to
    config.toml's closure days is noticed and every running deadline recomputed."""

    __tablename__ = "calendar_state"

    id: int | None = Field(default=None, primary_key=True)
    closure_days: list[str] = Field(sa_type=JSON_DOCUMENT)
    applied_at: datetime = Field(sa_type=UTCDateTime)
