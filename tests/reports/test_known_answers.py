"""Every table of the annual report 2025/26 on a small council whose answers are worked out by
hand; the working days cross Easter 2025 (Good Friday 18 April, Easter Monday 21 April) and the
spring bank holiday (26 May)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from complaints.context import Context
from complaints.errors import AccessDeniedError
from complaints.reports import Period, ReportFilters, build_report
from complaints.reports.model import Report
from complaints.services.people import add_user
from tests.reports.data import ReportData

YEAR = Period.financial_year(2025)
CF, HIGHWAYS = "Children and Families", "Highways"


def small_council() -> ReportData:
    d = ReportData()
    # A: statutory, two points (partially upheld at stage 1), then stage 2 (upheld), closed.
    a = d.case(date(2025, 4, 10), team=CF, categories=("Communication", "Staff conduct"),
               state="closed", stage=2, closed_on=date(2025, 8, 30))  # fmt: skip
    d.findings(a, 1, ["upheld", "not_upheld"], date(2025, 4, 20))
    d.deadline(a, "acknowledgement", day_zero=date(2025, 4, 10), due=date(2025, 4, 14),
               stopped=date(2025, 4, 11))  # fmt: skip
    d.deadline(a, "stage1_response", day_zero=date(2025, 4, 10), due=date(2025, 4, 28),
               stopped=date(2025, 4, 22))  # fmt: skip
    d.remedy(a, 1, "explanation", date(2025, 4, 22))
    d.remedy(a, 1, "apology", date(2025, 4, 22))
    d.escalation(a, 2, date(2025, 5, 1), "dissatisfied_with_response")
    investigation = d.deadline(a, "stage2_investigation", stage=2, day_zero=date(2025, 5, 8),
                               due=date(2025, 6, 20), stopped=date(2025, 6, 20))  # fmt: skip
    d.extension(investigation, a, 10)
    d.deadline(a, "adjudication", stage=2, day_zero=date(2025, 6, 20), due=date(2025, 7, 18),
               stopped=date(2025, 7, 25))  # fmt: skip
    d.findings(a, 2, ["upheld", "upheld"], date(2025, 7, 25))
    d.remedy(a, 2, "financial", date(2025, 7, 25), "250.00")
    d.cost(a, 2, "investigating_officer", "1200.50", date(2025, 6, 25))
    d.cost(a, 2, "independent_person", "300.25", date(2025, 6, 25))
    d.action(a, date(2025, 8, 1), status="completed", completed=date(2025, 7, 30))
    d.action(a, date(2025, 9, 1), kind="recommendation", status="completed",
             completed=date(2025, 9, 10))  # fmt: skip
    d.action(a, date(2026, 1, 1))  # still open: overdue on 23 November 2026
    d.action(a, date(2026, 6, 1))  # due next year
    d.lesson(a, date(2025, 7, 30), "Call back when we say we will")
    d.lgsco(a, date(2026, 3, 1))
    # B: corporate, not upheld, answered late after a 5-day extension; at stage 2 since June.
    b = d.case(date(2025, 5, 15), procedure="corporate", team=HIGHWAYS,
               state="stage2_investigating", stage=2)  # fmt: skip
    d.findings(b, 1, ["not_upheld"], date(2025, 6, 1))
    response = d.deadline(b, "stage1_response", day_zero=date(2025, 5, 16),
                          due=date(2025, 6, 6), stopped=date(2025, 6, 13))  # fmt: skip
    d.extension(response, b, 5, agreed=True)
    d.remedy(b, 1, "explanation", date(2025, 6, 13))
    d.escalation(b, 2, date(2025, 6, 20), "no_response")
    d.deadline(b, "stage2_acknowledgement", stage=2, day_zero=date(2025, 6, 20),
               due=date(2025, 6, 27), stopped=date(2025, 6, 27))  # fmt: skip
    d.deadline(b, "stage2_response", stage=2, day_zero=date(2025, 6, 27), due=date(2025, 7, 25))
    d.lgsco(b, date(2025, 10, 1), decision="upheld_fault_and_injustice",
            decision_on=date(2025, 12, 1), remedy_agreed="Apologise and pay £100",
            compliance_due_on=date(2026, 1, 15), complied_on=date(2026, 1, 10),
            closed_on=date(2026, 2, 1))  # fmt: skip
    d.lesson(b, date(2024, 12, 1), "Last year's lesson")
    # C: withdrawn before any finding.
    c = d.case(date(2025, 4, 1), team=CF, categories=("Communication",), state="withdrawn",
               closed_on=date(2025, 4, 5))  # fmt: skip
    d.findings(c, 1, ["withdrawn"], date(2025, 4, 5))
    d.deadline(c, "stage1_response", day_zero=date(2025, 4, 1), due=date(2025, 4, 15),
               stopped=date(2025, 4, 5), status="cancelled")  # fmt: skip
    # J: its last finding and its answer fall after the year's end.
    j = d.case(date(2025, 9, 10), team=CF, state="stage1_responded")
    d.findings(j, 1, ["upheld", "upheld"], [date(2026, 3, 30), date(2026, 4, 2)])
    d.deadline(j, "stage1_response", day_zero=date(2025, 9, 10), due=date(2025, 9, 24),
               stopped=date(2026, 4, 2))  # fmt: skip
    # Compliments, a comment, a question, and complaints outside the year.
    d.case(date(2025, 6, 1), feedback_type="compliment", procedure="feedback", team=HIGHWAYS,
           categories=("Staff conduct",), state="closed", stage=0)  # fmt: skip
    d.case(date(2024, 6, 1), feedback_type="compliment", procedure="feedback", team=HIGHWAYS,
           state="closed", stage=0)  # fmt: skip
    d.case(date(2026, 3, 31), feedback_type="comment", procedure="feedback", state="closed")
    d.case(date(2025, 7, 1), feedback_type="question", procedure="redirection",
           state="redirected")  # fmt: skip
    d.case(date(2026, 4, 1), procedure="corporate", team=HIGHWAYS)
    d.case(date(2023, 5, 1), team=CF)
    return d


@pytest.fixture
def report(ctx: Context) -> Report:
    small_council().save(ctx.database)
    return build_report(ctx, YEAR, by="admin")


def test_feedback_by_type_gives_this_year_and_the_two_before(report: Report) -> None:
    table = report.table("feedback_by_type")
    assert table.headings == ["Type", "2023/24", "2024/25", "2025/26"]
    assert [row[1:] for row in table.rows] == [(1, 0, 4), (0, 1, 1), (0, 0, 1), (0, 0, 1)]
    assert table.totals == ("Total", 1, 1, 7)


def test_complaints_by_month_lists_every_month_of_the_year(report: Report) -> None:
    table = report.table("complaints_by_month")
    assert len(table.rows) == 12
    assert table.rows[0][:5] == ("April 2025", 2, 0, 0, 2)
    assert table.row("May 2025")["Corporate"] == 1
    assert table.row("September 2025")["Complaints"] == 1
    assert table.row("March 2026")["Complaints"] == 0
    assert table.totals is not None and table.totals[4] == 4
    assert table.row("April 2025")["% of the period's complaints"] == pytest.approx(50.0)


def test_complaints_by_service_area_highest_first(report: Report) -> None:
    table = report.table("complaints_by_service_area")
    assert [row[:2] for row in table.rows] == [(CF, 3), (HIGHWAYS, 1)]
    assert table.rows[0][2] == pytest.approx(75.0)


def test_complaints_by_category_counts_each_category_and_the_uncategorised(
    report: Report,
) -> None:
    table = report.table("complaints_by_category")
    assert table.row("Communication")["Complaints"] == 2
    assert table.row("Staff conduct")["Complaints"] == 1
    assert table.row("Not categorised")["Complaints"] == 2
    assert table.totals is not None and table.totals[1] == 5


def test_stage_counts_by_procedure(report: Report) -> None:
    table = report.table("complaints_by_stage")
    assert table.rows[0][1:] == (3, 1, 0, 4)
    assert table.rows[1][1:] == (1, 1, 0, 2)
    assert table.rows[2][1:] == (0, 0, 0, 0)


def test_outcomes_exclude_the_withdrawn_and_stages_concluded_after_the_year(
    report: Report,
) -> None:
    rows = {(row[0], row[1]): row for row in report.table("outcomes_by_stage").rows}
    upheld, partly, not_upheld, total = 2, 4, 6, 8
    all_stage1 = rows[("Stage 1", "All service areas")]
    assert (all_stage1[upheld], all_stage1[partly], all_stage1[not_upheld], all_stage1[total]) == (
        0, 1, 1, 2,
    )  # fmt: skip
    assert rows[("Stage 1", CF)][partly] == 1 and rows[("Stage 1", HIGHWAYS)][not_upheld] == 1
    assert rows[("Stage 1", CF)][3] == 0.0 and rows[("Stage 1", CF)][5] == 100.0
    all_stage2 = rows[("Stage 2", "All service areas")]
    assert (all_stage2[upheld], all_stage2[total]) == (1, 1)
    assert rows[("Stage 3", "All service areas")][total] == 0


def test_remedies_count_complaints_per_stage(report: Report) -> None:
    table = report.table("remedies_by_stage")
    assert table.row("Explanation provided")["Stage 1"] == 2
    assert table.row("Apology")["Complaints (any stage)"] == 1
    assert table.row("Financial remedy")["Stage 2"] == 1
    assert table.row("Change of policy")["Complaints (any stage)"] == 0
    assert any("£250.00" in note for note in table.notes)


def test_timeliness_within_exceeding_and_bands(report: Report) -> None:
    table = report.table("timeliness_by_stage")
    # A stage 1: 6 working days (Easter), within; B: 19 working days (spring bank holiday),
    # after its due date. A stage 2: the adjudication, 25 working days, late.
    assert table.rows[0] == ("Stage 1", 2, 1, 50.0, 1, 50.0, 1, 1, 0, 12.5)
    assert table.rows[1] == ("Stage 2", 1, 0, 0.0, 1, 100.0, 0, 0, 1, 25.0)
    assert table.rows[2][1] == 0


def test_extensions_by_stage(report: Report) -> None:
    table = report.table("extensions")
    assert table.rows[0] == ("Stage 1", 1, 0, 0.0, 1, 1, 5)
    assert table.rows[1] == ("Stage 2", 1, 1, 100.0, 1, 0, 10)


def test_escalation_reasons(report: Report) -> None:
    table = report.table("escalation_reasons")
    assert table.row("Dissatisfied with the response")["To stage 2"] == 1
    assert table.row("No response at the previous stage")["Total"] == 1
    assert table.totals is not None and table.totals[3] == 2


def test_stage2_open_at_the_end_of_the_year_by_step(report: Report) -> None:
    table = report.table("stage2_open_by_step")
    investigating = table.row("Investigation under way")
    assert investigating["Corporate"] == 1 and investigating["Of which overdue"] == 1
    assert table.totals is not None and table.totals[-2:] == (1, 1)


def test_lgsco_enquiries_decisions_and_remedies(report: Report) -> None:
    table = report.table("lgsco")
    figures = {row[0]: row[1] for row in table.rows}
    assert figures["Enquiries received"] == 2
    assert figures["Enquiries open at the end of the period"] == 1
    assert figures["Decision: upheld, fault and injustice"] == 1
    assert figures["Remedies carried out on time"] == 1
    assert figures["Remedies not yet carried out"] == 0


def test_stage_costs_in_pounds_and_pence(report: Report) -> None:
    table = report.table("stage_costs")
    assert table.row("Investigating officer")["Stage 2 (£)"] == Decimal("1200.50")
    assert table.totals is not None and table.totals[3] == Decimal("1500.75")


def test_compliments_by_service_area_and_category(report: Report) -> None:
    assert report.table("compliments_by_service_area").rows[0][:2] == (HIGHWAYS, 1)
    assert report.table("compliments_by_category").row("Staff conduct")["Compliments"] == 1


def test_actions_completed_and_overdue(report: Report) -> None:
    table = report.table("actions")
    assert table.row("Actions") == {
        "Kind": "Actions", "Due in the period": 2, "Completed on time": 1, "% on time": 50.0,
        "Completed late": 0, "Overdue": 1, "Open, not yet due": 0, "Cancelled": 0,
    }  # fmt: skip
    assert table.row("Recommendations")["Completed late"] == 1


def test_lessons_learned_are_listed(report: Report) -> None:
    table = report.table("lessons_learned")
    assert table.rows == (
        (date(2025, 7, 30), "CF-2025-000001", CF, "Call back when we say we will"),
    )


def test_a_manager_of_one_team_sees_every_figure_but_only_their_team_s_lessons(
    ctx: Context, report: Report
) -> None:
    """Statistical tables are council-wide for every manager; a lesson's words and its case's
    reference are for those who may see the case (docs/access.md)."""
    add_user(ctx, "hwmgr", role="manager", full_name="Hugh Manager", team=HIGHWAYS)
    add_user(ctx, "hwoff", role="officer", full_name="Hal Highways", team=HIGHWAYS)
    theirs = build_report(ctx, YEAR, by="hwmgr")
    assert theirs.table("lessons_learned").rows == ()
    assert theirs.table("lessons_learned").notes[1:] == (
        "Only the lessons of cases you may see are listed; the other tables count every case.",
        "No lessons learned of cases you may see were recorded in this period.",
    )
    for mine, whole in zip(theirs.tables, report.tables, strict=True):
        if mine.key != "lessons_learned":
            assert mine.rows == whole.rows, mine.key
    with pytest.raises(AccessDeniedError, match="an officer cannot see the complaints reports"):
        build_report(ctx, YEAR, by="hwoff")


def test_filters_narrow_every_table(ctx: Context) -> None:
    small_council().save(ctx.database)
    corporate = build_report(ctx, YEAR, ReportFilters.parse(("corporate",)), by="admin")
    assert corporate.table("complaints_by_stage").headings == ["Stage", "Corporate", "Total"]
    assert corporate.table("timeliness_by_stage").rows[0][1] == 1
    highways = build_report(ctx, YEAR, ReportFilters.parse(team="highways"), by="admin")
    assert [row[:2] for row in highways.table("complaints_by_service_area").rows] == [(HIGHWAYS, 1)]
    assert highways.table("remedies_by_stage").row("Apology")["Stage 1"] == 0


def test_a_quarter_counts_only_its_three_months(ctx: Context) -> None:
    small_council().save(ctx.database)
    q1 = build_report(ctx, Period.quarter(2025, 1), by="admin")
    assert [row[0] for row in q1.table("complaints_by_month").rows] == [
        "April 2025", "May 2025", "June 2025",
    ]  # fmt: skip
    assert q1.table("feedback_by_type").headings[1:] == ["Q1 2023/24", "Q1 2024/25", "Q1 2025/26"]
    assert q1.table("feedback_by_type").rows[0][1:] == (1, 0, 3)
    assert q1.table("timeliness_by_stage").rows[0][1] == 2
