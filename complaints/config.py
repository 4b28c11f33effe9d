"""The council's settings: `config.toml` read into frozen, typed dataclasses.

Everything a council may change without touching the code lives in `config.toml`
(docs/configuration.md; every timescale is a default there, never a constant in code). This module
reads the file with `tomllib`, checks every value, and returns one immutable `Settings`. Any problem
stops the load with a `ConfigError` whose single line names the file and the dotted key, so a
council's IT officer can find and fix it:

    config.toml: timescales.corporate.stage1_response.length must be a whole number of 0 or
    more, not -3

The loader is pure: it keeps no global state. Callers load once (`load_settings()`) and pass the
`Settings` on; tests build variants with `parse_settings()` from an already-parsed dict.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn
from urllib.parse import quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from complaints.errors import ConfigError
from workflows import WORKFLOWS
from workflows.definition import Workflow

CONFIG_ENV_VAR = "COMPLAINTS_CONFIG"
DATABASE_URL_ENV_VAR = "COMPLAINTS_DATABASE_URL"
DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent / "config.toml"


class TimeUnit(StrEnum):
    """The unit a timescale is counted in."""

    WORKING_DAYS = "working_days"
    CALENDAR_MONTHS = "calendar_months"


# Keys a timescale had before the event a step counts from was declared with its workflow.
_RETIRED_TIMESCALE_KEYS = ("from", "direction")

SMTP_SECURITY_MODES: tuple[str, ...] = ("none", "starttls", "ssl")
IMAP_SECURITY_MODES: tuple[str, ...] = ("none", "starttls", "ssl")
# Sections a council's file may leave out; their defaults are those of the dataclasses.
OPTIONAL_SECTIONS = ("retention", "mail", "letters", "web")
# Where sign-in attempts may be counted besides the product's own database: a Redis server.
REDIS_URL_SCHEMES: tuple[str, ...] = ("redis://", "rediss://")

_REFERENCE_PREFIX = re.compile(r"[A-Za-z0-9]{1,6}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ENV_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_SQLITE_URL = re.compile(r"(?P<scheme>sqlite(?:\+[A-Za-z0-9_]+)?):///(?P<rest>.*)", re.DOTALL)


@dataclass(frozen=True)
class CouncilSettings:
    """The council's details, printed on letters and pages."""

    name: str
    address: tuple[str, ...]
    email: str
    phone: str
    website: str
    logo: str
    """Absolute path of the logo image, or "" for no logo."""
    reference_prefix: str
    accessibility_line: str
    complaints_office: str = ""
    """The service area whose staff run the complaints process council-wide (they triage, so
    they see every case); "" when only staff with no team do."""


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the data lives: a SQLAlchemy URL, relative SQLite paths already made absolute."""

    url: str


@dataclass(frozen=True)
class CalendarSettings:
    """What counts as a working day, and which time zone decides what "today" is."""

    country: str
    subdivision: str
    timezone: str
    closure_days: tuple[date, ...]
    """The council's own closure days, sorted, without duplicates."""


@dataclass(frozen=True)
class Timescale:
    """How long one step of a procedure lasts. The event it counts from, and everything else
    about the step, is declared with its deadline in the procedure's workflow."""

    length: int
    unit: TimeUnit
    max_extension: int
    """The most the step may be extended beyond `length`, in `unit`; 0 means no extension."""
    note: str


@dataclass(frozen=True)
class AlertSettings:
    """When deadline alerts fire, who is told, and how sending is retried."""

    due_soon_working_days: int
    case_link: str
    head_of_service: str
    head_of_service_after_working_days: int
    max_send_attempts: int


@dataclass(frozen=True)
class HoldSettings:
    """How long a case's timer may be paused."""

    max_working_days: int


@dataclass(frozen=True)
class RetentionSettings:
    """How long a closed case keeps the complainant's personal data."""

    years_after_closure: int = 6


