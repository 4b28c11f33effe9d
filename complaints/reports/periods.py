"""The period a report covers and the filters that narrow it.

Councils report by financial year (1 April to 31 March, named by the year it starts in: 2025 is
1 April 2025 to 31 March 2026) and by its quarters (quarter 1 is April to June), and sometimes
over any other range of dates. A period is refused, with a message a complaints officer
understands, when its year or quarter does not exist or it ends before it starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from complaints.dates import years_on
from complaints.errors import ComplaintsError
from complaints.models.enums import Procedure
from workflows import WORKFLOWS
from workflows.definition import DeadlineRole

# Years a report may name: the calendar supports 1900-2199, and a year-on-year table reaches
# two years further back.
FIRST_REPORT_YEAR = 1902
LAST_REPORT_YEAR = 2198
QUARTER_NAMES = {
    1: "April to June",
    2: "July to September",
    3: "October to December",
    4: "January to March",
}
# The procedures whose complaints are reported, in the workflows' order: those that respond to
# the complainant (feedback and redirection carry no complaints).
COMPLAINT_PROCEDURES = tuple(
    Procedure(workflow.name)
    for workflow in WORKFLOWS.values()
    if workflow.with_role(DeadlineRole.RESPONSE)
)


class ReportPeriodError(ComplaintsError):
    """A report period that does not exist or runs backwards."""


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int):
        raise ReportPeriodError(f"'{year}' is not a year: write it as four digits, e.g. 2025")
    if not FIRST_REPORT_YEAR <= year <= LAST_REPORT_YEAR:
        raise ReportPeriodError(
            f"there is no financial year {year} to report on: "
            f"choose a year from {FIRST_REPORT_YEAR} to {LAST_REPORT_YEAR}"
        )


def financial_year_label(year: int) -> str:
    """'2025/26' for the financial year starting 1 April 2025."""
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Period:
    """The days a report covers, first and last included."""

    start: date
    end: date
    label: str
    kind: str = "range"  # "year", "quarter" or "range"
    financial_year_start: int | None = None  # for a year or a quarter: the year it starts in
    quarter_number: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ReportPeriodError(
                f"the report period ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()}): give the earlier date first"
            )
        if self.start.year < FIRST_REPORT_YEAR or self.end.year > LAST_REPORT_YEAR:
            raise ReportPeriodError(
                f"a report period must lie between {FIRST_REPORT_YEAR} and {LAST_REPORT_YEAR}"
            )

    @classmethod
    def financial_year(cls, year: int) -> Period:
        """1 April `year` to 31 March of the year after."""
        _check_year(year)
        return cls(
            date(year, 4, 1), date(year + 1, 3, 31), financial_year_label(year), "year", year
        )

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter 1 (April to June) to 4 (January to March) of the financial year `year`."""
        _check_year(year)
        if isinstance(quarter, bool) or quarter not in QUARTER_NAMES:
            raise ReportPeriodError(
                f"there is no quarter {quarter}: quarters are 1 (April to June), "
                "2 (July to September), 3 (October to December) and 4 (January to March)"
            )
        first_month = 4 + 3 * (quarter - 1)
        start_year = year if first_month <= 12 else year + 1
        start_month = first_month if first_month <= 12 else first_month - 12
        start = date(start_year, start_month, 1)
        following = (
            date(start_year + 1, 1, 1)
            if start_month + 3 > 12
            else date(start_year, start_month + 3, 1)
        )
        label = f"Q{quarter} {financial_year_label(year)}"
        return cls(start, following - timedelta(days=1), label, "quarter", year, quarter)

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        """Any range of days, first and last included."""
        return cls(start, end, f"{_short(start)} to {_short(end)}", "range")

    def years_earlier(self, years: int) -> Period:
        """The same span `years` years before (29 February falls back to the 28th)."""
        if self.financial_year_start is not None:
            year = self.financial_year_start - years
            if self.quarter_number is not None:
                return Period.quarter(year, self.quarter_number)
            return Period.financial_year(year)
        return Period.between(years_on(self.start, -years), years_on(self.end, -years))

    @property
    def months(self) -> list[tuple[int, int]]:
        """Each (year, month) the period touches, in order."""
        found: list[tuple[int, int]] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    @property
    def description(self) -> str:
        """'1 April 2025 to 31 March 2026'."""
        return f"{_long(self.start)} to {_long(self.end)}"


@dataclass(frozen=True)
class ReportFilters:
    """What to narrow a report to: some procedures, one service area (team). Empty: all."""

    procedures: tuple[Procedure, ...] = ()
    team: str | None = None

    @classmethod
    def parse(cls, procedures: tuple[str, ...] = (), team: str | None = None) -> ReportFilters:
        """Filters from the words a person typed, refused when a procedure is unknown."""
        known = {procedure.value: procedure for procedure in Procedure}
        chosen: list[Procedure] = []
        for name in procedures:
            if name not in known:
                names = ", ".join(sorted(known))
                raise ReportPeriodError(
                    f"there is no procedure '{name}'; the procedures are {names}"
                )
            chosen.append(known[name])
        return cls(tuple(dict.fromkeys(chosen)), team.strip() if team and team.strip() else None)

    @property
    def description(self) -> str:
        parts = []
        if self.procedures:
            parts.append("procedure: " + ", ".join(PROCEDURE_LABELS[p] for p in self.procedures))
        if self.team:
            parts.append(f"service area: {self.team}")
        return "; ".join(parts)


PROCEDURE_LABELS = {Procedure(name): workflow.short_label for name, workflow in WORKFLOWS.items()}


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
