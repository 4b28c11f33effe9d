"""The reports benchmark's generator and measurement run end to end at 1,000 cases on SQLite
(the figures themselves come from `make bench`)."""

from __future__ import annotations

import pytest

from complaints.reports.queries import TABLES
from tests.support import load_benchmark


def test_the_benchmark_generates_and_reports_1000_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = load_benchmark("bench_reports", monkeypatch)
    figures = bench.run_sqlite(1000)
    assert figures["whole"] > 0
    assert set(figures["tables"]) == {query.key for query in TABLES}
