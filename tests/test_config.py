"""Tests for `complaints.config`: the shipped config.toml and the loader's checks.

Bad configurations are built by deep-copying the shipped file's parsed dict and changing one
value, so each test proves exactly one refusal and the message names the offending key.
"""

from __future__ import annotations

import copy
import dataclasses
import tomllib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from pydantic import ValidationError

from complaints.config import (
    DEFAULT_CONFIG_PATH,
    Settings,
    Timescale,
    TimeUnit,
    WebSettings,
    config_path,
    load_settings,
    parse_settings,
)
from complaints.errors import ConfigError
from complaints.settings.calendar import load_calendar_settings
from workflows import WORKFLOWS
from workflows.definition import Event

WD = TimeUnit.WORKING_DAYS
MONTHS = TimeUnit.CALENDAR_MONTHS

Config = dict[str, Any]


@pytest.fixture(scope="module")
def shipped_data() -> Config:
    """The shipped config.toml, parsed but not checked (never mutate: use `data`)."""
    with DEFAULT_CONFIG_PATH.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture
def data(shipped_data: Config) -> Config:
    """A private copy of the shipped configuration, for a test to break."""
    return copy.deepcopy(shipped_data)


@pytest.fixture
def settings() -> Settings:
    """The shipped configuration, loaded with an empty environment."""
    return load_settings(DEFAULT_CONFIG_PATH, environ={})


@pytest.fixture
def parse(tmp_path: Path) -> Callable[[Config], Settings]:
    """Check a configuration dict as if it were read from tmp_path/config.toml."""

    def _parse(config: Config) -> Settings:
        return parse_settings(config, source=tmp_path / "config.toml", environ={})

    return _parse


@pytest.fixture
def refused(parse: Callable[[Config], Settings], tmp_path: Path) -> Callable[[Config], str]:
    """Check a configuration that must be refused; returns the one-line ConfigError message."""

    def _refused(config: Config) -> str:
        with pytest.raises(ConfigError) as caught:
            parse(config)
        message = str(caught.value)
        assert message.startswith(f"{tmp_path / 'config.toml'}: ")
        assert "\n" not in message
        return message

    return _refused


def _step(config: Config, procedure: str, step: str) -> dict[str, Any]:
    table: dict[str, Any] = config["timescales"][procedure][step]
    return table


# --- the shipped file ---------------------------------------------------------------------------


def test_shipped_config_loads(settings: Settings) -> None:
    assert settings.source == DEFAULT_CONFIG_PATH
    assert settings.council.name == "Example County Council"
    assert settings.council.reference_prefix == "CF"
    assert settings.council.logo == ""
    assert settings.calendar.country == "GB"
    assert settings.calendar.subdivision == "ENG"
    assert settings.calendar.timezone == "Europe/London"
    assert settings.alerts.due_soon_working_days == 2
    assert settings.holds.max_working_days == 10
    assert settings.smtp.port == 25
    assert settings.smtp.security == "none"
    assert settings.smtp.timeout_seconds == 10.0
    assert settings.smtp.password == ""


def test_shipped_config_has_every_procedure_and_step_in_order(settings: Settings) -> None:
    assert settings.procedures == ("statutory_children", "corporate", "adult_social_care")
    for procedure in settings.procedures:
        steps = tuple(deadline.name for deadline in WORKFLOWS[procedure].deadlines)
        assert tuple(settings.timescales[procedure]) == steps


def test_shipped_statutory_children_timescales_match_the_2006_regulations(
    settings: Settings,
) -> None:
    def ts(step: str) -> Timescale:
        return settings.timescale("statutory_children", step)

    assert ts("complaint_time_limit").length == 12
    assert ts("complaint_time_limit").unit is MONTHS
    assert (ts("acknowledgement").length, ts("acknowledgement").unit) == (2, WD)
    stage1 = ts("stage1_response")
    assert (stage1.length, stage1.max_extension) == (10, 10)
    stage2 = ts("stage2_investigation")
    assert (stage2.length, stage2.max_extension) == (25, 40)
    assert ts("stage2_request_window").length == 20
    assert ts("adjudication").length == 20
    assert ts("stage3_request_window").length == 20
    assert ts("panel_meeting").length == 30
    assert ts("panel_report").length == 5
    assert ts("panel_response").length == 15


def test_shipped_corporate_timescales_match_the_complaint_handling_code(
    settings: Settings,
) -> None:
    def ts(step: str) -> Timescale:
        return settings.timescale("corporate", step)

    assert ts("acknowledgement").length == 5
    stage1 = ts("stage1_response")
    assert (stage1.length, stage1.max_extension) == (10, 10)
    assert ts("stage2_acknowledgement").length == 5
    stage2 = ts("stage2_response")
    assert (stage2.length, stage2.max_extension) == (20, 20)
    assert ts("complaint_time_limit").unit is MONTHS


