"""Signing in to the staff pages: how long a sign-in lasts, and where attempts are counted."""

from __future__ import annotations

import dataclasses
from typing import Annotated
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic.dataclasses import dataclass

from complaints.settings.values import (
    SECTION,
    FilledText,
    Secret,
    WholeNumber,
    problem_at,
    reading_file,
    refusal,
    refusals,
)

# Where sign-in attempts may be counted besides the product's own database: a Redis server.
REDIS_URL_SCHEMES: tuple[str, ...] = ("redis://", "rediss://")


@dataclass(frozen=True, config=SECTION)
class WebSettings:
    """How long a sign-in lasts, and where sign-in attempts are counted."""

    idle_timeout_minutes: Annotated[WholeNumber, Field(ge=1, le=1440)] = 30
    session_lifetime_hours: Annotated[WholeNumber, Field(ge=1, le=24)] = 8
    """However busy, a sign-in ends this long after it started (a working day)."""
    rate_limit_storage: FilledText = "database"
    """The word "database" (the product's own), or a Redis URL with `redis_password` in it."""
    redis_password: Annotated[Secret, Field(alias="redis_password_env")] = dataclasses.field(
        default="", repr=False
    )
    """The Redis server's password, read from the environment variable the file names in
    `redis_password_env`; "" for none."""

    @field_validator("rate_limit_storage")
    @classmethod
    def _database_or_redis(cls, storage: str, info: ValidationInfo) -> str:
        if storage != "database" and not storage.startswith(REDIS_URL_SCHEMES):
            raise refusal(
                'must be "database" or the URL of a Redis server '
                f'(e.g. "redis://127.0.0.1:6379/0"), not {storage!r}'
            )
        if reading_file(info) and urlsplit(storage).password is not None:
            raise refusal(
                "must not hold a password: name the environment variable that holds it in "
                "web.redis_password_env"
            )
        return storage

    @model_validator(mode="after")
    def _idle_within_the_lifetime(self) -> WebSettings:
        idle, hours = self.idle_timeout_minutes, self.session_lifetime_hours
        if idle > hours * 60:
            raise refusals(
                [
                    problem_at(
                        ("idle_timeout_minutes",),
                        f"({idle}) must not be longer than web.session_lifetime_hours "
                        f"({hours} hours)",
                        idle,
                    )
                ]
            )
        return self

    @model_validator(mode="after")
    def _password_in_the_url(self) -> WebSettings:
        if self.redis_password and self.rate_limit_storage != "database":
            # The one value derived from others, set while the instance is being made (frozen
            # dataclasses' own idiom), so every reader of the URL reaches Redis with its password.
            url = _with_password(self.rate_limit_storage, self.redis_password)
            object.__setattr__(self, "rate_limit_storage", url)
        return self


def _with_password(url: str, password: str) -> str:
    """`url` with `password` in it (after its username, if it has one)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    username = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{username}:{quote(password, safe='')}@{host}"))
