"""`complaints alerts sweep` and `complaints alerts list`."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner, Result

from complaints.cli import cli
from complaints.context import Context
from complaints.services.people import add_user
from tests.support import LogCase


def run(ctx: Context, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj={"context": ctx})


def test_sweep_then_list_for_one_person(council: Context, log_case: LogCase) -> None:
    log_case("statutory_children", date(2026, 11, 2))
    first = run(council, "alerts", "sweep", "--on", "2026-11-23")
    assert first.exit_code == 0, first.output
    assert "Sweep for 2026-11-23: 4 new alerts" in first.stdout
    assert "deadline overdue 2, deadline escalated 2" in first.stdout
    assert ": 0 new alerts" in run(council, "alerts", "sweep", "--on", "2026-11-23").stdout
    listed = [
        json.loads(line)
        for line in run(
            council, "alerts", "list", "--user", "off", "--json", "--by", "admin"
        ).stdout.splitlines()
    ]
    assert {(item["subject"], item["kind"]) for item in listed} == {
        ("acknowledgement", "overdue"),
        ("stage1_response", "overdue"),
        ("acknowledgement", "escalated"),
        ("stage1_response", "escalated"),
    }
    assert run(council, "alerts", "list", "--user", "qa", "--by", "admin").stdout == "No alerts.\n"


def test_sweep_with_a_bad_date(council: Context) -> None:
    result = run(council, "alerts", "sweep", "--on", "yesterday")
    assert result.exit_code == 2 and "'yesterday' is not a date" in result.stderr


def test_the_alerts_listed_are_only_of_cases_the_person_may_see(
    council: Context, log_case: LogCase
) -> None:
    add_user(council, "waste", role="officer", full_name="Wes Waste", team="Waste and Recycling")
    log_case("statutory_children", date(2026, 11, 2), team="Children and Families")
    run(council, "alerts", "sweep", "--on", "2026-11-23")
    assert "No alerts." not in run(council, "alerts", "list", "--by", "off").stdout
    assert run(council, "alerts", "list", "--by", "waste").stdout == "No alerts.\n"
