"""`complaints report ...`: the statutory annual and quarterly complaints reports, or any range.

complaints report annual --year 2025 --format pdf --out annual-2025-26.pdf
complaints report quarter --year 2025 --quarter 1 --format xlsx --out q1.xlsx
complaints report range --from 2025-01-01 --to 2025-03-31 --format csv --out tables/
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from complaints.cli.common import ISO_DATE, load_database_context
from complaints.models.enums import Procedure
from complaints.reports.periods import Period, ReportFilters
from complaints.reports.rendering import FORMATS, report_html, write_report
from complaints.reports.service import build_report


def _output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            default="html",
            show_default=True,
            help="html: one page; pdf: the whole report; xlsx: a sheet per table; "
            "csv: a file per table (into a folder, or a .zip).",
        ),
        click.option(
            "--out",
            type=click.Path(path_type=Path),
            help="Where to write it (HTML without --out goes to standard output).",
        ),
        click.option(
            "--suppress-small",
            is_flag=True,
            help='Show counts from 1 to 4 as "<5", for publication.',
        ),
        click.option(
            "--procedure",
            "procedures",
            multiple=True,
            type=click.Choice([p.value for p in Procedure]),
            help="Only this procedure (repeat for several).",
        ),
        click.option("--team", help="Only this service area (team)."),
        click.option(
            "--by", "by", required=True, help="The manager or administrator asking for it."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group()
def report() -> None:
    """The statutory complaints reports: tables, charts, PDF, XLSX and CSV."""


@report.command("annual")
@click.option("--year", type=int, required=True, help="The financial year: 2025 is 2025/26.")
@_output_options
@click.pass_context
def annual(click_context: click.Context, /, year: int, **output: Any) -> None:
    """The annual report for the financial year starting 1 April YEAR."""
    _produce(click_context, lambda: Period.financial_year(year), **output)


@report.command("quarter")
@click.option("--year", type=int, required=True, help="The financial year: 2025 is 2025/26.")
@click.option(
    "--quarter", type=int, required=True, help="1 (April to June) to 4 (January to March)."
)
@_output_options
@click.pass_context
def quarter(click_context: click.Context, /, year: int, quarter: int, **output: Any) -> None:
    """The quarterly report for one quarter of a financial year."""
    _produce(click_context, lambda: Period.quarter(year, quarter), **output)


@report.command("range")
@click.option("--from", "start", type=ISO_DATE, required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", type=ISO_DATE, required=True, help="Last day (YYYY-MM-DD).")
@_output_options
@click.pass_context
def date_range(click_context: click.Context, /, start: date, end: date, **output: Any) -> None:
    """The report over any range of days, both included."""
    _produce(click_context, lambda: Period.between(start, end), **output)


def _produce(
    click_context: click.Context,
    period: Callable[[], Period],
    *,
    output_format: str,
    out: Path | None,
    suppress_small: bool,
    procedures: tuple[str, ...],
    team: str | None,
    by: str,
) -> None:
    chosen = period()  # a bad year or quarter is refused before the database is opened
    filters = ReportFilters.parse(procedures, team)
    if out is None and output_format != "html":
        raise click.UsageError(f"--out is needed for --format {output_format}")
    ctx = load_database_context(click_context)
    built = build_report(ctx, chosen, filters, by=by, suppress_small=suppress_small)
    if out is None:
        click.echo(report_html(built), nl=False)
        return
    written = write_report(built, output_format, out)
    where = str(out) if len(written) == 1 else f"{len(written)} files in {out}"
    click.echo(f"{built.title}: written to {where}", err=True)
