"""The command line loads only what the command run needs: `--help` lists every command without
importing one, and a working-day sum loads no database layer, reports, letters or numpy, and
checks only the calendar section of the settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from complaints.cli import COMMANDS, cli

HEAVY_FOR_HELP = ("matplotlib", "weasyprint", "complaints.reports", "complaints.letters")
DATABASE_LAYER = ("sqlalchemy", "sqlmodel", "alembic", "complaints.db", "complaints.models")
# The whole settings, the other sections' models, and the workflows [timescales] is checked against
OTHER_SETTINGS = (
    "complaints.config",
    "complaints.context",
    "complaints.settings.alerts",
    "complaints.settings.timescales",
    "complaints.settings.web",
    "workflows",
)


def modules_loaded_by(tmp_path: Path, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after running `complaints ARGS` (its output is
    checked to be the command's, not an error's)."""
    script = (
        "import sys\n"
        "from complaints.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "COMPLAINTS_DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "never.db").exists()
    return set(result.stderr.split())


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(
        m for m in modules if m in packages or m.startswith(tuple(f"{p}." for p in packages))
    )


def test_help_imports_no_command_reports_letters_or_charts(tmp_path: Path) -> None:
    modules = modules_loaded_by(tmp_path, "--help")
    assert loaded(modules, HEAVY_FOR_HELP) == []
    assert loaded(modules, DATABASE_LAYER) == []
    assert not any(name.endswith("_commands") for name in modules)


def test_calendar_add_loads_no_database_layer(tmp_path: Path) -> None:
    modules = modules_loaded_by(tmp_path, "calendar", "add", "2025-12-19", "10")
    assert loaded(modules, DATABASE_LAYER + HEAVY_FOR_HELP) == []


def test_calendar_add_loads_no_numpy(tmp_path: Path) -> None:
    # numpy serves only the calendar's vectorised forms (bulk sweeps and reports)
    modules = modules_loaded_by(tmp_path, "calendar", "add", "2025-12-19", "10")
    assert loaded(modules, ("numpy",)) == []


def test_calendar_add_checks_only_the_calendar_section_of_the_settings(tmp_path: Path) -> None:
    modules = modules_loaded_by(tmp_path, "calendar", "add", "2025-12-19", "10")
    assert "complaints.settings.calendar" in modules
    assert loaded(modules, OTHER_SETTINGS) == []


def test_help_lists_every_command_with_its_summary() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    listed = result.stdout.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    for line in listed:
        name, summary = line.strip().split(maxsplit=1)
        assert summary == COMMANDS[name].summary


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_named_command_loads_as_itself(name: str) -> None:
    command = COMMANDS[name].load()
    assert isinstance(command, click.Command)
    assert command.name == name
    assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0
