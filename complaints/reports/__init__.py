"""The statutory annual and quarterly complaints reports (docs/reports.md).

`build_report(ctx, period, filters)` computes every table with SQL aggregation;
`complaints.reports.rendering` turns the report into HTML (a whole page, or the fragment the web
front end embeds), PDF, CSV and XLSX, with a chart per table.
"""

from complaints.reports.model import Report, Table
from complaints.reports.periods import Period, ReportFilters, ReportPeriodError
from complaints.reports.service import build_report

__all__ = ["Period", "Report", "ReportFilters", "ReportPeriodError", "Table", "build_report"]
