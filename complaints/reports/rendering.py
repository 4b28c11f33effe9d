"""The report as people read it: an HTML page (or the fragment the web front end embeds), a PDF
of the whole report with a contents list, a CSV file per table, and an XLSX workbook with a
sheet per table.

The HTML comes from `complaints/reports/templates/report.html.j2` (autoescaped); charts are
embedded as data URIs (SVG on the web, PNG in the PDF), so the page stands alone. The PDF is
made with the letters' WeasyPrint renderer (`complaints.letters.pdf`), which fetches nothing.
No text in the CSV files or the workbook can run as a formula (`complaints.spreadsheet_cells`).
"""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from complaints.private_files import make_private_folder, write_private
from complaints.reports.charts import chart_description, chart_png, chart_svg
from complaints.reports.model import Cell, Column, ColumnKind, Report, Table
from complaints.spreadsheet_cells import inert_cell, inert_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("html", "pdf", "xlsx", "csv")


def format_cell(cell: Cell, column: Column) -> str:
    """A cell as printed: counts with thousands separators, whole percentages, pounds and
    pence, dates as people write them; a suppressed marker as it is."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, datetime | date):
        return f"{cell.day} {cell:%b %Y}"
    if column.kind is ColumnKind.PERCENT:
        return f"{float(cell):.0f}%"
    if column.kind is ColumnKind.MONEY:
        return f"£{Decimal(str(cell)):,.2f}"
    if isinstance(cell, float):
        return f"{cell:,.1f}"
    return f"{cell:,}"


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["cell"] = format_cell
    return environment


_ENVIRONMENT = _environment()


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _charts(report: Report, image: str) -> dict[str, str]:
    """{table key: data URI of its chart} in `image` format ("svg", "png" or "none")."""
    charts: dict[str, str] = {}
    if image == "none":
        return charts
    for table in report.tables:
        if image == "svg":
            svg = chart_svg(table)
            if svg is not None:
                charts[table.key] = _data_uri("image/svg+xml", svg.encode("utf-8"))
        else:
            png = chart_png(table)
            if png is not None:
                charts[table.key] = _data_uri("image/png", png)
    return charts


def _render(report: Report, *, whole_page: bool, image: str, for_print: bool) -> str:
    template = _ENVIRONMENT.get_template("report.html.j2")
    return template.render(
        report=report,
        charts=_charts(report, image),
        describe=chart_description,
        whole_page=whole_page,
        for_print=for_print,
        generated=f"{report.generated_at:%d %B %Y}",
    )


def report_html(report: Report, *, charts: bool = True) -> str:
    """The whole report as a standalone HTML page, charts as SVG."""
    return _render(report, whole_page=True, image="svg" if charts else "none", for_print=False)


def report_html_fragment(report: Report, *, charts: bool = True) -> Markup:
    """The report's body (contents, tables, charts, notes) for a page of the web front end to
    embed inside its own layout; safe to insert without escaping."""
    return Markup(
        _render(report, whole_page=False, image="svg" if charts else "none", for_print=False)
    )


def report_pdf(report: Report) -> bytes:
    """The whole report as a PDF: a contents list with page numbers, then each table with its
    chart (PNG)."""
    from complaints.letters.pdf import html_to_pdf

    return html_to_pdf(_render(report, whole_page=True, image="png", for_print=True))


def _csv_value(cell: Cell, column: Column) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return inert_text(cell)
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    if column.kind is ColumnKind.PERCENT:
        return f"{float(cell):.1f}"
    if isinstance(cell, Decimal):
        return f"{cell:.2f}"
    return str(cell)


def _table_lines(table: Table) -> Iterator[tuple[Cell, ...]]:
    yield from table.rows
    if table.totals is not None:
        yield table.totals


def table_csv(table: Table) -> str:
    """One table as CSV: a heading row, the rows, then the totals row if it has one.
    Percentages are numbers from 0 to 100; money is pounds with two decimals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([inert_text(heading) for heading in table.headings])
    for line in _table_lines(table):
        writer.writerow(
            [_csv_value(cell, column) for cell, column in zip(line, table.columns, strict=True)]
        )
    return buffer.getvalue()


