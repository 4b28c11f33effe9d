"""The reports benchmark's generator and measurement run end to end at 1,000 cases on SQLite
(the figures themselves come from `make bench`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from complaints.reports.queries import TABLES

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_reports.py"


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_reports", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_generates_and_reports_1000_cases() -> None:
    bench = load_benchmark()
    figures = bench.run_sqlite(1000)
    assert figures["whole"] > 0
    assert set(figures["tables"]) == {query.key for query in TABLES}
