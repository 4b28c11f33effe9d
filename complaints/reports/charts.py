"""A chart for each table: bars or a line, in colours people with colour-blindness can tell
apart (the Okabe-Ito palette), with hatching on stacked bars so print in grey still reads, a
title and labelled axes. SVG for the web, PNG for the PDF.

matplotlib runs on its Agg backend (no display) and each chart is its own Figure, so charts can
be drawn from any thread.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from complaints.reports.model import Cell, ChartKind, Table

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency; the yellow is left out as it fades on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++")
PNG_DPI = 150


def chart_svg(table: Table) -> str | None:
    """The table's chart as an SVG document, or None for a table drawn as text only."""
    figure = _figure(table)
    if figure is None:
        return None
    buffer = io.StringIO()
    # Text kept as text (not outlines): smaller, searchable, and read out by screen readers.
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def chart_png(table: Table) -> bytes | None:
    """The table's chart as a PNG image, or None for a table drawn as text only."""
    figure = _figure(table)
    if figure is None:
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, bbox_inches="tight")
    return buffer.getvalue()


def chart_description(table: Table) -> str:
    """Alternative text for the chart: what it shows (the table beside it gives the numbers)."""
    chart = table.chart
    if chart is None:
        return ""
    series = ", ".join(table.columns[index].heading for index in chart.series)
    kind = {ChartKind.BAR: "Bar chart", ChartKind.STACKED: "Stacked bar chart",
            ChartKind.LINE: "Line chart"}[chart.kind]  # fmt: skip
    return (
        f"{kind} of {table.title.lower()}: {series} for each "
        f"{table.columns[chart.label_column].heading.lower()}. The figures are in the table."
    )


def _value(cell: Cell) -> float:
    """A cell as a number to plot; a suppressed count ('<5') is drawn as nothing."""
    if isinstance(cell, bool):
        return float(cell)
    if isinstance(cell, int | float | Decimal):
        return float(cell)
    return 0.0


def _bar_style(number: int, heading: str) -> dict[str, Any]:
    return {
        "color": PALETTE[number % len(PALETTE)],
        "hatch": HATCHES[number % len(HATCHES)],
        "edgecolor": "white",
        "label": heading,
    }


def _figure(table: Table) -> Figure | None:
    chart = table.chart
    if chart is None:
        return None
    rows = [
        row
        for row in table.rows
        if chart.only_rows is None or row[chart.only_rows[0]] == chart.only_rows[1]
    ]
    names = [str(row[chart.label_column]) for row in rows]
    series = [
        (table.columns[index].heading, np.array([_value(row[index]) for row in rows]))
        for index in chart.series
    ]
    height = max(3.2, 0.32 * len(rows) + 1.6) if chart.horizontal else 3.6
    figure = Figure(figsize=(7.5, height), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(rows))
    if chart.kind is ChartKind.LINE:
        for number, (heading, values) in enumerate(series):
            axes.plot(positions, values, marker="o", color=PALETTE[number % len(PALETTE)],
                      label=heading)  # fmt: skip
    elif chart.kind is ChartKind.STACKED:
        base = np.zeros(len(rows))
        for number, (heading, values) in enumerate(series):
            style = _bar_style(number, heading)
            if chart.horizontal:
                axes.barh(positions, values, left=base, **style)
            else:
                axes.bar(positions, values, bottom=base, **style)
            base = base + values
    else:
        width = 0.8 / max(1, len(series))
        for number, (heading, values) in enumerate(series):
            offset = (number - (len(series) - 1) / 2) * width
            style = _bar_style(number, heading)
            if chart.horizontal:
                axes.barh(positions + offset, values, height=width, **style)
            else:
                axes.bar(positions + offset, values, width=width, **style)
    category_axis = table.columns[chart.label_column].heading
    if chart.horizontal:
        axes.set_yticks(positions, names)
        axes.invert_yaxis()  # the first row at the top, as in the table
        axes.set_xlabel(chart.value_axis)
        axes.set_ylabel(category_axis)
    else:
        axes.set_xticks(positions, names, rotation=30 if len(rows) > 4 else 0, ha="right"
                        if len(rows) > 4 else "center")  # fmt: skip
        axes.set_ylabel(chart.value_axis)
        axes.set_xlabel(category_axis)
    (axes.xaxis if chart.horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    axes.set_title(table.title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)
    return figure
