"""A demo council written in bulk (COPY on PostgreSQL, executemany on SQLite): the very council
the ORM would save, consistent, one the case page, dashboard, report and sweep work on, refused
on a database with cases, and leaving nothing behind if it fails."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from sqlmodel import select

from complaints.cli import cli
from complaints.context import Context
from complaints.dashboard import manager_dashboard
from complaints.db import Database, upgrade
from complaints.demo import BULK_ABOVE, LoadMethod, choose_method, generator, load_demo_data
from complaints.demo import bulk as bulk_writing
from complaints.demo.rows import DEMO_TABLES
from complaints.errors import DomainError
from complaints.models import (
    Alert,
    Deadline,
    DeadlineStatus,
    FeedbackCase,
    ReferenceCounter,
    User,
)
from complaints.reports import Period, build_report
from complaints.services.case_file import case_file
from complaints.services.cases import NewFeedback, log_feedback
from tests.support import load_benchmark

CASES = 2_500
SEED = 11


@pytest.fixture
def bulk(ctx: Context) -> Context:
    summary = load_demo_data(ctx, cases=CASES, seed=SEED, method="bulk")
    assert summary.method is LoadMethod.BULK and summary.cases == CASES
    return ctx


def every_row(ctx: Context) -> dict[str, list[tuple[Any, ...]]]:
    """Every row a demo load writes, table by table, read back through the models' types."""
    with ctx.database.engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    sa.select(table.table).order_by(*table.table.primary_key.columns)
                )
            ]
            for table in DEMO_TABLES
        }


def scalar(ctx: Context, statement: str) -> Any:
    with ctx.database.engine.connect() as connection:
        return connection.execute(sa.text(statement)).scalar()


def sqlite_context(ctx: Context, path: Path) -> Context:
    other = Database(f"sqlite:///{path}")
    upgrade(other)
    return Context(ctx.settings, ctx.clock, other)


def schema(ctx: Context) -> dict[str, Any]:
    """Each demo table's indexes and foreign keys, as the database reports them."""
    inspector = sa.inspect(ctx.database.engine)
    return {
        table.name: (
            sorted(index["name"] or "" for index in inspector.get_indexes(table.name)),
            sorted(key["name"] or "" for key in inspector.get_foreign_keys(table.name)),
        )
        for table in DEMO_TABLES
    }


def run(ctx: Context, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj={"context": ctx})


def test_the_bulk_path_writes_the_very_council_the_orm_saves(ctx: Context, tmp_path: Path) -> None:
    load_demo_data(ctx, cases=300, seed=SEED, method="bulk")
    played = sqlite_context(ctx, tmp_path / "played.db")
    load_demo_data(played, cases=300, seed=SEED, method="played")
    assert every_row(ctx) == every_row(played)
    played.database.dispose()


