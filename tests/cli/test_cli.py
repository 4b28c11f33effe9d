"""The `complaints` command line: each command, its output, and its refusals of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from sqlmodel import select

from complaints.cli import cli
from complaints.config import DEFAULT_CONFIG_PATH
from complaints.context import Context
from complaints.db import current_revision, head_revision
from complaints.models import AuditEvent, Team, User
from complaints.passwords import verify_password
from complaints.services.people import add_user


def run(ctx: Context, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), obj={"context": ctx}, input=stdin)


def audit_count(ctx: Context) -> int:
    with ctx.database.reader() as session:
        return session.exec(select(sa.func.count()).select_from(AuditEvent)).one()


def test_calendar_add_prints_an_iso_date(ctx: Context) -> None:
    result = run(ctx, "calendar", "add", "2025-12-19", "10")
    assert (result.exit_code, result.stdout) == (0, "2026-01-07\n")


def test_calendar_add_counts_back_with_a_negative_number(ctx: Context) -> None:
    result = run(ctx, "calendar", "add", "2026-04-07", "-2")
    assert (result.exit_code, result.stdout) == (0, "2026-04-01\n")


def test_calendar_between_prints_an_integer(ctx: Context) -> None:
    assert run(ctx, "calendar", "between", "2025-12-19", "2026-01-07").stdout == "10\n"
    assert run(ctx, "calendar", "between", "2026-01-07", "2025-12-19").stdout == "-10\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calendar", "add", "2026-13-01", "3"], "'2026-13-01' is not a date"),
        (["calendar", "add", "19/12/2025", "3"], "write dates as YYYY-MM-DD"),
        (["calendar", "add", "2026-01-05", "2.5"], "'2.5' is not a whole number"),
        (["calendar", "between", "2026-01-05", "soon"], "'soon' is not a date"),
        (["calendar", "add", "2026-01-05", "٣"], "'٣' is not a whole number"),
        (["calendar", "add", "2026-01-05", "²"], "'²' is not a whole number"),
        (["calendar", "add", "0001-01-01", "3"], "outside the dates the working-day calendar"),
        (["calendar", "between", "2026-01-05", "9999-12-31"], "(1900-01-01 to 2199-12-31)"),
    ],
)
def test_bad_calendar_input_gets_a_clear_message(
    ctx: Context, args: list[str], message: str
) -> None:
    result = run(ctx, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_init_db_seeds_the_configured_teams_once(ctx: Context) -> None:
    first = run(ctx, "init-db")
    assert first.exit_code == 0, first.output
    assert f"added {len(ctx.settings.lists.service_areas)} teams" in first.stdout
    assert "added 0 teams and 0 categories" in run(ctx, "init-db").stdout
    assert current_revision(ctx.database) == head_revision()


def test_team_add_and_a_duplicate_refused(ctx: Context) -> None:
    assert run(ctx, "team", "add", "Highways").stdout == "Team 'Highways' added.\n"
    result = run(ctx, "team", "add", "highways")
    assert result.exit_code == 1
    assert result.stderr == "Error: a team called 'highways' already exists\n"
    with ctx.database.reader() as session:
        assert len(session.exec(select(Team)).all()) == 1


def test_the_first_admin_is_created_with_a_password_from_stdin(ctx: Context) -> None:
    result = run(
        ctx,
        "user",
        "add",
        "admin",
        "--role",
        "admin",
        "--email",
        "it@example.gov.uk",
        "--password-stdin",
        stdin="a sturdy passphrase\n",
    )
    assert (result.exit_code, result.stdout) == (0, "User 'admin' added as admin.\n"), repr(
        result.exception
    )
    with ctx.database.reader() as session:
        admin = session.exec(select(User)).one()
    assert verify_password(admin.password_hash, "a sturdy passphrase")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "wizard"], None, "'wizard' is not one of"),
        (["--role", "officer", "--team", "Nowhere"], None, "no team called 'Nowhere'"),
        (["--role", "officer", "--password-stdin"], "", "no password on standard input"),
        (["--role", "officer", "--password-stdin"], "short\n", "at least 12 characters"),
    ],
)
def test_bad_user_input_is_refused_and_nothing_written(
    ctx: Context, args: list[str], stdin: str | None, message: str
) -> None:
    result = run(ctx, "user", "add", "officer.evans", *args, stdin=stdin)
    assert result.exit_code != 0
    assert message in result.stderr
    with ctx.database.reader() as session:
        assert session.exec(select(User)).all() == []
    assert audit_count(ctx) == 0


def test_demo_data_then_queue_shows_overdue_work(ctx: Context) -> None:
    loaded = run(ctx, "demo-data", "--cases", "120")
    assert loaded.exit_code == 0, loaded.output
    assert "Loaded 120 demo cases" in loaded.stdout
    again = run(ctx, "demo-data", "--if-empty")
    assert again.exit_code == 0 and "keeping the existing data" in again.stdout
    refused = run(ctx, "demo-data")
    assert refused.exit_code == 1 and "already holds 120 cases" in refused.stderr

    queue = run(ctx, "queue", "--by", "admin")
    assert queue.exit_code == 0
    assert "Work queue for Monday 23 November 2026" in queue.stdout
    assert "OVERDUE" in queue.stdout
    lines = [
        json.loads(line)
        for line in run(ctx, "queue", "--json", "--by", "admin").stdout.splitlines()
    ]
    assert lines == sorted(lines, key=lambda item: item["due_on"])
    assert any(item["overdue"] for item in lines)


def test_queue_for_one_user_and_for_an_unknown_one(ctx: Context) -> None:
    run(ctx, "demo-data", "--cases", "80")
    everyone = [
        json.loads(line)
        for line in run(ctx, "queue", "--json", "--by", "admin").stdout.splitlines()
    ]
    someone = next(item["owner"] for item in everyone if item["owner"])
    mine = [
        json.loads(line)
        for line in run(
            ctx, "queue", "--user", someone, "--json", "--by", "admin"
        ).stdout.splitlines()
    ]
    assert mine and {item["owner"] for item in mine} == {someone}
    assert len(mine) < len(everyone)
    unknown = run(ctx, "queue", "--user", "ghost", "--by", "admin")
    assert (unknown.exit_code, unknown.stderr) == (1, "Error: there is no user called 'ghost'\n")


def test_an_officer_s_queue_holds_only_the_cases_they_may_see(ctx: Context) -> None:
    run(ctx, "demo-data", "--cases", "80")
    everyone = {item["reference"] for item in queue_lines(ctx)}
    # A team's officer sees the team's cases, and those they work on (officer of, a step, a
    # point); the complaints office (Customer Service) sees every case.
    theirs = sa.text(
        "SELECT c.reference FROM feedback_case c LEFT JOIN team t ON t.id = c.team_id"
        " JOIN app_user u ON u.username = :who LEFT JOIN team own ON own.id = u.team_id"
        " WHERE t.id = u.team_id OR c.officer_id = u.id"
        " OR EXISTS (SELECT 1 FROM deadline d WHERE d.case_id = c.id AND d.owner_id = u.id)"
        " OR EXISTS (SELECT 1 FROM complaint_point p"
        " WHERE p.case_id = c.id AND p.officer_id = u.id)"
    )
    seen = {}
    for who in ("officer.evans", "officer.nowak", "officer.clarke", "officer.ahmed"):
        seen[who] = {item["reference"] for item in queue_lines(ctx, by=who)}
        with ctx.database.engine.connect() as connection:
            allowed = set(connection.execute(theirs, {"who": who}).scalars())
        assert seen[who] <= allowed & everyone, who
    assert any(seen.values()) and all(cases < everyone for cases in seen.values())
    assert {item["reference"] for item in queue_lines(ctx, by="officer.patel")} == everyone


def queue_lines(ctx: Context, *args: str, by: str = "admin") -> list[dict[str, object]]:
    """The queue as JSON, one object per open step, as `by` sees it."""
    result = run(ctx, "queue", *args, "--json", "--by", by)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_queue_on_an_empty_database_says_nothing_is_due(ctx: Context) -> None:
    add_user(ctx, "admin", role="admin", full_name="Ada Admin")
    result = run(ctx, "queue", "--by", "admin")
    assert result.exit_code == 0 and "Nothing is due" in result.stdout


def console(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("complaints")
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=env, check=False
    )


def test_the_installed_console_script_runs(tmp_path: Path) -> None:
    env = {**os.environ, "COMPLAINTS_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    result = console("calendar", "add", "2026-12-24", "1", env=env)
    assert (result.returncode, result.stdout) == (0, "2026-12-29\n")


def test_a_config_typo_stops_the_command_with_the_key_named(tmp_path: Path) -> None:
    broken = tmp_path / "config.toml"
    broken.write_text(DEFAULT_CONFIG_PATH.read_text().replace("subdivision = ", "subdivison = ", 1))
    result = console(
        "calendar", "add", "2026-12-24", "1", env={**os.environ, "COMPLAINTS_CONFIG": str(broken)}
    )
    assert result.returncode == 1
    assert (
        "calendar.subdivison" in result.stderr
        and "did you mean calendar.subdivision" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_working_day_sum_needs_only_the_calendar_section_to_be_right(tmp_path: Path) -> None:
    broken = tmp_path / "config.toml"
    text = DEFAULT_CONFIG_PATH.read_text()
    broken.write_text(text.replace("due_soon_working_days = 2", "due_soon_working_days = -1"))
    env = {**os.environ, "COMPLAINTS_CONFIG": str(broken)}
    result = console("calendar", "add", "2026-12-24", "1", env=env)
    assert (result.returncode, result.stdout) == (0, "2026-12-29\n")
    result = console("workflow", "show", "corporate", env=env)
    assert result.returncode == 1
    assert "alerts.due_soon_working_days must be a whole number" in result.stderr


def test_init_db_on_a_fresh_sqlite_file_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "fresh.db"
    env = {**os.environ, "COMPLAINTS_DATABASE_URL": f"sqlite:///{path}"}
    result = console("init-db", env=env)
    assert result.returncode == 0, result.stderr
    assert path.exists()
    with sa.create_engine(f"sqlite:///{path}").connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM feedback_case")).scalar() == 0


def test_a_command_on_a_database_without_tables_says_to_run_init_db(tmp_path: Path) -> None:
    env = {**os.environ, "COMPLAINTS_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    result = console("team", "add", "Highways", env=env)
    assert result.returncode == 1
    assert "has no tables yet; run 'complaints init-db' first" in result.stderr