@dataclass(frozen=True)
class LetterSettings:
    """Where the council keeps its own wording of letter templates, if it does."""

    override_folder: str = ""
    """Absolute path of a folder of templates (`stage1_response.html.j2`,
    `child/stage1_response.html.j2`...) used instead of the shipped ones, or "" for none."""


@dataclass(frozen=True)
class WebSettings:
    """How long a sign-in lasts, and where sign-in attempts are counted."""

    idle_timeout_minutes: int = 30
    session_lifetime_hours: int = 8
    """However busy, a sign-in ends this long after it started (a working day)."""
    rate_limit_storage: str = "database"
    """The word "database" (the product's own), or a Redis URL with its password filled in from
    the environment variable that `redis_password_env` names."""


@dataclass(frozen=True)
class MailSettings:
    """Where feedback e-mail is read from: an IMAP mailbox (host set) and its limits."""

    imap_host: str = ""
    imap_port: int = 993
    username: str = ""
    password: str = ""
    mailbox: str = "INBOX"
    security: str = "ssl"
    max_message_bytes: int = 25 * 1024 * 1024
    max_attachment_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class SmtpSettings:
    """The outgoing mail server."""

    host: str
    port: int
    username: str
    password: str
    """Read from the environment variable named by `password_env`; "" when it is not set."""
    sender: str
    security: str
    """One of `SMTP_SECURITY_MODES`: "none", "starttls" or "ssl"."""
    timeout_seconds: float


@dataclass(frozen=True)
class ListSettings:
    """The choice lists officers pick from."""

    service_areas: tuple[str, ...]
    categories: tuple[str, ...]
    contact_methods: tuple[str, ...]


@dataclass(frozen=True)
class SchedulerSettings:
    """When the deadline sweep runs, and how long one process's turn as the scheduler lasts."""

    interval_minutes: int
    working_day_start: time
    lease_seconds: int
    embedded: bool


@dataclass(frozen=True)
class Settings:
    """Every council-changeable setting, checked and immutable."""

    council: CouncilSettings
    database: DatabaseSettings
    calendar: CalendarSettings
    timescales: Mapping[str, Mapping[str, Timescale]]
    """Procedure -> step -> timescale, read-only, in the order the workflows declare them."""
    alerts: AlertSettings
    holds: HoldSettings
    smtp: SmtpSettings
    lists: ListSettings
    scheduler: SchedulerSettings
    source: Path
    """The file these settings were read from."""
    retention: RetentionSettings = RetentionSettings()
    mail: MailSettings = MailSettings()
    letters: LetterSettings = LetterSettings()
    web: WebSettings = WebSettings()

    @property
    def procedures(self) -> tuple[str, ...]:
        """The procedures that have timescales, in the order of the workflows."""
        return tuple(self.timescales)

    def timescale(self, procedure: str, step: str) -> Timescale:
        """The timescale of one step; an unknown procedure or step raises `ConfigError`."""
        steps = self.timescales.get(procedure)
        if steps is None:
            raise ConfigError(
                f"unknown procedure {procedure!r}{_suggestion(procedure, self.timescales)}; "
                f"the procedures are {', '.join(self.timescales)}"
            )
        found = steps.get(step)
        if found is None:
            raise ConfigError(
                f"unknown step {step!r} of procedure {procedure}{_suggestion(step, steps)}; "
                f"its steps are {', '.join(steps)}"
            )
        return found