def test_batches_make_no_difference_to_the_council(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = sqlite_context(ctx, tmp_path / "whole.db")
    load_demo_data(whole, cases=1_000, seed=SEED, method="bulk")
    monkeypatch.setattr(generator, "BATCH_CASES", 300)
    load_demo_data(ctx, cases=1_000, seed=SEED, method="bulk")
    assert every_row(ctx) == every_row(whole)
    whole.database.dispose()


def test_every_bulk_case_has_the_rows_its_state_needs(bulk: Context) -> None:
    with bulk.database.engine.connect() as connection:
        by_state = connection.execute(
            sa.text("SELECT state, count(*) FROM feedback_case GROUP BY 1")
        )
        states: Counter[str] = Counter(dict(by_state.all()))
    assert sum(states.values()) == CASES
    assert states.most_common(1)[0][0] == "closed" and len(states) >= 12
    checks = {
        "a complaint without a point": (
            "SELECT count(*) FROM feedback_case c WHERE c.feedback_type = 'complaint' "
            "AND NOT EXISTS (SELECT 1 FROM complaint_point p WHERE p.case_id = c.id)"
        ),
        "a complaint without an acknowledgement deadline": (
            "SELECT count(*) FROM feedback_case c WHERE c.feedback_type = 'complaint' "
            "AND NOT EXISTS (SELECT 1 FROM deadline d WHERE d.case_id = c.id "
            "AND d.name = 'acknowledgement')"
        ),
        "a responded point without its finding": (
            "SELECT count(*) FROM complaint_point p JOIN feedback_case c ON c.id = p.case_id "
            "WHERE c.state IN ('stage1_responded', 'responded') AND NOT EXISTS "
            "(SELECT 1 FROM point_outcome o WHERE o.point_id = p.id AND o.stage = 1)"
        ),
        "a closed case with a deadline still running": (
            "SELECT count(*) FROM feedback_case c WHERE c.closed_on IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM deadline d WHERE d.case_id = c.id AND d.status = 'running')"
        ),
        "a complaint not yet acknowledged without its acknowledgement running": (
            "SELECT count(*) FROM feedback_case c WHERE c.feedback_type = 'complaint' "
            "AND c.state = 'received' AND NOT EXISTS (SELECT 1 FROM deadline d "
            "WHERE d.case_id = c.id AND d.name = 'acknowledgement' AND d.status = 'running')"
        ),
        "a case without its demo_case_loaded event": (
            "SELECT count(*) FROM feedback_case c WHERE (SELECT count(*) FROM audit_event e "
            "WHERE e.case_id = c.id AND e.action = 'demo_case_loaded') <> 1"
        ),
        "a case without a category": (
            "SELECT count(*) FROM feedback_case c "
            "WHERE NOT EXISTS (SELECT 1 FROM case_category k WHERE k.case_id = c.id)"
        ),
        "an extension not matching its deadline": (
            "SELECT count(*) FROM extension x JOIN deadline d ON d.id = x.deadline_id "
            "WHERE d.extended_to IS NULL OR x.new_due_on <> d.due_on OR x.case_id <> d.case_id"
        ),
    }
    found = {name: scalar(bulk, statement) for name, statement in checks.items()}
    assert found == dict.fromkeys(checks, 0)
    with bulk.database.reader() as session:
        running = session.exec(
            select(Deadline).where(Deadline.status == DeadlineStatus.RUNNING)
        ).all()
    today = bulk.clock.today()
    assert any(d.due_on < today for d in running) and any(d.due_on >= today for d in running)
    assert all(bulk.calendar.is_working_day(deadline.due_on) for deadline in running)


def test_bulk_references_run_on_by_year_and_the_next_case_logged_gets_a_fresh_one(
    bulk: Context,
) -> None:
    with bulk.database.reader() as session:
        cases = session.exec(select(FeedbackCase).order_by(FeedbackCase.id)).all()
        counters = {c.year: c.last_number for c in session.exec(select(ReferenceCounter)).all()}
    numbers: dict[int, list[int]] = {}
    for case in cases:
        match = re.fullmatch(r"CF-(\d{4})-(\d{6})", case.reference)
        assert match and int(match[1]) == case.received_on.year
        numbers.setdefault(case.received_on.year, []).append(int(match[2]))
    # Numbered 1, 2, 3... in each year, in the order received (ids follow the same order).
    assert numbers == {year: list(range(1, len(n) + 1)) for year, n in numbers.items()}
    assert counters == {year: len(n) for year, n in numbers.items()}
    assert [case.received_on for case in cases] == sorted(case.received_on for case in cases)

    today = bulk.clock.today()
    feedback = NewFeedback(
        procedure="corporate",
        feedback_type="complaint",
        received_on=today,
        summary="Missed collection",
        complainant_name="Ava Smith",
    )
    # Its rows take ids from the database's sequences: they would collide with bulk ids had the
    # load not moved the sequences on.
    logged = log_feedback(bulk, feedback, by="officer.patel")
    assert logged.reference == f"CF-{today.year}-{counters[today.year] + 1:06d}"
    assert scalar(bulk, "SELECT count(*) FROM feedback_case") == CASES + 1


def test_the_case_page_dashboard_and_annual_report_work_on_a_bulk_load(bulk: Context) -> None:
    with bulk.database.reader() as session:
        admin = session.exec(select(User).where(User.username == "admin")).one()
        references = session.exec(
            select(FeedbackCase.reference).where(
                FeedbackCase.id.in_(  # type: ignore[union-attr]
                    select(sa.func.min(FeedbackCase.id)).group_by(FeedbackCase.state)
                )
            )
        ).all()
    for reference in references:
        page = case_file(bulk, reference, admin)
        assert page.reference == reference and page.timeline
    dashboard = manager_dashboard(bulk, admin)
    assert dashboard.overdue_total > 0 and dashboard.by_team and dashboard.by_officer
    period = Period.financial_year(2025)
    report = build_report(bulk, period, by="admin")
    by_type = next(table for table in report.tables if table.key == "feedback_by_type")
    received = scalar(
        bulk,
        "SELECT count(*) FROM feedback_case "
        f"WHERE received_on BETWEEN '{period.start}' AND '{period.end}'",
    )
    assert received > 0 and sum(int(row[3]) for row in by_type.rows) == received  # type: ignore[arg-type]


def test_the_deadline_sweep_works_on_a_bulk_load(bulk: Context) -> None:
    swept = run(bulk, "alerts", "sweep")
    assert swept.exit_code == 0, swept.output
    with bulk.database.reader() as session:
        alerts = session.exec(select(sa.func.count()).select_from(Alert)).one()
    assert alerts > 0 and f": {alerts} new alerts" in swept.stdout
    again = run(bulk, "alerts", "sweep")
    assert again.exit_code == 0 and ": 0 new alerts" in again.stdout


def test_demo_data_is_written_in_bulk_above_the_threshold_unless_told_otherwise(
    ctx: Context,
) -> None:
    assert choose_method(BULK_ABOVE) is LoadMethod.PLAYED
    assert choose_method(BULK_ABOVE + 1) is LoadMethod.BULK
    assert choose_method(10, "bulk") is LoadMethod.BULK
    assert choose_method(BULK_ABOVE + 1, "played") is LoadMethod.PLAYED
    with pytest.raises(DomainError, match="demo data is loaded played or bulk, not 'fast'"):
        choose_method(10, "fast")
    loaded = run(ctx, "demo-data", "--cases", str(BULK_ABOVE + 1))
    assert loaded.exit_code == 0, loaded.output
    assert f"Loaded {BULK_ABOVE + 1} demo cases" in loaded.stdout
    assert re.search(r"Written in bulk in [\d.]+ s \([\d,]+ cases a second\)", loaded.stdout)
    timed = next(line for line in loaded.stdout.splitlines() if line.startswith("rows made"))
    phases = re.findall(r"([a-z ]+) [\d.]+ s(?:;|$)", timed)
    vacuumed = ["tables vacuumed after the commit"] if _on_postgresql(ctx) else []
    assert [phase.strip() for phase in phases] == [
        "rows made and written",
        "indexes and foreign keys made again",
        "tables analysed",
        *vacuumed,
    ]


def test_demo_data_played_on_request_says_so(ctx: Context) -> None:
    loaded = run(ctx, "demo-data", "--cases", "30", "--method", "played")
    assert loaded.exit_code == 0, loaded.output
    assert "Saved through the ORM in" in loaded.stdout


def test_a_bulk_load_is_refused_on_a_database_with_cases_and_changes_nothing(
    bulk: Context,
) -> None:
    before = every_row(bulk), schema(bulk)
    refused = run(bulk, "demo-data", "--cases", "5000", "--method", "bulk")
    assert refused.exit_code == 1
    assert f"already holds {CASES} cases; demo data not loaded" in refused.stderr
    kept = run(bulk, "demo-data", "--cases", "5000", "--if-empty")
    assert kept.exit_code == 0 and "keeping the existing data" in kept.stdout
    assert (every_row(bulk), schema(bulk)) == before


def test_a_bulk_load_that_breaks_a_constraint_leaves_nothing_behind(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = schema(ctx)
    made = generator.DemoGenerator.__init__

    def no_such_category(self: generator.DemoGenerator, *args: Any) -> None:
        made(self, *args)
        self.category_ids = [999_999]

    monkeypatch.setattr(generator.DemoGenerator, "__init__", no_such_category)
    with pytest.raises(sa.exc.IntegrityError):
        load_demo_data(ctx, cases=CASES, seed=SEED, method="bulk")
    assert scalar(ctx, "SELECT count(*) FROM feedback_case") == 0
    assert scalar(ctx, "SELECT count(*) FROM reference_counter") == 0
    assert schema(ctx) == before


def test_the_benchmark_loads_a_council_both_ways_and_compares_them(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = load_benchmark("bench_demo_data", monkeypatch)
    played, bulk = bench.compare("SQLite", bench.fresh_sqlite, cases=300, played_cases=40)
    assert (played.cases, bulk.cases) == (40, 300) and bulk.rows > 10 * bulk.cases
    assert "times as fast" in capsys.readouterr().out


def _on_postgresql(ctx: Context) -> bool:
    return ctx.database.engine.dialect.name == "postgresql"


def test_a_failed_vacuum_after_the_commit_is_reported_not_raised(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    if not _on_postgresql(ctx):
        pytest.skip("the VACUUM after a bulk load is PostgreSQL's")
    engine = ctx.database.engine

    assert list(bulk_writing.vacuum_after_bulk(engine)) == [bulk_writing.VACUUM_PHASE]
    assert bulk_writing.vacuum_after_bulk(engine, ("no_such_table",)) == {}
    assert "VACUUM after the demo load failed" in caplog.text