def test_shipped_adult_social_care_timescales_match_the_2009_regulations(
    settings: Settings,
) -> None:
    def ts(step: str) -> Timescale:
        return settings.timescale("adult_social_care", step)

    assert (ts("acknowledgement").length, ts("acknowledgement").unit) == (3, WD)
    response = ts("response")
    assert (response.length, response.unit) == (6, MONTHS)
    assert response.max_extension == 6


@pytest.mark.parametrize("procedure", ["statutory_children", "corporate", "adult_social_care"])
def test_shipped_qa_signoff_falls_two_working_days_before_the_response_deadline(
    settings: Settings, procedure: str
) -> None:
    qa = settings.timescale(procedure, "qa_signoff")
    assert (qa.length, qa.unit) == (2, WD)
    assert WORKFLOWS[procedure].deadline("qa_signoff").counts_from is Event.RESPONSE_DUE
    assert settings.timescale(procedure, "first_contact").length == 2
    assert WORKFLOWS[procedure].deadline("first_contact").counts_from is Event.START


def test_shipped_timescales_cite_a_source(settings: Settings) -> None:
    for procedure in settings.procedures:
        for step, timescale in settings.timescales[procedure].items():
            assert timescale.note, (procedure, step)


def test_shipped_lists_hold_the_design_categories_and_contact_methods(settings: Settings) -> None:
    assert "Children and Families" in settings.lists.service_areas
    assert "Adult Social Care" in settings.lists.service_areas
    assert {"Protection of user", "Physical environment", "Delay"} <= set(settings.lists.categories)
    assert len(settings.lists.categories) == 16
    assert settings.lists.contact_methods == (
        "portal",
        "email",
        "phone",
        "post",
        "in_person",
        "councillor_or_mp",
    )