def config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The configuration file to use: `COMPLAINTS_CONFIG` if set and not empty, else the default."""
    value = environ.get(CONFIG_ENV_VAR, "")
    return Path(value) if value else DEFAULT_CONFIG_PATH


def load_settings(
    path: Path | None = None,
    environ: Mapping[str, str] = os.environ,
    workflows: Mapping[str, Workflow] = WORKFLOWS,
) -> Settings:
    """Read and check the configuration file (by default `config_path(environ)`) for the
    procedures `workflows` declare.

    Raises `ConfigError` naming the file when it is missing, unreadable, not valid TOML, or holds
    any bad value.
    """
    source = config_path(environ) if path is None else Path(path)
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            f"{source}: configuration file not found "
            f"(set {CONFIG_ENV_VAR} to the path of the council's config.toml)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{source}: not valid TOML: the file is not UTF-8 text ({error})"
        ) from None
    except OSError as error:
        raise ConfigError(f"{source}: cannot read the configuration file: {error}") from None
    return parse_settings(data, source=source, environ=environ, workflows=workflows)


def parse_settings(
    data: Mapping[str, Any],
    *,
    source: Path,
    environ: Mapping[str, str] = os.environ,
    workflows: Mapping[str, Workflow] = WORKFLOWS,
) -> Settings:
    """Check an already-parsed configuration and build `Settings` from it; `[timescales]` must
    give the numbers of every deadline `workflows` declare, and nothing else.

    `source` names the file in error messages and anchors relative paths (SQLite database, logo).
    `environ` supplies `COMPLAINTS_DATABASE_URL` (which overrides the file's database URL once the
    file has been checked) and the SMTP password.
    """
    reader = _Reader(label=str(source), base=Path(source).absolute().parent)
    sections = (
        "council",
        "database",
        "calendar",
        "alerts",
        "holds",
        "timescales",
        "smtp",
        "lists",
        "scheduler",
    )
    reader.check_keys(data, "", required=sections, optional=OPTIONAL_SECTIONS)
    # Checked in the file's order, so the first problem reported is the first in the file.
    council = reader.council(reader.section(data, "council"))
    database = reader.database(reader.section(data, "database"))
    calendar = reader.calendar(reader.section(data, "calendar"))
    alerts = reader.alerts(reader.section(data, "alerts"))
    holds = reader.holds(reader.section(data, "holds"))
    timescales = reader.timescales(reader.section(data, "timescales"), workflows)
    smtp = reader.smtp(reader.section(data, "smtp"), environ)
    lists = reader.lists(reader.section(data, "lists"))
    reader.check_complaints_office(council, lists)
    scheduler = reader.scheduler(reader.section(data, "scheduler"))
    retention = reader.retention(reader.section(data, "retention") if "retention" in data else {})
    mail = reader.mail(reader.section(data, "mail") if "mail" in data else {}, environ)
    letters = reader.letters(reader.section(data, "letters") if "letters" in data else {})
    web = reader.web(reader.section(data, "web") if "web" in data else {}, environ)
    override = environ.get(DATABASE_URL_ENV_VAR, "")
    if override:
        if not _URL_SCHEME.match(override):
            raise ConfigError(
                f"environment variable {DATABASE_URL_ENV_VAR} is not a database URL: {override!r} "
                "(expected e.g. postgresql+psycopg://user@host/dbname)"
            )
        database = DatabaseSettings(url=override)
    return Settings(
        council=council,
        database=database,
        calendar=calendar,
        timescales=timescales,
        alerts=alerts,
        holds=holds,
        smtp=smtp,
        lists=lists,
        scheduler=scheduler,
        source=Path(source).absolute(),
        retention=retention,
        mail=mail,
        letters=letters,
        web=web,
    )


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


# --- reading and checking ----------------------------------------------------------------------


def _key(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _suggestion(word: str, known: Iterable[str], prefix: str = "") -> str:
    """' (did you mean <prefix>.<match>?)' when a known name is close to `word`, else ''."""
    matches = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {_key(prefix, matches[0])}?)" if matches else ""


def _show(value: object) -> str:
    """A value as the person editing the file would recognise it, with what kind of value it is."""
    if isinstance(value, bool):
        return f"the true/false value {str(value).lower()}"
    if isinstance(value, int):
        return f"the whole number {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, time):
        return f"the time {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return f"{value!r}"


def _with_password(url: str, password: str) -> str:
    """`url` with `password` in it (after its username, if it has one)."""
    parts = urlsplit(url)
    username, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{username}:{quote(password, safe='')}@{host}"))


def _is_whole_number(value: object) -> bool:
    # bool is a subclass of int in Python, but `true` is not a number in the file.
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class _Reader:
    """Checks one configuration; every failure names `label` (the file) and a dotted key."""

    label: str
    base: Path

    def fail(self, message: str) -> NoReturn:
        raise ConfigError(f"{self.label}: {message}")

    # -- structure --

    def check_keys(
        self,
        table: Mapping[str, Any],
        prefix: str,
        *,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> None:
        """Refuse unknown keys (suggesting a close known one) and then missing ones."""
        required = tuple(required)
        known = (*required, *optional)
        for name in table:
            if name not in known:
                hint = _suggestion(name, known, prefix) or f"; the keys here are {', '.join(known)}"
                self.fail(f"unknown key {_key(prefix, name)}{hint}")
        for name in required:
            if name not in table:
                if prefix:
                    self.fail(f"{_key(prefix, name)} is missing")
                self.fail(f"section [{name}] is missing")

    def section(self, data: Mapping[str, Any], name: str, prefix: str = "") -> Mapping[str, Any]:
        value = data[name]
        key = _key(prefix, name)
        if not isinstance(value, Mapping):
            self.fail(f"{key} must be a table (a [{key}] section), not {_show(value)}")
        return value

    # -- values --

    def string(self, table: Mapping[str, Any], name: str, prefix: str, *, blank: bool) -> str:
        value = table[name]
        key = _key(prefix, name)
        if not isinstance(value, str):
            self.fail(f'{key} must be text in "quotes", not {_show(value)}')
        if not blank and not value.strip():
            self.fail(f"{key} must not be empty")
        return value

    def choice(
        self, table: Mapping[str, Any], name: str, prefix: str, choices: Iterable[str]
    ) -> str:
        choices = tuple(choices)
        value = self.string(table, name, prefix, blank=True)
        if value not in choices:
            self.fail(f"{_key(prefix, name)} must be one of {', '.join(choices)}, not {value!r}")
        return value

    def whole_number(
        self,
        table: Mapping[str, Any],
        name: str,
        prefix: str,
        *,
        minimum: int,
        maximum: int | None = None,
    ) -> int:
        value = table[name]
        if maximum is None:
            wanted = f"a whole number of {minimum} or more"
        else:
            wanted = f"a whole number from {minimum} to {maximum}"
        if not _is_whole_number(value):
            self.fail(f"{_key(prefix, name)} must be {wanted}, not {_show(value)}")
        if value < minimum or (maximum is not None and value > maximum):
            self.fail(f"{_key(prefix, name)} must be {wanted}, not {value}")
        return int(value)

    def positive_number(self, table: Mapping[str, Any], name: str, prefix: str) -> float:
        value = table[name]
        wanted = "a number more than 0"
        if not (_is_whole_number(value) or isinstance(value, float)):
            self.fail(f"{_key(prefix, name)} must be {wanted}, not {_show(value)}")
        if not value > 0 or value == float("inf"):
            self.fail(f"{_key(prefix, name)} must be {wanted}, not {value}")
        return float(value)

    def string_list(
        self, table: Mapping[str, Any], name: str, prefix: str, *, choice_list: bool
    ) -> tuple[str, ...]:
        """A list of text. A choice list must be non-empty, without blanks or duplicates."""
        value = table[name]
        key = _key(prefix, name)
        if not isinstance(value, list):
            self.fail(f'{key} must be a list of text in "quotes", not {_show(value)}')
        items: list[str] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(f'{key}[{index}] must be text in "quotes", not {_show(item)}')
            if choice_list:
                item = item.strip()
                if not item:
                    self.fail(f"{key}[{index}] is blank; remove it or give it a name")
                folded = item.casefold()
                if folded in seen:
                    self.fail(
                        f"{key}[{index}] repeats {item!r}, already listed as {key}[{seen[folded]}]"
                    )
                seen[folded] = index
            items.append(item)
        if choice_list and not items:
            self.fail(f"{key} must list at least one entry")
        return tuple(items)

    # -- sections --

    def council(self, table: Mapping[str, Any]) -> CouncilSettings:
        prefix = "council"
        self.check_keys(
            table,
            prefix,
            required=(
                "name",
                "address",
                "email",
                "phone",
                "website",
                "logo",
                "reference_prefix",
                "accessibility_line",
            ),
            optional=("complaints_office",),
        )
        name = self.string(table, "name", prefix, blank=False)
        address = self.string_list(table, "address", prefix, choice_list=False)
        email = self.string(table, "email", prefix, blank=True)
        if email and "@" not in email:
            self.fail(f"{prefix}.email is not an e-mail address: {email!r}")
        phone = self.string(table, "phone", prefix, blank=True)
        website = self.string(table, "website", prefix, blank=True)
        logo = self.string(table, "logo", prefix, blank=True).strip()
        reference_prefix = self.string(table, "reference_prefix", prefix, blank=True)
        if not _REFERENCE_PREFIX.fullmatch(reference_prefix):
            self.fail(
                f"{prefix}.reference_prefix must be 1 to 6 letters or digits (e.g. 'CF'), "
                f"not {reference_prefix!r}"
            )
        return CouncilSettings(
            name=name,
            address=address,
            email=email,
            phone=phone,
            website=website,
            logo=str(self.base / logo) if logo else "",
            reference_prefix=reference_prefix,
            accessibility_line=self.string(table, "accessibility_line", prefix, blank=True),
            complaints_office=self.string(table, "complaints_office", prefix, blank=True).strip()
            if "complaints_office" in table
            else "",
        )

    def check_complaints_office(self, council: CouncilSettings, lists: ListSettings) -> None:
        """The complaints office is one of the service areas (checked once both are read)."""
        office = council.complaints_office
        if office and office.casefold() not in {a.casefold() for a in lists.service_areas}:
            areas = ", ".join(lists.service_areas)
            self.fail(
                f"council.complaints_office must be one of lists.service_areas ({areas}), "
                f"not {office!r}"
            )

    def database(self, table: Mapping[str, Any]) -> DatabaseSettings:
        prefix = "database"
        self.check_keys(table, prefix, required=("url",))
        url = self.string(table, "url", prefix, blank=False).strip()
        if not _URL_SCHEME.match(url):
            self.fail(
                f"{prefix}.url is not a database URL: {url!r} "
                "(expected e.g. sqlite:///instance/complaints.db)"
            )
        return DatabaseSettings(url=resolve_sqlite_url(url, self.base))

    def calendar(self, table: Mapping[str, Any]) -> CalendarSettings:
        prefix = "calendar"
        self.check_keys(
            table, prefix, required=("country", "subdivision", "timezone", "closure_days")
        )
        country = self.string(table, "country", prefix, blank=False).strip()
        subdivision = self.string(table, "subdivision", prefix, blank=True).strip()
        self.check_holiday_calendar(country, subdivision)
        timezone = self.string(table, "timezone", prefix, blank=True)
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            hint = _suggestion(timezone, available_timezones()) or " (e.g. Europe/London)"
            self.fail(f"{prefix}.timezone is not a known time zone: {timezone!r}{hint}")
        return CalendarSettings(
            country=country,
            subdivision=subdivision,
            timezone=timezone,
            closure_days=self.closure_days(table["closure_days"], f"{prefix}.closure_days"),
        )

    def check_holiday_calendar(self, country: str, subdivision: str) -> None:
        """Refuse a country or subdivision the `holidays` package has no bank holidays for."""
        import holidays  # deferred: a slow import, needed only once the file reaches this point

        try:
            holidays.country_holidays(country, subdiv=subdivision or None)
        except NotImplementedError:
            supported: Mapping[str, list[str]] = holidays.list_supported_countries()
            if country not in supported:
                self.fail(
                    f"calendar.country has no bank holiday calendar: {country!r} "
                    "(use an ISO country code, e.g. GB)"
                )
            self.fail(
                f"calendar.subdivision {subdivision!r} is not a subdivision of {country}; "
                f'use one of {", ".join(supported[country])}, or "" for the whole country'
            )

    def closure_days(self, value: object, key: str) -> tuple[date, ...]:
        if not isinstance(value, list):
            self.fail(f"{key} must be a list of dates (YYYY-MM-DD), not {_show(value)}")
        days: set[date] = set()
        for index, item in enumerate(value):
            if isinstance(item, datetime):
                self.fail(
                    f"{key}[{index}] is a date and time, not a date: {item.isoformat()} "
                    "(write dates as YYYY-MM-DD)"
                )
            if isinstance(item, date):
                days.add(item)
                continue
            if isinstance(item, str) and _ISO_DATE.fullmatch(item.strip()):
                try:
                    days.add(date.fromisoformat(item.strip()))
                    continue
                except ValueError:
                    pass
            shown = repr(item) if isinstance(item, str) else _show(item)
            self.fail(f"{key}[{index}] is not a date: {shown} (write dates as YYYY-MM-DD)")
        return tuple(sorted(days))

    def timescales(
        self, table: Mapping[str, Any], workflows: Mapping[str, Workflow]
    ) -> Mapping[str, Mapping[str, Timescale]]:
        prefix = "timescales"
        timed = [workflow for workflow in workflows.values() if workflow.deadlines]
        self.check_keys(table, prefix, required=[workflow.name for workflow in timed])
        procedures: dict[str, Mapping[str, Timescale]] = {}
        for workflow in timed:
            steps_table = self.section(table, workflow.name, prefix)
            procedure_key = _key(prefix, workflow.name)
            self.check_keys(
                steps_table, procedure_key, required=[d.name for d in workflow.deadlines]
            )
            procedures[workflow.name] = MappingProxyType(
                {
                    deadline.name: self.timescale(
                        self.section(steps_table, deadline.name, procedure_key),
                        _key(procedure_key, deadline.name),
                        in_months=tuple(d.name for d in workflow.deadlines if d.months_allowed),
                    )
                    for deadline in workflow.deadlines
                }
            )
        return MappingProxyType(procedures)

    def timescale(
        self, table: Mapping[str, Any], prefix: str, *, in_months: tuple[str, ...]
    ) -> Timescale:
        """One step's timescale; `in_months` are the steps of its procedure that may be counted
        in calendar months."""
        for retired in _RETIRED_TIMESCALE_KEYS:
            if retired in table:
                self.fail(
                    f"{_key(prefix, retired)} is no longer read: the event a step counts from is "
                    "declared with its deadline in the workflow (docs/timescales.md); remove it"
                )
        self.check_keys(
            table, prefix, required=("length", "unit", "max_extension"), optional=("note",)
        )
        unit = TimeUnit(self.choice(table, "unit", prefix, (u.value for u in TimeUnit)))
        if unit is TimeUnit.CALENDAR_MONTHS and prefix.rsplit(".", 1)[-1] not in in_months:
            self.fail(
                f"{prefix}.unit must be working_days, not 'calendar_months' "
                f"(of this procedure's steps only {', '.join(in_months) or 'none'} "
                "may be in months)"
            )
        return Timescale(
            length=self.whole_number(table, "length", prefix, minimum=0),
            unit=unit,
            max_extension=self.whole_number(table, "max_extension", prefix, minimum=0),
            note=self.string(table, "note", prefix, blank=True) if "note" in table else "",
        )

    def alerts(self, table: Mapping[str, Any]) -> AlertSettings:
        prefix = "alerts"
        self.check_keys(
            table,
            prefix,
            required=(
                "due_soon_working_days",
                "case_link",
                "head_of_service",
                "head_of_service_after_working_days",
                "max_send_attempts",
            ),
        )
        case_link = self.string(table, "case_link", prefix, blank=False)
        if "{reference}" not in case_link:
            self.fail("alerts.case_link must contain {reference}, where the case reference goes")
        return AlertSettings(
            due_soon_working_days=self.whole_number(
                table, "due_soon_working_days", prefix, minimum=0
            ),
            case_link=case_link,
            head_of_service=self.string(table, "head_of_service", prefix, blank=True).strip(),
            head_of_service_after_working_days=self.whole_number(
                table, "head_of_service_after_working_days", prefix, minimum=1
            ),
            max_send_attempts=self.whole_number(
                table, "max_send_attempts", prefix, minimum=1, maximum=50
            ),
        )

    def scheduler(self, table: Mapping[str, Any]) -> SchedulerSettings:
        prefix = "scheduler"
        self.check_keys(
            table,
            prefix,
            required=("interval_minutes", "working_day_start", "lease_seconds", "embedded"),
        )
        embedded = table["embedded"]
        if not isinstance(embedded, bool):
            self.fail(f"scheduler.embedded must be true or false, not {_show(embedded)}")
        start = self.string(table, "working_day_start", prefix, blank=False)
        try:
            working_day_start = time.fromisoformat(start)
        except ValueError:
            self.fail(f"scheduler.working_day_start is not a time: {start!r} (write HH:MM)")
        return SchedulerSettings(
            interval_minutes=self.whole_number(
                table, "interval_minutes", prefix, minimum=1, maximum=1440
            ),
            working_day_start=working_day_start,
            lease_seconds=self.whole_number(table, "lease_seconds", prefix, minimum=10),
            embedded=embedded,
        )

    def retention(self, table: Mapping[str, Any]) -> RetentionSettings:
        self.check_keys(table, "retention", required=(), optional=("years_after_closure",))
        if "years_after_closure" not in table:
            return RetentionSettings()
        years = self.whole_number(table, "years_after_closure", "retention", minimum=1, maximum=100)
        return RetentionSettings(years_after_closure=years)

    def letters(self, table: Mapping[str, Any]) -> LetterSettings:
        prefix = "letters"
        self.check_keys(table, prefix, required=(), optional=("override_folder",))
        if "override_folder" not in table:
            return LetterSettings()
        folder = self.string(table, "override_folder", prefix, blank=True).strip()
        if not folder:
            return LetterSettings()
        path = self.base / folder
        if not path.is_dir():
            self.fail(f"{prefix}.override_folder: {str(path)!r} is not a folder")
        return LetterSettings(override_folder=str(path))

    def mail(self, table: Mapping[str, Any], environ: Mapping[str, str]) -> MailSettings:
        prefix = "mail"
        keys = ("imap_host", "imap_port", "username", "password_env", "mailbox", "security")
        limits = ("max_message_bytes", "max_attachment_bytes")
        self.check_keys(table, prefix, required=(), optional=(*keys, *limits))
        defaults = MailSettings()
        password_env = (
            self.env_var_name(table, "password_env", prefix) if "password_env" in table else ""
        )

        def text(name: str, default: str) -> str:
            return (
                self.string(table, name, prefix, blank=True).strip() if name in table else default
            )

        def number(name: str, default: int, maximum: int) -> int:
            if name not in table:
                return default
            return self.whole_number(table, name, prefix, minimum=1, maximum=maximum)

        return MailSettings(
            imap_host=text("imap_host", defaults.imap_host),
            imap_port=number("imap_port", defaults.imap_port, 65535),
            username=text("username", defaults.username),
            password=environ.get(password_env, "") if password_env else "",
            mailbox=text("mailbox", defaults.mailbox) or defaults.mailbox,
            security=(
                self.choice(table, "security", prefix, IMAP_SECURITY_MODES)
                if "security" in table
                else defaults.security
            ),
            max_message_bytes=number("max_message_bytes", defaults.max_message_bytes, 2**31 - 1),
            max_attachment_bytes=number(
                "max_attachment_bytes", defaults.max_attachment_bytes, 2**31 - 1
            ),
        )

    def web(self, table: Mapping[str, Any], environ: Mapping[str, str]) -> WebSettings:
        prefix = "web"
        keys = ("idle_timeout_minutes", "session_lifetime_hours")
        storage_keys = ("rate_limit_storage", "redis_password_env")
        self.check_keys(table, prefix, required=(), optional=(*keys, *storage_keys))
        defaults = WebSettings()

        def number(name: str, default: int, maximum: int) -> int:
            if name not in table:
                return default
            return self.whole_number(table, name, prefix, minimum=1, maximum=maximum)

        idle = number("idle_timeout_minutes", defaults.idle_timeout_minutes, 1440)
        hours = number("session_lifetime_hours", defaults.session_lifetime_hours, 24)
        if idle > hours * 60:
            self.fail(
                f"web.idle_timeout_minutes ({idle}) must not be longer than "
                f"web.session_lifetime_hours ({hours} hours)"
            )
        return WebSettings(idle, hours, self.rate_limit_storage(table, environ))

    def rate_limit_storage(self, table: Mapping[str, Any], environ: Mapping[str, str]) -> str:
        """The word "database", or a Redis URL with the password from the environment put in."""
        variable = ""
        if "redis_password_env" in table:
            variable = self.env_var_name(table, "redis_password_env", "web")
        if "rate_limit_storage" not in table:
            return WebSettings().rate_limit_storage
        value = self.string(table, "rate_limit_storage", "web", blank=False).strip()
        if value == "database":
            return value
        if not value.startswith(REDIS_URL_SCHEMES):
            self.fail(
                f'web.rate_limit_storage must be "database" or the URL of a Redis server '
                f'(e.g. "redis://127.0.0.1:6379/0"), not {value!r}'
            )
        if urlsplit(value).password is not None:
            self.fail(
                "web.rate_limit_storage must not hold a password: name the environment "
                "variable that holds it in web.redis_password_env"
            )
        password = environ.get(variable, "") if variable else ""
        return _with_password(value, password) if password else value

    def env_var_name(self, table: Mapping[str, Any], name: str, prefix: str) -> str:
        """The name of an environment variable holding a secret (never the secret itself)."""
        value = self.string(table, name, prefix, blank=True).strip()
        if value and not _ENV_VAR_NAME.fullmatch(value):
            self.fail(
                f"{prefix}.{name} must be the NAME of an environment variable "
                f"(letters, digits and _), not {value!r}; never put the password here"
            )
        return value

    def holds(self, table: Mapping[str, Any]) -> HoldSettings:
        self.check_keys(table, "holds", required=("max_working_days",))
        return HoldSettings(
            max_working_days=self.whole_number(table, "max_working_days", "holds", minimum=1)
        )

    def smtp(self, table: Mapping[str, Any], environ: Mapping[str, str]) -> SmtpSettings:
        prefix = "smtp"
        self.check_keys(
            table,
            prefix,
            required=(
                "host",
                "port",
                "username",
                "password_env",
                "sender",
                "security",
                "timeout_seconds",
            ),
        )
        password_env = self.env_var_name(table, "password_env", prefix)
        sender = self.string(table, "sender", prefix, blank=False).strip()
        if "@" not in sender:
            self.fail(f"{prefix}.sender is not an e-mail address: {sender!r}")
        return SmtpSettings(
            host=self.string(table, "host", prefix, blank=False).strip(),
            port=self.whole_number(table, "port", prefix, minimum=1, maximum=65535),
            username=self.string(table, "username", prefix, blank=True),
            password=environ.get(password_env, "") if password_env else "",
            sender=sender,
            security=self.choice(table, "security", prefix, SMTP_SECURITY_MODES),
            timeout_seconds=self.positive_number(table, "timeout_seconds", prefix),
        )

    def lists(self, table: Mapping[str, Any]) -> ListSettings:
        prefix = "lists"
        self.check_keys(table, prefix, required=("service_areas", "categories", "contact_methods"))
        return ListSettings(
            service_areas=self.string_list(table, "service_areas", prefix, choice_list=True),
            categories=self.string_list(table, "categories", prefix, choice_list=True),
            contact_methods=self.string_list(table, "contact_methods", prefix, choice_list=True),
        )
