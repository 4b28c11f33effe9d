"""The statutory reports in the web front end, for managers and administrators: choose a year, a
quarter or any dates (and, if wanted, a procedure and a service area), see every table with its
chart, and download the whole report as PDF or XLSX, or its tables as CSV files in a zip."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request

from complaints.models import Procedure
from complaints.permissions import Permission
from complaints.reports.model import Report
from complaints.reports.periods import Period, ReportFilters, ReportPeriodError
from complaints.reports.rendering import (
    report_csv_zip,
    report_html_fragment,
    report_pdf,
    report_xlsx,
)
from complaints.reports.service import build_report
from web.forms import Form, empty_form
from web.pages import choices, submit
from web.security import account, allowed_to, context

bp = Blueprint("reports", __name__, url_prefix="/reports")
KINDS = (("annual", "A financial year (1 April to 31 March)"), ("quarter", "A quarter"),
         ("range", "Any dates"))  # fmt: skip
QUARTERS = (("1", "April to June"), ("2", "July to September"), ("3", "October to December"),
            ("4", "January to March"))  # fmt: skip
DOWNLOADS = {
    "pdf": ("application/pdf", "pdf", report_pdf),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        report_xlsx,
    ),
    "csv": ("application/zip", "zip", report_csv_zip),
}


@dataclass(frozen=True)
class Request:
    period: Period
    filters: ReportFilters
    suppress_small: bool


@bp.route("")
@allowed_to(Permission.SEE_REPORTS)
def index() -> str | tuple[str, int]:
    if not request.args:
        form = empty_form({"kind": "annual", "year": str(_this_financial_year())})
        return render_template("reports/index.html", form=form, report=None, **_options())
    form = Form(request.args)
    report = _report(form)
    if report is None:
        return render_template("reports/index.html", form=form, report=None, **_options()), 400
    return render_template(
        "reports/index.html",
        form=form,
        report=report,
        body=report_html_fragment(report),
        query=request.query_string.decode(),
        **_options(),
    )


@bp.route("/download/<file_format>")
@allowed_to(Permission.SEE_REPORTS)
def download(file_format: str) -> Response | tuple[str, int]:
    if file_format not in DOWNLOADS:
        return render_template("errors/error.html", code=404, title="Page not found"), 404
    form = Form(request.args)
    report = _report(form)
    if report is None:
        return render_template("reports/index.html", form=form, report=None, **_options()), 400
    media_type, suffix, render = DOWNLOADS[file_format]
    name = f"complaints-report-{report.period.start.isoformat()}-{report.period.end.isoformat()}"
    return Response(
        render(report),
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{suffix}"'},
    )


def _report(form: Form) -> Report | None:
    asked = _read(form)
    if asked is None:
        return None
    return submit(
        form,
        lambda: build_report(
            context(),
            asked.period,
            asked.filters,
            by=account(),
            suppress_small=asked.suppress_small,
        ),
    )


def _read(form: Form) -> Request | None:
    kind = form.choice("kind", "what period to report on", [k for k, _ in KINDS])
    year = form.whole_number("year", "the year the financial year starts in", required=False)
    procedure = form.choice("procedure", "a procedure", [p.value for p in Procedure],
                            required=False)  # fmt: skip
    team = form.choice("team", "a service area", choices().team_names, required=False)
    period: Period | None = None
    try:
        if kind == "annual":
            period = Period.financial_year(year) if year else None
            if not year:
                form.error("year", "Enter the year the financial year starts in, like 2025")
        elif kind == "quarter":
            quarter = form.choice("quarter", "the quarter", [q for q, _ in QUARTERS])
            if not year:
                form.error("year", "Enter the year the financial year starts in, like 2025")
            elif quarter:
                period = Period.quarter(year, int(quarter))
        elif kind == "range":
            start = form.date("from", "the first day")
            end = form.date("to", "the last day")
            if start and end:
                period = Period.between(start, end)
        filters = ReportFilters.parse((procedure,) if procedure else (), team or None)
    except ReportPeriodError as error:  # a year, quarter or range that does not exist
        form.refused(error)
        return None
    if period is None or not form.valid:
        return None
    return Request(period, filters, form.flag("suppress"))


def _this_financial_year() -> int:
    today = context().clock.today()
    return today.year if today.month >= 4 else today.year - 1


def _options() -> dict[str, object]:
    return {
        "kinds": KINDS,
        "quarters": QUARTERS,
        "procedures": [(p.value, p.value.replace("_", " ").capitalize()) for p in Procedure],
        "teams": [(name, name) for name in choices().team_names],
    }
