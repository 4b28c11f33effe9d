"""`complaints case` and `complaints workflow`: the engine from the command line, with JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.context import Context
from complaints.services.people import add_user, seed_reference_data
from tests.support import version_of

# A new case is at version 1.
AT_1 = ("--expected-version", "1")


def at(ctx: Context, reference: str) -> tuple[str, str]:
    """The option saying which version of the case a command changes: the one it is at now."""
    return ("--expected-version", str(version_of(ctx, reference)))


def run(ctx: Context, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj={"context": ctx})


@pytest.fixture
def staffed(ctx: Context, clock: SettableClock) -> Context:
    seed_reference_data(ctx)
    add_user(ctx, "off", role="officer")
    add_user(ctx, "mgr", role="manager")
    clock.set(date(2026, 1, 5))
    return ctx


def new_case(ctx: Context) -> dict[str, object]:
    result = run(
        ctx, "case", "new", "--procedure", "statutory_children", "--type", "complaint",
        "--received", "2025-12-19", "--summary", "Missed visits", "--child",
        "--team", "Children and Families", "--by", "off", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_case_new_prints_the_case_with_its_deadlines_as_json(staffed: Context) -> None:
    case = new_case(staffed)
    assert {"reference", "procedure", "state", "version", "deadlines"} <= set(case)
    assert (case["reference"], case["state"], case["version"]) == ("CF-2025-000001", "received", 1)
    keys = ("name", "started_on", "due_on", "stopped_on", "status")
    assert [tuple(d[k] for k in keys) for d in case["deadlines"]] == [  # type: ignore[attr-defined]
        ("acknowledgement", "2025-12-19", "2025-12-23", None, "running"),
        ("stage1_response", "2025-12-19", "2026-01-07", None, "running"),
    ]


def test_case_fire_moves_the_case_and_stops_the_timer(staffed: Context) -> None:
    reference = str(new_case(staffed)["reference"])
    result = run(
        staffed,
        "case",
        "fire",
        reference,
        "acknowledge",
        "--by",
        "off",
        "--on",
        "2025-12-22",
        "--json",
        *AT_1,
    )
    fired = json.loads(result.stdout)
    assert (fired["state"], fired["version"]) == ("stage1_investigating", 2)
    assert fired["deadlines"][0]["stopped_on"] == "2025-12-22"
    shown = json.loads(run(staffed, "case", "show", reference, "--by", "off", "--json").stdout)
    assert shown == fired


def test_case_fire_with_set_values(staffed: Context) -> None:
    reference = str(new_case(staffed)["reference"])
    result = run(
        staffed,
        "case",
        "fire",
        reference,
        "withdraw",
        "--by",
        "off",
        "--set",
        "reason=sorted out",
        "--json",
        *AT_1,
    )
    assert json.loads(result.stdout)["state"] == "withdrawn"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["approve", "--by", "mgr", *AT_1], "cannot be done while the case is 'received'"),
        (["withdraw", "--by", "off", *AT_1], "'withdraw' needs reason"),
        (["withdraw", "--by", "off", "--set", "reason", *AT_1], "'reason' should be NAME=VALUE"),
        (["acknowledge", "--by", "off", "--on", "2025-12-01", *AT_1], "before the case was"),
        (["acknowledge", "--by", "off", "--expected-version", "7"], "was changed by"),
        (["acknowledge", "--by", "off"], "Missing option '--expected-version'"),
    ],
)
def test_a_refused_trigger_exits_non_zero_and_changes_nothing(
    staffed: Context, args: list[str], message: str
) -> None:
    reference = str(new_case(staffed)["reference"])
    result = run(staffed, "case", "fire", reference, *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert (
        json.loads(run(staffed, "case", "show", reference, "--by", "off", "--json").stdout)[
            "version"
        ]
        == 1
    )


def test_case_show_of_an_unknown_reference(staffed: Context) -> None:
    result = run(staffed, "case", "show", "CF-2020-000009", "--by", "off")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: there is no case with reference 'CF-2020-000009'\n",
    )


def test_a_case_out_of_reach_answers_on_the_command_line_as_a_missing_one(
    staffed: Context,
) -> None:
    """Not a word more on the console, in a real process with no logging set up: the refusal
    noted for the council's monitoring is not printed to the person who asked."""
    add_user(staffed, "waste", role="officer", team="Waste and Recycling")
    reference = str(new_case(staffed)["reference"])  # a child's case, of Children and Families
    env = {**os.environ, "COMPLAINTS_DATABASE_URL": staffed.database.url}
    script = Path(sys.executable).with_name("complaints")

    def show(wanted: str) -> subprocess.CompletedProcess[str]:
        command = [str(script), "case", "show", wanted, "--by", "waste"]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    hidden, missing = show(reference), show("CF-2025-999999")
    assert hidden.returncode == missing.returncode == 1
    assert hidden.stderr.replace(reference, "REF") == missing.stderr.replace(
        "CF-2025-999999", "REF"
    )
    assert hidden.stdout == missing.stdout == ""


