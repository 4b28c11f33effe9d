"""What a report is: tables of headed columns and rows, with notes and a chart, under a title.

A report holds numbers, not formatting; HTML, PDF, CSV and XLSX are made from it by
`complaints.reports.rendering`. Small numbers can be suppressed for publication: a count from 1
to 4 (and any percentage worked out from it) is replaced by a marker, so no one can be identified
from a published table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from complaints.reports.periods import Period, ReportFilters

Cell = int | float | Decimal | str | date | None

SUPPRESSION_THRESHOLD = 5
SUPPRESSED_COUNT = f"<{SUPPRESSION_THRESHOLD}"
SUPPRESSED_PERCENT = "*"


class ColumnKind(StrEnum):
    LABEL = "label"  # the row's name (a month, a service area)
    COUNT = "count"
    PERCENT = "percent"  # 0 to 100, of the count in column `of`
    MONEY = "money"  # pounds, as Decimal
    NUMBER = "number"  # a measure that is not a count of people (an average)
    TEXT = "text"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: ColumnKind = ColumnKind.COUNT
    of: int | None = None  # for a percentage: the index of the count it is a share of
    whole: int | None = None  # ... and of the count it is a share of; None: the column's total


class ChartKind(StrEnum):
    BAR = "bar"  # one bar per row and series, side by side
    STACKED = "stacked"  # one bar per row, series stacked
    LINE = "line"


@dataclass(frozen=True)
class Chart:
    """How to draw a table: which column names the bars and which columns are the series."""

    kind: ChartKind
    label_column: int
    series: tuple[int, ...]
    value_axis: str = "Number"
    horizontal: bool = False
    # Draw only the rows whose cell in column `only_rows[0]` equals `only_rows[1]` (a summary
    # row per group, say), or every row when None.
    only_rows: tuple[int, str] | None = None


@dataclass(frozen=True)
class Table:
    """One table of the report."""

    key: str  # a file-safe name: the CSV file and the XLSX sheet are named after it
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    totals: tuple[Cell, ...] | None = None
    notes: tuple[str, ...] = ()
    chart: Chart | None = None
    suppressed: bool = False

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    @property
    def is_empty(self) -> bool:
        """No row has a count, a sum or a text other than zero or nothing."""
        return all(
            cell in (0, None, "") or isinstance(cell, date) or column.kind is ColumnKind.LABEL
            for row in self.rows
            for cell, column in zip(row, self.columns, strict=True)
            if column.kind is not ColumnKind.PERCENT
        )

    def column(self, heading: str) -> list[Cell]:
        """The cells of the column headed `heading`, row by row (totals excluded)."""
        index = self.headings.index(heading)
        return [row[index] for row in self.rows]

    def row(self, label: Cell, *, label_column: int = 0) -> dict[str, Cell]:
        """The first row whose label is `label`, as {heading: cell}."""
        for row in self.rows:
            if row[label_column] == label:
                return dict(zip(self.headings, row, strict=True))
        raise KeyError(f"no row {label!r} in table {self.key!r}")

    def with_suppression(self, threshold: int = SUPPRESSION_THRESHOLD) -> Table:
        """The table with counts from 1 to threshold-1 shown as '<threshold', and percentages
        worked out from them as '*'. Money, averages and text are left as they are."""
        marker = f"<{threshold}"
        return dataclasses.replace(
            self,
            rows=tuple(self._suppress_row(row, threshold, marker) for row in self.rows),
            totals=self._suppress_row(self.totals, threshold, marker) if self.totals else None,
            suppressed=True,
        )

    def _suppress_row(self, row: tuple[Cell, ...], threshold: int, marker: str) -> tuple[Cell, ...]:
        def hidden(index: int) -> bool:
            cell = row[index]
            return (
                self.columns[index].kind is ColumnKind.COUNT
                and isinstance(cell, int)
                and 0 < cell < threshold
            )

        cells: list[Cell] = []
        for index, (cell, column) in enumerate(zip(row, self.columns, strict=True)):
            if hidden(index):
                cells.append(marker)
            elif column.kind is ColumnKind.PERCENT and column.of is not None and hidden(column.of):
                cells.append(SUPPRESSED_PERCENT)
            else:
                cells.append(cell)
        return tuple(cells)


@dataclass(frozen=True)
class Report:
    """The statutory complaints report for one period."""

    title: str
    council: str
    period: Period
    filters: ReportFilters
    tables: tuple[Table, ...]
    generated_at: datetime
    notes: tuple[str, ...] = field(default_factory=tuple)
    suppressed: bool = False

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(f"the report has no table {key!r}")

    def with_suppression(self, threshold: int = SUPPRESSION_THRESHOLD) -> Report:
        note = (
            f"Numbers from 1 to {threshold - 1} are shown as <{threshold}, and percentages worked "
            f"out from them as {SUPPRESSED_PERCENT}, so that no one can be identified. Totals are "
            "shown in full."
        )
        return dataclasses.replace(
            self,
            tables=tuple(table.with_suppression(threshold) for table in self.tables),
            notes=(*self.notes, note),
            suppressed=True,
        )


def as_int(cell: Cell) -> int:
    """A count cell as a number (anything else, a suppressed marker say, as 0)."""
    if isinstance(cell, int | float | Decimal):
        return int(cell)
    return 0


def percent(part: int, whole: int) -> float:
    """`part` as a percentage of `whole` (0 when the whole is 0)."""
    return 100.0 * part / whole if whole else 0.0


def with_percentages(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> tuple[tuple[Cell, ...], ...]:
    """The rows with every percentage column worked out from the counts it is a share of
    (the builders leave those cells as None)."""
    column_totals = {
        column.of: sum(as_int(row[column.of]) for row in rows)
        for column in columns
        if column.kind is ColumnKind.PERCENT and column.of is not None and column.whole is None
    }
    completed: list[tuple[Cell, ...]] = []
    for row in rows:
        cells = list(row)
        for index, column in enumerate(columns):
            if column.kind is ColumnKind.PERCENT and column.of is not None:
                part = as_int(row[column.of])
                whole = (
                    column_totals[column.of] if column.whole is None else as_int(row[column.whole])
                )
                cells[index] = percent(part, whole)
        completed.append(tuple(cells))
    return tuple(completed)


def total_row(
    label: str, rows: Sequence[Sequence[Cell]], columns: Sequence[Column]
) -> tuple[Cell, ...]:
    """A totals row: counts and money summed, percentages of the summed counts, label first."""
    sums: list[Cell] = []
    for index, column in enumerate(columns):
        if column.kind is ColumnKind.LABEL:
            sums.append(label if index == 0 else "")
        elif column.kind is ColumnKind.COUNT:
            sums.append(sum(as_int(row[index]) for row in rows))
        elif column.kind is ColumnKind.MONEY:
            sums.append(sum((Decimal(str(row[index] or 0)) for row in rows), Decimal("0.00")))
        else:
            sums.append(None)
    return with_percentages(columns, [sums])[0]
