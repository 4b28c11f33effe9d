"""The council's settings: `config.toml` read into one frozen, checked `Settings`.

Everything a council may change without touching the code lives in `config.toml`
(docs/configuration.md; every timescale is a default there, never a constant in code). Each
section of the file is a pydantic dataclass in `complaints/settings/` that checks its own values;
any problem stops the load with a `ConfigError` holding one line per problem, each naming the file
and the dotted key, so a council's IT officer can find and fix it:

    config.toml: timescales.corporate.stage1_response.length must be a whole number of 0 or
    more, not -3

The loader is pure: it keeps no global state. Callers load once (`load_settings()`) and pass the
`Settings` on; tests build variants with `parse_settings()` from an already-parsed dict, or with
`dataclasses.replace`, which checks the new values too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, TypeAdapter, ValidationInfo, model_validator
from pydantic.dataclasses import dataclass

from complaints.errors import ConfigError
from complaints.settings.alerts import AlertSettings, SchedulerSettings
from complaints.settings.calendar import CalendarSettings
from complaints.settings.cases import HoldSettings, RetentionSettings
from complaints.settings.council import CouncilSettings, ListSettings
from complaints.settings.database import DATABASE_URL_ENV_VAR, DatabaseSettings, resolve_sqlite_url
from complaints.settings.files import (
    CONFIG_ENV_VAR,
    DEFAULT_CONFIG_PATH,
    check_config,
    config_path,
    read_config,
)
from complaints.settings.letters import LetterSettings
from complaints.settings.mail import MailSettings, SmtpSettings
from complaints.settings.messages import suggestion
from complaints.settings.timescales import Timescale, Timescales, TimeUnit
from complaints.settings.values import (
    SECTION,
    problem_at,
    reading_file,
    refusals,
    unknown_key,
)
from complaints.settings.web import WebSettings

if TYPE_CHECKING:
    from workflows.definition import Workflow

__all__ = [
    "CONFIG_ENV_VAR",
    "DATABASE_URL_ENV_VAR",
    "DEFAULT_CONFIG_PATH",
    "AlertSettings",
    "CalendarSettings",
    "CouncilSettings",
    "DatabaseSettings",
    "HoldSettings",
    "LetterSettings",
    "ListSettings",
    "MailSettings",
    "RetentionSettings",
    "SchedulerSettings",
    "Settings",
    "SmtpSettings",
    "TimeUnit",
    "Timescale",
    "WebSettings",
    "config_path",
    "load_settings",
    "parse_settings",
    "resolve_sqlite_url",
]


@dataclass(frozen=True, config=SECTION)
class Settings:
    """Every council-changeable setting, checked and immutable."""

    council: CouncilSettings
    database: DatabaseSettings
    calendar: CalendarSettings
    alerts: AlertSettings
    holds: HoldSettings
    timescales: Timescales
    """Procedure -> step -> timescale, read-only, in the order the workflows declare them."""
    smtp: SmtpSettings
    lists: ListSettings
    scheduler: SchedulerSettings
    source: Path = Field(exclude=True)
    """The file these settings were read from (not a key in it)."""
    web: WebSettings = WebSettings()
    retention: RetentionSettings = RetentionSettings()
    mail: MailSettings = MailSettings()
    letters: LetterSettings = LetterSettings()

    @property
    def procedures(self) -> tuple[str, ...]:
        """The procedures that have timescales, in the order of the workflows."""
        return tuple(self.timescales)

    def timescale(self, procedure: str, step: str) -> Timescale:
        """The timescale of one step; an unknown procedure or step raises `ConfigError`."""
        steps = self.timescales.get(procedure)
        if steps is None:
            raise ConfigError(
                f"unknown procedure {procedure!r}{suggestion(procedure, self.timescales)}; "
                f"the procedures are {', '.join(self.timescales)}"
            )
        found = steps.get(step)
        if found is None:
            raise ConfigError(
                f"unknown step {step!r} of procedure {procedure}{suggestion(step, steps)}; "
                f"its steps are {', '.join(steps)}"
            )
        return found

    @model_validator(mode="before")
    @classmethod
    def _read_from(cls, data: Any, info: ValidationInfo) -> Any:
        """Read from a file, the settings' source is that file, never a key in it."""
        file = reading_file(info)
        if file is None or not isinstance(data, Mapping):
            return data
        if "source" in data:
            raise refusals([unknown_key(("source",), data["source"])])
        return {**data, "source": file.path.absolute()}

    @model_validator(mode="after")
    def _complaints_office_is_a_service_area(self) -> Settings:
        office, areas = self.council.complaints_office, self.lists.service_areas
        if office and office.casefold() not in {area.casefold() for area in areas}:
            wanted = f"must be one of lists.service_areas ({', '.join(areas)}), not {office!r}"
            raise refusals([problem_at(("council", "complaints_office"), wanted, office)])
        return self


_SETTINGS = TypeAdapter(Settings)


def load_settings(
    path: Path | None = None,
    environ: Mapping[str, str] = os.environ,
    workflows: Mapping[str, Workflow] | None = None,
) -> Settings:
    """Read and check the configuration file (by default `config_path(environ)`) for the
    procedures `workflows` declare (the shipped ones by default).

    Raises `ConfigError` naming the file when it is missing, unreadable, not valid TOML, or holds
    any bad value.
    """
    source = config_path(environ) if path is None else Path(path)
    data = read_config(source)
    return parse_settings(data, source=source, environ=environ, workflows=workflows)


def parse_settings(
    data: Mapping[str, Any],
    *,
    source: Path,
    environ: Mapping[str, str] = os.environ,
    workflows: Mapping[str, Workflow] | None = None,
) -> Settings:
    """Check an already-parsed configuration and build `Settings` from it; `[timescales]` must
    give the numbers of every deadline `workflows` declare (the shipped ones by default), and
    nothing else.

    `source` names the file in error messages and anchors relative paths (SQLite database, logo,
    letter templates). `environ` supplies `COMPLAINTS_DATABASE_URL` (which overrides the file's
    database URL once that has been checked) and the passwords the file names variables for.
    """
    return check_config(
        _SETTINGS, Settings, data, source=source, environ=environ, workflows=workflows
    )
