"""Report periods (refused when they do not exist), suppression of small numbers, an empty
period, and the SQL's rules agreeing with the Python ones they mirror (stage outcomes,
timeliness, Ombudsman compliance)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlmodel import select

from complaints.context import Context
from complaints.models import Deadline, LgscoRecord, Outcome
from complaints.outcomes import stage_outcome
from complaints.reports import Period, ReportFilters, ReportPeriodError, build_report
from complaints.services.lgsco import complied_on_time
from complaints.timeliness import answer_deadlines, stage_timeliness
from tests.reports.data import ReportData


def test_a_financial_year_runs_from_1_april_to_31_march() -> None:
    year = Period.financial_year(2025)
    assert (year.start, year.end, year.label) == (date(2025, 4, 1), date(2026, 3, 31), "2025/26")


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, date(2025, 4, 1), date(2025, 6, 30)),
        (2, date(2025, 7, 1), date(2025, 9, 30)),
        (3, date(2025, 10, 1), date(2025, 12, 31)),
        (4, date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_quarters_of_the_financial_year(quarter: int, start: date, end: date) -> None:
    period = Period.quarter(2025, quarter)
    assert (period.start, period.end, period.label) == (start, end, f"Q{quarter} 2025/26")


def test_the_years_before_a_quarter_are_the_same_quarter() -> None:
    assert Period.quarter(2025, 4).years_earlier(2) == Period.quarter(2023, 4)
    leap = Period.between(date(2024, 2, 29), date(2024, 3, 31)).years_earlier(1)
    assert (leap.start, leap.end) == (date(2023, 2, 28), date(2023, 3, 31))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Period.quarter(2025, 5), "there is no quarter 5"),
        (lambda: Period.quarter(2025, 0), "there is no quarter 0"),
        (lambda: Period.financial_year(99999), "there is no financial year 99999"),
        (lambda: Period.financial_year(1066), "there is no financial year 1066"),
        (
            lambda: Period.between(date(2025, 3, 31), date(2025, 3, 1)),
            "ends (2025-03-01) before it starts (2025-03-31)",
        ),
        (lambda: ReportFilters.parse(("schools",)), "there is no procedure 'schools'"),
    ],
)
def test_periods_that_do_not_exist_are_refused(make: object, message: str) -> None:
    with pytest.raises(ReportPeriodError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()  # type: ignore[operator]


def test_an_unknown_service_area_is_refused(reader: Context) -> None:
    with pytest.raises(Exception, match="there is no service area 'Parks'"):
        build_report(reader, Period.financial_year(2025), ReportFilters(team="Parks"), by="admin")


def test_an_empty_period_gives_every_table_with_zeros_and_a_note(reader: Context) -> None:
    report = build_report(reader, Period.quarter(2030, 2), by="admin")
    assert len(report.tables) == 17
    assert any("No complaints, compliments or comments" in note for note in report.notes)
    for table in report.tables:
        assert table.notes, table.key
        numbers = [c for row in table.rows for c in row if isinstance(c, int | float)]
        assert all(number == 0 for number in numbers), table.key
        assert table.is_empty
    assert report.table("lessons_learned").notes[-1] == (
        "No lessons learned were recorded in this period."
    )


def test_suppression_hides_counts_under_five_and_their_percentages(ctx: Context) -> None:
    data = ReportData()
    for _ in range(3):
        data.case(date(2025, 4, 10), team="Highways", procedure="corporate")
    for _ in range(7):
        data.case(date(2025, 5, 10), team="Planning", procedure="corporate")
    data.save(ctx.database)
    report = build_report(ctx, Period.financial_year(2025), suppress_small=True, by="admin")
    table = report.table("complaints_by_service_area")
    assert table.row("Highways") == {
        "Service area": "Highways", "Complaints": "<5", "% of complaints": "*",
    }  # fmt: skip
    assert table.row("Planning")["Complaints"] == 7
    assert table.totals == ("Total", 10, 100.0)
    assert report.table("complaints_by_month").row("May 2025")["Complaints"] == 7
    assert report.table("complaints_by_month").row("June 2025")["Complaints"] == 0
    assert any("shown as <5" in note for note in report.notes)


def test_sql_stage_outcomes_agree_with_stage_outcome(ctx: Context) -> None:
    rng = random.Random(8)
    data = ReportData()
    expected = {"upheld": 0, "partially_upheld": 0, "not_upheld": 0}
    choices = [o.value for o in Outcome]
    for _ in range(300):
        case_id = data.case(date(2025, 6, 2), procedure="corporate")
        findings = [rng.choice(choices) for _ in range(rng.randint(1, 4))]
        data.findings(case_id, 1, findings, date(2025, 6, 20))
        outcome = stage_outcome(Outcome(f) for f in findings)
        if outcome is not None:
            expected[outcome.value] += 1
    data.save(ctx.database)
    row = (
        build_report(ctx, Period.financial_year(2025), by="admin")
        .table("outcomes_by_stage")
        .rows[0]
    )
    assert (row[2], row[4], row[6]) == (
        expected["upheld"], expected["partially_upheld"], expected["not_upheld"],
    )  # fmt: skip


def test_sql_timeliness_agrees_with_stage_timeliness(ctx: Context) -> None:
    rng = random.Random(9)
    data = ReportData()
    names = ["stage1_response", "stage2_investigation", "adjudication", "stage2_response"]
    for _ in range(200):
        case_id = data.case(date(2025, 5, 1))
        for _ in range(rng.randint(1, 3)):
            day_zero = date(2025, 4, 1) + timedelta(days=rng.randint(0, 300))
            stopped = day_zero + timedelta(days=rng.randint(0, 60))
            data.deadline(
                case_id, rng.choice(names), stage=rng.choice([1, 2]), day_zero=day_zero,
                due=ctx.calendar.add_working_days(day_zero, 10), stopped=stopped,
                status=rng.choice(["stopped", "stopped", "cancelled"]),
            )  # fmt: skip
    data.save(ctx.database)
    period = Period.financial_year(2025)
    with ctx.database.reader() as session:
        deadlines = session.exec(select(Deadline).order_by(Deadline.id)).all()  # type: ignore[arg-type]
    by_case: dict[int, list[Deadline]] = {}
    for deadline in deadlines:
        by_case.setdefault(deadline.case_id, []).append(deadline)
    expected: dict[int, list[int]] = {1: [0, 0, 0, 0, 0], 2: [0, 0, 0, 0, 0]}
    bands = {"within_10": 2, "11_to_20": 3, "over_20": 4}
    for case_deadlines in by_case.values():
        for stage, result in stage_timeliness(
            ctx.calendar, case_deadlines, answer_deadlines(ctx.engine.workflows.values())
        ).items():
            answer = max(
                (d for d in case_deadlines if d.stage == stage and d.status == "stopped"
                 and d.name in names),
                key=lambda d: (d.stopped_on, d.id),
            )  # fmt: skip
            assert answer.stopped_on is not None
            if not period.start <= answer.stopped_on <= period.end:
                continue
            counts = expected[stage]
            counts[0] += 1
            counts[1] += result.within
            counts[bands[result.band.value]] += 1
    table = build_report(ctx, period, by="admin").table("timeliness_by_stage")
    for stage in (1, 2):
        row = table.rows[stage - 1]
        assert [row[1], row[2], row[6], row[7], row[8]] == expected[stage]


def test_sql_compliance_on_time_agrees_with_complied_on_time(ctx: Context) -> None:
    rng = random.Random(10)
    data = ReportData()
    case_id = data.case(date(2025, 5, 1))
    for _ in range(60):
        due = date(2025, 6, 1) + timedelta(days=rng.randint(0, 200))
        data.lgsco(
            case_id, date(2025, 5, 2), remedy_agreed=rng.choice([None, "Pay £50"]),
            compliance_due_on=due,
            complied_on=rng.choice([None, due - timedelta(days=3), due + timedelta(days=3)]),
        )  # fmt: skip
    data.save(ctx.database)
    with ctx.database.reader() as session:
        records = session.exec(select(LgscoRecord)).all()
    on_time = sum(1 for record in records if complied_on_time(record) is True)
    late = sum(1 for record in records if complied_on_time(record) is False)
    figures = dict(build_report(ctx, Period.financial_year(2025), by="admin").table("lgsco").rows)
    assert (figures["Remedies carried out on time"], figures["Remedies carried out late"]) == (
        on_time, late,
    )  # fmt: skip
