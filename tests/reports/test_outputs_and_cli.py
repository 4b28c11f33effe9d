"""Every output format, produced and read back (HTML, PDF text with pypdf, CSV, XLSX with
openpyxl), and `complaints report ...` on the command line."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from pypdf import PdfReader

from complaints.cli import cli
from complaints.context import Context
from complaints.reports import Period, build_report
from complaints.reports.model import Report
from complaints.reports.rendering import (
    report_csv_files,
    report_html,
    report_html_fragment,
    report_pdf,
    report_xlsx,
)
from tests.reports.test_known_answers import small_council


@pytest.fixture
def report(ctx: Context) -> Report:
    small_council().save(ctx.database)
    return build_report(ctx, Period.financial_year(2025), by="admin")


def run(ctx: Context, *args: str) -> Result:
    """The report command, asked for by the administrator."""
    return CliRunner().invoke(cli, [*args, "--by", "admin"], obj={"context": ctx})


def test_html_page_is_standalone_with_contents_charts_and_escaped_text(ctx: Context) -> None:
    data = small_council()
    data.lesson(1, date(2025, 8, 1), "<script>alert('x')</script> & more")
    data.save(ctx.database)
    html = report_html(build_report(ctx, Period.financial_year(2025), by="admin"))
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert html.count('<section class="report-table"') == 17
    assert html.count("data:image/svg+xml;base64,") == 16  # every table but the lessons
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in html
    assert "<script>" not in html
    assert '<a href="#timeliness_by_stage">' in html


def test_the_fragment_for_the_web_has_no_page_around_it(report: Report) -> None:
    fragment = str(report_html_fragment(report, charts=False))
    assert "<html" not in fragment and "<article" in fragment and "data:image" not in fragment


def test_pdf_has_a_contents_list_and_every_table(report: Report) -> None:
    reader = PdfReader(io.BytesIO(report_pdf(report)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Contents" in reader.pages[0].extract_text()
    for table in report.tables:
        assert table.title.split(" (")[0][:40] in text.replace("\n", " ")
    assert "Stage 1 2 1 50% 1 50% 1 1 0 12.5" in " ".join(text.split())
    assert len(reader.pages) >= 18  # a cover with the contents, then a page per table


def test_csv_per_table_reads_back(report: Report) -> None:
    files = report_csv_files(report)
    assert len(files) == 17 and "08_timeliness_by_stage.csv" in files
    rows = list(csv.reader(io.StringIO(files["08_timeliness_by_stage.csv"])))
    assert rows[0][:3] == ["Stage", "Responses", "Within timescale"]
    assert rows[1] == ["Stage 1", "2", "1", "50.0", "1", "50.0", "1", "1", "0", "12.5"]
    costs = list(csv.reader(io.StringIO(files["13_stage_costs.csv"])))
    assert costs[-1] == ["Total", "1500.75", "0.00", "1500.75"]


def test_xlsx_has_a_sheet_per_table_and_reads_back(report: Report) -> None:
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.sheetnames[0] == "Contents" and len(workbook.sheetnames) == 18
    sheet = workbook["timeliness_by_stage"]
    assert sheet["A1"].value == "Timeliness of responses by stage"
    assert [cell.value for cell in sheet[3]][:5] == ["Stage 1", 2, 1, 0.5, 1]
    assert sheet["D3"].number_format == "0%"
    costs = workbook["stage_costs"]
    assert costs["D7"].value == pytest.approx(1500.75) and costs["A7"].value == "Total"


def test_text_from_users_never_runs_as_a_formula_in_the_workbook_or_the_csv_files(
    ctx: Context,
) -> None:
    data = small_council()
    data.team("@SUM(1+1)")
    case = data.case(date(2025, 6, 2), team="@SUM(1+1)", state="closed", closed_on=date(2025, 6, 9))
    data.lesson(case, date(2025, 6, 9), '=HYPERLINK("https://example.com/steal","Read me")')
    data.save(ctx.database)
    report = build_report(ctx, Period.financial_year(2025), by="admin")

    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert '\'=HYPERLINK("https://example.com/steal","Read me")' in texts
    assert "'@SUM(1+1)" in texts
    assert workbook["stage_costs"]["D7"].value == pytest.approx(1500.75)  # numbers stay numbers
    csv_cells = {
        cell
        for text in report_csv_files(report).values()
        for row in csv.reader(io.StringIO(text))
        for cell in row
    }
    assert not [cell for cell in csv_cells if cell.startswith(("=", "@"))]
    assert "'@SUM(1+1)" in csv_cells


def test_report_annual_writes_each_format(ctx: Context, tmp_path: Path) -> None:
    small_council().save(ctx.database)
    result = run(ctx, "report", "annual", "--year", "2025", "--format", "xlsx",
                 "--out", str(tmp_path / "r.xlsx"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "annual report 2025/26: written to" in result.stderr
    assert len(load_workbook(tmp_path / "r.xlsx").sheetnames) == 18
    result = run(ctx, "report", "annual", "--year", "2025", "--format", "csv",
                 "--out", str(tmp_path / "tables.zip"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(zipfile.ZipFile(tmp_path / "tables.zip").namelist()) == 17
    result = run(ctx, "report", "annual", "--year", "2025", "--format", "csv",
                 "--out", str(tmp_path / "tables"))  # fmt: skip
    assert result.exit_code == 0 and len(list((tmp_path / "tables").glob("*.csv"))) == 17


def test_report_quarter_to_standard_output_with_suppression(ctx: Context) -> None:
    small_council().save(ctx.database)
    result = run(ctx, "report", "quarter", "--year", "2025", "--quarter", "1", "--suppress-small")
    assert result.exit_code == 0, result.output
    assert "quarterly report, Q1 2025/26" in result.stdout and "&lt;5" in result.stdout


def test_report_range_with_filters(ctx: Context, tmp_path: Path) -> None:
    small_council().save(ctx.database)
    out = tmp_path / "r.html"
    result = run(ctx, "report", "range", "--from", "2025-04-01", "--to", "2025-06-30",
                 "--procedure", "corporate", "--team", "Highways", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "procedure: Corporate; service area: Highways" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["quarter", "--year", "2025", "--quarter", "5"], "there is no quarter 5"),
        (["annual", "--year", "123456"], "there is no financial year 123456"),
        (["range", "--from", "2025-05-01", "--to", "2025-04-01"], "before it starts"),
        (["range", "--from", "2025-05-01", "--to", "soon"], "'soon' is not a date"),
        (["annual", "--year", "2025", "--format", "pdf"], "--out is needed for --format pdf"),
        (["annual", "--year", "2025", "--team", "Parks"], "there is no service area 'Parks'"),
    ],
)
def test_bad_report_requests_are_refused_with_a_clear_message(
    reader: Context, args: list[str], message: str
) -> None:
    result = run(reader, "report", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