def report_csv_files(report: Report) -> dict[str, str]:
    """{file name: CSV text}, one file per table, numbered in the report's order."""
    return {
        f"{number:02d}_{table.key}.csv": table_csv(table)
        for number, table in enumerate(report.tables, start=1)
    }


def report_csv_zip(report: Report) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in report_csv_files(report).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def report_xlsx(report: Report) -> bytes:
    """The whole report as an XLSX workbook: a contents sheet, then one sheet per table
    (headings in bold, the totals row in bold, notes beneath)."""
    workbook = Workbook()
    contents = workbook.active
    contents.title = "Contents"
    _append(contents, [report.title])
    contents["A1"].font = Font(bold=True, size=14)
    _append(contents, [report.council])
    _append(contents, [report.period.description])
    for note in report.notes:
        _append(contents, [note])
    _append(contents, [])
    _append(contents, ["Sheet", "Table"])
    contents.cell(contents.max_row, 1).font = Font(bold=True)
    contents.cell(contents.max_row, 2).font = Font(bold=True)
    for table in report.tables:
        sheet = workbook.create_sheet(_sheet_name(table.key))
        _append(contents, [sheet.title, table.title])
        _fill_sheet(sheet, table)
    contents.column_dimensions["A"].width = 30
    contents.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    """Add a row to the sheet, its text unable to run as a formula."""
    sheet.append([inert_cell(value) for value in values])


def _sheet_name(key: str) -> str:
    return key[:31]  # Excel's limit


def _fill_sheet(sheet: Worksheet, table: Table) -> None:
    _append(sheet, [table.title])
    sheet["A1"].font = Font(bold=True, size=12)
    _append(sheet, table.headings)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in _table_lines(table):
        cells = zip(line, table.columns, strict=True)
        _append(sheet, [_xlsx_value(cell, column) for cell, column in cells])
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if column.kind is ColumnKind.PERCENT and isinstance(cell.value, float):
                cell.number_format = "0%"
            elif column.kind is ColumnKind.MONEY and isinstance(cell.value, float):
                cell.number_format = "£#,##0.00"
            elif isinstance(cell.value, date):
                cell.number_format = "d mmm yyyy"
    if table.totals is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    for note in table.notes:
        _append(sheet, [])
        _append(sheet, [note])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            60 if column.kind in (ColumnKind.LABEL, ColumnKind.TEXT) and index == len(table.columns)
            else 40 if column.kind in (ColumnKind.LABEL, ColumnKind.TEXT) else 16
        )  # fmt: skip


def _xlsx_value(cell: Cell, column: Column) -> object:
    if column.kind is ColumnKind.PERCENT and isinstance(cell, int | float):
        return round(float(cell) / 100, 4)
    if isinstance(cell, Decimal):
        return float(cell)
    return cell


def write_report(report: Report, output_format: str, out: Path) -> list[Path]:
    """Write the report in `output_format` to `out` and return the files written, readable by
    their owner only. For CSV, `out` is a folder (one file per table) or a .zip file."""
    if output_format == "html":
        write_private(out, report_html(report))
    elif output_format == "pdf":
        write_private(out, report_pdf(report))
    elif output_format == "xlsx":
        write_private(out, report_xlsx(report))
    elif output_format == "csv":
        if out.suffix.lower() == ".zip":
            write_private(out, report_csv_zip(report))
            return [out]
        make_private_folder(out)
        written = []
        for name, text in report_csv_files(report).items():
            write_private(out / name, text)
            written.append(out / name)
        return written
    else:
        raise ValueError(f"unknown report format {output_format!r}")
    return [out]