def test_points_findings_and_remedies_from_the_command_line(staffed: Context) -> None:
    reference = str(new_case(staffed)["reference"])
    point = run(staffed, "case", "point", reference, "Visits missed", "--by", "off", *AT_1)
    assert point.exit_code == 0
    finding = ("case", "finding", reference, "1", "upheld", "--by", "off")
    assert run(staffed, *finding, *at(staffed, reference)).exit_code == 0
    remedy = ("case", "remedy", reference, "financial", "--by", "off")
    result = run(staffed, *remedy, "--amount", "-5", *at(staffed, reference))
    assert result.exit_code == 1 and "more than £0" in result.stderr
    assert run(staffed, *remedy, "--amount", "150", *at(staffed, reference)).exit_code == 0


def test_workflow_show_lists_every_trigger_with_roles_fields_and_timers(ctx: Context) -> None:
    described = json.loads(run(ctx, "workflow", "show", "statutory_children", "--json").stdout)
    by_trigger = {(t["trigger"], tuple(t["source"])): t for t in described["transitions"]}
    extend = by_trigger[("extend", ("stage1_investigating", "stage1_qa"))]
    assert extend["roles"] == ["admin", "manager"]
    assert [f["name"] for f in extend["fields"]] == ["working_days", "reason", "complainant_agreed"]
    send = by_trigger[("send_response", ("stage1_approved",))]
    assert (send["dest"], send["stops"], send["starts"]) == (
        "stage1_responded",
        ["stage1_response"],
        ["stage2_request_window"],
    )
    assert described["starts_on_log"] == ["acknowledgement", "stage1_response"]
    text = run(ctx, "workflow", "show", "corporate").stdout
    assert "request_stage2: received, stage1_investigating" in text


def test_workflow_diagram_prints_mermaid(ctx: Context) -> None:
    result = run(ctx, "workflow", "diagram", "statutory_children")
    assert result.stdout.startswith("stateDiagram-v2")
    assert "stage2_adjudication --> stage2_responded: adjudicate" in result.stdout
    unknown = run(ctx, "workflow", "diagram", "housing")
    assert unknown.exit_code == 1 and "'housing' is not a procedure" in unknown.stderr


def test_triage_and_reallocate_from_the_command_line(staffed: Context) -> None:
    reference = str(new_case(staffed)["reference"])
    triaged = run(
        staffed, "case", "triage", reference, "--by", "off", "--category", "Delay", "--json", *AT_1
    )
    assert triaged.exit_code == 0, triaged.output
    moved = run(
        staffed, "case", "reallocate", reference, "--by", "off", "--procedure", "corporate",
        "--reason", "not a social care matter", "--json", *at(staffed, reference),
    )  # fmt: skip
    assert json.loads(moved.stdout)["procedure"] == "corporate"
    refused = run(
        staffed,
        "case",
        "reallocate",
        reference,
        "--by",
        "off",
        "--procedure",
        "corporate",
        "--reason",
        "again",
        *at(staffed, reference),
    )
    assert refused.exit_code == 1 and "must change" in refused.stderr
