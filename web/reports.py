"""The statutory reports in the web front end, for managers and administrators: choose a year, a
quarter or any dates (and, if wanted, a procedure and a service area), see every table with its
chart, and download the whole report as PDF or XLSX, or its tables as CSV files in a zip."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request

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
from web.forms.reports import ReportForm
from web.pages import choices, submit
from web.security import account, allowed_to, context

bp = Blueprint("reports", __name__, url_prefix="/reports")
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
        form = _form(kind="annual", year=_this_financial_year())
        return render_template("reports/index.html", form=form, report=None)
    form = _form()
    report = _report(form)
    if report is None:
        return render_template("reports/index.html", form=form, report=None), 400
    return render_template(
        "reports/index.html",
        form=form,
        report=report,
        body=report_html_fragment(report),
        query=request.query_string.decode(),
    )


@bp.route("/download/<file_format>")
@allowed_to(Permission.SEE_REPORTS)
def download(file_format: str) -> Response | tuple[str, int]:
    if file_format not in DOWNLOADS:
        return render_template("errors/error.html", code=404, title="Page not found"), 404
    form = _form()
    report = _report(form)
    if report is None:
        return render_template("reports/index.html", form=form, report=None), 400
    media_type, suffix, render = DOWNLOADS[file_format]
    name = f"complaints-report-{report.period.start.isoformat()}-{report.period.end.isoformat()}"
    return Response(
        render(report),
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{suffix}"'},
    )


def _form(**shown: object) -> ReportForm:
    return ReportForm(choices().team_names, **shown)


def _report(form: ReportForm) -> Report | None:
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


def _read(form: ReportForm) -> Request | None:
    if not form.validate():
        return None
    year, kind = form.year.data, form.kind.data
    try:
        if kind == "annual" and year is not None:
            period = Period.financial_year(year)
        elif kind == "quarter" and year is not None:
            period = Period.quarter(year, int(form.quarter.data))
        elif form.start.data and form.end.data:
            period = Period.between(form.start.data, form.end.data)
        else:
            return None
        procedure = form.procedure.data
        filters = ReportFilters.parse((procedure,) if procedure else (), form.team.optional)
    except ReportPeriodError as error:  # a year, quarter or range that does not exist
        form.refuse(error)
        return None
    return Request(period, filters, form.suppress.data)


def _this_financial_year() -> int:
    today = context().clock.today()
    return today.year if today.month >= 4 else today.year - 1