def test_settings_and_timescales_are_read_only(settings: Settings) -> None:
    with pytest.raises(TypeError):
        settings.timescales["corporate"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        settings.timescales["corporate"]["acknowledgement"] = settings.timescale(  # type: ignore[index]
            "corporate", "stage1_response"
        )
    with pytest.raises(AttributeError):
        settings.council.name = "Another Council"  # type: ignore[misc]


# --- looking up timescales ----------------------------------------------------------------------


def test_unknown_procedure_lookup_names_it_and_lists_the_known_ones(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="unknown procedure 'housing'") as caught:
        settings.timescale("housing", "acknowledgement")
    assert "statutory_children, corporate, adult_social_care" in str(caught.value)


def test_unknown_step_lookup_names_it_and_lists_the_known_ones(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="unknown step 'stage3_response'") as caught:
        settings.timescale("corporate", "stage3_response")
    assert "stage2_response" in str(caught.value)


# --- which file, and the environment ------------------------------------------------------------


def test_config_path_defaults_to_the_repository_config() -> None:
    assert config_path({}) == DEFAULT_CONFIG_PATH
    assert config_path({"COMPLAINTS_CONFIG": ""}) == DEFAULT_CONFIG_PATH
    assert DEFAULT_CONFIG_PATH.name == "config.toml"
    assert DEFAULT_CONFIG_PATH.is_file()


def test_config_path_follows_complaints_config(tmp_path: Path) -> None:
    assert config_path({"COMPLAINTS_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"


def test_load_settings_reads_the_file_named_by_complaints_config(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    copied = tmp_path / "council.toml"
    copied.write_text(text.replace("Example County Council", "Exampleshire Council"), "utf-8")
    settings = load_settings(environ={"COMPLAINTS_CONFIG": str(copied)})
    assert settings.council.name == "Exampleshire Council"
    assert settings.source == copied


def test_database_url_environment_variable_overrides_the_file(settings: Settings) -> None:
    url = "postgresql+psycopg://complaints@db.example/complaints"
    overridden = load_settings(DEFAULT_CONFIG_PATH, environ={"COMPLAINTS_DATABASE_URL": url})
    assert overridden.database.url == url
    assert settings.database.url != url


def test_empty_database_url_environment_variable_is_ignored(settings: Settings) -> None:
    loaded = load_settings(DEFAULT_CONFIG_PATH, environ={"COMPLAINTS_DATABASE_URL": ""})
    assert loaded.database.url == settings.database.url


def test_database_url_override_applies_only_after_the_file_is_checked(
    data: Config, tmp_path: Path
) -> None:
    data["database"]["url"] = ""
    environ = {"COMPLAINTS_DATABASE_URL": "sqlite://"}
    with pytest.raises(ConfigError, match=r"database\.url must not be empty"):
        parse_settings(data, source=tmp_path / "config.toml", environ=environ)


def test_relative_sqlite_path_is_resolved_against_the_config_directory(settings: Settings) -> None:
    expected = (DEFAULT_CONFIG_PATH.parent / "instance" / "complaints.db").as_posix()
    assert settings.database.url == f"sqlite:///{expected}"
    assert settings.database.url.startswith("sqlite:////")


def test_relative_sqlite_path_follows_a_config_file_elsewhere(data: Config, tmp_path: Path) -> None:
    data["database"]["url"] = "sqlite:///data/../db/complaints.db?timeout=5"
    settings = parse_settings(data, source=tmp_path / "conf" / "config.toml", environ={})
    expected = (tmp_path / "conf" / "db" / "complaints.db").resolve().as_posix()
    assert settings.database.url == f"sqlite:///{expected}?timeout=5"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:////srv/complaints/complaints.db",
        "postgresql+psycopg://complaints@localhost/complaints",
    ],
)
def test_memory_absolute_and_server_database_urls_are_left_alone(
    data: Config, parse: Callable[[Config], Settings], url: str
) -> None:
    data["database"]["url"] = url
    assert parse(data).database.url == url


def test_smtp_password_is_read_from_the_named_environment_variable(
    data: Config, tmp_path: Path
) -> None:
    data["smtp"]["password_env"] = "MAIL_SECRET"
    settings = parse_settings(
        data, source=tmp_path / "config.toml", environ={"MAIL_SECRET": "s3cret"}
    )
    assert settings.smtp.password == "s3cret"


def test_closure_days_accept_toml_dates_and_iso_strings_sorted_without_duplicates(
    data: Config, parse: Callable[[Config], Settings]
) -> None:
    data["calendar"]["closure_days"] = [
        "2026-12-31",
        date(2026, 12, 29),
        "2026-12-30",
        "2026-12-29",
    ]
    assert parse(data).calendar.closure_days == (
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
    )


def test_closure_days_written_in_the_file_as_toml_dates_load(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8").replace(
        "\nclosure_days = []", '\nclosure_days = [2026-12-29, "2026-12-30"]'
    )
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    settings = load_settings(path, environ={})
    assert settings.calendar.closure_days == (date(2026, 12, 29), date(2026, 12, 30))


def test_relative_logo_is_resolved_against_the_config_directory(
    data: Config, tmp_path: Path, parse: Callable[[Config], Settings]
) -> None:
    data["council"]["logo"] = "branding/logo.png"
    assert parse(data).council.logo == str(tmp_path / "branding" / "logo.png")


def test_a_step_may_be_allowed_no_extension_and_zero_length(
    data: Config, parse: Callable[[Config], Settings]
) -> None:
    _step(data, "corporate", "stage1_response").update(length=0, max_extension=0)
    stage1 = parse(data).timescale("corporate", "stage1_response")
    assert (stage1.length, stage1.max_extension) == (0, 0)


# --- refusals: each names the key ---------------------------------------------------------------


def test_negative_length_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    _step(data, "corporate", "stage1_response")["length"] = -3
    assert refused(data).endswith(
        "config.toml: timescales.corporate.stage1_response.length "
        "must be a whole number of 0 or more, not -3"
    )


def test_negative_max_extension_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    _step(data, "statutory_children", "stage2_investigation")["max_extension"] = -1
    assert "timescales.statutory_children.stage2_investigation.max_extension" in refused(data)


def test_unknown_unit_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    _step(data, "corporate", "stage1_response")["unit"] = "weeks"
    assert refused(data).endswith(
        "timescales.corporate.stage1_response.unit "
        "must be one of working_days, calendar_months, not 'weeks'"
    )


def test_calendar_months_on_a_working_days_step_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    _step(data, "statutory_children", "stage1_response")["unit"] = "calendar_months"
    message = refused(data)
    assert "timescales.statutory_children.stage1_response.unit must be working_days" in message


def test_calendar_months_are_allowed_for_the_time_limit_and_adult_response(
    data: Config, parse: Callable[[Config], Settings]
) -> None:
    _step(data, "adult_social_care", "response")["unit"] = "working_days"
    _step(data, "corporate", "complaint_time_limit").update(unit="working_days", length=250)
    settings = parse(data)
    assert settings.timescale("adult_social_care", "response").unit is WD
    assert settings.timescale("corporate", "complaint_time_limit").length == 250


@pytest.mark.parametrize(("key", "value"), [("from", "panel_report"), ("direction", "before")])
def test_a_timescale_still_saying_what_it_counts_from_is_refused_saying_where_that_lives(
    data: Config, refused: Callable[[Config], str], key: str, value: str
) -> None:
    _step(data, "corporate", "stage1_response")[key] = value
    message = refused(data)
    assert f"timescales.corporate.stage1_response.{key} is no longer read" in message
    assert "declared with its deadline in the workflow (docs/timescales.md)" in message
    assert "\n" not in message


def test_bad_closure_date_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["calendar"]["closure_days"] = ["2026-12-29", "2026-13-40"]
    assert refused(data).endswith(
        "config.toml: calendar.closure_days[1] is not a date: '2026-13-40' "
        "(write dates as YYYY-MM-DD)"
    )


def test_closure_date_in_another_format_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["calendar"]["closure_days"] = ["29/12/2026"]
    assert "calendar.closure_days[0] is not a date: '29/12/2026'" in refused(data)


def test_datetime_instead_of_closure_date_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["calendar"]["closure_days"] = [date(2026, 12, 29), datetime(2026, 12, 30, 9, 0)]
    message = refused(data)
    assert "calendar.closure_days[1] is a date and time, not a date" in message


def test_datetime_string_instead_of_closure_date_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["calendar"]["closure_days"] = ["2026-12-30T09:00:00"]
    assert "calendar.closure_days[0] is not a date" in refused(data)


def test_closure_days_that_are_not_a_list_are_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["calendar"]["closure_days"] = "2026-12-29"
    assert "calendar.closure_days must be a list of dates" in refused(data)


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("alerts", "due_soon_working_days"),
        ("holds", "max_working_days"),
        ("smtp", "port"),
    ],
)
def test_true_or_false_is_not_accepted_as_a_number(
    data: Config, refused: Callable[[Config], str], section: str, key: str
) -> None:
    data[section][key] = True
    message = refused(data)
    assert f"{section}.{key} must be a whole number" in message
    assert "not the true/false value true" in message


