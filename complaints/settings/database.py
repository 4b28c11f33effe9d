"""Where the data lives: the database URL, from the file or the environment."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationInfo, field_validator
from pydantic.dataclasses import dataclass

from complaints.settings.values import SECTION, FilledText, reading_file, refusal

DATABASE_URL_ENV_VAR = "COMPLAINTS_DATABASE_URL"

_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_SQLITE_URL = re.compile(r"(?P<scheme>sqlite(?:\+[A-Za-z0-9_]+)?):///(?P<rest>.*)", re.DOTALL)


@dataclass(frozen=True, config=SECTION)
class DatabaseSettings:
    """Where the data lives: a SQLAlchemy URL, relative SQLite paths already made absolute."""

    url: FilledText

    @field_validator("url")
    @classmethod
    def _a_database_url(cls, url: str, info: ValidationInfo) -> str:
        """Read from a file, `COMPLAINTS_DATABASE_URL` (if set) replaces the file's URL, once
        that has been checked."""
        if not _URL_SCHEME.match(url):
            raise refusal(
                f"is not a database URL: {url!r} (expected e.g. sqlite:///instance/complaints.db)"
            )
        file = reading_file(info)
        if file is None:
            return url
        override = file.environ.get(DATABASE_URL_ENV_VAR, "")
        if override and not _URL_SCHEME.match(override):
            raise refusal(
                f"is replaced by the environment, but environment variable {DATABASE_URL_ENV_VAR} "
                f"is not a database URL: {override!r} "
                "(expected e.g. postgresql+psycopg://user@host/dbname)"
            )
        return override or resolve_sqlite_url(url, file.folder)


def resolve_sqlite_url(url: str, base: Path) -> str:
    """Make a relative SQLite file path in `url` absolute, relative to `base`.

    In-memory databases (`sqlite://`, `sqlite:///:memory:`), absolute paths (`sqlite:////abs`),
    SQLite URI filenames (`sqlite:///file:...`) and non-SQLite URLs are returned unchanged.
    """
    match = _SQLITE_URL.fullmatch(url)
    if match is None:
        return url
    path, separator, query = match["rest"].partition("?")
    if path in ("", ":memory:") or path.startswith("file:") or Path(path).is_absolute():
        return url
    absolute = (base / path).resolve().as_posix()
    return f"{match['scheme']}:///{absolute}{separator}{query}"