def test_bool_as_timescale_length_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    _step(data, "corporate", "acknowledgement")["length"] = False
    assert "timescales.corporate.acknowledgement.length must be a whole number" in refused(data)


def test_fractional_length_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    _step(data, "corporate", "acknowledgement")["length"] = 2.5
    assert "not the number 2.5" in refused(data)


def test_wrong_type_names_the_expected_type(data: Config, refused: Callable[[Config], str]) -> None:
    data["council"]["name"] = 42
    assert refused(data).endswith(
        'config.toml: council.name must be text in "quotes", not the whole number 42'
    )


def test_unknown_key_is_refused_with_a_suggestion(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["council"]["nmae"] = data["council"].pop("name")
    assert refused(data).endswith("unknown key council.nmae (did you mean council.name?)")


def test_unknown_key_in_a_timescale_is_refused_with_a_suggestion(
    data: Config, refused: Callable[[Config], str]
) -> None:
    _step(data, "corporate", "stage1_response")["max_extention"] = 5
    assert (
        "unknown key timescales.corporate.stage1_response.max_extention "
        "(did you mean timescales.corporate.stage1_response.max_extension?)"
    ) in refused(data)


def test_unknown_section_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["smpt"] = data.pop("smtp")
    assert "unknown key smpt (did you mean smtp?)" in refused(data)


def test_missing_key_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    del data["smtp"]["sender"]
    assert refused(data).endswith("config.toml: smtp.sender is missing")


def test_missing_section_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    del data["lists"]
    assert "section [lists] is missing" in refused(data)


def test_section_that_is_not_a_table_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["holds"] = 10
    assert "holds must be a table" in refused(data)


def test_missing_step_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    del data["timescales"]["corporate"]["stage2_response"]
    assert "timescales.corporate.stage2_response is missing" in refused(data)


def test_missing_procedure_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    del data["timescales"]["adult_social_care"]
    assert "timescales.adult_social_care is missing" in refused(data)


def test_unknown_procedure_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["timescales"]["housing"] = copy.deepcopy(data["timescales"]["corporate"])
    message = refused(data)
    assert "unknown key timescales.housing" in message
    assert "statutory_children, corporate, adult_social_care" in message


def test_unknown_step_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["timescales"]["corporate"]["stage3_response"] = copy.deepcopy(
        _step(data, "corporate", "stage2_response")
    )
    assert "unknown key timescales.corporate.stage3_response" in refused(data)


def test_step_missing_its_length_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    del _step(data, "corporate", "acknowledgement")["length"]
    assert "timescales.corporate.acknowledgement.length is missing" in refused(data)


def test_bad_timezone_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["calendar"]["timezone"] = "Europe/Londn"
    message = refused(data)
    assert "calendar.timezone is not a known time zone: 'Europe/Londn'" in message
    assert "did you mean Europe/London?" in message


@pytest.mark.parametrize("timezone", ["", "Europe", "../etc/passwd"])
def test_timezone_that_is_not_a_zone_key_is_refused(
    data: Config, refused: Callable[[Config], str], timezone: str
) -> None:
    data["calendar"]["timezone"] = timezone
    assert "calendar.timezone is not a known time zone" in refused(data)


def test_unknown_bank_holiday_subdivision_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["calendar"]["subdivision"] = "XYZ"
    message = refused(data)
    assert "calendar.subdivision 'XYZ' is not a subdivision of GB" in message
    assert "ENG" in message


def test_unknown_bank_holiday_country_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["calendar"]["country"] = "XX"
    assert "calendar.country has no bank holiday calendar: 'XX'" in refused(data)


@pytest.mark.parametrize("port", [0, 65536, -25])
def test_port_outside_1_to_65535_is_refused(
    data: Config, refused: Callable[[Config], str], port: int
) -> None:
    data["smtp"]["port"] = port
    assert refused(data).endswith(f"smtp.port must be a whole number from 1 to 65535, not {port}")


def test_port_written_as_text_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["smtp"]["port"] = "25"
    assert "smtp.port must be a whole number from 1 to 65535, not the text '25'" in refused(data)


def test_unknown_smtp_security_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["smtp"]["security"] = "tls"
    assert "smtp.security must be one of none, starttls, ssl, not 'tls'" in refused(data)


@pytest.mark.parametrize("timeout", [0, -1.5, True])
def test_smtp_timeout_must_be_a_positive_number(
    data: Config, refused: Callable[[Config], str], timeout: object
) -> None:
    data["smtp"]["timeout_seconds"] = timeout
    assert "smtp.timeout_seconds must be a number more than 0" in refused(data)


def test_smtp_password_env_must_name_a_variable_not_hold_a_password(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["smtp"]["password_env"] = "hunter2 !"
    assert "smtp.password_env must be the NAME of an environment variable" in refused(data)


@pytest.mark.parametrize(
    ("section", "key"),
    [("council", "name"), ("database", "url"), ("smtp", "host"), ("smtp", "sender")],
)
def test_empty_required_text_is_refused(
    data: Config, refused: Callable[[Config], str], section: str, key: str
) -> None:
    data[section][key] = "  "
    assert refused(data).endswith(f"{section}.{key} must not be empty")


@pytest.mark.parametrize("prefix", ["", "C-F", "TOOLONG", "C F"])
def test_bad_reference_prefix_is_refused(
    data: Config, refused: Callable[[Config], str], prefix: str
) -> None:
    data["council"]["reference_prefix"] = prefix
    assert "council.reference_prefix must be 1 to 6 letters or digits" in refused(data)


def test_database_url_without_a_scheme_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["database"]["url"] = "instance/complaints.db"
    assert "database.url is not a database URL" in refused(data)


def test_bad_database_url_in_the_environment_is_refused(data: Config, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="COMPLAINTS_DATABASE_URL is not a database URL"):
        parse_settings(
            data,
            source=tmp_path / "config.toml",
            environ={"COMPLAINTS_DATABASE_URL": "complaints.db"},
        )


def test_duplicate_list_entry_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["lists"]["service_areas"].append("highways")
    message = refused(data)
    assert "lists.service_areas[10] repeats 'highways'" in message
    assert "lists.service_areas[4]" in message


def test_blank_list_entry_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["lists"]["categories"].insert(1, " ")
    assert "lists.categories[1] is blank" in refused(data)


def test_empty_list_is_refused(data: Config, refused: Callable[[Config], str]) -> None:
    data["lists"]["contact_methods"] = []
    assert "lists.contact_methods must list at least one entry" in refused(data)


def test_list_entry_that_is_not_text_is_refused(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["council"]["address"] = ["County Hall", 1]
    assert 'council.address[1] must be text in "quotes"' in refused(data)


# --- refusals at the file level -----------------------------------------------------------------


def test_invalid_toml_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[council]\nname = "Example County Council\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    message = str(caught.value)
    assert message.startswith(f"{path}: not valid TOML:")
    assert "line 2" in message


def test_toml_with_a_repeated_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    path.write_text(text + "\n[alerts]\ndue_soon_working_days = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path, environ={})


def test_missing_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "config.toml"
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert str(caught.value).startswith(f"{path}: configuration file not found")


def test_missing_file_named_by_complaints_config_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(environ={"COMPLAINTS_CONFIG": str(path)})


def test_errors_in_a_file_name_that_file(tmp_path: Path) -> None:
    path = tmp_path / "council.toml"
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    path.write_text(
        text.replace("due_soon_working_days = 2", "due_soon_working_days = -1"), "utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert str(caught.value) == (
        f"{path}: alerts.due_soon_working_days must be a whole number of 0 or more, not -1"
    )


# --- the calendar section read alone (a working-day sum needs nothing else) ---------------------


def shipped_config_changed(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the shipped config.toml with the first `old` written as `new`."""
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "config.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_calendar_section_read_alone_is_the_whole_file_s(settings: Settings) -> None:
    assert load_calendar_settings(DEFAULT_CONFIG_PATH, environ={}) == settings.calendar


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('subdivision = "ENG"', 'subdivision = "XYZ"'),
        ('country = "GB"', 'country = "XX"'),
        ('timezone = "Europe/London"', 'timezone = "Europe/Londn"'),
        ("subdivision = ", "subdivison = "),
        ("closure_days = []", 'closure_days = ["2026-12-32"]'),
    ],
)
def test_the_calendar_section_read_alone_is_refused_as_in_the_whole_file(
    tmp_path: Path, old: str, new: str
) -> None:
    path = shipped_config_changed(tmp_path, old, new)
    with pytest.raises(ConfigError) as whole:
        load_settings(path, environ={})
    with pytest.raises(ConfigError) as alone:
        load_calendar_settings(path, environ={})
    assert str(alone.value) == str(whole.value)
    assert str(alone.value).startswith(f"{path}: ")


def test_the_calendar_section_read_alone_leaves_the_other_sections_unchecked(
    tmp_path: Path,
) -> None:
    path = shipped_config_changed(
        tmp_path, "due_soon_working_days = 2", "due_soon_working_days = -1"
    )
    with pytest.raises(ConfigError, match=r"alerts\.due_soon_working_days"):
        load_settings(path, environ={})
    assert load_calendar_settings(path, environ={}).subdivision == "ENG"


def test_the_calendar_section_read_alone_must_be_there(tmp_path: Path) -> None:
    path = shipped_config_changed(tmp_path, "[calendar]", "[calender]")
    with pytest.raises(ConfigError) as caught:
        load_calendar_settings(path, environ={})
    assert str(caught.value) == f"{path}: section [calendar] is missing"


def test_the_calendar_section_is_read_from_the_file_complaints_config_names(
    tmp_path: Path,
) -> None:
    path = shipped_config_changed(tmp_path, 'subdivision = "ENG"', 'subdivision = "WLS"')
    assert load_calendar_settings(environ={"COMPLAINTS_CONFIG": str(path)}).subdivision == "WLS"
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_calendar_settings(environ={"COMPLAINTS_CONFIG": str(tmp_path / "missing.toml")})


def test_alert_settings_ship_with_their_defaults(settings: Settings) -> None:
    alerts = settings.alerts
    assert (alerts.due_soon_working_days, alerts.head_of_service_after_working_days) == (2, 5)
    assert alerts.case_link.format(reference="CF-2026-000001").endswith("/cases/CF-2026-000001")
    assert (alerts.head_of_service, alerts.max_send_attempts) == ("", 12)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("case_link", "http://example/cases", "alerts.case_link must contain {reference}"),
        ("max_send_attempts", 0, "alerts.max_send_attempts must be a whole number from 1 to 50"),
        ("head_of_service_after_working_days", 0, "must be a whole number of 1 or more"),
    ],
)
def test_bad_alert_settings_are_refused(
    data: Config, refused: Callable[[Config], str], key: str, value: object, message: str
) -> None:
    data["alerts"][key] = value
    assert message in refused(data)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("interval_minutes", 0, "scheduler.interval_minutes must be a whole number from 1 to 1440"),
        ("working_day_start", "half past seven", "scheduler.working_day_start is not a time"),
        ("embedded", "yes", "scheduler.embedded must be true or false"),
    ],
)
def test_bad_scheduler_settings_are_refused(
    data: Config, refused: Callable[[Config], str], key: str, value: object, message: str
) -> None:
    data["scheduler"][key] = value
    assert message in refused(data)


def test_retention_and_mail_sections_may_be_left_out(
    data: Config, parse: Callable[[Config], Settings]
) -> None:
    del data["retention"], data["mail"]
    settings = parse(data)
    assert settings.retention.years_after_closure == 6
    assert (settings.mail.imap_host, settings.mail.mailbox) == ("", "INBOX")


def test_the_mailbox_password_is_read_from_the_named_environment_variable(
    data: Config, tmp_path: Path
) -> None:
    settings = parse_settings(
        data, source=tmp_path / "config.toml", environ={"COMPLAINTS_IMAP_PASSWORD": "pw"}
    )
    assert settings.mail.password == "pw"


@pytest.mark.parametrize(
    ("section", "key", "value", "message"),
    [
        ("retention", "years_after_closure", 0, "retention.years_after_closure"),
        ("retention", "years", 6, "unknown key retention.years"),
        ("mail", "password_env", "hunter2!", "must be the NAME of an environment variable"),
        ("mail", "security", "tls", "mail.security must be one of none, starttls, ssl"),
        ("mail", "max_attachment_bytes", -1, "mail.max_attachment_bytes"),
    ],
)
def test_bad_retention_and_mail_settings_are_refused(
    data: Config,
    refused: Callable[[Config], str],
    section: str,
    key: str,
    value: object,
    message: str,
) -> None:
    data[section][key] = value
    assert message in refused(data)


def test_the_letters_override_folder_is_relative_to_the_file_and_must_exist(
    data: Config,
    parse: Callable[[Config], Settings],
    refused: Callable[[Config], str],
    tmp_path: Path,
) -> None:
    assert parse(data).letters.override_folder == ""
    del data["letters"]
    assert parse(data).letters.override_folder == ""
    (tmp_path / "our_letters").mkdir()
    data["letters"] = {"override_folder": "our_letters"}
    assert parse(data).letters.override_folder == str(tmp_path / "our_letters")
    data["letters"] = {"override_folder": "missing"}
    assert "letters.override_folder: " in refused(data) and "is not a folder" in refused(data)
    data["letters"] = {"overide_folder": "our_letters"}
    assert "did you mean letters.override_folder" in refused(data)


def test_the_web_section_may_be_left_out_and_gives_a_working_day_and_the_database(
    data: Config, parse: Callable[[Config], Settings], settings: Settings
) -> None:
    assert settings.web == WebSettings(30, 8, "database")
    del data["web"]
    assert parse(data).web == WebSettings(30, 8, "database")
    data["web"] = {"idle_timeout_minutes": 15}
    assert parse(data).web == WebSettings(15, 8, "database")


def test_the_redis_password_is_read_from_the_named_environment_variable(
    data: Config, tmp_path: Path
) -> None:
    data["web"]["rate_limit_storage"] = "redis://redis.council.internal:6379/2"

    def storage(environ: dict[str, str]) -> str:
        settings = parse_settings(data, source=tmp_path / "config.toml", environ=environ)
        return settings.web.rate_limit_storage

    assert storage({}) == "redis://redis.council.internal:6379/2"
    assert storage({"COMPLAINTS_REDIS_PASSWORD": "p@ss/word"}) == (
        "redis://:p%40ss%2Fword@redis.council.internal:6379/2"
    )


def test_a_redis_password_given_in_code_is_put_in_the_url_once(settings: Settings) -> None:
    web = dataclasses.replace(
        settings.web, rate_limit_storage="redis://cache:6379/0", redis_password="p@ss"
    )
    assert web.rate_limit_storage == "redis://:p%40ss@cache:6379/0"
    assert dataclasses.replace(web).rate_limit_storage == "redis://:p%40ss@cache:6379/0"


def test_passwords_are_not_shown_with_their_settings(data: Config, tmp_path: Path) -> None:
    environ = {"COMPLAINTS_SMTP_PASSWORD": "s3cret", "COMPLAINTS_IMAP_PASSWORD": "s3cret"}
    settings = parse_settings(data, source=tmp_path / "config.toml", environ=environ)
    assert settings.smtp.password == settings.mail.password == "s3cret"
    assert "s3cret" not in repr(settings.smtp) + repr(settings.mail)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("idle_timeout_minutes", 0, "web.idle_timeout_minutes must be a whole number from 1"),
        ("session_lifetime_hours", 25, "web.session_lifetime_hours must be a whole number"),
        ("idle_timeout_minutes", 600, "must not be longer than web.session_lifetime_hours"),
        ("rate_limit_storage", "memory://", 'must be "database" or the URL of a Redis server'),
        ("rate_limit_storage", "redis://:secret@127.0.0.1:6379", "must not hold a password"),
        ("redis_password_env", "hunter2!", "must be the NAME of an environment variable"),
        ("session_hours", 8, "did you mean web.session_lifetime_hours"),
    ],
)
def test_bad_web_settings_are_refused(
    data: Config, refused: Callable[[Config], str], key: str, value: object, message: str
) -> None:
    data["web"][key] = value
    assert message in refused(data)


# --- how problems are reported ------------------------------------------------------------------


def test_a_nested_problem_names_its_dotted_location(
    data: Config, refused: Callable[[Config], str], tmp_path: Path
) -> None:
    _step(data, "statutory_children", "stage2_investigation")["max_extension"] = -1
    assert refused(data) == (
        f"{tmp_path / 'config.toml'}: timescales.statutory_children.stage2_investigation."
        "max_extension must be a whole number of 0 or more, not -1"
    )


def test_several_problems_are_reported_at_once_one_line_each(data: Config, tmp_path: Path) -> None:
    data["council"]["reference_prefix"] = "C-F"
    _step(data, "corporate", "stage1_response")["length"] = -3
    data["smtp"]["port"] = "25"
    data["web"]["sesion_lifetime_hours"] = 8
    with pytest.raises(ConfigError) as caught:
        parse_settings(data, source=tmp_path / "config.toml", environ={})
    assert str(caught.value).splitlines() == [
        f"{tmp_path / 'config.toml'}: {line}"
        for line in (
            "council.reference_prefix must be 1 to 6 letters or digits (e.g. 'CF'), not 'C-F'",
            "timescales.corporate.stage1_response.length must be a whole number of 0 or more, "
            "not -3",
            "smtp.port must be a whole number from 1 to 65535, not the text '25'",
            "unknown key web.sesion_lifetime_hours (did you mean web.session_lifetime_hours?)",
        )
    ]


def test_a_misspelt_key_is_reported_once_as_unknown_with_the_key_meant(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["smtp"]["sendr"] = data["smtp"].pop("sender")
    assert refused(data).endswith(": unknown key smtp.sendr (did you mean smtp.sender?)")


def test_an_unknown_key_like_no_other_lists_the_keys_allowed_there(
    data: Config, refused: Callable[[Config], str]
) -> None:
    data["holds"]["colour"] = "blue"
    assert refused(data).endswith(": unknown key holds.colour; the keys here are max_working_days")


@pytest.mark.parametrize(
    ("place", "key", "message"),
    [
        (("smtp",), "password", "unknown key smtp.password (did you mean smtp.password_env?)"),
        (("web",), "redis_password", "unknown key web.redis_password (did you mean web.redis"),
        ((), "source", "unknown key source; the keys here are council, database"),
        (("timescales", "corporate", "acknowledgement"), "counted_from", "unknown key time"),
    ],
)
def test_a_key_the_settings_hold_but_the_file_may_not_is_refused(
    data: Config, refused: Callable[[Config], str], place: tuple[str, ...], key: str, message: str
) -> None:
    table = data
    for name in place:
        table = table[name]
    table[key] = "receipt"
    assert message in refused(data)


def test_every_section_refuses_assignment(settings: Settings) -> None:
    sections = [getattr(settings, field.name) for field in dataclasses.fields(settings)]
    sections.append(settings.timescale("corporate", "acknowledgement"))
    for section in [settings, *(s for s in sections if dataclasses.is_dataclass(s))]:
        first = dataclasses.fields(section)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(section, first, getattr(section, first))


def test_settings_changed_in_code_are_checked_too(settings: Settings) -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        dataclasses.replace(settings.smtp, port=0)
    with pytest.raises(ValidationError, match="complaints_office"):
        office = dataclasses.replace(settings.council, complaints_office="Nobody")
        dataclasses.replace(settings, council=office)


def _whole_number_keys(table: Config, at: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key of the shipped file holding a whole number, as its path of names."""
    keys: list[tuple[str, ...]] = []
    for name, value in table.items():
        if isinstance(value, dict):
            keys += _whole_number_keys(value, (*at, name))
        elif isinstance(value, int) and not isinstance(value, bool):
            keys.append((*at, name))
    return keys


@examples(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choice=st.data(), value=st.integers(max_value=-1))
def test_a_negative_number_anywhere_is_one_line_naming_its_key_and_the_number(
    shipped_data: Config, tmp_path: Path, choice: st.DataObject, value: int
) -> None:
    key = choice.draw(st.sampled_from(_whole_number_keys(shipped_data)))
    data = copy.deepcopy(shipped_data)
    table = data
    for name in key[:-1]:
        table = table[name]
    table[key[-1]] = value
    with pytest.raises(ConfigError) as caught:
        parse_settings(data, source=tmp_path / "config.toml", environ={})
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'config.toml'}: {'.'.join(key)} must be a ")
    assert "number" in message and message.endswith(f", not {value}")
    assert "\n" not in str(caught.value)
